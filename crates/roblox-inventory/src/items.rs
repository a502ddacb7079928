//! Open Cloud inventory items with their details as one enum instead of four optional fields.
//!
//! Roblox's schema gives an inventory item four optional details objects of which exactly one is present in real
//! bodies (WIRE-QUIRKS 23), and sends every numeric id as a string of digits (WIRE-QUIRKS 24). [`InventoryItem`]
//! checks both once, when it is converted from the generated type, so that callers match on [`ItemDetails`] and
//! get ids as numbers.
//!
//! An item that does not have that shape (no details, several details, a missing or non-numeric id) does not
//! fail the page it came in: it becomes [`ItemDetails::Unknown`], which keeps the generated item as received and
//! says what was wrong with it.

use roblox_inventory_cloud_v2::types::{
    AssetDetails, BadgeDetails, CollectibleDetails, GamePassDetails, InstanceState,
    InventoryItem as RawInventoryItem, InventoryItemAssetType, PrivateServerDetails,
};
use roblox_inventory_core::{DigitString, Timestamp};

use crate::ids::{AssetId, AssetInstanceId, BadgeId, GamePassId, PrivateServerId};

/// Why a generated inventory item could not be read as one of the known kinds; kept in [`UnknownItem`].
///
/// Fields are named as on the wire (`assetDetails.assetId`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ItemConversionError {
    /// None of the four details objects is present (or only one this version does not know, which the generated
    /// type drops).
    #[error(
        "the item has no details: expected exactly one of assetDetails, badgeDetails, gamePassDetails, \
         privateServerDetails"
    )]
    NoDetails,
    /// More than one details object is present, so the item's kind is ambiguous.
    #[error("the item has {} details ({}): expected exactly one", .fields.len(), .fields.join(", "))]
    SeveralDetails {
        /// The details objects present, such as `["assetDetails", "badgeDetails"]`.
        fields: Vec<&'static str>,
    },
    /// A field the item's kind needs is absent or empty.
    #[error("{field} is missing")]
    MissingField {
        /// The field, such as `assetDetails.collectibleDetails.itemId`.
        field: &'static str,
    },
    /// An id is not a string of decimal digits that fits in 64 bits.
    #[error("{field} is {value:?}: expected a string of decimal digits that fits in 64 bits")]
    InvalidId {
        /// The field, such as `badgeDetails.badgeId`.
        field: &'static str,
        /// What Roblox sent.
        value: String,
    },
}

/// An item in a user's Open Cloud inventory, with its details as an enum.
///
/// Converted from the generated item with `From`, which never fails: an item of an unexpected shape becomes
/// [`ItemDetails::Unknown`]. Converts back into the generated item with `From` as well.
///
/// ```
/// use roblox_inventory::cloud_v2::types::InventoryItem as RawInventoryItem;
/// use roblox_inventory::{AssetId, InventoryItem, ItemDetails};
///
/// let raw: RawInventoryItem = serde_json::from_str(
///     r#"{"path": "users/1/inventory-items/VVNFUl9BU1NFVF9JRD0y",
///         "assetDetails": {"assetId": "1028595", "instanceId": "2", "inventoryItemAssetType": "HAT"}}"#,
/// )?;
/// let item = InventoryItem::from(raw);
/// assert_eq!(item.asset_id(), Some(AssetId(1028595)));
/// match &item.details {
///     ItemDetails::Asset(asset) => println!("{} of type {}", asset.id, asset.asset_type),
///     ItemDetails::Badge { id } => println!("badge {id}"),
///     ItemDetails::Unknown(unknown) => eprintln!("skipped an item: {}", unknown.reason),
///     _ => {}
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct InventoryItem {
    /// The resource path, `users/{user_id}/inventory-items/{inventory_item_id}`; empty if Roblox sent none.
    /// The last segment is opaque (WIRE-QUIRKS 24): compare it, never parse it.
    pub path: String,
    /// When the item was added to the inventory; Roblox does not send it for game passes (WIRE-QUIRKS 23).
    pub add_time: Option<Timestamp>,
    /// What the item is.
    pub details: ItemDetails,
}

