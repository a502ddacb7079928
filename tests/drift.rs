//! `cargo xtask drift`: a small spec of ours (tests/fixtures/drift) against clean and drifted copies of its two
//! upstream documents (a Swagger, and a docs source that holds the legacy part beside other APIs), read from a
//! folder and downloaded from a loopback server; the lock and its digest trees; the blind spots of a watch that
//! compares by name and trusts any note; then our real specs against the documents Roblox publishes, where the
//! reference material is present.

use std::path::{Path, PathBuf};

use roblox_inventory_tests::reference_or_skip;
use serde_json::Value;
use xtask::audit::DifferenceKind;
use xtask::drift::digest::Change;
use xtask::drift::{DriftReport, Lock, Options, Scope, Source, canonical_sha256};
use xtask::specs::{Spec, parse_yaml};

const NEW_OPERATION: &str = "GET /v1/users/{userId}/inventory/{assetType}";

fn fixtures() -> PathBuf {
    xtask::workspace_root().join("tests/fixtures/drift")
}

/// The fixture spec against the documents of `dir` (a folder under the fixtures), with the fixture lock.
fn drift_from(dir: &str) -> DriftReport {
    let mut options = Options::new(&fixtures());
    options.specs = vec![Spec::named("legacy-v1").unwrap()];
    options.specs_named = true;
    options.source = Source::Directory(fixtures().join(dir));
    xtask::drift::run(&options, false).unwrap().0
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The findings of the document `key` of a report: location and kind.
fn findings<'r>(report: &'r DriftReport, key: &str) -> Vec<(&'r str, DifferenceKind)> {
    report
        .documents
        .iter()
        .find(|document| document.key == key)
        .unwrap_or_else(|| panic!("no document {key}: {report}"))
        .audit
        .findings
        .iter()
        .map(|finding| (finding.location.as_str(), finding.kind))
        .collect()
}

#[test]
fn the_fixture_lock_records_the_clean_documents() {
    let lock = Lock::read(&fixtures().join("spec/upstream.lock")).unwrap();
    let clean = read_json(&fixtures().join("clean/legacy-v1.json"));
    assert_eq!(
        lock.documents["legacy-v1.swagger"].sha256,
        canonical_sha256(&clean),
        "tests/fixtures/drift/spec/upstream.lock must record clean/legacy-v1.json"
    );
    let docs_source = read_json(&fixtures().join("clean/cloud-v2.json"));
    let legacy_part = Scope::LegacyInventory { version: "/v1/" }.apply(&docs_source);
    assert_eq!(
        lock.documents["legacy-v1.creator-docs"].sha256,
        canonical_sha256(&legacy_part),
        "tests/fixtures/drift/spec/upstream.lock must record the legacy part of clean/cloud-v2.json"
    );
}

#[test]
fn a_clean_upstream_is_nothing_new() {
    let report = drift_from("clean");
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.documents.len(), 2, "the Swagger and the docs source");
    for document in &report.documents {
        assert!(!document.changed());
        assert_eq!(document.audit.findings, []);
        assert_eq!(document.fragments, []);
    }
    let text = report.to_string();
    assert!(text.starts_with("# Upstream drift\n"), "{text}");
    assert!(text.contains("nothing new"), "{text}");
    assert!(text.contains("| legacy-v1 |"), "{text}");
    assert!(
        text.contains("- Unchanged since the lock (`legacy-v1.swagger`, recorded "),
        "{text}"
    );
    assert!(
        text.contains("- Unchanged since the lock (`legacy-v1.creator-docs`, recorded "),
        "{text}"
    );
}

