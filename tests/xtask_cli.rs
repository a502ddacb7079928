//! Naming a spec on xtask's command line: by name, or by its file, relative or absolute; anything else is an
//! error that says what would do. (xtask/tests/cli.rs runs the binary itself.)

use xtask::specs::Spec;

#[test]
fn a_spec_is_named_by_name_or_by_its_file() {
    let root = xtask::workspace_root();
    let legacy_v1 = Spec::named("legacy-v1").unwrap();
    for argument in [
        "legacy-v1".to_owned(),
        "spec/legacy-v1.yaml".to_owned(),
        "./spec/../spec/legacy-v1.yaml".to_owned(),
        root.join("spec/legacy-v1.yaml").display().to_string(),
    ] {
        assert_eq!(
            Spec::resolve(&argument, &root).unwrap(),
            legacy_v1,
            "{argument}"
        );
    }
}

#[test]
fn anything_else_is_an_error_listing_the_specs() {
    let root = xtask::workspace_root();
    let unknown = Spec::resolve("foo", &root).unwrap_err();
    assert_eq!(
        format!("{unknown:#}"),
        r#"unknown spec "foo"; expected one of: legacy-v1, legacy-v2, cloud-v2"#
    );

    let missing = Spec::resolve("spec/legacy-v9.yaml", &root).unwrap_err();
    assert_eq!(
        format!("{missing:#}"),
        "no spec file spec/legacy-v9.yaml; expected one of: legacy-v1, legacy-v2, cloud-v2 (or their files, \
         spec/NAME.yaml)"
    );

    // A copy of a spec elsewhere is not the spec: the commands would read the one under the root instead.
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("legacy-v1.yaml");
    std::fs::copy(root.join("spec/legacy-v1.yaml"), &copy).unwrap();
    let elsewhere = Spec::resolve(copy.to_str().unwrap(), &root).unwrap_err();
    assert!(
        format!("{elsewhere:#}").contains("is not one of the specs under"),
        "{elsewhere:#}"
    );
}
