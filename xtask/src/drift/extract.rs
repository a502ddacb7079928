//! The part of a document that concerns a spec, where the document describes far more: the docs source of
//! create.roblox.com describes every Open Cloud API, and changes every week for reasons that are none of ours.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::walk::HTTP_METHODS;

/// Which part of its document a spec is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole document (inventory.roblox.com's Swagger describes the one API).
    Whole,
    /// Open Cloud's inventory operations: every path under `/cloud/` that Roblox tags `Inventories`, and
    /// `/cloud/v2/users/{user_id}/inventory-items` whatever its tags; with `openapi`, `servers` and the
    /// components they refer to (schemas, security schemes), verbatim.
    OpenCloudInventory,
    /// The legacy inventory operations of one version (`/v1/`, `/v2/`): every operation under it that the docs
    /// source says is served by `https://inventory.roblox.com`, with `openapi` and the components they refer
    /// to, verbatim.
    LegacyInventory { version: &'static str },
}

impl Scope {
    /// What the report says was hashed and audited.
    pub fn describe(self) -> Option<String> {
        match self {
            Scope::Whole => None,
            Scope::OpenCloudInventory => Some(
                "its Open Cloud inventory part: the operations under /cloud/ tagged Inventories, with the \
                 components they refer to"
                    .to_owned(),
            ),
            Scope::LegacyInventory { version } => Some(format!(
                "its legacy inventory part under {version}: the operations served by {LEGACY_HOST}, with the \
                 components they refer to"
            )),
        }
    }

    /// The part of `document` in scope.
    pub fn apply(self, document: &Value) -> Value {
        match self {
            Scope::Whole => document.clone(),
            Scope::OpenCloudInventory => open_cloud_inventory(document),
            Scope::LegacyInventory { version } => legacy_inventory(document, version),
        }
    }
}

/// The host of the legacy inventory API, as the docs source names it in an operation's `servers`.
const LEGACY_HOST: &str = "https://inventory.roblox.com";

fn legacy_inventory(document: &Value, version: &str) -> Value {
    let served_by_legacy_host = |servers: Option<&Value>| {
        servers
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|server| server.get("url").and_then(Value::as_str))
            .any(|url| url.trim_end_matches('/') == LEGACY_HOST)
    };
    let document_wide = served_by_legacy_host(document.get("servers"));
    let mut paths = Map::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !path.starts_with(version) {
            continue;
        }
        let Some(item) = item.as_object() else {
            continue;
        };
        let item_wide = document_wide || served_by_legacy_host(item.get("servers"));
        let operations: Map<String, Value> = item
            .iter()
            .filter(|(method, operation)| {
                HTTP_METHODS.contains(&method.as_str())
                    && (item_wide || served_by_legacy_host(operation.get("servers")))
            })
            .map(|(method, operation)| (method.clone(), operation.clone()))
            .collect();
        if !operations.is_empty() {
            let mut kept = operations;
            if let Some(parameters) = item.get("parameters") {
                kept.insert("parameters".to_owned(), parameters.clone());
            }
            paths.insert(path.clone(), Value::Object(kept));
        }
    }
    // The document-wide servers are Open Cloud's: the legacy part keeps its own, on its operations.
    extract(document, &["openapi"], paths)
}

const LIST_INVENTORY_ITEMS: &str = "/cloud/v2/users/{user_id}/inventory-items";

fn open_cloud_inventory(document: &Value) -> Value {
    let mut paths = Map::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let tagged = item.as_object().into_iter().flatten().any(|(method, op)| {
            HTTP_METHODS.contains(&method.as_str())
                && op
                    .get("tags")
                    .and_then(Value::as_array)
                    .is_some_and(|tags| tags.iter().any(|tag| tag == "Inventories"))
        });
        if path == LIST_INVENTORY_ITEMS || (path.starts_with("/cloud/") && tagged) {
            paths.insert(path.clone(), item.clone());
        }
    }
    extract(document, &["openapi", "servers"], paths)
}

/// A part of `document`: its top-level `keys`, `paths`, and the components they refer to, verbatim.
fn extract(document: &Value, keys: &[&str], paths: Map<String, Value>) -> Value {
    let mut extract = Map::new();
    for key in keys {
        if let Some(value) = document.get(*key) {
            extract.insert((*key).to_owned(), value.clone());
        }
    }
    let paths = Value::Object(paths);
    let components = referenced_components(document, &paths);
    extract.insert("paths".to_owned(), paths);
    if !components.is_empty() {
        extract.insert("components".to_owned(), Value::Object(components));
    }
    Value::Object(extract)
}

