//! `cargo xtask audit`: small upstream documents in both dialects against a small spec of ours, then our three
//! specs against the documents Roblox publishes.

use roblox_inventory_tests::reference_or_skip;
use serde_json::{Value, json};
use xtask::audit::{AuditReport, Difference, DifferenceKind, audit};
use xtask::specs::parse_yaml;

fn difference(
    location: &str,
    kind: DifferenceKind,
    ours: Option<&str>,
    upstream: Option<&str>,
    why: Option<&str>,
) -> Difference {
    Difference {
        location: location.to_owned(),
        kind,
        ours: ours.map(str::to_owned),
        upstream: upstream.map(str::to_owned),
        why: why.map(str::to_owned),
    }
}

const PRICE_NOTE: &str = "A string of digits on the wire (WIRE-QUIRKS 24)";
const PRICE_WHY: &str = "Roblox sends the price as a string of digits.";

/// One legacy-style operation with a page model, an item model, a named enum and the error body we add.
fn ours() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Demo", "version": "v1"},
        "servers": [{"url": "https://inventory.roblox.com"}],
        "paths": {
            "/v1/users/{userId}/items": {"get": {
                "operationId": "listUserItems",
                "parameters": [
                    {"name": "userId", "in": "path", "required": true,
                     "schema": {"type": "integer", "format": "int64"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                    {"name": "kinds", "in": "query", "style": "form", "explode": false,
                     "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ItemKind"}}}
                ],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/ItemModelPage"}}}},
                    "400": {"description": "1: Invalid user.", "content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/LegacyErrorResponse"}}}}
                }
            }}
        },
        "components": {"schemas": {
            "ItemModelPage": {
                "x-roblox-name": "Roblox.Web.WebAPI.Models.ApiPageResponse[Roblox.Demo.ItemModel]",
                "type": "object",
                "properties": {
                    "nextPageCursor": {"type": "string", "nullable": true, "description": "null on the last page"},
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/ItemModel"}}
                }
            },
            "ItemModel": {
                "x-roblox-name": "Roblox.Demo.ItemModel",
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "kind": {"description": "The kind.", "allOf": [{"$ref": "#/components/schemas/ItemKind"}]},
                    "nickname": {"type": "string"},
                    "price": {"type": "string", "x-wire-note": PRICE_NOTE,
                              "x-differs-from-upstream": [
                                  {"what": "type", "upstream": "integer/int64", "why": PRICE_WHY}
                              ]}
                }
            },
            "ItemKind": {"type": "integer", "format": "int32", "enum": [1, 2], "x-enum-varnames": ["Hat", "Face"]},
            "LegacyErrorResponse": {"type": "object", "properties": {
                "errors": {"type": "array", "items": {"type": "object"}}
            }}
        }}
    })
}

/// Swagger 2.0 as inventory.roblox.com serves it: untyped enum items, `additionalProperties: false`, `text/json`,
/// error statuses without a body, and other API versions in the same file.
fn upstream_swagger() -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "Demo Api v1", "version": "v1"},
        "host": "inventory.roblox.com",
        "paths": {
            "/v1/users/{userId}/items": {"get": {
                "summary": "Gets a user's items.",
                "produces": ["application/json", "text/json"],
                "parameters": [
                    {"name": "userId", "in": "path", "required": true, "type": "integer", "format": "int64"},
                    {"name": "limit", "in": "query", "type": "string"},
                    {"name": "kinds", "in": "query", "type": "array", "collectionFormat": "csv",
                     "items": {"description": " ['Hat' = 1, 'Face' = 2]", "enum": [1, 2]}}
                ],
                "responses": {
                    "200": {"description": "OK", "schema":
                        {"$ref": "#/definitions/Roblox.Web.WebAPI.Models.ApiPageResponse[Roblox.Demo.ItemModel]"}},
                    "400": {"description": "1: Invalid user."}
                }
            }},
            "/v1/users/{userId}/badges": {"get": {
                "summary": "Gets a user's badges.",
                "parameters": [{"name": "userId", "in": "path", "required": true, "type": "integer"}],
                "responses": {"200": {"description": "OK"}}
            }},
            "/v2/users/{userId}/inventory": {"get": {
                "summary": "Another API version: out of scope.",
                "responses": {"200": {"description": "OK"}}
            }}
        },
        "definitions": {
            "Roblox.Web.WebAPI.Models.ApiPageResponse[Roblox.Demo.ItemModel]": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "nextPageCursor": {"type": "string"},
                    "data": {"type": "array", "items": {"$ref": "#/definitions/Roblox.Demo.ItemModel"}}
                }
            },
            "Roblox.Demo.ItemModel": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "id": {"type": "integer", "format": "int64", "description": "The id."},
                    "kind": {"type": "integer", "format": "int32", "enum": [1, 2, 3]},
                    "price": {"type": "integer", "format": "int64"}
                }
            }
        }
    })
}

