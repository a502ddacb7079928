//! The xtask binary as people run it: a usage or input error is one line on stderr and exit code 2, even with
//! RUST_BACKTRACE=1; `drift` exits 0 when nothing is new and 1 when something is.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use xtask::drift::{UPSTREAM, canonical_sha256};
use xtask::specs::Spec;

fn xtask(arguments: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(arguments)
        .env("RUST_BACKTRACE", "1")
        .env_remove("XTASK_UPSTREAM_BASE")
        .output()
        .expect("the xtask binary runs")
}

/// Exit code 2 and exactly one line on stderr; that line.
fn one_line_error(arguments: &[&str]) -> String {
    let output = xtask(arguments);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{arguments:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{arguments:?}: {stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn an_unknown_spec_is_one_line_without_a_backtrace() {
    assert_eq!(
        one_line_error(&["audit", "--upstream", "upstream.json", "foo"]),
        r#"xtask: unknown spec "foo"; expected one of: legacy-v1, legacy-v2, cloud-v2"#
    );
    assert_eq!(
        one_line_error(&["regen", "--check", "--only", "legacy-v9"]),
        r#"xtask: unknown spec "legacy-v9"; expected one of: legacy-v1, legacy-v2, cloud-v2"#
    );
}

#[test]
fn a_missing_upstream_file_is_one_line_naming_it() {
    // The spec by its file, as people type it; the upstream document does not exist.
    let line = one_line_error(&[
        "audit",
        "--upstream",
        "no-such-upstream.json",
        "spec/legacy-v1.yaml",
    ]);
    assert!(
        line.starts_with("xtask: reading no-such-upstream.json: "),
        "{line}"
    );
}

#[test]
fn a_usage_error_is_one_line_too() {
    let line = one_line_error(&["audit", "--no-such-flag"]);
    assert!(
        line.starts_with("xtask: unexpected argument '--no-such-flag' found"),
        "{line}"
    );
    let line = one_line_error(&["drift", "--from", "/no/such/folder"]);
    assert_eq!(line, "xtask: --from /no/such/folder: no such folder");
}

/// A folder of upstream documents made from our own specs, and a lock recording them: nothing is new. Each legacy
/// spec is its own Swagger; the docs source is the Open Cloud spec with the legacy specs' operations added, served
/// by inventory.roblox.com as the real one says.
fn our_specs_as_upstream(dir: &Path) -> Value {
    let root = xtask::workspace_root();
    let mut docs_source = Spec::named("cloud-v2").unwrap().load(&root).unwrap();
    for spec in Spec::all() {
        let document = spec.load(&root).unwrap();
        std::fs::write(
            dir.join(format!("{}.json", spec.name)),
            serde_json::to_string(&document).unwrap(),
        )
        .unwrap();
        if spec.name == "cloud-v2" {
            continue;
        }
        for (path, item) in document["paths"].as_object().unwrap() {
            let mut item = item.clone();
            for (_, operation) in item.as_object_mut().unwrap() {
                operation["servers"] = json!([{"url": "https://inventory.roblox.com"}]);
            }
            docs_source["paths"][path] = item;
        }
        for (kind, components) in document["components"].as_object().unwrap() {
            for (name, component) in components.as_object().unwrap() {
                docs_source["components"][kind][name] = component.clone();
            }
        }
    }
    std::fs::write(dir.join("cloud-v2.json"), docs_source.to_string()).unwrap();
    let mut documents = serde_json::Map::new();
    for upstream in UPSTREAM {
        let path = dir.join(format!("{}.json", upstream.file));
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        documents.insert(
            upstream.key.to_owned(),
            json!({"sha256": canonical_sha256(&upstream.scope.apply(&document)), "date": "2026-06-30",
                   "source": path.display().to_string()}),
        );
    }
    json!({"documents": documents})
}

#[test]
fn drift_exits_0_when_nothing_is_new_and_1_when_something_is() {
    let scratch = tempfile::tempdir().unwrap();
    let lock = scratch.path().join("upstream.lock");
    std::fs::write(&lock, our_specs_as_upstream(scratch.path()).to_string()).unwrap();
    let (dir, lock) = (scratch.path().to_str().unwrap(), lock.to_str().unwrap());

    let clean = xtask(&["drift", "--from", dir, "--lock", lock]);
    let report = String::from_utf8(clean.stdout).unwrap();
    assert_eq!(clean.status.code(), Some(0), "{report}");
    assert!(report.contains("nothing new"), "{report}");

    // Upstream adds an operation to legacy-v1.
    let path = scratch.path().join("legacy-v1.json");
    let mut document: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    document["paths"]["/v1/users/{userId}/inventory/{assetType}"] = json!({"get": {
        "summary": "Gets a list of assets by type for the specified user.",
        "parameters": [
            {"name": "userId", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}},
            {"name": "assetType", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}}
        ],
        "responses": {"200": {"description": "OK"}}
    }});
    std::fs::write(&path, document.to_string()).unwrap();

    let drifted = xtask(&["drift", "--from", dir, "--lock", lock, "legacy-v1"]);
    let report = String::from_utf8(drifted.stdout).unwrap();
    assert_eq!(drifted.status.code(), Some(1), "{report}");
    assert!(
        report
            .contains("- `GET /v1/users/{userId}/inventory/{assetType}`: operation only upstream"),
        "{report}"
    );
    assert!(report.contains("**Changed since the lock**"), "{report}");
}
