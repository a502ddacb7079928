//! Adds a paged operation to a scratch copy of `spec/legacy-v2.yaml`, as a maintainer adds one when Roblox
//! documents it, and generates the client from that copy with `cargo xtask regen`'s own generator. Nothing about
//! the new operation is written by hand: its paging comes from its `x-pagination` mark.

use std::path::PathBuf;

fn main() {
    let root = xtask::workspace_root();
    for spec in xtask::specs::Spec::all() {
        println!(
            "cargo::rerun-if-changed={}",
            root.join(spec.spec_path()).display()
        );
    }
    let spec = xtask::specs::Spec::named("legacy-v2").expect("the legacy v2 spec");
    let mut document = spec.load(&root).expect("spec/legacy-v2.yaml loads");

    // A new operation at a new path, paged like the owners of an asset.
    let mut operation = document["paths"]["/v2/assets/{assetId}/owners"]["get"].clone();
    assert!(
        operation.get("x-pagination").is_some(),
        "the operation copied is a paged one"
    );
    operation["operationId"] = "listScratchOwners".into();
    operation["x-roblox-docs-id"] = "scratch".into();
    document["paths"]["/v2/scratch/{assetId}/owners"] = serde_json::json!({ "get": operation });

    let code = xtask::generate::generate_document(&root, &spec, document)
        .unwrap_or_else(|error| panic!("generating the scratch copy: {error:#}"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("generated.rs"), code).expect("writing the generated code");
}
