//! A small YAML writer for the fragments `cargo xtask drift` suggests: block style in the key order of our specs
//! (`name`, `in`, `description`, ..., `responses`), lists of scalars on one line, and strings quoted only where
//! YAML would read them as something else. Quoted strings are JSON strings, which YAML reads the same way.

use serde_json::Value;

/// Keys in the order our specs write them; any other key follows, alphabetically.
const KEY_ORDER: &[&str] = &[
    "name",
    "in",
    "summary",
    "description",
    "operationId",
    "x-roblox-name",
    "tags",
    "deprecated",
    "required",
    "nullable",
    "style",
    "explode",
    "type",
    "format",
    "enum",
    "default",
    "items",
    "properties",
    "allOf",
    "oneOf",
    "anyOf",
    "$ref",
    "schema",
    "parameters",
    "requestBody",
    "content",
    "responses",
];

/// Lines longer than this wrap, where a list of scalars allows it.
const WIDTH: usize = 110;

/// `value` as a YAML document without the `---`, ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut lines = Vec::new();
    match value {
        Value::Object(_) | Value::Array(_) if !is_empty_collection(value) => {
            block(value, 0, &mut lines)
        }
        other => lines.push(inline(other, 0, 0)),
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn is_empty_collection(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Whether `value` is written on the line of its key: a scalar, an empty collection, a list of scalars.
fn is_inline(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items
            .iter()
            .all(|item| !item.is_object() && !item.is_array()),
        _ => true,
    }
}

fn ordered_keys(map: &serde_json::Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|key| {
        let rank = KEY_ORDER
            .iter()
            .position(|known| known == key)
            .unwrap_or(KEY_ORDER.len());
        (rank, key.as_str())
    });
    keys
}

/// A mapping or a list in block style, each line indented by `indent` spaces.
fn block(value: &Value, indent: usize, lines: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for key in ordered_keys(map) {
                let child = &map[key];
                let key_text = scalar_string(key, false);
                if let Some(text_lines) = literal_lines(child) {
                    lines.push(format!("{pad}{key_text}: |-"));
                    push_literal(&text_lines, indent + 2, lines);
                } else if is_inline(child) {
                    let prefix = format!("{pad}{key_text}: ");
                    let text = inline(child, prefix.len(), indent);
                    lines.push(format!("{prefix}{text}"));
                } else {
                    lines.push(format!("{pad}{key_text}:"));
                    block(child, indent + 2, lines);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                if let Some(text_lines) = literal_lines(item) {
                    lines.push(format!("{pad}- |-"));
                    push_literal(&text_lines, indent + 2, lines);
                } else if is_inline(item) {
                    let prefix = format!("{pad}- ");
                    let text = inline(item, prefix.len(), indent);
                    lines.push(format!("{prefix}{text}"));
                } else {
                    // The item's block, one level deeper, with its first line's indent turned into `- `.
                    let first = lines.len();
                    block(item, indent + 2, lines);
                    if let Some(line) = lines.get_mut(first) {
                        *line = format!("{pad}- {}", &line[indent + 2..]);
                    }
                }
            }
        }
        other => lines.push(format!("{pad}{}", inline(other, indent, indent))),
    }
}

/// The lines of a string written as a literal block (`|-`): one with line breaks, no trailing one, and nothing
/// a literal block cannot hold (other control characters, a first line starting with a space).
fn literal_lines(value: &Value) -> Option<Vec<&str>> {
    let text = value.as_str()?;
    let fits = text.contains('\n')
        && !text.ends_with('\n')
        && !text.starts_with([' ', '\n'])
        && !text.chars().any(|c| c.is_control() && c != '\n');
    fits.then(|| text.split('\n').collect())
}

fn push_literal(text_lines: &[&str], indent: usize, lines: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    for line in text_lines {
        lines.push(if line.is_empty() {
            String::new()
        } else {
            format!("{pad}{line}")
        });
    }
}

/// A scalar, an empty collection or a list of scalars (`[1, 2, 3]`), written where `column` characters of its
/// line are already taken, on the line of a key (or `- `) indented by `indent`: a long list continues on lines
/// indented past the key.
fn inline(value: &Value, column: usize, indent: usize) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(value) => value.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => scalar_string(text, false),
        Value::Object(_) => "{}".to_owned(),
        Value::Array(items) => {
            let continuation = " ".repeat(indent + 2);
            let mut text = String::from("[");
            let mut width = column + 1;
            for (index, item) in items.iter().enumerate() {
                let mut item_text = match item {
                    Value::String(text) => scalar_string(text, true),
                    other => inline(other, 0, 0),
                };
                if index + 1 < items.len() {
                    item_text.push(',');
                }
                if index > 0 {
                    if width + 1 + item_text.len() > WIDTH {
                        text.push('\n');
                        text.push_str(&continuation);
                        width = continuation.len();
                    } else {
                        text.push(' ');
                        width += 1;
                    }
                }
                width += item_text.len();
                text.push_str(&item_text);
            }
            text.push(']');
            text
        }
    }
}

/// A string as a plain YAML scalar where that reads back as the same string, else as a JSON string.
fn scalar_string(text: &str, in_flow: bool) -> String {
    if is_plain(text, in_flow) {
        text.to_owned()
    } else {
        serde_json::to_string(text).expect("a string serializes")
    }
}

fn is_plain(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let allowed = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '_' | '.' | '/' | '(' | ')' | '\'' | '-' | '$' | '=' | '+' | ';'
            )
            || (!in_flow && matches!(c, '{' | '}' | ','))
    };
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    (first.is_alphabetic() || matches!(first, '/' | '_' | '$' | '('))
        && !text.ends_with(' ')
        && text.chars().all(allowed)
        && !reserved.contains(&text.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_it_writes_reads_back_the_same() {
        let value = json!({
            "/v1/users/{userId}/things": {"get": {
                "summary": "Gets a user's things.\r\nNote: 'Hat' = 8, # not a comment",
                "description": "Two lines:\n  - the second indented\n\nand a third after a blank one",
                "operationId": "TODO",
                "parameters": [
                    {"name": "userId", "in": "path", "required": true,
                     "schema": {"type": "integer", "format": "int64"}},
                    {"name": "kinds", "in": "query",
                     "schema": {"type": "array", "items": {"enum": (1..=90).collect::<Vec<_>>()}}}
                ],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/ThingPage"}}}}},
                "tags": ["a, b", "yes", "1.5", "", "-x", "[x]"],
                "x-empty": {}, "x-none": [], "x-null": null, "x-nested": [[1, 2], [{"a": "b"}]]
            }}
        });
        let text = to_yaml(&value);
        assert_eq!(crate::specs::parse_yaml(&text).unwrap(), value, "{text}");
        assert!(
            text.starts_with("/v1/users/{userId}/things:\n  get:\n    summary: "),
            "{text}"
        );
        assert!(
            text.contains("\n      - name: userId\n        in: path\n"),
            "{text}"
        );
        assert!(
            text.contains("$ref: \"#/components/schemas/ThingPage\""),
            "{text}"
        );
        assert!(
            text.contains("    description: |-\n      Two lines:\n        - the second"),
            "{text}"
        );
        assert!(text.lines().all(|line| line.len() <= WIDTH + 10), "{text}");
    }
}
