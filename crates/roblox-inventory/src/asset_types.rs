//! Conversions between the legacy integer `AssetType` and Open Cloud's `InventoryItemAssetType`.
//!
//! The two vocabularies overlap but are not the same: Open Cloud says `CLASSIC_TSHIRT` where the legacy API says
//! `TShirt = 2`, has `CREATED_PLACE` and `PURCHASED_PLACE` where the legacy API has a single `Place = 9`, and has
//! no counterpart at all for `Image`, `Mesh`, `Lua`, `Badge`, `GamePass`, `Arms`, `Legs`, ... (WIRE-QUIRKS 25).
//! Both directions are read from one table, [`asset_type_pairs`], so they cannot disagree.

use roblox_inventory_cloud_v2::types::InventoryItemAssetType;
use roblox_inventory_legacy_types::AssetType;

/// Every legacy asset type that has exactly one Open Cloud counterpart denoting the same thing.
///
/// Left out on purpose: `Place = 9` (Open Cloud splits places into `CREATED_PLACE` and `PURCHASED_PLACE`, so
/// neither is the same thing as a legacy place), `INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED` (not a type), and every
/// legacy type Open Cloud does not list.
const PAIRS: &[(AssetType, InventoryItemAssetType)] = &[
    (AssetType::TShirt, InventoryItemAssetType::ClassicTshirt),
    (AssetType::Audio, InventoryItemAssetType::Audio),
    (AssetType::Hat, InventoryItemAssetType::Hat),
    (AssetType::Model, InventoryItemAssetType::Model),
    (AssetType::Shirt, InventoryItemAssetType::ClassicShirt),
    (AssetType::Pants, InventoryItemAssetType::ClassicPants),
    (AssetType::Decal, InventoryItemAssetType::Decal),
    (AssetType::Head, InventoryItemAssetType::ClassicHead),
    (AssetType::Face, InventoryItemAssetType::Face),
    (AssetType::Gear, InventoryItemAssetType::Gear),
    (AssetType::Animation, InventoryItemAssetType::Animation),
    (AssetType::Torso, InventoryItemAssetType::Torso),
    (AssetType::RightArm, InventoryItemAssetType::RightArm),
    (AssetType::LeftArm, InventoryItemAssetType::LeftArm),
    (AssetType::LeftLeg, InventoryItemAssetType::LeftLeg),
    (AssetType::RightLeg, InventoryItemAssetType::RightLeg),
    (AssetType::Package, InventoryItemAssetType::Package),
    (AssetType::Plugin, InventoryItemAssetType::Plugin),
    (AssetType::MeshPart, InventoryItemAssetType::MeshPart),
    (
        AssetType::HairAccessory,
        InventoryItemAssetType::HairAccessory,
    ),
    (
        AssetType::FaceAccessory,
        InventoryItemAssetType::FaceAccessory,
    ),
    (
        AssetType::NeckAccessory,
        InventoryItemAssetType::NeckAccessory,
    ),
    (
        AssetType::ShoulderAccessory,
        InventoryItemAssetType::ShoulderAccessory,
    ),
    (
        AssetType::FrontAccessory,
        InventoryItemAssetType::FrontAccessory,
    ),
    (
        AssetType::BackAccessory,
        InventoryItemAssetType::BackAccessory,
    ),
    (
        AssetType::WaistAccessory,
        InventoryItemAssetType::WaistAccessory,
    ),
    (
        AssetType::ClimbAnimation,
        InventoryItemAssetType::ClimbAnimation,
    ),
    (
        AssetType::DeathAnimation,
        InventoryItemAssetType::DeathAnimation,
    ),
    (
        AssetType::FallAnimation,
        InventoryItemAssetType::FallAnimation,
    ),
    (
        AssetType::IdleAnimation,
        InventoryItemAssetType::IdleAnimation,
    ),
    (
        AssetType::JumpAnimation,
        InventoryItemAssetType::JumpAnimation,
    ),
    (
        AssetType::RunAnimation,
        InventoryItemAssetType::RunAnimation,
    ),
    (
        AssetType::SwimAnimation,
        InventoryItemAssetType::SwimAnimation,
    ),
    (
        AssetType::WalkAnimation,
        InventoryItemAssetType::WalkAnimation,
    ),
    (
        AssetType::PoseAnimation,
        InventoryItemAssetType::PoseAnimation,
    ),
    (
        AssetType::EmoteAnimation,
        InventoryItemAssetType::EmoteAnimation,
    ),
    (AssetType::Video, InventoryItemAssetType::Video),
    (
        AssetType::TShirtAccessory,
        InventoryItemAssetType::TshirtAccessory,
    ),
    (
        AssetType::ShirtAccessory,
        InventoryItemAssetType::ShirtAccessory,
    ),
    (
        AssetType::PantsAccessory,
        InventoryItemAssetType::PantsAccessory,
    ),
    (
        AssetType::JacketAccessory,
        InventoryItemAssetType::JacketAccessory,
    ),
    (
        AssetType::SweaterAccessory,
        InventoryItemAssetType::SweaterAccessory,
    ),
    (
        AssetType::ShortsAccessory,
        InventoryItemAssetType::ShortsAccessory,
    ),
    (
        AssetType::LeftShoeAccessory,
        InventoryItemAssetType::LeftShoeAccessory,
    ),
    (
        AssetType::RightShoeAccessory,
        InventoryItemAssetType::RightShoeAccessory,
    ),
    (
        AssetType::DressSkirtAccessory,
        InventoryItemAssetType::DressSkirtAccessory,
    ),
    (
        AssetType::EyebrowAccessory,
        InventoryItemAssetType::EyebrowAccessory,
    ),
    (
        AssetType::EyelashAccessory,
        InventoryItemAssetType::EyelashAccessory,
    ),
    (
        AssetType::MoodAnimation,
        InventoryItemAssetType::MoodAnimation,
    ),
    (AssetType::DynamicHead, InventoryItemAssetType::DynamicHead),
];