#[test]
fn a_drifted_upstream_is_reported_with_its_findings() {
    let report = drift_from("drifted");
    assert!(!report.is_clean());
    let document = &report.documents[0];
    assert!(document.changed());
    assert_eq!(
        findings(&report, "legacy-v1.swagger"),
        [
            (NEW_OPERATION, DifferenceKind::OperationOnlyUpstream),
            (
                "GET /v1/users/{userId}/items parameter sortOrder",
                DifferenceKind::ParameterOnlyUpstream
            ),
            (
                "model ItemModel field expireAt",
                DifferenceKind::FieldOnlyUpstream
            ),
        ]
    );
    let text = report.to_string();
    assert!(
        text.contains("**Changed since the lock** (`legacy-v1.swagger`): sha256 `"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "- `{NEW_OPERATION}`: operation only upstream (upstream Gets a list"
        )),
        "{text}"
    );
    assert!(text.contains("\n```yaml\n"), "{text}");
}

/// The YAML of the fragment about `subject`, read back.
fn fragment(report: &DriftReport, subject: &str) -> (String, Value) {
    let fragment = report.documents[0]
        .fragments
        .iter()
        .find(|fragment| fragment.subject == subject)
        .unwrap_or_else(|| panic!("no fragment about {subject}: {report}"));
    let value = parse_yaml(&fragment.yaml)
        .unwrap_or_else(|error| panic!("{subject}: {error:#}\n{}", fragment.yaml));
    (fragment.placement.clone(), value)
}

#[test]
fn what_only_upstream_has_comes_with_yaml_in_our_specs_dialect() {
    let report = drift_from("drifted");

    let (placement, operation) = fragment(&report, NEW_OPERATION);
    assert_eq!(placement, "under `paths:` in `spec/legacy-v1.yaml`");
    let get = &operation["/v1/users/{userId}/inventory/{assetType}"]["get"];
    assert_eq!(get["operationId"], "TODO");
    assert_eq!(get["deprecated"], true);
    // Roblox's `\r\n` become line breaks of ours.
    assert_eq!(
        get["summary"],
        "Gets a list of assets by type for the specified user.\nNote that the 'Hat' asset type may return \
         accessories while we are migrating."
    );
    assert_eq!(
        get["parameters"][0],
        serde_json::json!({"name": "userId", "in": "path", "description": "The user identifier.",
                           "required": true, "schema": {"type": "integer", "format": "int64"}})
    );
    assert_eq!(
        get["parameters"][1]["schema"]["enum"],
        serde_json::json!([1, 2, 8, 41])
    );
    assert_eq!(
        get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/InventoryPageResponse"
    );
    assert_eq!(
        get["responses"]["403"],
        serde_json::json!({"description": "11: You don't have permissions to view the specified user's inventory."})
    );

    let (placement, parameter) =
        fragment(&report, "GET /v1/users/{userId}/items parameter sortOrder");
    assert_eq!(
        placement,
        "under `parameters:` of `GET /v1/users/{userId}/items` in `spec/legacy-v1.yaml`"
    );
    assert_eq!(
        parameter,
        serde_json::json!([{"name": "sortOrder", "in": "query",
                            "description": "The order the results are sorted in.",
                            "schema": {"type": "string", "default": "Asc", "enum": ["Asc", "Desc"]}}])
    );

    let (placement, field) = fragment(&report, "model ItemModel field expireAt");
    assert_eq!(
        placement,
        "under the `properties:` of `model ItemModel` in `spec/legacy-v1.yaml`"
    );
    // `readOnly` is left out (spec/README.md, "Responses").
    assert_eq!(
        field,
        serde_json::json!({"expireAt": {"type": "string", "format": "date-time"}})
    );

    // The page model ours lacks, with its item model as ours names it.
    let (placement, schemas) = fragment(&report, "schemas");
    assert!(
        placement.starts_with("under `components:` `schemas:`"),
        "{placement}"
    );
    assert_eq!(
        schemas,
        serde_json::json!({"InventoryPageResponse": {
            "x-roblox-name": "Roblox.Demo.Api.Models.InventoryPageResponse",
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/ItemModel"}},
                "total": {"type": "integer", "format": "int64"}
            }
        }})
    );
}

