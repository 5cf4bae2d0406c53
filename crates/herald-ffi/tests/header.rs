//! include/herald.h is exactly what cbindgen generates from this crate.
//!
//! To regenerate after changing an export: `HERALD_BLESS=1 cargo test -p herald-ffi --test header`.
//! That run rewrites a stale header and still fails (so a run with the
//! variable left set by mistake never passes on a stale header; the test
//! command unsets it); run again without it.

use std::path::{Path, PathBuf};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn header_path() -> PathBuf {
    crate_dir().join("../../include/herald.h")
}

fn generate() -> String {
    let config =
        cbindgen::Config::from_file(crate_dir().join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut bytes = Vec::new();
    bindings.write(&mut bytes);
    String::from_utf8(bytes).expect("the header is UTF-8")
}

#[test]
fn checked_in_header_matches_cbindgen_output() {
    let generated = generate();
    let checked_in = std::fs::read_to_string(header_path()).unwrap_or_default();
    if checked_in == generated {
        return;
    }
    if std::env::var_os("HERALD_BLESS").is_some() {
        std::fs::write(header_path(), &generated).expect("write include/herald.h");
        panic!(
            "include/herald.h was stale and is rewritten; review and commit it, then run \
             the tests again without HERALD_BLESS"
        );
    }
    panic!(
        "include/herald.h is stale; regenerate it with \
         `HERALD_BLESS=1 cargo test -p herald-ffi --test header` and commit it"
    );
}

#[test]
fn header_abi_version_matches_the_soname() {
    let build = std::fs::read_to_string(crate_dir().join("build.rs")).unwrap();
    let header = generate();
    let abi = herald::version::HERALD_ABI_VERSION;
    assert!(
        build.contains(&format!("const ABI_MAJOR: u32 = {abi};")),
        "build.rs SONAME is out of step"
    );
    assert!(
        header.contains(&format!("#define HERALD_ABI_VERSION {abi}")),
        "header lacks the ABI version"
    );
}

#[test]
fn every_header_symbol_is_prefixed() {
    let header = generate();
    for line in header.lines() {
        let line = line.trim_start();
        for keyword in ["typedef struct ", "#define "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                let name = rest.split_whitespace().next().unwrap_or("");
                assert!(
                    name.starts_with("herald_") || name.starts_with("HERALD_"),
                    "unprefixed name in header: {line}"
                );
            }
        }
    }
}

/// `(struct name, field names)` of every struct with a body in `header`.
fn public_structs(header: &str) -> Vec<(String, Vec<String>)> {
    let mut structs = Vec::new();
    let mut lines = header.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("typedef struct ")
            .and_then(|rest| rest.strip_suffix(" {"))
        else {
            continue;
        };
        let mut fields = Vec::new();
        for line in lines.by_ref() {
            let line = line.trim();
            if line.starts_with('}') {
                break;
            }
            if let Some(declaration) = line.strip_suffix(';') {
                let field = declaration.rsplit([' ', '*']).next().unwrap_or_default();
                fields.push(field.to_owned());
            }
        }
        structs.push((name.to_owned(), fields));
    }
    structs
}

/// The same, as recorded by the `SIZE(...)` and `FIELD(...)` rows of
/// tests/c/test_layout.c.
fn recorded_layouts() -> Vec<(String, Vec<String>)> {
    let table = std::fs::read_to_string(crate_dir().join("../../tests/c/test_layout.c"))
        .expect("tests/c/test_layout.c");
    let mut structs: Vec<(String, Vec<String>)> = Vec::new();
    for line in table.lines().map(str::trim) {
        let arguments = |row: &str| -> Vec<String> {
            row.trim_end_matches("),")
                .split(',')
                .map(|part| part.trim().to_owned())
                .collect()
        };
        if let Some(row) = line.strip_prefix("SIZE(") {
            structs.push((arguments(row)[0].clone(), Vec::new()));
        } else if let Some(row) = line.strip_prefix("FIELD(") {
            let row = arguments(row);
            let last = structs
                .last_mut()
                .expect("a FIELD row follows its SIZE row");
            assert_eq!(
                last.0, row[0],
                "FIELD({}, …) under SIZE({})",
                row[0], last.0
            );
            last.1.push(row[1].clone());
        }
    }
    structs
}

#[test]
fn every_public_struct_and_field_has_a_recorded_layout() {
    let mut in_header = public_structs(&generate());
    let mut recorded = recorded_layouts();
    assert!(
        in_header.len() >= 5,
        "the header parser found {in_header:?}"
    );
    in_header.sort();
    recorded.sort();
    assert_eq!(
        in_header, recorded,
        "tests/c/test_layout.c must record sizeof and every offsetof of each public struct, \
         fields in header order"
    );
}

#[test]
fn extensible_structs_start_with_their_size() {
    for (name, fields) in public_structs(&generate()) {
        let frozen = ["herald_str", "herald_bytes", "herald_header"].contains(&name.as_str());
        assert!(
            frozen || fields.first().map(String::as_str) == Some("size"),
            "{name} may grow, so it must start with `size` (or be documented as frozen)"
        );
    }
}

#[test]
fn unsafe_code_lives_only_in_the_boundary_and_handle_modules() {
    // Export bodies read their arguments through the boundary macros, whose
    // one `unsafe` block each carries the safety argument; nothing else may.
    let source = crate_dir().join("src");
    for entry in std::fs::read_dir(&source).expect("src") {
        let path = entry.expect("a source file").path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if ["boundary.rs", "handle.rs"].contains(&name) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        for (number, line) in text.lines().enumerate() {
            assert!(
                !line.contains("unsafe {") && !line.contains("unsafe fn "),
                "{name}:{}: unsafe code outside boundary.rs and handle.rs: {line}",
                number + 1
            );
        }
    }
}
