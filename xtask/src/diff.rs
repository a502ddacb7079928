//! `cargo xtask diff`: what a spec edit changes for users of the generated crates, each change classed as
//! breaking or not.
//!
//! Written here rather than on oxidecomputer/drift: drift classifies changes for the wire (what an old client
//! can still talk to), while users of these crates need to know what breaks their *Rust code*: a new enum
//! value is harmless here only because the generated enums are open and `#[non_exhaustive]`, and a removed
//! optional response field breaks compilation though not the wire. Both summaries come from
//! [`crate::summary`], so the changelog names the same things the model snapshots show.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::Value;

use crate::specs::{Family, Spec, parse_yaml};
use crate::summary::{
    FieldSummary, ModelSummary, OperationSummary, ParameterSummary, SpecSummary, summarize,
};

/// One change between two summaries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Whether code that compiled against the old crate may stop compiling or decoding.
    pub breaking: bool,
    /// What changed: `operation listFoo`, `model Foo field bar`, `enum AssetType`.
    pub subject: String,
    /// How: `added`, `removed`, `type integer(int32) -> string`, `value 95 Foo added`.
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.breaking { "BREAKING" } else { "ok" };
        write!(f, "{class:<9}{}: {}", self.subject, self.detail)
    }
}

/// Every change from `old` to `new`, operations first, then models, each sorted by name.
pub fn diff(old: &SpecSummary, new: &SpecSummary) -> Vec<Change> {
    let mut changes = Vec::new();
    compare_maps(&old.operations, &new.operations, |name, old, new| {
        let subject = format!("operation {name}");
        match (old, new) {
            (None, Some(new)) => {
                changes.push(change(false, &subject, format!("added ({})", new.request)))
            }
            (Some(old), None) => {
                changes.push(change(true, &subject, format!("removed ({})", old.request)))
            }
            (Some(old), Some(new)) => diff_operation(&mut changes, &subject, old, new),
            (None, None) => {}
        }
    });
    compare_maps(&old.models, &new.models, |name, old, new| {
        match (old, new) {
            (None, Some(_)) => {
                changes.push(change(false, &format!("model {name}"), "added".into()))
            }
            (Some(_), None) => {
                changes.push(change(true, &format!("model {name}"), "removed".into()))
            }
            (Some(old), Some(new)) => diff_model(&mut changes, name, old, new),
            (None, None) => {}
        }
    });
    changes
}

fn change(breaking: bool, subject: &str, detail: String) -> Change {
    Change {
        breaking,
        subject: subject.to_owned(),
        detail,
    }
}

/// Calls `f` for every key of either map, in order, with the value on each side.
fn compare_maps<V>(
    old: &BTreeMap<String, V>,
    new: &BTreeMap<String, V>,
    mut f: impl FnMut(&str, Option<&V>, Option<&V>),
) {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        f(key, old.get(key), new.get(key));
    }
}

fn diff_operation(
    changes: &mut Vec<Change>,
    subject: &str,
    old: &OperationSummary,
    new: &OperationSummary,
) {
    if old.request != new.request {
        changes.push(change(
            true,
            subject,
            format!("request {} -> {}", old.request, new.request),
        ));
    }
    compare_maps(&old.parameters, &new.parameters, |name, old, new| {
        let subject = format!("{subject} parameter {name}");
        match (old, new) {
            (None, Some(new)) => {
                changes.push(change(new.required, &subject, format!("added ({new})")))
            }
            (Some(old), None) => changes.push(change(true, &subject, format!("removed ({old})"))),
            (Some(old), Some(new)) => diff_parameter(changes, &subject, old, new),
            (None, None) => {}
        }
    });
    if old.success != new.success {
        changes.push(change(
            true,
            subject,
            format!("success type {} -> {}", old.success, new.success),
        ));
    }
    if old.paging != new.paging {
        let describe =
            |paging: &Option<String>| paging.clone().unwrap_or_else(|| "none".to_owned());
        // Paging that appears only adds `scan` / `stream`; any other change alters what they send.
        changes.push(change(
            old.paging.is_some(),
            subject,
            format!(
                "paging {} -> {}",
                describe(&old.paging),
                describe(&new.paging)
            ),
        ));
    }
    compare_maps(&old.errors, &new.errors, |status, old, new| {
        let subject = format!("{subject} error {status}");
        match (old, new) {
            // A newly documented status turns an `UnexpectedResponse` into an `ErrorResponse`: same type.
            (None, Some(new)) => changes.push(change(false, &subject, format!("added ({new})"))),
            (Some(old), None) => changes.push(change(false, &subject, format!("removed ({old})"))),
            (Some(old), Some(new)) if old != new => {
                changes.push(change(true, &subject, format!("type {old} -> {new}")))
            }
            _ => {}
        }
    });
}

