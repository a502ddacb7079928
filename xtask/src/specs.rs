//! Which specs exist, where their generated code goes, and how a spec file is read.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

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

    /// The spec a command-line argument names: its name (`legacy-v1`), or its file (`spec/legacy-v1.yaml`),
    /// relative to the current folder or to `root`, or absolute. A file that is not one of the specs under `root`
    /// (a copy elsewhere, say) is an error: the commands read the spec under `root`, not the file given.
    pub fn resolve(argument: &str, root: &Path) -> anyhow::Result<Spec> {
        if let Ok(spec) = Spec::named(argument) {
            return Ok(spec);
        }
        let looks_like_a_path = argument.contains(['/', '\\'])
            || argument.ends_with(".yaml")
            || argument.ends_with(".yml");
        if !looks_like_a_path {
            return Spec::named(argument);
        }
        let given = Path::new(argument);
        let candidates = [given.to_path_buf(), root.join(given)];
        let Some(found) = candidates
            .iter()
            .find_map(|candidate| candidate.canonicalize().ok())
        else {
            bail!(
                "no spec file {argument}; expected one of: {}",
                Spec::choices()
            );
        };
        ALL.iter()
            .copied()
            .find(|spec| {
                root.join(spec.spec_path())
                    .canonicalize()
                    .is_ok_and(|path| path == found)
            })
            .with_context(|| {
                format!(
                    "{argument} is not one of the specs under {}; expected one of: {}",
                    root.display(),
                    Spec::choices()
                )
            })
    }

    /// `legacy-v1, legacy-v2, cloud-v2 (or spec/NAME.yaml)`: what an argument naming a spec may be.
    fn choices() -> String {
        format!(
            "{} (or their files, spec/NAME.yaml)",
            ALL.map(|spec| spec.name).join(", ")
        )
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

/// Specs whose component schemas of the same name are one type: Roblox defines them in each API's document, and
/// the generator emits them once, into a crate of their own that the family's crates share, so that a type such
/// as `AssetType` has one definition and needs no converter between crates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Family {
    /// `legacy`: the crate is `crates/roblox-inventory-legacy-types`.
    pub name: &'static str,
    /// The specs of the family.
    pub members: &'static [Spec],
}

const FAMILIES: [Family; 1] = [Family {
    name: "legacy",
    members: &[Spec { name: "legacy-v1" }, Spec { name: "legacy-v2" }],
}];

impl Family {
    /// Every family.
    pub fn all() -> &'static [Family] {
        &FAMILIES
    }

    /// The family `spec` belongs to, if any.
    pub fn of(spec: &Spec) -> Option<&'static Family> {
        FAMILIES.iter().find(|family| family.members.contains(spec))
    }

    /// The shared crate's folder, relative to the workspace root.
    pub fn crate_dir(&self) -> PathBuf {
        Path::new("crates").join(format!("roblox-inventory-{}-types", self.name))
    }

    /// The shared crate's name in Rust paths: `roblox_inventory_legacy_types`.
    pub fn rust_crate(&self) -> String {
        format!("roblox_inventory_{}_types", self.name)
    }

    /// The shared crate's generated file, relative to the workspace root.
    pub fn generated_path(&self) -> PathBuf {
        self.crate_dir().join("src").join("generated.rs")
    }

    /// The specs' paths, for the generated file's header: `spec/legacy-v1.yaml and spec/legacy-v2.yaml`.
    pub fn sources(&self) -> String {
        self.members
            .iter()
            .map(|spec| spec.spec_path().display().to_string().replace('\\', "/"))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// The schemas every member defines, by name, as the first member writes them. A schema that two members
    /// write differently is an error naming it: make the specs agree (they describe one Roblox type) or rename
    /// one of them.
    pub fn shared_schemas(&self, root: &Path) -> anyhow::Result<BTreeMap<String, Value>> {
        let documents = self
            .members
            .iter()
            .map(|spec| spec.load(root))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let schemas = |document: &Value| {
            document
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (first, rest) = documents.split_first().context("a family has members")?;
        let mut shared: BTreeMap<String, Value> = schemas(first).into_iter().collect();
        shared.retain(|name, _| {
            rest.iter()
                .all(|document| schemas(document).contains_key(name))
        });
        let mut differing = Vec::new();
        for (name, schema) in &shared {
            for (spec, document) in self.members.iter().zip(&documents).skip(1) {
                if schemas(document).get(name) != Some(schema) {
                    differing.push(format!(
                        "{name} ({} and {})",
                        self.members[0].name, spec.name
                    ));
                }
            }
        }
        if !differing.is_empty() {
            bail!(
                "the {} specs define these schemas differently; one Roblox type must read the same in each: {}",
                self.name,
                differing.join(", ")
            );
        }
        for (name, schema) in &shared {
            let text = schema.to_string();
            for reference in text.split("#/components/schemas/").skip(1) {
                let target: String = reference.chars().take_while(|c| *c != '"').collect();
                if !shared.contains_key(&target) {
                    bail!(
                        "the shared {} schema {name} refers to {target}, which not every {} spec defines",
                        self.name,
                        self.name
                    );
                }
            }
        }
        Ok(shared)
    }
}