/// Roblox's docs source, in YAML: every API in one file, `_` in the names, `style`/`explode`, `readOnly`.
const UPSTREAM_OPENAPI: &str = r#"
openapi: 3.0.4
info: {title: Roblox API, version: 1.0.0}
servers:
  - url: https://apis.roblox.com
paths:
  /cloud/v2/users/{user_id}/inventory-items:
    get:
      operationId: Cloud_ListInventoryItems
      responses:
        "200": {description: OK}
  /v1/users/{userId}/items:
    get:
      summary: Gets a user's items.
      servers:
        - url: https://inventory.roblox.com
      parameters:
        - {name: userId, in: path, required: true, schema: {type: integer, format: int64}}
        - {name: limit, in: query, schema: {type: integer, format: int32}}
        - name: kinds
          in: query
          schema: {type: array, items: {enum: [1, 2]}}
        - {name: filter, in: query, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Roblox.Web.WebAPI.Models.ApiPageResponse_Roblox.Demo.ItemModel_'}
            text/json:
              schema: {$ref: '#/components/schemas/Roblox.Web.WebAPI.Models.ApiPageResponse_Roblox.Demo.ItemModel_'}
        "400": {description: "1: Invalid user."}
  /v1/users/{userId}/badges:
    get:
      summary: Gets a user's badges.
      responses:
        "200": {description: OK}
components:
  schemas:
    Roblox.Web.WebAPI.Models.ApiPageResponse_Roblox.Demo.ItemModel_:
      type: object
      properties:
        nextPageCursor: {type: string}
        data:
          type: array
          items: {$ref: '#/components/schemas/Roblox.Demo.ItemModel'}
    Roblox.Demo.ItemModel:
      type: object
      properties:
        id: {type: integer, format: int64, readOnly: true}
        kind: {type: integer, format: int32, enum: [1, 2]}
        price: {type: integer, format: int64}
"#;

#[test]
fn swagger_differences_are_found_and_an_explanation_makes_one_intentional() {
    let report = audit(&ours(), &upstream_swagger()).unwrap();
    assert_eq!(
        report.findings,
        [
            difference(
                "GET /v1/users/{userId}/badges",
                DifferenceKind::OperationOnlyUpstream,
                None,
                Some("Gets a user's badges."),
                None,
            ),
            difference(
                "GET /v1/users/{userId}/items parameter limit",
                DifferenceKind::ParameterType,
                Some("integer/int32"),
                Some("string"),
                None,
            ),
            difference(
                "model ItemModel field kind",
                DifferenceKind::EnumValueOnlyUpstream,
                None,
                Some("3"),
                None,
            ),
            difference(
                "model ItemModel field nickname",
                DifferenceKind::FieldOnlyOurs,
                Some("string"),
                None,
                None,
            ),
        ]
    );
    assert_eq!(
        report.intentional,
        [difference(
            "model ItemModel field price",
            DifferenceKind::FieldType,
            Some("string"),
            Some("integer/int64"),
            Some(PRICE_WHY),
        )]
    );
}

#[test]
fn openapi_differences_are_found_within_our_version_prefix_only() {
    let upstream = parse_yaml(UPSTREAM_OPENAPI).unwrap();
    let report = audit(&ours(), &upstream).unwrap();
    assert_eq!(
        report.findings,
        [
            difference(
                "GET /v1/users/{userId}/badges",
                DifferenceKind::OperationOnlyUpstream,
                None,
                Some("Gets a user's badges."),
                None,
            ),
            difference(
                "GET /v1/users/{userId}/items parameter filter",
                DifferenceKind::ParameterOnlyUpstream,
                None,
                Some("query string"),
                None,
            ),
            // Exploded by default in OpenAPI 3: `kinds=1&kinds=2` where we send `kinds=1,2`.
            difference(
                "GET /v1/users/{userId}/items parameter kinds",
                DifferenceKind::ParameterStyle,
                Some("csv"),
                Some("multi"),
                None,
            ),
            difference(
                "model ItemModel field nickname",
                DifferenceKind::FieldOnlyOurs,
                Some("string"),
                None,
                None,
            ),
        ]
    );
    assert_eq!(
        report.intentional,
        [difference(
            "model ItemModel field price",
            DifferenceKind::FieldType,
            Some("string"),
            Some("integer/int64"),
            Some(PRICE_WHY),
        )]
    );
}

const RENAME_NOTE: &str = "Upstream names it `packageID` (WIRE-QUIRKS 8)";
const RENAME_WHY: &str = "Upstream names the parameter packageID; the path says packageId.";

/// Roblox's misnamed path parameter (WIRE-QUIRKS 8), which our note names, beside a new one it does not name.
fn renamed_parameter() -> AuditReport {
    let ours = json!({
        "openapi": "3.0.3",
        "info": {"title": "Demo", "version": "v1"},
        "paths": {"/v1/packages/{packageId}/assets": {"get": {
            "operationId": "listPackageAssets",
            "parameters": [{"name": "packageId", "in": "path", "required": true, "x-wire-note": RENAME_NOTE,
                            "x-differs-from-upstream": [
                                {"what": "only-ours", "why": RENAME_WHY},
                                {"what": "only-upstream", "name": "packageID", "why": RENAME_WHY}
                            ],
                            "schema": {"type": "integer", "format": "int64"}}],
            "responses": {"200": {"description": "OK",
                                  "content": {"application/json": {"schema": {"type": "boolean"}}}}}
        }}}
    });
    let upstream = json!({
        "swagger": "2.0",
        "info": {"title": "Demo Api v1", "version": "v1"},
        "paths": {"/v1/packages/{packageId}/assets": {"get": {
            "parameters": [
                {"name": "packageID", "in": "path", "required": true, "type": "integer", "format": "int64"},
                {"name": "verbose", "in": "query", "type": "boolean"}
            ],
            "responses": {"200": {"description": "OK", "schema": {"type": "boolean"}}}
        }}}
    });
    audit(&ours, &upstream).unwrap()
}

#[test]
fn an_element_only_upstream_is_explained_only_by_an_entry_that_names_it() {
    let report = renamed_parameter();
    assert_eq!(
        report.findings,
        [difference(
            "GET /v1/packages/{packageId}/assets parameter verbose",
            DifferenceKind::ParameterOnlyUpstream,
            None,
            Some("query boolean"),
            None,
        )]
    );
    assert_eq!(
        report.intentional,
        [
            difference(
                "GET /v1/packages/{packageId}/assets parameter packageID",
                DifferenceKind::ParameterOnlyUpstream,
                None,
                Some("path integer/int64"),
                Some(RENAME_WHY),
            ),
            difference(
                "GET /v1/packages/{packageId}/assets parameter packageId",
                DifferenceKind::ParameterOnlyOurs,
                Some("path integer/int64"),
                None,
                Some(RENAME_WHY),
            ),
        ]
    );
}

#[test]
fn the_report_prints_findings_then_intentional_ones_then_a_summary() {
    let report = renamed_parameter();
    let expected = format!(
        "findings:
  GET /v1/packages/{{packageId}}/assets parameter verbose: parameter only upstream (upstream query boolean)
intentional (explained by x-differs-from-upstream):
  GET /v1/packages/{{packageId}}/assets parameter packageID: parameter only upstream (upstream path integer/int64)
      why: {RENAME_WHY}
  GET /v1/packages/{{packageId}}/assets parameter packageId: parameter only in ours (ours path integer/int64)
      why: {RENAME_WHY}
1 findings, 2 intentional
"
    );
    assert_eq!(report.to_string(), expected);

    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["findings"][0]["kind"], "ParameterOnlyUpstream");
    assert_eq!(json["intentional"][1]["why"], RENAME_WHY);
}

