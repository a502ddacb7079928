//! The operations of a spec as the generator needs them: id, method, path and path parameters, and for a paged
//! operation its `x-pagination` mark, checked against the parameters and the response it names.
//!
//! ```yaml
//! x-pagination:
//!   cursor: cursor            # the query parameter that carries the cursor
//!   firstCursor: 0            # the cursor of the first page, when the cursor parameter is required
//!   nextCursor: nextPageCursor # the response field with the next page's cursor
//!   items: data               # the response field with the page's items
//!   pageSize: limit           # the query parameter of the page size
//!   maxPageSize: 100          # the largest page the operation allows
//! ```

use anyhow::bail;
use serde_json::Value;

use crate::walk::{HTTP_METHODS, escape};

/// One operation of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationDef {
    /// The `operationId`.
    pub id: String,
    /// The method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The path parameters, in the order the template names them.
    pub path_parameters: Vec<String>,
    /// How the operation pages, if it does.
    pub paging: Option<PagingDef>,
}

/// An operation's `x-pagination` mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagingDef {
    /// The query parameter that carries the cursor.
    pub cursor: String,
    /// Whether the cursor parameter is an integer (the places inventory's) rather than a string.
    pub integer_cursor: bool,
    /// The cursor of the first page, for an operation whose cursor parameter is required.
    pub first_cursor: Option<i64>,
    /// The response field with the next page's cursor.
    pub next_cursor: String,
    /// The response field with the page's items.
    pub items: String,
    /// The query parameter of the page size.
    pub page_size: String,
    /// The largest page the operation allows.
    pub max_page_size: i64,
}

impl OperationDef {
    /// The request builder progenitor generates: `listInventoryItems` -> `ListInventoryItems`.
    pub fn builder_name(&self) -> String {
        let mut chars = self.id.chars();
        chars
            .next()
            .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }

    /// The client method (and `OperationInfo::operation_id`) progenitor generates: `list_inventory_items`.
    pub fn method_name(&self) -> String {
        snake_case(&self.id)
    }

    /// The Rust constant of the operation table: `LIST_INVENTORY_ITEMS`.
    pub fn constant_name(&self) -> String {
        self.method_name().to_ascii_uppercase()
    }
}

/// `userId` -> `user_id`, `user_id` -> `user_id`, `maxPageSize` -> `max_page_size`: the names progenitor gives
/// parameters and fields.
pub fn snake_case(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else {
            snake.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    snake
}

/// Every operation of `spec`, in the document's order, with its pagination checked.
pub fn collect(spec: &Value) -> anyhow::Result<Vec<OperationDef>> {
    let mut operations = Vec::new();
    let mut problems = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !HTTP_METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let place = format!("{} {path} ({id})", method.to_uppercase());
            let paging = match operation.get("x-pagination") {
                None => None,
                Some(mark) => match paging(spec, operation, mark) {
                    Ok(paging) => Some(paging),
                    Err(why) => {
                        problems.push(format!("{place}: x-pagination: {why}"));
                        None
                    }
                },
            };
            operations.push(OperationDef {
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                path_parameters: template_parameters(path),
                paging,
            });
        }
    }
    if problems.is_empty() {
        Ok(operations)
    } else {
        bail!(problems.join("; "))
    }
}

fn template_parameters(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

fn paging(spec: &Value, operation: &Value, mark: &Value) -> Result<PagingDef, String> {
    let text = |key: &str| {
        mark.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("`{key}` must name a parameter or field"))
    };
    let cursor = text("cursor")?;
    let next_cursor = text("nextCursor")?;
    let items = text("items")?;
    let page_size = text("pageSize")?;
    let max_page_size = mark
        .get("maxPageSize")
        .and_then(Value::as_i64)
        .filter(|size| *size > 0)
        .ok_or("`maxPageSize` must be a positive integer")?;
    let first_cursor = match mark.get("firstCursor") {
        None => None,
        Some(value) => Some(value.as_i64().ok_or("`firstCursor` must be an integer")?),
    };

    let cursor_parameter = query_parameter(spec, operation, &cursor)?;
    let integer_cursor = match schema_type(spec, &cursor_parameter["schema"]).as_deref() {
        Some("string") => false,
        Some("integer") => true,
        other => {
            return Err(format!(
                "the cursor parameter `{cursor}` is of type {other:?}: expected a string or an integer"
            ));
        }
    };
    let required = cursor_parameter.get("required") == Some(&Value::Bool(true));
    match (required, first_cursor) {
        (true, None) => {
            return Err(format!(
                "the cursor parameter `{cursor}` is required, so `firstCursor` must say what the first page sends"
            ));
        }
        (false, Some(_)) => {
            return Err(format!(
                "`firstCursor` is for a required cursor parameter; `{cursor}` is optional and left out on the first page"
            ));
        }
        _ => {}
    }
    query_parameter(spec, operation, &page_size)?;

    let response = operation
        .pointer("/responses/200/content/application~1json/schema")
        .ok_or("the operation has no application/json 200 response")?;
    let model = resolve(spec, response);
    let property = |name: &str| {
        model
            .pointer(&format!("/properties/{}", escape(name)))
            .map(|schema| resolve(spec, schema))
            .ok_or_else(|| format!("the 200 response has no field `{name}`"))
    };
    if property(&items)?.get("type").and_then(Value::as_str) != Some("array") {
        return Err(format!("the response field `{items}` is not an array"));
    }
    if schema_type(spec, property(&next_cursor)?).as_deref() != Some("string") {
        return Err(format!(
            "the response field `{next_cursor}` is not a string"
        ));
    }
    Ok(PagingDef {
        cursor,
        integer_cursor,
        first_cursor,
        next_cursor,
        items,
        page_size,
        max_page_size,
    })
}