#[test]
fn update_lock_records_the_documents_read() {
    let scratch = tempfile::tempdir().unwrap();
    let lock_path = scratch.path().join("upstream.lock");
    let mut options = Options::new(&fixtures());
    options.specs = vec![Spec::named("legacy-v1").unwrap()];
    options.lock = lock_path.clone();
    options.source = Source::Directory(fixtures().join("drifted"));

    // No lock yet: only --update-lock may start one.
    let error = xtask::drift::run(&options, false).unwrap_err();
    assert!(
        format!("{error:#}").starts_with("reading the lock "),
        "{error:#}"
    );

    let (report, old) = xtask::drift::run(&options, true).unwrap();
    assert!(report.documents[0].locked.is_none());
    assert!(report.to_string().contains("**Not in the lock**"));
    report.record(&old, &lock_path).unwrap();

    let lock = Lock::read(&lock_path).unwrap();
    let entry = &lock.documents["legacy-v1.swagger"];
    assert_eq!(
        entry.sha256,
        canonical_sha256(&read_json(&fixtures().join("drifted/legacy-v1.json")))
    );
    assert_eq!(entry.date, report.date);
    assert!(entry.source.ends_with("legacy-v1.json"), "{}", entry.source);
    assert!(lock.about.contains("canonical JSON"));
    assert!(lock.documents.contains_key("legacy-v1.creator-docs"));
    // Beside the lock, each document's digest tree: its shape, none of its text.
    let digests =
        std::fs::read_to_string(scratch.path().join("upstream/legacy-v1.swagger.json")).unwrap();
    assert!(
        digests.contains("\"/v1/users/{userId}/inventory/{assetType}\""),
        "{digests}"
    );
    assert!(!digests.contains("Gets a list of assets"), "{digests}");

    // Recorded, the document is no longer new; the unexplained findings still are.
    let (again, _) = xtask::drift::run(&options, false).unwrap();
    assert!(!again.documents[0].changed());
    assert!(!again.is_clean());
}

#[test]
fn a_folder_without_a_document_leaves_it_unchecked_unless_its_spec_is_named() {
    // The Swagger alone: the docs source (cloud-v2.json) is missing.
    let scratch = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("clean/legacy-v1.json"),
        scratch.path().join("legacy-v1.json"),
    )
    .unwrap();
    let mut options = Options::new(&fixtures());
    options.source = Source::Directory(scratch.path().to_path_buf());
    // legacy-v2 and cloud-v2 have no document here (nor a spec in the fixtures): they are listed, not read.
    let (report, _) = xtask::drift::run(&options, false).unwrap();
    assert_eq!(report.documents.len(), 1);
    assert_eq!(
        report
            .not_checked
            .iter()
            .map(|(key, _)| key.as_str())
            .collect::<Vec<_>>(),
        [
            "legacy-v1.creator-docs",
            "legacy-v2.swagger",
            "legacy-v2.creator-docs",
            "cloud-v2.creator-docs"
        ]
    );
    assert!(report.is_clean());
    assert!(report.to_string().contains("| not checked: no such file |"));

    options.specs = vec![Spec::named("legacy-v1").unwrap()];
    options.specs_named = true;
    let error = xtask::drift::run(&options, false).unwrap_err();
    assert!(
        format!("{error:#}").ends_with("cloud-v2.json: no such file"),
        "{error:#}"
    );
}

#[test]
fn a_bad_lock_or_document_is_an_error_naming_it() {
    let scratch = tempfile::tempdir().unwrap();
    let lock_path = scratch.path().join("upstream.lock");
    std::fs::write(
        &lock_path,
        r#"{"documents": {"legacy-v1.swagger": {"sha256": "abc", "date": "2026-06", "source": "?"}}}"#,
    )
    .unwrap();
    let mut options = Options::new(&fixtures());
    options.lock = lock_path;
    options.source = Source::Directory(fixtures().join("clean"));
    let error = xtask::drift::run(&options, false).unwrap_err();
    assert!(
        format!("{error:#}").contains("not 64 lowercase hex digits"),
        "{error:#}"
    );

    std::fs::write(scratch.path().join("legacy-v1.json"), "<html>").unwrap();
    let mut options = Options::new(&fixtures());
    options.source = Source::Directory(scratch.path().to_path_buf());
    let error = xtask::drift::run(&options, false).unwrap_err();
    assert!(
        format!("{error:#}").contains("legacy-v1.json is not JSON"),
        "{error:#}"
    );
}

