//! Comma-separated query values: one `key=a,b` pair, items written with their `Display` form.

use roblox_inventory_core::{CommaSeparated, UnknownValue};

roblox_inventory_core::int_enum! {
    /// An integer enum, written by name in a query.
    pub enum Shape {
        Ball = 1 => "Ball",
        Block = 2 => "Block",
    }
}

#[test]
fn items_are_kept_in_the_order_they_are_sent() {
    let ids: CommaSeparated<u32> = [8, 41, 8].into();
    assert_eq!(ids.items(), [8, 41, 8]);
    assert_eq!(ids.items().len(), 3);
    assert_eq!(ids.to_string(), "8,41,8");

    let from_vec: CommaSeparated<&str> = vec!["Hat", "Face"].into();
    assert_eq!(from_vec.items(), ["Hat", "Face"]);
    let from_slice: CommaSeparated<&str> = ["Hat", "Face"][..].into();
    assert_eq!(from_slice.items(), ["Hat", "Face"]);
    assert_eq!(from_slice, from_vec);
    let collected: CommaSeparated<u64> = (1..=3).collect();
    assert_eq!(collected.items(), [1, 2, 3]);
    let single: CommaSeparated<i64> = [-5].into();
    assert_eq!(single.items(), [-5]);

    let empty: CommaSeparated<u32> = Vec::new().into();
    assert!(empty.items().is_empty());
}

#[test]
fn writes_one_comma_separated_value() {
    let shapes: CommaSeparated<Shape> = [
        Shape::Block,
        Shape::Ball,
        Shape::Unknown(UnknownValue::Id(9)),
        Shape::Unknown(UnknownValue::Name("Wedge".into())),
    ]
    .into();
    assert_eq!(shapes.to_string(), "Block,Ball,9,Wedge");
    assert_eq!(
        serde_json::to_string(&shapes).unwrap(),
        r#""Block,Ball,9,Wedge""#
    );
    assert_eq!(shapes.items()[0], Shape::Block);

    let one: CommaSeparated<&str> = ["Hat"].into();
    assert_eq!(one.to_string(), "Hat");
    assert_eq!(serde_json::to_value(&one).unwrap(), "Hat");
    let empty: CommaSeparated<&str> = Vec::new().into();
    assert_eq!(empty.to_string(), "");
    assert_eq!(serde_json::to_string(&empty).unwrap(), r#""""#);
}
