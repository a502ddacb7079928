//! `cargo xtask regen [--check]`: writes, or compares, every generated file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::generate::{generate, generate_family};
use crate::specs::{Family, Spec};

/// Crates the generated code may use; each one it uses must be a dependency of its crate, and each one listed
/// as a dependency must be used.
const EXTERNAL_CRATES: [&str; 14] = [
    "bytes",
    "chrono",
    "futures",
    "progenitor_client",
    "regress",
    "reqwest",
    "roblox_inventory_core",
    "roblox_inventory_legacy_types",
    "schemars",
    "serde",
    "serde_json",
    "serde_urlencoded",
    "uuid",
    "base64",
];

/// Regenerates `specs`, and the shared crate of each family one of them belongs to. With `check`, writes nothing
/// and prints a diff for each stale file. Returns how many files were stale.
pub fn run(root: &Path, specs: &[Spec], check: bool) -> anyhow::Result<usize> {
    check_citations(root, specs)?;
    let mut stale = 0;
    for output in outputs(root, specs)? {
        let relative = &output.path;
        match (diff_against_checked_in(root, relative, &output.code), check) {
            (None, _) => eprintln!("{}: up to date", relative.display()),
            (Some(diff), true) => {
                stale += 1;
                print!("{diff}");
            }
            (Some(_), false) => {
                let path = root.join(relative);
                std::fs::write(&path, &output.code)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("{}: regenerated", relative.display());
            }
        }
    }
    Ok(stale)
}

/// Fails naming every `x-wire-note` citation the reference material cannot back, where that material is
/// present (beside the workspace, in the development environment only); says so when it is not.
fn check_citations(root: &Path, specs: &[Spec]) -> anyhow::Result<()> {
    let reference = root.join(REFERENCE);
    if !reference.is_dir() {
        eprintln!(
            "x-wire-note citations not checked: {} is not there",
            reference.display()
        );
        return Ok(());
    }
    let mut problems = Vec::new();
    for spec in specs {
        let document = spec.load(root)?;
        problems.extend(
            crate::citations::unresolved(&document, &reference)
                .into_iter()
                .map(|problem| format!("{}: {problem}", spec.spec_path().display())),
        );
    }
    if !problems.is_empty() {
        bail!(
            "x-wire-notes cite evidence that is not there:\n  - {}",
            problems.join("\n  - ")
        );
    }
    Ok(())
}

/// Where the reference material sits, relative to the workspace root, when it is there at all.
pub const REFERENCE: &str = "../shared/reference";

/// One generated file: where it goes and what it holds.
struct Output {
    path: PathBuf,
    code: String,
}

fn outputs(root: &Path, specs: &[Spec]) -> anyhow::Result<Vec<Output>> {
    let mut outputs = Vec::new();
    for spec in specs {
        outputs.push(Output {
            path: spec.generated_path(),
            code: generate_checked(root, spec)?,
        });
    }
    for family in Family::all() {
        if family.members.iter().any(|member| specs.contains(member)) {
            let code = generate_family(root, family)?;
            check_dependencies(root, &family.crate_dir(), &code)?;
            outputs.push(Output {
                path: family.generated_path(),
                code,
            });
        }
    }
    Ok(outputs)
}

/// A unified diff from the checked-in generated file to what `spec` generates now; `None` when they are equal.
pub fn stale_diff(root: &Path, spec: &Spec) -> anyhow::Result<Option<String>> {
    let code = generate_checked(root, spec)?;
    Ok(diff_against_checked_in(root, &spec.generated_path(), &code))
}

fn diff_against_checked_in(root: &Path, relative: &Path, code: &str) -> Option<String> {
    let existing = std::fs::read_to_string(root.join(relative)).unwrap_or_default();
    if existing == code {
        return None;
    }
    let shown = relative.display().to_string().replace('\\', "/");
    let diff = similar::TextDiff::from_lines(existing.as_str(), code)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown} (regenerated)"))
        .to_string();
    Some(diff)
}

fn generate_checked(root: &Path, spec: &Spec) -> anyhow::Result<String> {
    let code = generate(root, spec)?;
    check_dependencies(root, &spec.crate_dir(), &code)?;
    Ok(code)
}

/// The external crates `code` refers to by path.
pub fn crates_used(code: &str) -> BTreeSet<&'static str> {
    EXTERNAL_CRATES
        .into_iter()
        .filter(|name| {
            let pattern = format!("{name}::");
            code.match_indices(&pattern).any(|(at, _)| {
                let before = code[..at].chars().next_back();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .collect()
}

fn check_dependencies(root: &Path, crate_dir: &Path, code: &str) -> anyhow::Result<()> {
    let manifest_path = root.join(crate_dir).join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let declared = dependencies(&manifest);
    let used = crates_used(code);
    let missing: Vec<_> = used
        .iter()
        .filter(|name| !declared.contains(**name))
        .collect();
    let unused: Vec<_> = EXTERNAL_CRATES
        .iter()
        .filter(|name| declared.contains(**name) && !used.contains(**name))
        .collect();
    if !missing.is_empty() || !unused.is_empty() {
        bail!(
            "{}: [dependencies] must follow what src/generated.rs uses: missing {missing:?}, unused {unused:?}",
            manifest_path.display()
        );
    }
    Ok(())
}

/// Names in a manifest's `[dependencies]` table, with `-` written as `_`.
fn dependencies(manifest: &str) -> BTreeSet<String> {
    let mut in_table = false;
    let mut names = BTreeSet::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == "[dependencies]";
        } else if let Some((name, _)) = line.split_once(['=', '.']).filter(|_| in_table) {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                names.insert(name.replace('-', "_"));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_crates_by_path_only() {
        let used = crates_used("let a: ::serde_json::Value; my_reqwest::x(); reqwest::Client");
        assert_eq!(
            used.into_iter().collect::<Vec<_>>(),
            ["reqwest", "serde_json"]
        );
    }

    #[test]
    fn reads_dependency_names() {
        let manifest = "[package]\nname = \"x\"\n[dependencies]\nserde.workspace = true\nroblox-inventory-core = { path = \"a\" }\n[dev-dependencies]\ntokio = \"1\"\n";
        let names: Vec<_> = dependencies(manifest).into_iter().collect();
        assert_eq!(names, ["roblox_inventory_core", "serde"]);
    }
}
