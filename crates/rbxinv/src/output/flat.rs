//! Records as flat `column = text` fields, for csv and tables: nested objects become dotted names
//! (`owner.name`), arrays stay JSON, and a null is left out like an absent field (an empty cell).

use serde_json::{Map, Value};

/// One record's fields in the record's own order.
pub type Fields = Vec<(String, String)>;

/// `record` flattened; a record that is not an object is one column called `value`.
pub fn flatten(record: Value) -> Fields {
    let mut fields = Vec::new();
    match record {
        Value::Object(map) => flatten_map("", map, &mut fields),
        other => flatten_into("value", other, &mut fields),
    }
    fields
}

fn flatten_into(name: &str, value: Value, out: &mut Fields) {
    match value {
        Value::Object(map) => flatten_map(name, map, out),
        Value::Null => {}
        Value::String(text) => out.push((name.to_owned(), text)),
        other => out.push((name.to_owned(), other.to_string())),
    }
}

fn flatten_map(prefix: &str, map: Map<String, Value>, out: &mut Fields) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        flatten_into(&name, value, out);
    }
}

/// The columns a listing shows, in order: those the user named (`--columns`), else the command's chosen ones
/// (every one its records can have, in the order a person reads them), then any other column in the order
/// the records first show it.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    named: Vec<String>,
    preferred: &'static [&'static str],
}

impl Columns {
    pub fn new(named: Vec<String>, preferred: &'static [&'static str]) -> Self {
        Columns { named, preferred }
    }

    /// Whether the user named the columns.
    pub fn are_named(&self) -> bool {
        !self.named.is_empty()
    }

    /// The columns for `records`: of the chosen ones, only those some record has, or (`all_chosen`, for a
    /// header written before the later records are seen) every one.
    pub fn pick(&self, records: &[Fields], all_chosen: bool) -> Vec<String> {
        if self.are_named() {
            return self.named.clone();
        }
        let mut seen: Vec<&str> = Vec::new();
        for (name, _) in records.iter().flatten() {
            if !seen.contains(&name.as_str()) {
                seen.push(name);
            }
        }
        let chosen = self
            .preferred
            .iter()
            .copied()
            .filter(|column| all_chosen || seen.contains(column));
        let rest = seen
            .iter()
            .copied()
            .filter(|column| !self.preferred.contains(column));
        chosen.chain(rest).map(str::to_owned).collect()
    }
}

/// `fields` laid out under `columns`, an empty cell where a record has no such field.
pub fn row(columns: &[String], fields: &Fields) -> Vec<String> {
    columns
        .iter()
        .map(|column| {
            fields
                .iter()
                .find(|(name, _)| name == column)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_fields_get_dotted_names_and_nulls_empty_cells() {
        let fields = flatten(json!({"a": 1, "b": {"c": "x,y"}, "d": null, "e": [1, 2]}));
        assert_eq!(
            fields,
            [
                ("a".into(), "1".into()),
                ("b.c".into(), "x,y".into()),
                ("e".into(), "[1,2]".into()),
            ]
        );
    }

    #[test]
    fn chosen_columns_come_first_then_the_rest_as_first_seen() {
        let records = [
            flatten(json!({"id": 1, "created": "x", "name": "Hat"})),
            flatten(json!({"id": 2, "owner": {"name": "Roblox"}})),
        ];
        let columns = Columns::new(Vec::new(), &["name", "missing", "id"]);
        assert_eq!(
            columns.pick(&records, false),
            ["name", "id", "created", "owner.name"]
        );
        assert_eq!(
            columns.pick(&records, true),
            ["name", "missing", "id", "created", "owner.name"]
        );
        let named = Columns::new(vec!["owner.name".into(), "id".into()], &["name"]);
        assert_eq!(named.pick(&records, false), ["owner.name", "id"]);
        assert_eq!(row(&named.pick(&records, false), &records[0]), ["", "1"]);
    }
}