/// The query parameter `name` of `operation`, its `$ref` resolved.
fn query_parameter<'a>(
    spec: &'a Value,
    operation: &'a Value,
    name: &str,
) -> Result<&'a Value, String> {
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| resolve(spec, parameter))
        .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some(name))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("query"))
        .ok_or_else(|| format!("the operation has no query parameter `{name}`"))
}

/// A schema's `type`, looking through `$ref` and a one-element `allOf`.
fn schema_type(spec: &Value, schema: &Value) -> Option<String> {
    let schema = resolve(spec, schema);
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        return Some(kind.to_owned());
    }
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => schema_type(spec, only),
        _ => None,
    }
}

/// Follows a local `$ref` (`#/components/...`); anything else is returned as is.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| spec.pointer(pointer))
            .map_or(value, |target| resolve(spec, target)),
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(mark: Value, cursor: Value) -> Value {
        json!({
            "paths": {"/v2/users/{userId}/things/{thingId}": {"get": {
                "operationId": "listThings",
                "x-pagination": mark,
                "parameters": [
                    {"name": "userId", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"$ref": "#/components/parameters/Limit"},
                    cursor
                ],
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}
            }}},
            "components": {
                "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
                "schemas": {"Page": {"type": "object", "properties": {
                    "data": {"type": "array", "items": {"type": "string"}},
                    "nextPageCursor": {"type": "string", "nullable": true}
                }}}
            }
        })
    }

    fn mark() -> Value {
        json!({"cursor": "cursor", "nextCursor": "nextPageCursor", "items": "data", "pageSize": "limit", "maxPageSize": 100})
    }

    fn string_cursor() -> Value {
        json!({"name": "cursor", "in": "query", "schema": {"type": "string"}})
    }

    #[test]
    fn a_mark_becomes_the_operations_paging() {
        let operations = collect(&spec(mark(), string_cursor())).unwrap();
        assert_eq!(
            operations,
            [OperationDef {
                id: "listThings".into(),
                method: "GET".into(),
                path: "/v2/users/{userId}/things/{thingId}".into(),
                path_parameters: vec!["userId".into(), "thingId".into()],
                paging: Some(PagingDef {
                    cursor: "cursor".into(),
                    integer_cursor: false,
                    first_cursor: None,
                    next_cursor: "nextPageCursor".into(),
                    items: "data".into(),
                    page_size: "limit".into(),
                    max_page_size: 100,
                }),
            }]
        );
        assert_eq!(operations[0].builder_name(), "ListThings");
        assert_eq!(operations[0].method_name(), "list_things");
        assert_eq!(operations[0].constant_name(), "LIST_THINGS");
    }

    #[test]
    fn a_required_integer_cursor_needs_its_first_value() {
        let required = json!({"name": "cursor", "in": "query", "required": true, "schema": {"type": "integer"}});
        let error = collect(&spec(mark(), required.clone()))
            .unwrap_err()
            .to_string();
        assert!(error.contains("`firstCursor` must say"), "{error}");
        let mut with_first = mark();
        with_first["firstCursor"] = json!(0);
        let operations = collect(&spec(with_first, required)).unwrap();
        let paging = operations[0].paging.clone().unwrap();
        assert!(paging.integer_cursor);
        assert_eq!(paging.first_cursor, Some(0));
    }

    #[test]
    fn a_mark_naming_what_is_not_there_is_an_error_saying_where() {
        for (key, value, expected) in [
            ("cursor", "pageToken", "no query parameter `pageToken`"),
            ("pageSize", "userId", "no query parameter `userId`"),
            ("items", "entries", "no field `entries`"),
            (
                "items",
                "nextPageCursor",
                "`nextPageCursor` is not an array",
            ),
            ("nextCursor", "data", "`data` is not a string"),
        ] {
            let mut broken = mark();
            broken[key] = json!(value);
            let error = collect(&spec(broken, string_cursor()))
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with(
                    "GET /v2/users/{userId}/things/{thingId} (listThings): x-pagination: "
                ),
                "{error}"
            );
            assert!(error.contains(expected), "{key}: {error}");
        }
        let mut broken = mark();
        broken["maxPageSize"] = json!(0);
        assert!(collect(&spec(broken, string_cursor())).is_err());
    }

    #[test]
    fn names_follow_progenitors() {
        for (name, snake) in [
            ("userId", "user_id"),
            ("user_id", "user_id"),
            ("maxPageSize", "max_page_size"),
            ("assetTypeId", "asset_type_id"),
            ("pageToken", "page_token"),
        ] {
            assert_eq!(snake_case(name), snake);
        }
    }
}