/// The download path, against a loopback server that serves the fixtures as `/docs/NAME.json`.
#[tokio::test]
async fn documents_download_from_the_base_url() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    for file in ["legacy-v1.json", "cloud-v2.json"] {
        let drifted = std::fs::read_to_string(fixtures().join("drifted").join(file)).unwrap();
        Mock::given(method("GET"))
            .and(path(format!("/docs/{file}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(drifted, "application/json"))
            // The docs source serves every spec, and is downloaded once.
            .expect(1)
            .mount(&server)
            .await;
    }
    let base = format!("{}/docs/", server.uri());

    let run = |spec: &'static str| {
        let base = base.clone();
        tokio::task::spawn_blocking(move || {
            let mut options = Options::new(&fixtures());
            options.specs = vec![Spec::named(spec).unwrap()];
            options.source = Source::Download { base: Some(base) };
            xtask::drift::run(&options, false).map(|(report, _)| report)
        })
    };
    let report = run("legacy-v1").await.unwrap().unwrap();
    let document = &report.documents[0];
    assert_eq!(
        document.source,
        format!("{}/docs/legacy-v1.json", server.uri())
    );
    assert!(document.changed());
    assert!(
        document
            .audit
            .findings
            .iter()
            .any(|finding| finding.location == NEW_OPERATION)
    );
    let mut expected = drift_from("drifted").to_string();
    for file in ["legacy-v1.json", "cloud-v2.json"] {
        expected = expected.replace(
            &fixtures().join("drifted").join(file).display().to_string(),
            &format!("{}/docs/{file}", server.uri()),
        );
    }
    assert_eq!(report.to_string(), expected);

    // Nothing mounted for legacy-v2: the server answers 404.
    let error = run("legacy-v2").await.unwrap().unwrap_err();
    let message = format!("{error:#}");
    assert!(
        message.starts_with(&format!(
            "downloading {}/docs/legacy-v2.json: HTTP 404",
            server.uri()
        )),
        "{message}"
    );
}

/// The docs source describes every Open Cloud API: what is not about inventory neither changes the hash nor shows
/// up as a finding. (Our cloud-v2 spec stands in for the docs source.)
#[test]
fn only_the_inventory_part_of_the_docs_source_counts() {
    let root = xtask::workspace_root();
    let spec = Spec::named("cloud-v2").unwrap();
    let inventory = spec.load(&root).unwrap();
    let mut everything = inventory.clone();
    everything["paths"]["/cloud/v2/universes/{universe_id}"] = serde_json::json!({"get": {
        "tags": ["Universes"],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema":
            {"$ref": "#/components/schemas/Universe"}}}}}
    }});
    everything["components"]["schemas"]["Universe"] = serde_json::json!({"type": "object"});
    everything["info"]["version"] = serde_json::json!("2.0.0");

    let lock = Lock::default();
    let check = |document: &Value| {
        xtask::drift::check(&root, spec, &lock, "test".to_owned(), &document.to_string()).unwrap()
    };
    let (narrow, wide) = (check(&inventory), check(&everything));
    assert_eq!(narrow.sha256, wide.sha256);
    assert_eq!(wide.audit.findings, []);
    assert!(
        wide.part
            .as_deref()
            .unwrap()
            .contains("Open Cloud inventory part")
    );

    // A new inventory operation does count.
    everything["paths"]["/cloud/v2/users/{user_id}/inventory-items:summarize"] = serde_json::json!({"get": {
        "tags": ["Inventories", "Users"],
        "responses": {"200": {"description": "OK"}}
    }});
    let drifted = check(&everything);
    assert_ne!(drifted.sha256, narrow.sha256);
    assert_eq!(
        drifted.audit.findings[0].location,
        "GET /cloud/v2/users/{user_id}/inventory-items:summarize"
    );
}

