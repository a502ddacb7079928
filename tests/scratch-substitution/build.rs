//! Generates the Open Cloud client from the real `spec/cloud-v2.yaml` with `cargo xtask regen`'s own generator,
//! but with one substitution switched off: ids sent as strings of digits stay `String` instead of becoming
//! `roblox_inventory_core::DigitString`. The spec is untouched; only the Rust types change.

use std::path::PathBuf;

fn main() {
    let root = xtask::workspace_root();
    let spec = xtask::specs::Spec::named("cloud-v2").expect("the cloud-v2 spec");
    println!(
        "cargo::rerun-if-changed={}",
        root.join(spec.spec_path()).display()
    );
    let document = spec.load(&root).expect("spec/cloud-v2.yaml loads");
    let substitutions = xtask::prepare::Substitutions {
        digit_strings: false,
    };
    let code = xtask::generate::generate_document_with(&root, &spec, document, substitutions)
        .unwrap_or_else(|error| panic!("generating with a substitution switched off: {error:#}"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("generated.rs"), code).expect("writing the generated code");
}