/// The table both conversions read: every `(legacy, Open Cloud)` pair of asset types that denote the same thing.
///
/// Each legacy type and each Open Cloud type appears at most once. Useful to list what can be converted, for
/// example in a CLI's help text.
///
/// ```
/// use roblox_inventory::asset_type_pairs;
/// use roblox_inventory::cloud_v2::types::InventoryItemAssetType;
/// use roblox_inventory::legacy_v2::types::AssetType;
///
/// assert!(asset_type_pairs().contains(&(AssetType::Head, InventoryItemAssetType::ClassicHead)));
/// assert!(!asset_type_pairs().iter().any(|(legacy, _)| *legacy == AssetType::Place));
/// ```
pub fn asset_type_pairs() -> &'static [(AssetType, InventoryItemAssetType)] {
    PAIRS
}

/// The Open Cloud asset type that denotes the same thing as a legacy one, if Open Cloud has one.
///
/// `None` for legacy types Open Cloud does not list (`Image`, `Badge`, `GamePass`, ...), for `Place` (Open
/// Cloud only knows `CREATED_PLACE` and `PURCHASED_PLACE`), and for values the spec does not list.
///
/// ```
/// use roblox_inventory::legacy_to_cloud;
/// use roblox_inventory::cloud_v2::types::InventoryItemAssetType;
/// use roblox_inventory::legacy_v2::types::AssetType;
///
/// assert_eq!(legacy_to_cloud(&AssetType::TShirt), Some(InventoryItemAssetType::ClassicTshirt));
/// assert_eq!(legacy_to_cloud(&AssetType::Place), None);
/// ```
pub fn legacy_to_cloud(asset_type: &AssetType) -> Option<InventoryItemAssetType> {
    // Matched by id so that a hand-built `Unknown(Id(8))` converts like `Hat`.
    let id = asset_type.id()?;
    PAIRS
        .iter()
        .find(|(legacy, _)| legacy.id() == Some(id))
        .map(|(_, cloud)| cloud.clone())
}