/// Our specs against the reference copies of Roblox's documents: the lock records exactly these copies, and our
/// specs explain every difference, so nothing is new.
#[test]
fn the_checked_in_lock_records_the_reference_copies() {
    let Some(reference) = reference_or_skip("the_checked_in_lock_records_the_reference_copies")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let copies = [
        ("legacy-v1", "official-swagger/inventory-v1.swagger.json"),
        ("legacy-v2", "official-swagger/inventory-v2.swagger.json"),
        // The whole docs source at b0bf2f15: it serves all three specs.
        (
            "cloud-v2",
            "official-opencloud/creator-docs-openapi.b0bf2f15.json",
        ),
    ];
    for (spec, file) in copies {
        std::fs::copy(
            reference.join(file),
            dir.path().join(format!("{spec}.json")),
        )
        .unwrap();
    }
    let mut options = Options::new(&xtask::workspace_root());
    options.source = Source::Directory(dir.path().to_path_buf());
    let (report, _) = xtask::drift::run(&options, false).unwrap();
    assert_eq!(report.documents.len(), 5);
    assert!(report.is_clean(), "{report}");
}

/// The 2024-03 v1 document as upstream: what changed between it and the lock, the 2026-06 document, shows up,
/// starting with the operation Roblox dropped since.
#[test]
fn the_2024_03_v1_document_is_drift_naming_the_operation_it_had() {
    let Some(reference) =
        reference_or_skip("the_2024_03_v1_document_is_drift_naming_the_operation_it_had")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let history = reference.join("official-swagger/history");
    let old = std::fs::read_dir(&history)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("inventory-v1.swagger.2024-03") && name.ends_with(".json")
        })
        .expect("a 2024-03 v1 document in official-swagger/history");
    std::fs::copy(&old, dir.path().join("legacy-v1.json")).unwrap();
    let mut options = Options::new(&xtask::workspace_root());
    options.source = Source::Directory(dir.path().to_path_buf());
    let (report, _) = xtask::drift::run(&options, false).unwrap();
    assert!(!report.is_clean());
    assert!(report.documents[0].changed());
    let text = report.to_string();
    assert!(
        text.contains(&format!("- `{NEW_OPERATION}`: operation only upstream")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "`{NEW_OPERATION}`, under `paths:` in `spec/legacy-v1.yaml`:"
        )),
        "{text}"
    );
}

/// The blind spots of a watch that compares models by name, trusts any note, shows nothing of a change the audit
/// does not see, and reads the Swagger alone: each fixture is new, and the report names what changed.
#[test]
fn a_renamed_model_is_still_compared_and_the_rename_is_a_finding() {
    let report = drift_from("renamed");
    assert!(!report.is_clean());
    assert_eq!(findings(&report, "legacy-v1.swagger"), []);
    assert_eq!(
        findings(&report, "legacy-v1.creator-docs"),
        [
            ("model OwnerModel", DifferenceKind::ModelRenamed),
            (
                "model OwnerModel field displayName",
                DifferenceKind::FieldOnlyUpstream
            ),
        ]
    );
    let text = report.to_string();
    assert!(
        text.contains(
            "- `model OwnerModel`: renamed upstream (ours Roblox.Demo.Api.Models.OwnerModel, upstream \
             Roblox.Demo.Users.AssociatedOwnerModel)"
        ),
        "{text}"
    );
    assert!(
        text.contains("## legacy-v1 against the creator-docs source"),
        "{text}"
    );
}