/// What an inventory item is: exactly one of Open Cloud's four details objects, or the item as received.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ItemDetails {
    /// A copy of an asset (clothing, accessories, animations, places, ...).
    Asset(AssetItem),
    /// A badge.
    Badge {
        /// The badge's id.
        id: BadgeId,
    },
    /// A game pass.
    GamePass {
        /// The game pass's id.
        id: GamePassId,
    },
    /// A private server.
    PrivateServer {
        /// The private server's id.
        id: PrivateServerId,
    },
    /// An item of none of the shapes above, kept as received with the reason.
    Unknown(UnknownItem),
}

/// A copy of an asset in a user's inventory (Open Cloud's `assetDetails`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssetItem {
    /// The asset.
    pub id: AssetId,
    /// This user's copy of the asset.
    pub instance_id: AssetInstanceId,
    /// The asset's type; `INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED` when Roblox sent none (proto3 JSON omits a
    /// default enum value).
    pub asset_type: InventoryItemAssetType,
    /// Present only when the asset is a collectible. Boxed: few items are, and a scan moves every item, which
    /// stays small this way.
    pub collectible: Option<Box<Collectible>>,
}

/// The collectible details of an asset copy (Open Cloud's `assetDetails.collectibleDetails`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Collectible {
    /// The collectible item (a UUID string, kept as sent).
    pub item_id: String,
    /// This copy of the collectible item (a UUID string, kept as sent).
    pub instance_id: String,
    /// Whether the copy can be resold or traded; `COLLECTIBLE_ITEM_INSTANCE_STATE_UNSPECIFIED` when Roblox sent
    /// none.
    pub state: InstanceState,
    /// Which replica this is, for a Limited; `None` otherwise.
    pub serial_number: Option<i64>,
}

/// An inventory item that is none of the known kinds, as Roblox sent it, and why it was not recognised.
#[derive(Clone, Debug)]
pub struct UnknownItem {
    /// The generated item, unchanged. Fields the generated type does not know are not kept.
    pub raw: Box<RawInventoryItem>,
    /// What about the item did not fit.
    pub reason: ItemConversionError,
}

// The generated type has no `PartialEq`; its JSON form holds everything it holds.
impl PartialEq for UnknownItem {
    fn eq(&self, other: &Self) -> bool {
        self.reason == other.reason
            && serde_json::to_value(&*self.raw).ok() == serde_json::to_value(&*other.raw).ok()
    }
}

impl InventoryItem {
    /// The asset details, if the item is an asset.
    pub fn asset(&self) -> Option<&AssetItem> {
        match &self.details {
            ItemDetails::Asset(asset) => Some(asset),
            _ => None,
        }
    }

    /// The asset's id, if the item is an asset.
    pub fn asset_id(&self) -> Option<AssetId> {
        self.asset().map(|asset| asset.id)
    }

    /// The collectible details, if the item is an asset that is a collectible.
    pub fn collectible(&self) -> Option<&Collectible> {
        self.asset()?.collectible.as_deref()
    }

    /// The badge's id, if the item is a badge.
    pub fn badge_id(&self) -> Option<BadgeId> {
        match self.details {
            ItemDetails::Badge { id } => Some(id),
            _ => None,
        }
    }

    /// The game pass's id, if the item is a game pass.
    pub fn game_pass_id(&self) -> Option<GamePassId> {
        match self.details {
            ItemDetails::GamePass { id } => Some(id),
            _ => None,
        }
    }

    /// The private server's id, if the item is a private server.
    pub fn private_server_id(&self) -> Option<PrivateServerId> {
        match self.details {
            ItemDetails::PrivateServer { id } => Some(id),
            _ => None,
        }
    }

    /// The item as received and the reason, if it is none of the known kinds.
    pub fn unknown(&self) -> Option<&UnknownItem> {
        match &self.details {
            ItemDetails::Unknown(unknown) => Some(unknown),
            _ => None,
        }
    }
}