#[test]
fn bad_documents_fail_with_a_message_naming_the_problem() {
    let not_a_spec = audit(&ours(), &json!({"info": {"title": "?"}})).unwrap_err();
    assert!(
        not_a_spec.to_string().contains("neither Swagger 2.0"),
        "{not_a_spec:#}"
    );

    let mut dangling = upstream_swagger();
    dangling["paths"]["/v1/users/{userId}/items"]["get"]["responses"]["200"]["schema"]["$ref"] =
        json!("#/definitions/Missing");
    let error = audit(&ours(), &dangling).unwrap_err();
    assert!(
        error.to_string().contains("#/definitions/Missing"),
        "{error:#}"
    );

    let mut nameless = upstream_swagger();
    nameless["paths"]["/v1/users/{userId}/items"]["get"]["parameters"][1]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let error = audit(&ours(), &nameless).unwrap_err();
    assert!(error.to_string().contains("no `name`"), "{error:#}");

    let mut two_versions = ours();
    two_versions["paths"]["/v2/users/{userId}/items"] =
        two_versions["paths"]["/v1/users/{userId}/items"].clone();
    let error = audit(&two_versions, &upstream_swagger()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("do not share one version prefix"),
        "{error:#}"
    );
}

/// Our specs against the documents Roblox publishes, each cut to the part drift audits: every difference must be
/// explained by an `x-differs-from-upstream` entry.
#[test]
fn our_specs_explain_every_difference_from_the_official_documents() {
    let Some(reference) =
        reference_or_skip("our_specs_explain_every_difference_from_the_official_documents")
    else {
        return;
    };
    let file_of = |file: &str| match file {
        "legacy-v1" => "official-swagger/inventory-v1.swagger.json",
        "legacy-v2" => "official-swagger/inventory-v2.swagger.json",
        _ => "official-opencloud/creator-docs-openapi.b0bf2f15.json",
    };
    for upstream in xtask::drift::UPSTREAM {
        let file = file_of(upstream.file);
        let text = std::fs::read_to_string(reference.join(file)).unwrap();
        let document: Value = serde_json::from_str(&text).unwrap();
        let ours = xtask::specs::Spec::named(upstream.spec)
            .unwrap()
            .load(&xtask::workspace_root())
            .unwrap();
        let report = audit(&ours, &upstream.scope.apply(&document))
            .unwrap_or_else(|error| panic!("{} against {file}: {error:#}", upstream.key));
        assert!(
            report.findings.is_empty(),
            "{} against {file}: unexplained differences:\n{report}",
            upstream.key
        );
    }
}

/// Every `WIRE-QUIRKS <n>` and `file:line` our specs' notes cite exists in the reference material.
#[test]
fn every_citation_in_our_specs_names_evidence_that_exists() {
    let Some(reference) =
        reference_or_skip("every_citation_in_our_specs_names_evidence_that_exists")
    else {
        return;
    };
    for spec in xtask::specs::Spec::all() {
        let document = spec.load(&xtask::workspace_root()).unwrap();
        let problems = xtask::citations::unresolved(&document, &reference);
        assert!(problems.is_empty(), "{}: {problems:#?}", spec.name);
    }
}
