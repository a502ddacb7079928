//! Roblox's legacy asset types (`spec/legacy-v2.yaml` AssetType) and the Open Cloud names of those the world
//! generates.

/// Every legacy asset type id with its name, as the specs list them (sparse ids: never index by id).
pub const LEGACY_ASSET_TYPES: &[(u32, &str)] = &[
    (1, "Image"),
    (2, "TShirt"),
    (3, "Audio"),
    (4, "Mesh"),
    (5, "Lua"),
    (6, "HTML"),
    (7, "Text"),
    (8, "Hat"),
    (9, "Place"),
    (10, "Model"),
    (11, "Shirt"),
    (12, "Pants"),
    (13, "Decal"),
    (16, "Avatar"),
    (17, "Head"),
    (18, "Face"),
    (19, "Gear"),
    (21, "Badge"),
    (22, "GroupEmblem"),
    (24, "Animation"),
    (25, "Arms"),
    (26, "Legs"),
    (27, "Torso"),
    (28, "RightArm"),
    (29, "LeftArm"),
    (30, "LeftLeg"),
    (31, "RightLeg"),
    (32, "Package"),
    (33, "YouTubeVideo"),
    (34, "GamePass"),
    (35, "App"),
    (37, "Code"),
    (38, "Plugin"),
    (39, "SolidModel"),
    (40, "MeshPart"),
    (41, "HairAccessory"),
    (42, "FaceAccessory"),
    (43, "NeckAccessory"),
    (44, "ShoulderAccessory"),
    (45, "FrontAccessory"),
    (46, "BackAccessory"),
    (47, "WaistAccessory"),
    (48, "ClimbAnimation"),
    (49, "DeathAnimation"),
    (50, "FallAnimation"),
    (51, "IdleAnimation"),
    (52, "JumpAnimation"),
    (53, "RunAnimation"),
    (54, "SwimAnimation"),
    (55, "WalkAnimation"),
    (56, "PoseAnimation"),
    (59, "LocalizationTableManifest"),
    (60, "LocalizationTableTranslation"),
    (61, "EmoteAnimation"),
    (62, "Video"),
    (63, "TexturePack"),
    (64, "TShirtAccessory"),
    (65, "ShirtAccessory"),
    (66, "PantsAccessory"),
    (67, "JacketAccessory"),
    (68, "SweaterAccessory"),
    (69, "ShortsAccessory"),
    (70, "LeftShoeAccessory"),
    (71, "RightShoeAccessory"),
    (72, "DressSkirtAccessory"),
    (73, "FontFamily"),
    (74, "FontFace"),
    (75, "MeshHiddenSurfaceRemoval"),
    (76, "EyebrowAccessory"),
    (77, "EyelashAccessory"),
    (78, "MoodAnimation"),
    (79, "DynamicHead"),
    (80, "CodeSnippet"),
    (81, "AdsVideo"),
    (82, "OtaUpdate"),
    (83, "Screenshot"),
    (84, "RuntimePropertySet"),
    (85, "StorePreviewVideo"),
    (86, "GamePreviewVideo"),
    (87, "CreatorExperienceConfig"),
    (88, "FaceMakeup"),
    (89, "LipMakeup"),
    (90, "EyeMakeup"),
    (91, "VoxelFragment"),
    (92, "AvatarBackground"),
    (93, "TextDocument"),
    (94, "Post"),
];

/// The legacy types the world hands out, with their Open Cloud `InventoryItemAssetType`. Only types that Open
/// Cloud can name are generated, so that the legacy and Open Cloud views of one inventory hold the same items.
pub const GENERATED_ASSET_TYPES: &[(u32, &str)] = &[
    (2, "CLASSIC_TSHIRT"),
    (3, "AUDIO"),
    (8, "HAT"),
    (9, "CREATED_PLACE"),
    (10, "MODEL"),
    (11, "CLASSIC_SHIRT"),
    (12, "CLASSIC_PANTS"),
    (13, "DECAL"),
    (17, "CLASSIC_HEAD"),
    (18, "FACE"),
    (19, "GEAR"),
    (24, "ANIMATION"),
    (27, "TORSO"),
    (28, "RIGHT_ARM"),
    (29, "LEFT_ARM"),
    (30, "LEFT_LEG"),
    (31, "RIGHT_LEG"),
    (32, "PACKAGE"),
    (38, "PLUGIN"),
    (40, "MESH_PART"),
    (41, "HAIR_ACCESSORY"),
    (42, "FACE_ACCESSORY"),
    (43, "NECK_ACCESSORY"),
    (44, "SHOULDER_ACCESSORY"),
    (45, "FRONT_ACCESSORY"),
    (46, "BACK_ACCESSORY"),
    (47, "WAIST_ACCESSORY"),
    (48, "CLIMB_ANIMATION"),
    (49, "DEATH_ANIMATION"),
    (50, "FALL_ANIMATION"),
    (51, "IDLE_ANIMATION"),
    (52, "JUMP_ANIMATION"),
    (53, "RUN_ANIMATION"),
    (54, "SWIM_ANIMATION"),
    (55, "WALK_ANIMATION"),
    (56, "POSE_ANIMATION"),
    (61, "EMOTE_ANIMATION"),
    (62, "VIDEO"),
    (64, "TSHIRT_ACCESSORY"),
    (65, "SHIRT_ACCESSORY"),
    (66, "PANTS_ACCESSORY"),
    (67, "JACKET_ACCESSORY"),
    (68, "SWEATER_ACCESSORY"),
    (69, "SHORTS_ACCESSORY"),
    (70, "LEFT_SHOE_ACCESSORY"),
    (71, "RIGHT_SHOE_ACCESSORY"),
    (72, "DRESS_SKIRT_ACCESSORY"),
    (76, "EYEBROW_ACCESSORY"),
    (77, "EYELASH_ACCESSORY"),
    (78, "MOOD_ANIMATION"),
    (79, "DYNAMIC_HEAD"),
];

/// Every Open Cloud `InventoryItemAssetType` the spec lists (the filter accepts all of them).
pub const CLOUD_ASSET_TYPES: &[&str] =
    &["INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED", "PURCHASED_PLACE"];

/// Legacy asset type id 21.
pub const BADGE: u32 = 21;
/// Legacy asset type id 34.
pub const GAME_PASS: u32 = 34;

/// The name of a legacy asset type id (`Hat` for 8).
pub fn legacy_name(id: u32) -> Option<&'static str> {
    LEGACY_ASSET_TYPES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, name)| *name)
}

/// A legacy asset type given by id (`8`) or by name, case-insensitively (`Hat`, `hat`), as Roblox's query
/// binding accepts both.
pub fn parse_legacy(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(id) = text.parse::<u32>() {
        return legacy_name(id).map(|_| id);
    }
    LEGACY_ASSET_TYPES
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(text))
        .map(|(id, _)| *id)
}

/// The Open Cloud name of a generated legacy type.
pub fn cloud_name(legacy_id: u32) -> &'static str {
    GENERATED_ASSET_TYPES
        .iter()
        .find(|(id, _)| *id == legacy_id)
        .map_or("INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED", |(_, name)| *name)
}

/// Whether `name` is an Open Cloud asset type the spec lists.
pub fn is_cloud_name(name: &str) -> bool {
    CLOUD_ASSET_TYPES.contains(&name) || GENERATED_ASSET_TYPES.iter().any(|(_, n)| *n == name)
}
