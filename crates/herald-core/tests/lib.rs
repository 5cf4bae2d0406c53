//! herald-core's integration tests, linked into one binary: one link step
//! instead of one per file, and one test runner that spreads every test over
//! the cores. Each module is one test file; `common` holds what they share.

mod common;

mod allocation;
mod broker_oracles;
mod broker_plans;
mod catalogue_builtin;
mod catalogue_load;
mod catalogue_lookup;
mod codes;
mod documentation;
mod endpoints;
mod export;
mod layering;
mod matcher;
mod pattern_syntax;
mod purity;
mod report_snapshots;
mod router;
mod signature;
mod signature_properties;
mod signature_vectors;
mod topic_syntax;
mod validate;
mod validate_properties;
mod validate_seeds;
mod validation_oracles;
mod validation_vectors;
mod validation_vectors_tsv;
mod vectors_matching;
mod wire_accelbyte_lobby;
mod wire_event_document;
mod wire_inplayer_webhook;
mod wire_properties;
mod wire_realm_session;
mod wire_vectors;

/// Cargo builds only this file's binary (`autotests = false`), so a test
/// file that is not a module here would never run.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let lib = std::fs::read_to_string(dir.join("lib.rs")).unwrap();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if module == "lib" {
            continue;
        }
        files += 1;
        assert!(
            lib.contains(&format!("\nmod {module};\n")),
            "tests/{name} is not declared in tests/lib.rs"
        );
    }
    assert!(files > 20, "only {files} test files found");
}
