//! `spec/upstream.lock`: what `cargo xtask drift` last recorded of each document Roblox publishes, and the hash
//! it records.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// What the lock file says at its top, for whoever opens it.
const ABOUT: &str = "Written by `cargo xtask drift --update-lock`, read by `cargo xtask drift`: each document Roblox \
publishes about a spec, as last recorded, by its key (`<spec>.swagger` for inventory.roblox.com's Swagger, \
`<spec>.creator-docs` for the part of the creator-docs source that concerns the spec). sha256 is the SHA-256 of \
the part's canonical JSON (object keys sorted, no whitespace; what Python's json.dumps(document, sort_keys=True, \
separators=(',', ':'), ensure_ascii=False) writes), so that key order and formatting are not drift: the whole \
Swagger; for cloud-v2 the Open Cloud inventory part of the docs source (the paths under /cloud/ tagged \
Inventories and the components they refer to); for the legacy specs the docs source's operations under their \
version that inventory.roblox.com serves, with the components they refer to. upstream/<key>.json beside this \
file is each part's digest tree, from which drift lists what changed. date is when it was recorded; source is \
where it was read. See the README, section \"When Roblox's docs change\".";

/// The lock: one entry per document, by its key (`legacy-v1.swagger`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    #[serde(default)]
    pub about: String,
    pub documents: BTreeMap<String, LockEntry>,
}

/// One document as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockEntry {
    /// SHA-256 of the canonical JSON ([`canonical_sha256`]), 64 lowercase hex digits.
    pub sha256: String,
    /// When it was recorded (`2026-06-30`; the seeded entries give the month of the snapshot).
    pub date: String,
    /// Where it was read: a URL, or what the recorded copy is.
    pub source: String,
}

impl Lock {
    /// Reads and checks the lock at `path`.
    pub fn read(path: &Path) -> anyhow::Result<Lock> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the lock {}", path.display()))?;
        let lock: Lock = serde_json::from_str(&text)
            .with_context(|| format!("parsing the lock {}", path.display()))?;
        for (spec, entry) in &lock.documents {
            let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
            if entry.sha256.len() != 64 || !entry.sha256.chars().all(hex) {
                bail!(
                    "the lock {} gives {spec} the sha256 {:?}, which is not 64 lowercase hex digits",
                    path.display(),
                    entry.sha256
                );
            }
        }
        Ok(lock)
    }

    /// Writes the lock to `path`, as pretty JSON.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let mut lock = self.clone();
        lock.about = ABOUT.to_owned();
        let text = serde_json::to_string_pretty(&lock)? + "\n";
        std::fs::write(path, text).with_context(|| format!("writing the lock {}", path.display()))
    }
}

/// SHA-256, as 64 lowercase hex digits, of `document` as canonical JSON: object keys sorted by their UTF-8 bytes,
/// no whitespace, strings escaped as serde_json escapes them.
pub fn canonical_sha256(document: &Value) -> String {
    let mut text = String::new();
    canonical(document, &mut text);
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (index, (key, value)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    date_of(i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// The UTC date `seconds` after 1970-01-01, `YYYY-MM-DD`.
fn date_of(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|instant| instant.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_hash_ignores_key_order_and_whitespace_only() {
        let a: Value =
            serde_json::from_str(r#"{"b": [1, {"y": "é", "x": null}], "a": true}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":true,"b":[1,{"x":null,"y":"é"}]}"#).unwrap();
        assert_eq!(canonical_sha256(&a), canonical_sha256(&b));
        assert_ne!(canonical_sha256(&a), canonical_sha256(&json!({"a": true})));
        // SHA-256 of `{}`, as `printf '{}' | sha256sum` prints it.
        assert_eq!(
            canonical_sha256(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(19_782 * 86_400), "2024-02-29");
        assert_eq!(date_of(20_637 * 86_400 + 86_399), "2026-07-03");
    }
}