impl From<RawInventoryItem> for InventoryItem {
    fn from(raw: RawInventoryItem) -> Self {
        // Checked by reference first, so that a good item's strings are moved rather than copied (this runs
        // once per item of every scan) and a bad item is kept whole.
        match shape_of(&raw) {
            Ok(shape) => known(raw, shape),
            Err(reason) => Self {
                path: raw.path.clone().unwrap_or_default(),
                add_time: raw.add_time,
                details: ItemDetails::Unknown(UnknownItem {
                    raw: Box::new(raw),
                    reason,
                }),
            },
        }
    }
}

/// Gives back the wire form: ids as digit strings, an empty `path` as absent. An unknown item gives back the
/// details it was received with.
impl From<InventoryItem> for RawInventoryItem {
    fn from(item: InventoryItem) -> Self {
        let mut raw = match item.details {
            ItemDetails::Unknown(unknown) => *unknown.raw,
            ItemDetails::Asset(asset) => RawInventoryItem {
                asset_details: Some(asset.into()),
                ..Default::default()
            },
            ItemDetails::Badge { id } => RawInventoryItem {
                badge_details: Some(BadgeDetails {
                    badge_id: Some(id.get().into()),
                }),
                ..Default::default()
            },
            ItemDetails::GamePass { id } => RawInventoryItem {
                game_pass_details: Some(GamePassDetails {
                    game_pass_id: Some(id.get().into()),
                }),
                ..Default::default()
            },
            ItemDetails::PrivateServer { id } => RawInventoryItem {
                private_server_details: Some(PrivateServerDetails {
                    private_server_id: Some(id.get().into()),
                }),
                ..Default::default()
            },
        };
        raw.path = Some(item.path).filter(|path| !path.is_empty());
        raw.add_time = item.add_time;
        raw
    }
}

impl From<AssetItem> for AssetDetails {
    fn from(asset: AssetItem) -> Self {
        AssetDetails {
            asset_id: Some(asset.id.get().into()),
            instance_id: Some(asset.instance_id.get().into()),
            inventory_item_asset_type: Some(asset.asset_type),
            collectible_details: asset.collectible.map(|collectible| *collectible).map(
                |collectible| CollectibleDetails {
                    item_id: Some(collectible.item_id),
                    instance_id: Some(collectible.instance_id),
                    instance_state: Some(collectible.state),
                    serial_number: collectible.serial_number,
                },
            ),
        }
    }
}

/// What a well-formed item is, with its ids parsed; its strings are still in the generated item.
enum Shape {
    Asset {
        id: AssetId,
        instance_id: AssetInstanceId,
    },
    Badge(BadgeId),
    GamePass(GamePassId),
    PrivateServer(PrivateServerId),
}

fn shape_of(raw: &RawInventoryItem) -> Result<Shape, ItemConversionError> {
    let details = [
        ("assetDetails", raw.asset_details.is_some()),
        ("badgeDetails", raw.badge_details.is_some()),
        ("gamePassDetails", raw.game_pass_details.is_some()),
        ("privateServerDetails", raw.private_server_details.is_some()),
    ];
    if details.iter().filter(|(_, present)| *present).count() > 1 {
        let fields = details
            .into_iter()
            .filter_map(|(field, present)| present.then_some(field))
            .collect();
        return Err(ItemConversionError::SeveralDetails { fields });
    }

    if let Some(asset) = &raw.asset_details {
        if let Some(collectible) = &asset.collectible_details {
            require_text(
                collectible.item_id.as_deref(),
                "assetDetails.collectibleDetails.itemId",
            )?;
            require_text(
                collectible.instance_id.as_deref(),
                "assetDetails.collectibleDetails.instanceId",
            )?;
        }
        return Ok(Shape::Asset {
            id: AssetId(id_field(asset.asset_id.as_ref(), "assetDetails.assetId")?),
            instance_id: AssetInstanceId(id_field(
                asset.instance_id.as_ref(),
                "assetDetails.instanceId",
            )?),
        });
    }
    if let Some(badge) = &raw.badge_details {
        let id = id_field(badge.badge_id.as_ref(), "badgeDetails.badgeId")?;
        return Ok(Shape::Badge(BadgeId(id)));
    }
    if let Some(game_pass) = &raw.game_pass_details {
        let id = id_field(
            game_pass.game_pass_id.as_ref(),
            "gamePassDetails.gamePassId",
        )?;
        return Ok(Shape::GamePass(GamePassId(id)));
    }
    if let Some(private_server) = &raw.private_server_details {
        let id = id_field(
            private_server.private_server_id.as_ref(),
            "privateServerDetails.privateServerId",
        )?;
        return Ok(Shape::PrivateServer(PrivateServerId(id)));
    }
    Err(ItemConversionError::NoDetails)
}

