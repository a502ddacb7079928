//! Arbitrary input never panics: filter strings, and response bodies decoded as the response models.

use proptest::prelude::*;
use roblox_inventory::InventoryFilter;
use roblox_inventory::{cloud_v2, legacy_v1, legacy_v2};
use serde_json::Value;

/// Decodes `bytes` as the success and error body of every one of the 16 operations.
fn decode_as_every_response_model(bytes: &[u8]) {
    macro_rules! decode {
        ($($model:ty),* $(,)?) => { $( let _ = serde_json::from_slice::<$model>(bytes); )* };
    }
    decode!(
        legacy_v1::types::AssetIdListModel,
        legacy_v1::types::CollectibleUserAssetModelPage,
        legacy_v1::types::CanViewInventoryResponse,
        legacy_v1::types::CategoriesModel,
        legacy_v1::types::IItemModelPage,
        legacy_v1::types::PlaceModelPage,
        legacy_v1::types::ApiEmptyResponseModel,
        legacy_v1::types::LegacyErrorResponse,
        bool,
        legacy_v2::types::AssetOwnerResponsePage,
        legacy_v2::types::CollectibleItemOwnerResponsePage,
        legacy_v2::types::UserAssetItemModelV2Page,
        legacy_v2::types::InventoryItemModelPage,
        legacy_v2::types::LegacyErrorResponse,
        cloud_v2::types::ListInventoryItemsResponse,
        cloud_v2::types::OpenCloudError,
    );
    if let Ok(item) = serde_json::from_slice::<cloud_v2::types::InventoryItem>(bytes) {
        // The facade's conversion keeps odd items as Unknown rather than failing.
        let _ = roblox_inventory::InventoryItem::from(item);
    }
}

/// JSON values of any shape, with keys drawn from the models' field names so that fields really get filled.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("data"),
        Just("nextPageCursor"),
        Just("previousPageCursor"),
        Just("assetType"),
        Just("created"),
        Just("owner"),
        Just("type"),
        Just("inventoryItems"),
        Just("nextPageToken"),
        Just("assetDetails"),
        Just("inventoryItemAssetType"),
        Just("collectibleDetails"),
        Just("instanceState"),
        Just("serialNumber"),
        Just("errors"),
        Just("code"),
        Just("message"),
        Just("assetId"),
        Just("addTime"),
        Just("gamePassDetails"),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        Just(Value::String("2018-10-28T09:37:59.397".into())),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..8).prop_map(|fields| {
                Value::Object(
                    fields
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #[test]
    fn any_filter_string_parses_or_fails_without_panicking(text in ".*") {
        if let Ok(filter) = text.parse::<InventoryFilter>() {
            // What parses renders back to something that parses to the same filter.
            prop_assert_eq!(filter.to_string().parse::<InventoryFilter>().ok(), Some(filter));
        }
    }

    #[test]
    fn filter_like_strings_never_panic(text in "[a-zA-Z=;,*0-9_ ]{0,80}") {
        let _ = text.parse::<InventoryFilter>();
    }

    #[test]
    fn any_bytes_decode_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_as_every_response_model(&bytes);
    }

    #[test]
    fn any_json_decodes_or_fails_without_panicking(value in json_value()) {
        decode_as_every_response_model(&serde_json::to_vec(&value).unwrap());
    }
}
