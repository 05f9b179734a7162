//! Fails when a committed generated file differs from what the generator writes now (like the bindings test
//! of okta-ffi). Fix: `cargo run -p okta-gen`, then commit.

use std::path::PathBuf;

#[test]
fn generated_files_are_fresh() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = okta_gen::generate(&root).expect("the generator reads api/");
    let stale: Vec<&String> = files
        .iter()
        .filter(|(relative, text)| std::fs::read_to_string(root.join(relative)).ok().as_deref() != Some(text.as_str()))
        .map(|(relative, _)| relative)
        .collect();
    let orphans = okta_gen::orphans(&root, &files);
    assert!(
        stale.is_empty() && orphans.is_empty(),
        "generated files are stale: {stale:?}; no longer generated: {orphans:?}. Run `cargo run -p okta-gen` and commit."
    );
}

#[test]
fn every_operation_has_exactly_one_command() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = okta_gen::generate(&root).expect("the generator reads api/");
    let inventory: serde_json::Value = serde_json::from_str(&files["powershell/Generated/inventory.g.json"]).unwrap();
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("api/okta-management.facts.json")).unwrap()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for command in inventory["api"].as_array().unwrap() {
        *seen.entry(command["operationId"].as_str().unwrap().to_owned()).or_insert(0) += 1;
    }
    for operation in facts["operations"].as_array().unwrap() {
        let id = operation["operationId"].as_str().unwrap();
        assert_eq!(seen.get(id), Some(&1), "operation {id} must map to exactly one command");
    }
}