/// The item of a [`Shape`] that [`shape_of`] found in `raw`, with `raw`'s strings moved into it.
fn known(raw: RawInventoryItem, shape: Shape) -> InventoryItem {
    let details = match shape {
        Shape::Asset { id, instance_id } => {
            let asset = raw.asset_details.unwrap_or_default();
            ItemDetails::Asset(AssetItem {
                id,
                instance_id,
                asset_type: asset
                    .inventory_item_asset_type
                    .unwrap_or(InventoryItemAssetType::InventoryItemAssetTypeUnspecified),
                // Both ids were found present and non-empty by `shape_of`.
                collectible: asset.collectible_details.map(|collectible| {
                    Box::new(Collectible {
                        item_id: collectible.item_id.unwrap_or_default(),
                        instance_id: collectible.instance_id.unwrap_or_default(),
                        state: collectible
                            .instance_state
                            .unwrap_or(InstanceState::CollectibleItemInstanceStateUnspecified),
                        serial_number: collectible.serial_number,
                    })
                }),
            })
        }
        Shape::Badge(id) => ItemDetails::Badge { id },
        Shape::GamePass(id) => ItemDetails::GamePass { id },
        Shape::PrivateServer(id) => ItemDetails::PrivateServer { id },
    };
    InventoryItem {
        path: raw.path.unwrap_or_default(),
        add_time: raw.add_time,
        details,
    }
}

/// An id the generated item read while decoding: a number, or the text Roblox sent instead.
fn id_field(value: Option<&DigitString>, field: &'static str) -> Result<u64, ItemConversionError> {
    match value.ok_or(ItemConversionError::MissingField { field })? {
        DigitString::Number(id) => Ok(*id),
        DigitString::Text(text) => Err(ItemConversionError::InvalidId {
            field,
            value: text.to_string(),
        }),
    }
}

