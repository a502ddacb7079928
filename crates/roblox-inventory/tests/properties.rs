//! Arbitrary input never panics: filter strings, and response bodies decoded as the response models.

use proptest::prelude::*;
use roblox_inventory::InventoryFilter;
use roblox_inventory::cloud_v2::types::ListInventoryItemsResponse;
use roblox_inventory::legacy_v2::types::InventoryItemModelPage;

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
        let _ = serde_json::from_slice::<ListInventoryItemsResponse>(&bytes);
        let _ = serde_json::from_slice::<InventoryItemModelPage>(&bytes);
    }
}