fn diff_parameter(
    changes: &mut Vec<Change>,
    subject: &str,
    old: &ParameterSummary,
    new: &ParameterSummary,
) {
    if old.location != new.location {
        changes.push(change(
            true,
            subject,
            format!("moved from {} to {}", old.location, new.location),
        ));
    }
    if old.type_name != new.type_name {
        changes.push(change(
            true,
            subject,
            format!("type {} -> {}", old.type_name, new.type_name),
        ));
    }
    match (old.required, new.required) {
        (false, true) => changes.push(change(true, subject, "now required".into())),
        (true, false) => changes.push(change(false, subject, "now optional".into())),
        _ => {}
    }
}

fn diff_model(changes: &mut Vec<Change>, name: &str, old: &ModelSummary, new: &ModelSummary) {
    match (old, new) {
        (ModelSummary::Object(old), ModelSummary::Object(new)) => {
            compare_maps(old, new, |field, old, new| {
                let subject = format!("model {name} field {field}");
                match (old, new) {
                    (None, Some(new)) => {
                        changes.push(change(new.required, &subject, format!("added ({new})")))
                    }
                    (Some(old), None) => {
                        changes.push(change(true, &subject, format!("removed ({old})")))
                    }
                    (Some(old), Some(new)) => diff_field(changes, &subject, old, new),
                    (None, None) => {}
                }
            });
        }
        (ModelSummary::Enum(old), ModelSummary::Enum(new)) => {
            let subject = format!("enum {name}");
            for value in new.iter().filter(|value| !old.contains(value)) {
                // Open, non-exhaustive enums: code matching the old values still compiles and decodes.
                changes.push(change(false, &subject, format!("value {value} added")));
            }
            for value in old.iter().filter(|value| !new.contains(value)) {
                changes.push(change(true, &subject, format!("value {value} removed")));
            }
        }
        (ModelSummary::Alias(old), ModelSummary::Alias(new)) if old == new => {}
        (old, new) => changes.push(change(
            true,
            &format!("model {name}"),
            format!("{} -> {}", kind(old), kind(new)),
        )),
    }
}

fn kind(model: &ModelSummary) -> String {
    match model {
        ModelSummary::Object(_) => "object".to_owned(),
        ModelSummary::Enum(_) => "enum".to_owned(),
        ModelSummary::Alias(type_name) => type_name.clone(),
    }
}

fn diff_field(changes: &mut Vec<Change>, subject: &str, old: &FieldSummary, new: &FieldSummary) {
    if old.type_name != new.type_name {
        changes.push(change(
            true,
            subject,
            format!("type {} -> {}", old.type_name, new.type_name),
        ));
    }
    // A field is an `Option` unless required and not nullable; changing that changes its Rust type.
    let is_option = |field: &FieldSummary| !field.required || field.nullable;
    if old.required != new.required || old.nullable != new.nullable {
        changes.push(change(
            is_option(old) != is_option(new),
            subject,
            format!("{old} -> {new}"),
        ));
    }
}

/// The spec as it is at `base`: a readable file, or a git revision (`None` when the spec did not exist there).
pub fn load_base(root: &Path, spec: &Spec, base: &str) -> anyhow::Result<Option<Value>> {
    let as_file = Path::new(base);
    if as_file.is_file() {
        let text = std::fs::read_to_string(as_file).with_context(|| format!("reading {base}"))?;
        return parse_yaml(&text)
            .map(Some)
            .with_context(|| format!("parsing {base}"));
    }
    let object = format!(
        "{base}:{}",
        spec.spec_path().display().to_string().replace('\\', "/")
    );
    let output = Command::new("git")
        .current_dir(root)
        .args(["show", &object])
        .output()
        .context("running git (is it installed?)")?;
    if output.status.success() {
        let text =
            String::from_utf8(output.stdout).with_context(|| format!("{object} is not UTF-8"))?;
        return parse_yaml(&text)
            .map(Some)
            .with_context(|| format!("parsing {object}"));
    }
    let message = String::from_utf8_lossy(&output.stderr);
    if message.contains("does not exist in") || message.contains("exists on disk, but not in") {
        return Ok(None);
    }
    bail!(
        "{base} is neither a file nor a git revision with {object}: {}",
        message.trim()
    )
}