fn require_text(value: Option<&str>, field: &'static str) -> Result<(), ItemConversionError> {
    match value {
        Some(text) if !text.is_empty() => Ok(()),
        _ => Err(ItemConversionError::MissingField { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> InventoryItem {
        let raw: RawInventoryItem = serde_json::from_str(json).expect("valid generated item");
        InventoryItem::from(raw)
    }

    fn reason(item: &InventoryItem) -> &ItemConversionError {
        &item.unknown().expect("an unknown item").reason
    }

    #[test]
    fn an_asset_from_the_docs_example() {
        let item = item(
            r#"{
                "path": "users/11111111111/inventory-items/VVNFUl9BU1NFVF9JRD0yMDAxMDUxMTkzODg",
                "assetDetails": {
                    "assetId": "1028595",
                    "inventoryItemAssetType": "CLASSIC_TSHIRT",
                    "instanceId": "200105119388"
                }
            }"#,
        );
        assert_eq!(
            item.path,
            "users/11111111111/inventory-items/VVNFUl9BU1NFVF9JRD0yMDAxMDUxMTkzODg"
        );
        assert_eq!(item.add_time, None);
        assert_eq!(
            item.details,
            ItemDetails::Asset(AssetItem {
                id: AssetId(1028595),
                instance_id: AssetInstanceId(200105119388),
                asset_type: InventoryItemAssetType::ClassicTshirt,
                collectible: None,
            })
        );
        assert_eq!(item.asset_id(), Some(AssetId(1028595)));
        assert_eq!((item.badge_id(), item.collectible()), (None, None));
    }

    #[test]
    fn a_place_keeps_its_add_time() {
        let item = item(
            r#"{"path":"users/156/inventory-items/VVNFUl9BU1NFVF9JRD0xNDU3OTY2",
                "assetDetails":{"assetId":"1501","inventoryItemAssetType":"CREATED_PLACE","instanceId":"1457966"},
                "addTime":"2008-03-01T07:21:42.630Z"}"#,
        );
        assert_eq!(
            item.asset().map(|asset| &asset.asset_type),
            Some(&InventoryItemAssetType::CreatedPlace)
        );
        assert_eq!(
            item.add_time.map(|time| time.unix_seconds()),
            Some(1_204_356_102)
        );
    }

    #[test]
    fn a_collectible() {
        let item = item(
            r#"{"path": "users/1/inventory-items/x",
                "assetDetails": {
                    "assetId": "1365767",
                    "instanceId": "987654321",
                    "inventoryItemAssetType": "HAT",
                    "collectibleDetails": {
                        "itemId": "3d9a5f3e-0f3b-4d6a-9a4e-1c2b3d4e5f60",
                        "instanceId": "8b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                        "instanceState": "HOLD",
                        "serialNumber": 42
                    }
                }}"#,
        );
        assert_eq!(
            item.collectible(),
            Some(&Collectible {
                item_id: "3d9a5f3e-0f3b-4d6a-9a4e-1c2b3d4e5f60".into(),
                instance_id: "8b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0".into(),
                state: InstanceState::Hold,
                serial_number: Some(42),
            })
        );
    }

    #[test]
    fn a_collectible_without_state_or_serial_number() {
        let item = item(
            r#"{"assetDetails": {"assetId": "1", "instanceId": "2", "inventoryItemAssetType": "HAT",
                "collectibleDetails": {"itemId": "a", "instanceId": "b"}}}"#,
        );
        let collectible = item.collectible().expect("a collectible");
        assert_eq!(
            collectible.state,
            InstanceState::CollectibleItemInstanceStateUnspecified
        );
        assert_eq!(collectible.serial_number, None);
    }

    #[test]
    fn a_badge_a_game_pass_and_a_private_server() {
        let badge = item(
            r#"{"path": "users/1/inventory-items/b", "badgeDetails": {"badgeId": "2124"},
                "addTime": "2024-05-01T10:00:00Z"}"#,
        );
        assert_eq!(badge.details, ItemDetails::Badge { id: BadgeId(2124) });
        assert_eq!(badge.badge_id(), Some(BadgeId(2124)));
        assert!(badge.add_time.is_some());

        let game_pass = item(
            r#"{"path": "users/45348281/inventory-items/R0FNRV9QQVNTX0lEPTEyNTI3",
                "gamePassDetails": {"gamePassId": "12527"}}"#,
        );
        assert_eq!(game_pass.game_pass_id(), Some(GamePassId(12527)));
        assert_eq!(game_pass.add_time, None);
        assert_eq!(game_pass.asset_id(), None);

        let private_server = item(
            r#"{"path": "users/1/inventory-items/p", "privateServerDetails": {"privateServerId": "777"}}"#,
        );
        assert_eq!(
            private_server.private_server_id(),
            Some(PrivateServerId(777))
        );
    }

    #[test]
    fn an_asset_type_this_version_does_not_list_is_still_an_asset() {
        let item = item(
            r#"{"assetDetails": {"assetId": "5", "instanceId": "6", "inventoryItemAssetType": "HOLOGRAM"}}"#,
        );
        assert_eq!(
            item.asset().map(|asset| asset.asset_type.as_str()),
            Some("HOLOGRAM")
        );
    }

    #[test]
    fn a_missing_asset_type_is_unspecified() {
        let item = item(r#"{"assetDetails": {"assetId": "5", "instanceId": "6"}}"#);
        assert_eq!(
            item.asset().map(|asset| &asset.asset_type),
            Some(&InventoryItemAssetType::InventoryItemAssetTypeUnspecified)
        );
    }

    #[test]
    fn odd_ids_make_the_item_unknown_and_keep_it() {
        let cases = [
            (
                r#"{"badgeDetails": {"badgeId": "abc"}}"#,
                "badgeDetails.badgeId",
                "abc",
            ),
            (
                r#"{"gamePassDetails": {"gamePassId": "-3"}}"#,
                "gamePassDetails.gamePassId",
                "-3",
            ),
            (
                r#"{"privateServerDetails": {"privateServerId": "+7"}}"#,
                "privateServerDetails.privateServerId",
                "+7",
            ),
            (
                r#"{"assetDetails": {"assetId": "", "instanceId": "1"}}"#,
                "assetDetails.assetId",
                "",
            ),
            (
                r#"{"assetDetails": {"assetId": "1", "instanceId": "18446744073709551616"}}"#,
                "assetDetails.instanceId",
                "18446744073709551616",
            ),
        ];
        for (json, field, value) in cases {
            let item = item(json);
            assert_eq!(
                reason(&item),
                &ItemConversionError::InvalidId {
                    field,
                    value: value.into()
                },
                "{json}"
            );
            let kept = serde_json::to_value(&*item.unknown().unwrap().raw).unwrap();
            assert_eq!(
                kept,
                serde_json::from_str::<serde_json::Value>(json).unwrap()
            );
        }
        let error = reason(&item(r#"{"badgeDetails": {"badgeId": "abc"}}"#)).to_string();
        assert_eq!(
            error,
            r#"badgeDetails.badgeId is "abc": expected a string of decimal digits that fits in 64 bits"#
        );
    }

    #[test]
    fn missing_ids_make_the_item_unknown() {
        let cases = [
            (r#"{"badgeDetails": {}}"#, "badgeDetails.badgeId"),
            (
                r#"{"assetDetails": {"instanceId": "1"}}"#,
                "assetDetails.assetId",
            ),
            (
                r#"{"assetDetails": {"assetId": "1", "instanceId": "2",
                    "collectibleDetails": {"itemId": "", "instanceId": "b"}}}"#,
                "assetDetails.collectibleDetails.itemId",
            ),
        ];
        for (json, field) in cases {
            assert_eq!(
                reason(&item(json)),
                &ItemConversionError::MissingField { field },
                "{json}"
            );
        }
    }

    #[test]
    fn an_item_without_details_is_unknown() {
        let item =
            item(r#"{"path": "users/1/inventory-items/z", "bundleDetails": {"bundleId": "9"}}"#);
        assert_eq!(reason(&item), &ItemConversionError::NoDetails);
        assert_eq!(item.path, "users/1/inventory-items/z");
        assert_eq!(item.asset_id(), None);
    }

    #[test]
    fn an_item_with_two_details_is_unknown() {
        let item = item(
            r#"{"assetDetails": {"assetId": "1", "instanceId": "2"}, "gamePassDetails": {"gamePassId": "3"}}"#,
        );
        assert_eq!(
            reason(&item),
            &ItemConversionError::SeveralDetails {
                fields: vec!["assetDetails", "gamePassDetails"]
            }
        );
        assert_eq!(
            reason(&item).to_string(),
            "the item has 2 details (assetDetails, gamePassDetails): expected exactly one"
        );
        assert_eq!((item.asset_id(), item.game_pass_id()), (None, None));
    }

    #[test]
    fn items_convert_back_to_the_wire_form() {
        let bodies = [
            r#"{"path":"users/1/inventory-items/a","addTime":"2024-05-01T10:00:00.5Z",
                "assetDetails":{"assetId":"1","instanceId":"2","inventoryItemAssetType":"HAT",
                "collectibleDetails":{"itemId":"i","instanceId":"j","instanceState":"AVAILABLE","serialNumber":3}}}"#,
            r#"{"path":"users/1/inventory-items/b","badgeDetails":{"badgeId":"4"}}"#,
            r#"{"path":"users/1/inventory-items/c","gamePassDetails":{"gamePassId":"5"}}"#,
            r#"{"path":"users/1/inventory-items/d","privateServerDetails":{"privateServerId":"6"}}"#,
            r#"{"path":"users/1/inventory-items/e","badgeDetails":{"badgeId":"x"},"gamePassDetails":{}}"#,
        ];
        for body in bodies {
            let back = RawInventoryItem::from(item(body));
            assert_eq!(
                serde_json::to_value(back).unwrap(),
                serde_json::from_str::<serde_json::Value>(body).unwrap(),
                "{body}"
            );
        }
    }
}