/// The legacy asset type that denotes the same thing as an Open Cloud one, if the legacy API has one.
///
/// `None` for `INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED`, `CREATED_PLACE`, `PURCHASED_PLACE` and values the spec
/// does not list.
///
/// ```
/// use roblox_inventory::cloud_to_legacy;
/// use roblox_inventory::cloud_v2::types::InventoryItemAssetType;
/// use roblox_inventory::legacy_v2::types::AssetType;
///
/// assert_eq!(cloud_to_legacy(&InventoryItemAssetType::ClassicPants), Some(AssetType::Pants));
/// assert_eq!(cloud_to_legacy(&InventoryItemAssetType::PurchasedPlace), None);
/// ```
pub fn cloud_to_legacy(asset_type: &InventoryItemAssetType) -> Option<AssetType> {
    // Matched by wire string so that a hand-built `Unknown("HAT")` converts like `Hat`.
    let wire = asset_type.as_str();
    PAIRS
        .iter()
        .find(|(_, cloud)| cloud.as_str() == wire)
        .map(|(legacy, _)| legacy.clone())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use roblox_inventory_core::{StringEnum, UnknownValue};

    use super::*;

    #[test]
    fn every_pair_converts_both_ways() {
        for (legacy, cloud) in asset_type_pairs() {
            assert_eq!(legacy_to_cloud(legacy).as_ref(), Some(cloud), "{legacy}");
            assert_eq!(cloud_to_legacy(cloud).as_ref(), Some(legacy), "{cloud}");
        }
    }

    #[test]
    fn every_pair_joins_two_known_values() {
        for (legacy, cloud) in asset_type_pairs() {
            assert!(!legacy.is_unknown(), "{legacy:?}");
            assert!(!cloud.is_unknown(), "{cloud:?}");
            assert_ne!(
                *cloud,
                InventoryItemAssetType::InventoryItemAssetTypeUnspecified
            );
        }
    }

    #[test]
    fn no_value_appears_in_two_pairs() {
        let legacy: HashSet<_> = asset_type_pairs().iter().map(|(l, _)| l).collect();
        let cloud: HashSet<_> = asset_type_pairs().iter().map(|(_, c)| c).collect();
        assert_eq!(legacy.len(), asset_type_pairs().len());
        assert_eq!(cloud.len(), asset_type_pairs().len());
    }

    /// Guards against a pair that joins two different things: apart from Open Cloud's `CLASSIC_` prefix, both
    /// ends must be the same words.
    #[test]
    fn paired_values_have_the_same_name() {
        for (legacy, cloud) in asset_type_pairs() {
            let cloud_words = cloud.as_str().replace('_', "").to_ascii_lowercase();
            let cloud_words = cloud_words.strip_prefix("classic").unwrap_or(&cloud_words);
            assert_eq!(
                legacy.to_string().to_ascii_lowercase(),
                cloud_words,
                "{legacy} paired with {cloud}"
            );
        }
    }

    #[test]
    fn the_documented_examples_map() {
        let expected = [
            (2, "CLASSIC_TSHIRT"),
            (8, "HAT"),
            (11, "CLASSIC_SHIRT"),
            (12, "CLASSIC_PANTS"),
            (17, "CLASSIC_HEAD"),
            (18, "FACE"),
            (64, "TSHIRT_ACCESSORY"),
            (79, "DYNAMIC_HEAD"),
        ];
        for (id, wire) in expected {
            let cloud = legacy_to_cloud(&AssetType::from(id)).map(|c| c.to_string());
            assert_eq!(cloud.as_deref(), Some(wire), "legacy id {id}");
        }
    }

    #[test]
    fn every_open_cloud_type_but_places_and_unspecified_has_a_legacy_counterpart() {
        let without: Vec<&str> = <InventoryItemAssetType as StringEnum>::KNOWN
            .iter()
            .copied()
            .filter(|wire| cloud_to_legacy(&wire.parse().unwrap()).is_none())
            .collect();
        assert_eq!(
            without,
            [
                "INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED",
                "CREATED_PLACE",
                "PURCHASED_PLACE"
            ]
        );
    }

    #[test]
    fn types_without_a_counterpart_map_to_none() {
        for legacy in [
            AssetType::Image,
            AssetType::Place,
            AssetType::Badge,
            AssetType::GamePass,
            AssetType::Arms,
            AssetType::Legs,
            AssetType::Post,
        ] {
            assert_eq!(legacy_to_cloud(&legacy), None, "{legacy}");
        }
        for cloud in [
            InventoryItemAssetType::InventoryItemAssetTypeUnspecified,
            InventoryItemAssetType::CreatedPlace,
            InventoryItemAssetType::PurchasedPlace,
        ] {
            assert_eq!(cloud_to_legacy(&cloud), None, "{cloud}");
        }
    }

    #[test]
    fn unlisted_values_map_to_none() {
        assert_eq!(legacy_to_cloud(&AssetType::from(999)), None);
        assert_eq!(
            legacy_to_cloud(&AssetType::Unknown(UnknownValue::Name("Hologram".into()))),
            None
        );
        assert_eq!(
            cloud_to_legacy(&InventoryItemAssetType::Unknown("HOLOGRAM".into())),
            None
        );
    }

    #[test]
    fn hand_built_unknowns_of_listed_values_convert_like_the_listed_value() {
        assert_eq!(
            legacy_to_cloud(&AssetType::Unknown(UnknownValue::Id(8))),
            Some(InventoryItemAssetType::Hat)
        );
        assert_eq!(
            cloud_to_legacy(&InventoryItemAssetType::Unknown("HAT".into())),
            Some(AssetType::Hat)
        );
    }

    #[test]
    fn the_legacy_apis_share_one_asset_type() {
        // One type, re-exported by both legacy crates: no conversion between them exists or is needed.
        let v1: roblox_inventory_legacy_v1::types::AssetType = AssetType::ShirtAccessory;
        let v2: roblox_inventory_legacy_v2::types::AssetType = v1.clone();
        assert_eq!(v1, v2);
        assert_eq!(
            legacy_to_cloud(&v1),
            Some(InventoryItemAssetType::ShirtAccessory)
        );
        assert_eq!(
            AssetType::Unknown(UnknownValue::Name("Hologram".into())).to_string(),
            "Hologram"
        );
    }
}
