//! include/herald.h is exactly what cbindgen generates from this crate.
//!
//! To regenerate after changing an export: `HERALD_BLESS=1 cargo test -p herald-ffi --test header`.

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
    if std::env::var_os("HERALD_BLESS").is_some() {
        std::fs::write(header_path(), &generated).expect("write include/herald.h");
        return;
    }
    let checked_in = std::fs::read_to_string(header_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
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
