//! What changed in a document since the lock, as the JSON paths of the values that changed.
//!
//! The lock keeps, beside each document's hash, its digest tree (`spec/upstream/<document>.json`): the document's
//! shape with every value (a string, number, boolean or null) replaced by the first 12 hex digits of the SHA-256
//! of its JSON. It holds no text of Roblox's, but tells, value by value, whether a value is the one recorded: a
//! reworded description, a new `x-roblox-rate-limits` entry or a renamed model all show as the paths they
//! changed at, where the audit, which compares meaning, sees nothing.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::walk::{Step, readable_path};

/// The digest tree of `document`: its objects and arrays as they are, each other value as its digest.
pub fn tree(document: &Value) -> Value {
    match document {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| (key.clone(), tree(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(tree).collect()),
        leaf => Value::String(leaf_digest(leaf)),
    }
}

fn leaf_digest(leaf: &Value) -> String {
    let hash = Sha256::digest(leaf.to_string().as_bytes());
    hash.iter()
        .take(6)
        .fold(String::with_capacity(12), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Where the digest tree of the document `key` is kept, beside the lock `lock`: `upstream/<key>.json`.
pub fn path_of(lock: &Path, key: &str) -> PathBuf {
    lock.parent()
        .unwrap_or(Path::new("."))
        .join("upstream")
        .join(format!("{key}.json"))
}

/// The digest tree recorded for `key`, if the lock has one.
pub fn read(lock: &Path, key: &str) -> anyhow::Result<Option<Value>> {
    let path = path_of(lock, key);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))
            .map(Some),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// Writes `tree` as the digest tree of `key` beside the lock `lock`, one value a line (keys sorted), so that a
/// change shows in review as the lines of the paths it touched.
pub fn write(lock: &Path, key: &str, tree: &Value) -> anyhow::Result<()> {
    let path = path_of(lock, key);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut text = serde_json::to_string_pretty(tree)?;
    text.push('\n');
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

/// How a path changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Change {
    /// Only in the document read: everything under it is new.
    Added,
    /// Only in the one recorded.
    Removed,
    /// In both, with another value (or another kind of value: a text where an object was).
    Changed,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        })
    }
}

/// One path that changed since the lock, in `jq`'s notation: `.paths["/v1/users/{userId}/items"].get.summary`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Changed {
    pub path: String,
    pub change: Change,
}

/// Every path at which the digest trees `recorded` and `read` differ, outermost first: a subtree on one side
/// only is one path, not one per value under it.
pub fn changes(recorded: &Value, read: &Value) -> Vec<Changed> {
    let mut found = Vec::new();
    compare(recorded, read, &mut Vec::new(), &mut found);
    found
}

fn compare(recorded: &Value, read: &Value, at: &mut Vec<Step>, found: &mut Vec<Changed>) {
    match (recorded, read) {
        (Value::Object(old), Value::Object(new)) => {
            let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                at.push(Step::Key(key.clone()));
                compare_slot(old.get(key), new.get(key), at, found);
                at.pop();
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            for index in 0..old.len().max(new.len()) {
                at.push(Step::Index(index));
                compare_slot(old.get(index), new.get(index), at, found);
                at.pop();
            }
        }
        (old, new) if old != new => found.push(Changed {
            path: readable_path(at),
            change: Change::Changed,
        }),
        _ => {}
    }
}

/// A key or an index that may be on one side only.
fn compare_slot(
    recorded: Option<&Value>,
    read: Option<&Value>,
    at: &mut Vec<Step>,
    found: &mut Vec<Changed>,
) {
    let change = match (recorded, read) {
        (Some(old), Some(new)) => return compare(old, new, at, found),
        (Some(_), None) => Change::Removed,
        (None, Some(_)) => Change::Added,
        (None, None) => return,
    };
    found.push(Changed {
        path: readable_path(at),
        change,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_digest_tree_keeps_the_shape_and_none_of_the_text() {
        let document =
            json!({"paths": {"/v1/x": {"get": {"summary": "Gets x.", "tags": ["A"]}}}, "n": 1});
        let digests = tree(&document);
        let summary = digests["paths"]["/v1/x"]["get"]["summary"]
            .as_str()
            .unwrap();
        assert_eq!(summary.len(), 12);
        assert!(summary.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!digests.to_string().contains("Gets x."));
        assert_eq!(
            digests["paths"]["/v1/x"]["get"]["tags"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(tree(&document), digests, "the same document, the same tree");
    }

    #[test]
    fn changes_are_the_outermost_paths_that_differ() {
        let old = tree(&json!({
            "paths": {"/v1/x": {"get": {"summary": "Gets x.", "x-roblox-rate-limits": [{"limit": 10}]}}},
            "components": {"schemas": {"Old": {"type": "object"}}}
        }));
        let new = tree(&json!({
            "paths": {"/v1/x": {"get": {"summary": "Gets an x.", "x-roblox-rate-limits": [{"limit": 10}, {"limit": 5}]}}},
            "components": {"schemas": {"New": {"type": "object", "properties": {"a": {"type": "string"}}}}}
        }));
        let found: Vec<(String, Change)> = changes(&old, &new)
            .into_iter()
            .map(|changed| (changed.path, changed.change))
            .collect();
        assert_eq!(
            found,
            [
                (".components.schemas.New".to_owned(), Change::Added),
                (".components.schemas.Old".to_owned(), Change::Removed),
                (r#".paths["/v1/x"].get.summary"#.to_owned(), Change::Changed),
                (
                    r#".paths["/v1/x"].get["x-roblox-rate-limits"][1]"#.to_owned(),
                    Change::Added
                ),
            ]
        );
        assert_eq!(changes(&new, &new), []);
    }
}
