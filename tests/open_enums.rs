//! Every enum in the specs is open: each listed value decodes to its variant, and a value Roblox adds later
//! decodes into `Unknown` (and goes back out unchanged) instead of failing the page.

use std::collections::BTreeSet;
use std::fmt::Debug;

use roblox_inventory_core::{IntEnum, StringEnum, UnknownValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use xtask::specs::Spec;

fn assert_int_enum_is_open<T>() -> &'static str
where
    T: IntEnum + DeserializeOwned + Serialize + PartialEq + Debug + ToString,
{
    for (id, name) in T::KNOWN {
        let by_id: T = serde_json::from_str(&id.to_string()).unwrap();
        let by_name: T = serde_json::from_value(serde_json::json!(name)).unwrap();
        let by_lower_name: T =
            serde_json::from_value(serde_json::json!(name.to_lowercase())).unwrap();
        assert_eq!(by_id, T::from_id(*id));
        assert_eq!(by_name, by_id, "{} name {name}", T::TYPE_NAME);
        assert_eq!(by_lower_name, by_id, "{} name {name}", T::TYPE_NAME);
        assert_eq!(by_id.to_string(), *name);
        assert_ne!(
            by_id,
            T::unknown(UnknownValue::Id(*id)),
            "{} {id} decodes as unknown",
            T::TYPE_NAME
        );
    }
    let unlisted_id: T = serde_json::from_str("987654").unwrap();
    assert_eq!(unlisted_id, T::unknown(UnknownValue::Id(987_654)));
    assert_eq!(serde_json::to_string(&unlisted_id).unwrap(), "987654");
    let unlisted_name: T = serde_json::from_str(r#""SomethingNew""#).unwrap();
    assert_eq!(
        unlisted_name,
        T::unknown(UnknownValue::Name("SomethingNew".into()))
    );
    assert_eq!(
        serde_json::to_string(&unlisted_name).unwrap(),
        r#""SomethingNew""#
    );
    T::TYPE_NAME
}

fn assert_string_enum_is_open<T>() -> &'static str
where
    T: StringEnum + DeserializeOwned + Serialize + PartialEq + Debug,
{
    for known in T::KNOWN {
        let decoded: T = serde_json::from_value(serde_json::json!(known)).unwrap();
        assert_eq!(Some(&decoded), T::from_known(known).as_ref());
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            serde_json::json!(known)
        );
    }
    let unlisted: T = serde_json::from_str(r#""SOMETHING_NEW""#).unwrap();
    assert_eq!(unlisted, T::unknown("SOMETHING_NEW".into()));
    assert_eq!(
        serde_json::to_string(&unlisted).unwrap(),
        r#""SOMETHING_NEW""#
    );
    T::TYPE_NAME
}

fn enum_schemas(spec: &str) -> BTreeSet<String> {
    let document = Spec::named(spec)
        .unwrap()
        .load(&xtask::workspace_root())
        .unwrap();
    document["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, schema)| schema.get("enum").is_some())
        .map(|(name, _)| name.clone())
        .collect()
}

fn names(tested: &[&str]) -> BTreeSet<String> {
    tested.iter().map(|name| (*name).to_owned()).collect()
}

#[test]
fn every_legacy_v1_enum_is_open() {
    use roblox_inventory_legacy_v1::types::*;
    let tested = [
        assert_int_enum_is_open::<AssetType>(),
        assert_int_enum_is_open::<AssetsExplorerCategoryItemType>(),
        assert_int_enum_is_open::<BuildersClubMembershipType>(),
        assert_int_enum_is_open::<CollectionItemType>(),
        assert_int_enum_is_open::<CreatorType>(),
        assert_int_enum_is_open::<ItemType>(),
        assert_int_enum_is_open::<PageLimit>(),
        assert_int_enum_is_open::<PlacesTab>(),
        assert_string_enum_is_open::<SortOrder>(),
    ];
    assert_eq!(
        names(&tested),
        enum_schemas("legacy-v1"),
        "a spec enum is not tested"
    );
}

#[test]
fn every_legacy_v2_enum_is_open() {
    use roblox_inventory_legacy_v2::types::*;
    let tested = [
        assert_int_enum_is_open::<AssociatedEntityType>(),
        assert_int_enum_is_open::<AssetType>(),
        assert_int_enum_is_open::<BuildersClubMembershipType>(),
        assert_int_enum_is_open::<PageLimit>(),
        assert_string_enum_is_open::<SortOrder>(),
        assert_int_enum_is_open::<SortOrderCode>(),
    ];
    assert_eq!(
        names(&tested),
        enum_schemas("legacy-v2"),
        "a spec enum is not tested"
    );
}

#[test]
fn every_cloud_v2_enum_is_open() {
    use roblox_inventory_cloud_v2::types::*;
    let tested = [
        assert_string_enum_is_open::<InstanceState>(),
        assert_string_enum_is_open::<InventoryItemAssetType>(),
        assert_string_enum_is_open::<OpenCloudErrorCode>(),
    ];
    assert_eq!(
        names(&tested),
        enum_schemas("cloud-v2"),
        "a spec enum is not tested"
    );
}

#[test]
fn asset_types_cover_the_documented_range_with_its_gaps() {
    use roblox_inventory_legacy_v2::types::AssetType;
    let ids: Vec<i64> = AssetType::KNOWN.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.first(), Some(&1));
    assert_eq!(ids.last(), Some(&94));
    for gap in [14, 15, 20, 23, 36, 57, 58] {
        assert!(!ids.contains(&gap), "{gap} is not an asset type");
    }
    assert_eq!("hat".parse::<AssetType>(), Ok(AssetType::Hat));
    assert_eq!("8".parse::<AssetType>(), Ok(AssetType::Hat));
    let error = "Hats".parse::<AssetType>().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(r#""Hats" is not a known AssetType; expected one of: Image, TShirt"#)
    );
}
