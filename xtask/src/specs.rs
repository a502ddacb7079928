//! Which specs exist, where their generated code goes, and how a spec file is read.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::Value;

/// One hand-maintained spec and the crate generated from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// `legacy-v1`, `legacy-v2` or `cloud-v2`: `spec/NAME.yaml` becomes `crates/roblox-inventory-NAME`.
    pub name: &'static str,
}

const ALL: [Spec; 3] = [
    Spec { name: "legacy-v1" },
    Spec { name: "legacy-v2" },
    Spec { name: "cloud-v2" },
];

impl Spec {
    /// Every spec, in a fixed order.
    pub fn all() -> &'static [Spec] {
        &ALL
    }

    /// The spec called `name`, or an error listing the known names.
    pub fn named(name: &str) -> anyhow::Result<Spec> {
        match ALL.iter().find(|spec| spec.name == name) {
            Some(spec) => Ok(*spec),
            None => bail!(
                "unknown spec {name:?}; expected one of: {}",
                ALL.map(|spec| spec.name).join(", ")
            ),
        }
    }

    /// `spec/NAME.yaml`, relative to the workspace root.
    pub fn spec_path(&self) -> PathBuf {
        Path::new("spec").join(format!("{}.yaml", self.name))
    }

    /// The generated crate's folder, relative to the workspace root.
    pub fn crate_dir(&self) -> PathBuf {
        Path::new("crates").join(format!("roblox-inventory-{}", self.name))
    }

    /// The generated file, relative to the workspace root.
    pub fn generated_path(&self) -> PathBuf {
        self.crate_dir().join("src").join("generated.rs")
    }

    /// Reads the spec as JSON.
    pub fn load(&self, root: &Path) -> anyhow::Result<Value> {
        let path = root.join(self.spec_path());
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        parse_yaml(&text).with_context(|| format!("parsing {}", path.display()))
    }
}

/// Parses YAML into JSON, turning non-string keys (such as unquoted status codes) into strings.
pub fn parse_yaml(text: &str) -> anyhow::Result<Value> {
    let yaml: serde_norway::Value = serde_norway::from_str(text)?;
    yaml_to_json(yaml)
}

fn yaml_to_json(yaml: serde_norway::Value) -> anyhow::Result<Value> {
    use serde_norway::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(value) => Value::Bool(value),
        Yaml::Number(number) => serde_json::to_value(number)?,
        Yaml::String(value) => Value::String(value),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<anyhow::Result<_>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = serde_json::Map::new();
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(key) => key,
                    Yaml::Number(number) => number.to_string(),
                    Yaml::Bool(value) => value.to_string(),
                    other => bail!("unsupported mapping key {other:?}"),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => bail!("YAML tags are not supported ({})", tagged.tag),
    })
}