#[test]
fn a_note_about_something_else_explains_no_change() {
    // The field's x-wire-note says it may be empty; upstream changes its type.
    let report = drift_from("note-elsewhere");
    assert!(!report.is_clean());
    assert_eq!(
        findings(&report, "legacy-v1.swagger"),
        [("model ItemModel field name", DifferenceKind::FieldType)]
    );
    let text = report.to_string();
    assert!(
        text.contains(
            "- `model ItemModel field name`: field type differs (ours string, upstream integer/int64)"
        ),
        "{text}"
    );
}

#[test]
fn a_change_the_audit_does_not_see_shows_as_its_json_paths() {
    let report = drift_from("text-only");
    assert!(!report.is_clean(), "the document changed");
    assert_eq!(findings(&report, "legacy-v1.swagger"), []);
    let swagger = &report.documents[0];
    assert!(swagger.changed());
    let changes: Vec<(&str, Change)> = swagger
        .changes
        .as_ref()
        .expect("the lock keeps the digest tree")
        .iter()
        .map(|changed| (changed.path.as_str(), changed.change))
        .collect();
    assert_eq!(
        changes,
        [
            (
                r#".paths["/v1/users/{userId}/items"].get.summary"#,
                Change::Changed
            ),
            (
                r#".paths["/v1/users/{userId}/items"].get["x-roblox-rate-limits"]"#,
                Change::Added
            ),
        ]
    );
    let text = report.to_string();
    assert!(
        text.contains(r#"- changed: `.paths["/v1/users/{userId}/items"].get.summary`"#),
        "{text}"
    );
    assert!(
        !report.documents[1].changed(),
        "the docs source did not change"
    );
}

#[test]
fn a_new_enum_value_or_operation_in_the_docs_source_is_found_there() {
    let report = drift_from("creator-docs-new");
    assert!(!report.is_clean());
    assert!(!report.documents[0].changed(), "the Swagger did not change");
    assert_eq!(
        findings(&report, "legacy-v1.creator-docs"),
        [
            (
                "GET /v1/users/{userId}/items parameter kinds",
                DifferenceKind::EnumValueOnlyUpstream
            ),
            (
                "GET /v1/users/{userId}/items/{itemId}",
                DifferenceKind::OperationOnlyUpstream
            ),
            (
                "model ItemModel field kind",
                DifferenceKind::EnumValueOnlyUpstream
            ),
        ]
    );
    let docs_source = &report.documents[1];
    assert!(docs_source.audit.findings.iter().all(|finding| finding.kind
        != DifferenceKind::EnumValueOnlyUpstream
        || finding.upstream.as_deref() == Some("3")));
    // The new operation comes with a fragment, from the docs source.
    assert!(
        docs_source
            .fragments
            .iter()
            .any(|fragment| fragment.subject == "GET /v1/users/{userId}/items/{itemId}"),
        "{report}"
    );
}

#[test]
fn every_report_ends_with_the_specs_assumptions_and_json_keeps_the_three_apart() {
    let report = drift_from("note-elsewhere");
    let text = report.to_string();
    let assumptions = text
        .split("## Assumptions no document backs")
        .nth(1)
        .expect("a section of assumptions, last");
    assert!(
        assumptions.contains(
            "- legacy-v1 `.components.schemas.ItemModel.properties.owner`: null when the owner is hidden"
        ),
        "{text}"
    );
    let json = serde_json::to_value(&report).unwrap();
    let swagger = &json["documents"][0];
    assert_eq!(swagger["key"], "legacy-v1.swagger");
    assert_eq!(
        swagger["findings"][0]["location"],
        "model ItemModel field name"
    );
    assert_eq!(swagger["intentional"], serde_json::json!([]));
    assert_eq!(
        json["assumptions"][0]["location"],
        ".components.schemas.ItemModel.properties.owner"
    );
    assert_eq!(json["assumptions"][0]["spec"], "legacy-v1");
}