/// Every component `root` refers to, directly or through other components, by kind (`schemas`, ...); and the
/// security schemes its operations name.
fn referenced_components(document: &Value, root: &Value) -> Map<String, Value> {
    let mut components: Map<String, Value> = Map::new();
    let mut seen = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(root, &mut pending);
    for scheme in security_names(root) {
        pending.push(format!("#/components/securitySchemes/{scheme}"));
    }
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some(rest) = reference.strip_prefix("#/components/") else {
            continue;
        };
        let Some((kind, name)) = rest.split_once('/') else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let Some(target) = document
            .get("components")
            .and_then(|components| components.get(kind))
            .and_then(|kind| kind.get(&name))
        else {
            continue;
        };
        collect_refs(target, &mut pending);
        components
            .entry(kind.to_owned())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("a kind of component is an object")
            .insert(name, target.clone());
    }
    components
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                out.push(reference.to_owned());
            }
            map.values().for_each(|value| collect_refs(value, out));
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

/// The security schemes the operations of `paths` name in their `security`.
fn security_names(paths: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for item in paths
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, item)| item)
    {
        for (_, operation) in item.as_object().into_iter().flatten() {
            for requirement in operation
                .get("security")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                names.extend(
                    requirement
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(n, _)| n.clone()),
                );
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_inventory_part_keeps_its_operations_and_what_they_refer_to() {
        let document = json!({
            "openapi": "3.0.4",
            "info": {"title": "Roblox API", "version": "1.0.0"},
            "servers": [{"url": "https://apis.roblox.com"}],
            "paths": {
                "/cloud/v2/users/{user_id}/inventory-items": {"get": {
                    "tags": ["Users"],
                    "security": [{"roblox-api-key": []}],
                    "responses": {"200": {"content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/ListInventoryItemsResponse"}}}}}
                }},
                "/cloud/v2/users/{user_id}/inventory-items:batch": {"post": {"tags": ["Inventories"]}},
                "/cloud/v2/universes/{universe_id}": {"get": {"tags": ["Universes"],
                    "responses": {"200": {"content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/Universe"}}}}}}},
                "/v1/users/{userId}/categories": {"get": {"tags": ["Inventories"]}}
            },
            "components": {
                "schemas": {
                    "ListInventoryItemsResponse": {"properties": {"inventoryItems": {"type": "array",
                        "items": {"$ref": "#/components/schemas/InventoryItem"}}}},
                    "InventoryItem": {"properties": {"path": {"type": "string"}}},
                    "Universe": {"properties": {}}
                },
                "securitySchemes": {"roblox-api-key": {"type": "apiKey"}, "other": {"type": "apiKey"}}
            }
        });
        let extract = Scope::OpenCloudInventory.apply(&document);
        let paths: Vec<&String> = extract["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            paths,
            [
                "/cloud/v2/users/{user_id}/inventory-items",
                "/cloud/v2/users/{user_id}/inventory-items:batch"
            ]
        );
        let schemas: Vec<&String> = extract["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["InventoryItem", "ListInventoryItemsResponse"]);
        assert_eq!(
            extract["components"]["securitySchemes"],
            json!({"roblox-api-key": {"type": "apiKey"}})
        );
        assert!(extract.get("info").is_none());
        assert_eq!(Scope::Whole.apply(&document), document);
    }

    #[test]
    fn the_legacy_part_keeps_one_version_of_the_legacy_host_s_operations() {
        let document = json!({
            "openapi": "3.0.4",
            "servers": [{"url": "https://apis.roblox.com"}],
            "paths": {
                "/v1/users/{userId}/categories": {"get": {
                    "servers": [{"url": "https://inventory.roblox.com"}],
                    "responses": {"200": {"content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/Roblox.Inventory.Api.Models.CategoriesModel"}}}}}
                }},
                "/v2/users/{userId}/inventory": {"get": {"servers": [{"url": "https://inventory.roblox.com/"}]}},
                "/v1/groups/{groupId}": {"get": {"servers": [{"url": "https://groups.roblox.com"}]}},
                "/cloud/v2/users/{user_id}/inventory-items": {"get": {"tags": ["Inventories"]}}
            },
            "components": {"schemas": {
                "Roblox.Inventory.Api.Models.CategoriesModel": {"properties": {}},
                "Roblox.Groups.Api.GroupModel": {"properties": {}}
            }}
        });
        let v1 = Scope::LegacyInventory { version: "/v1/" }.apply(&document);
        assert_eq!(
            v1["paths"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["/v1/users/{userId}/categories"]
        );
        assert_eq!(
            v1["components"]["schemas"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["Roblox.Inventory.Api.Models.CategoriesModel"]
        );
        let v2 = Scope::LegacyInventory { version: "/v2/" }.apply(&document);
        assert_eq!(
            v2["paths"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["/v2/users/{userId}/inventory"]
        );
        assert!(v2.get("components").is_none());
    }
}