/// The changes of each spec against `base`, in the order of `specs`.
pub fn changes_since(
    root: &Path,
    specs: &[Spec],
    base: &str,
) -> anyhow::Result<Vec<(Spec, Vec<Change>)>> {
    let mut all = Vec::new();
    for spec in specs {
        let old = match load_base(root, spec, base)? {
            Some(document) => {
                summarize(&document).with_context(|| format!("{} at {base}", spec.name))?
            }
            None => SpecSummary::default(),
        };
        let new = summarize(&spec.load(root)?).with_context(|| spec.name.to_owned())?;
        all.push((*spec, diff(&old, &new)));
    }
    Ok(all)
}

/// The changes of each spec against `base`, as text or JSON.
pub fn changelog(root: &Path, specs: &[Spec], base: &str, json: bool) -> anyhow::Result<String> {
    let all: BTreeMap<&str, Vec<Change>> = changes_since(root, specs, base)?
        .into_iter()
        .map(|(spec, changes)| (spec.name, changes))
        .collect();
    if json {
        return Ok(serde_json::to_string_pretty(&all)? + "\n");
    }
    let mut text = String::new();
    for (name, changes) in &all {
        let breaking = changes.iter().filter(|change| change.breaking).count();
        match changes.len() {
            0 => text.push_str(&format!("spec/{name}.yaml against {base}: no changes\n")),
            count => {
                text.push_str(&format!(
                    "spec/{name}.yaml against {base}: {count} change(s), {breaking} breaking\n"
                ));
                for change in changes {
                    text.push_str(&format!("  {change}\n"));
                }
            }
        }
    }
    Ok(text)
}

/// The changes of each spec against `base` as an entry for CHANGELOG.md (`cargo xtask diff --markdown`).
pub fn changelog_markdown(root: &Path, specs: &[Spec], base: &str) -> anyhow::Result<String> {
    let all = changes_since(root, specs, base)?;
    Ok(markdown(&all, &shared_models(root, specs)?, base))
}

/// The schemas shared by the family of each of `specs`, as they are now, mapped to the family's crate, where
/// they are generated once.
fn shared_models(root: &Path, specs: &[Spec]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut shared = BTreeMap::new();
    for family in Family::all()
        .iter()
        .filter(|family| family.members.iter().any(|member| specs.contains(member)))
    {
        let crate_dir = family.crate_dir();
        let crate_name = crate_dir
            .file_name()
            .and_then(|name| name.to_str())
            .with_context(|| format!("{} names no crate", crate_dir.display()))?;
        for name in family.shared_schemas(root)?.into_keys() {
            shared.insert(name, crate_name.to_owned());
        }
    }
    Ok(shared)
}

/// A changelog entry: `## Unreleased`, then the breaking changes, then the others, each line naming the crate
/// whose API changes. `shared` maps the name of a model generated into a family's crate to that crate, so that a
/// change both legacy specs make to one shared model is listed once, under `roblox-inventory-legacy-types`.
pub fn markdown(
    changes: &[(Spec, Vec<Change>)],
    shared: &BTreeMap<String, String>,
    base: &str,
) -> String {
    let mut lines: Vec<(bool, String)> = Vec::new();
    for (spec, changes) in changes {
        for change in changes {
            let model = change
                .subject
                .strip_prefix("model ")
                .or_else(|| change.subject.strip_prefix("enum "))
                .and_then(|rest| rest.split(' ').next());
            let crate_name = model
                .and_then(|model| shared.get(model))
                .cloned()
                .unwrap_or_else(|| format!("roblox-inventory-{}", spec.name));
            let line = format!("- {crate_name}: `{}`: {}", change.subject, change.detail);
            if !lines.contains(&(change.breaking, line.clone())) {
                lines.push((change.breaking, line));
            }
        }
    }
    let mut text = String::from("## Unreleased\n\n");
    if lines.is_empty() {
        text.push_str(&format!(
            "No changes to the generated crates' API since `{base}`.\n"
        ));
        return text;
    }
    text.push_str(&format!(
        "Changes to the generated crates' API since `{base}` (`cargo xtask diff --markdown`).\n"
    ));
    for (breaking, title) in [(true, "Breaking changes"), (false, "Other changes")] {
        let section: Vec<&str> = lines
            .iter()
            .filter(|(is_breaking, _)| *is_breaking == breaking)
            .map(|(_, line)| line.as_str())
            .collect();
        if section.is_empty() {
            continue;
        }
        text.push_str(&format!("\n### {title}\n\n"));
        for line in section {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}
