//! The crate's modules import in one direction only, as
//! `docs/architecture.md` draws them. The table below is the specification;
//! the test reads every file under `src/`, collects the top-level modules it
//! names through `crate::…` (and `super::` paths that climb to the crate
//! root), and fails on any module its layer may not use.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// For each top-level module, the modules it may use. Routing
/// (`topic` ← `pattern` ← `matcher` ← `index` ← `router` ← `endpoints`,
/// with `hashing` for the keyed hashes) and the event
/// side (`json` ← `schema` ← `validate` ← `catalogue` ← `export`, `wire`)
/// share only `limits` and `topic`: event names are topics.
const LAYERS: &[(&str, &[&str])] = &[
    ("limits", &[]),
    ("hashing", &[]),
    ("json", &[]),
    ("topic", &["limits"]),
    ("pattern", &["limits", "topic"]),
    ("matcher", &["limits", "hashing", "topic", "pattern"]),
    (
        "index",
        &["limits", "hashing", "topic", "pattern", "matcher"],
    ),
    (
        "router",
        &["limits", "hashing", "topic", "pattern", "matcher", "index"],
    ),
    (
        "endpoints",
        &["limits", "topic", "pattern", "matcher", "router"],
    ),
    ("broker", &["limits", "topic", "pattern"]),
    ("schema", &["limits", "json"]),
    ("validate", &["limits", "json", "topic", "schema"]),
    (
        "catalogue",
        &["limits", "json", "topic", "schema", "validate"],
    ),
    (
        "export",
        &["limits", "json", "topic", "schema", "validate", "catalogue"],
    ),
    (
        "wire",
        &["limits", "json", "topic", "schema", "validate", "catalogue"],
    ),
    (
        "signature",
        &[
            "limits",
            "json",
            "topic",
            "schema",
            "validate",
            "catalogue",
            "wire",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`None` for `lib.rs`),
/// and how deep below `src/` it sits (0 for `src/topic.rs`, 1 for
/// `src/wire/json.rs`).
fn module_of(file: &Path) -> Option<(String, usize)> {
    let relative = file.strip_prefix(src()).unwrap();
    let parts: Vec<&str> = relative.iter().map(|part| part.to_str().unwrap()).collect();
    match parts.as_slice() {
        ["lib.rs"] => None,
        [single] => Some((single.trim_end_matches(".rs").to_owned(), 0)),
        [first, rest @ ..] => Some(((*first).to_owned(), rest.len())),
        [] => None,
    }
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The identifiers right after each `crate::` in `code`, with grouped
/// imports (`crate::{a::X, b}`) opened one level.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        // `$crate::` and `my_crate::` are not this crate's root.
        if start > 0 && (is_ident_byte(bytes[start - 1]) || bytes[start - 1] == b'$') {
            continue;
        }
        if bytes.get(from) == Some(&b'{') {
            // The items of the group, split at its own commas only.
            let mut depth = 0;
            let mut item = String::new();
            for character in code[from + 1..].chars() {
                match character {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(item.trim().to_owned());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(character);
            }
            found.push(item.trim().to_owned());
        } else {
            let end = code[from..]
                .bytes()
                .position(|byte| !is_ident_byte(byte))
                .map_or(code.len(), |end| from + end);
            found.push(code[from..end].to_owned());
        }
    }
    found
        .into_iter()
        .map(|path| path.split("::").next().unwrap_or("").trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

/// `code` with its comments removed and its string and character literals
/// emptied, so that documentation links and message text are not counted
/// as imports.
fn without_comments(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(character) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else if let Some(after) = raw_string_start(rest, &out) {
            // r"…", r#"…"#: ends at the quote followed by as many hashes.
            let hashes = after.len() - after.trim_start_matches('#').len();
            let closing = format!("\"{}", "#".repeat(hashes));
            let body = &after[hashes + 1..];
            rest = body
                .find(&closing)
                .map_or("", |end| &body[end + closing.len()..]);
            out.push_str("\"\"");
        } else if character == '"' {
            let bytes = rest.as_bytes();
            let mut end = 1;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            rest = rest.get(end + 1..).unwrap_or("");
            out.push_str("\"\"");
        } else if let Some(after) = ["'\"'", "'\\''", "'\\\"'"]
            .iter()
            .find_map(|literal| rest.strip_prefix(literal))
        {
            // A quote as a character literal does not open a string.
            rest = after;
            out.push_str("' '");
        } else {
            out.push(character);
            rest = &rest[character.len_utf8()..];
        }
    }
    out
}

/// What follows the `r` of a raw string literal starting `rest`, if one
/// does: the `r` must not end an identifier (given what came before),
/// except the `b` of a raw byte string.
fn raw_string_start<'a>(rest: &'a str, before: &str) -> Option<&'a str> {
    let after = rest.strip_prefix('r')?;
    let opens = after.trim_start_matches('#').starts_with('"');
    let before = before.as_bytes();
    let in_identifier = match before {
        [.., previous, b'b'] => is_ident_byte(*previous),
        [.., last] => is_ident_byte(*last),
        [] => false,
    };
    (opens && !in_identifier).then_some(after)
}

/// The modules `code` uses, for a file `depth` directories below `src/`:
/// `crate::` paths, and `super::` chains long enough to reach the root.
fn uses(code: &str, depth: usize) -> BTreeSet<String> {
    let code = without_comments(code);
    let mut modules: BTreeSet<String> = crate_paths(&code).into_iter().collect();
    let to_root = "super::".repeat(depth + 1);
    let mut from = 0;
    while let Some(at) = code[from..].find(&to_root) {
        let start = from + at + to_root.len();
        let end = code[start..]
            .bytes()
            .position(|byte| !is_ident_byte(byte))
            .map_or(code.len(), |end| start + end);
        modules.insert(code[start..end].to_owned());
        from = end;
    }
    modules
}

fn allowed(module: &str) -> Option<&'static [&'static str]> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, allowed)| *allowed)
}

#[test]
fn no_module_imports_up_the_layering() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut checked = 0;
    for file in &files {
        let Some((module, depth)) = module_of(file) else {
            continue;
        };
        let allowed = allowed(&module).unwrap_or_else(|| {
            panic!(
                "{}: module {module:?} has no layer in the table",
                file.display()
            )
        });
        let code = std::fs::read_to_string(file).unwrap();
        for used in uses(&code, depth) {
            assert!(
                used == module || allowed.contains(&used.as_str()),
                "{}: {module} uses crate::{used}, which its layer may not use \
                 (names re-exported at the crate root count as the root: \
                 use the module path)",
                file.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} files checked");
}

#[test]
fn every_layer_in_the_table_is_a_module_of_the_crate() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    for (module, _) in LAYERS {
        assert!(
            lib.contains(&format!("mod {module};")),
            "{module} is not declared in lib.rs"
        );
    }
}

#[test]
fn the_layers_form_no_cycle() {
    // Each module may use only modules listed before it: the table is in
    // dependency order, so no arrow can point back.
    for (position, (module, allowed)) in LAYERS.iter().enumerate() {
        for used in *allowed {
            let earlier = LAYERS[..position].iter().any(|(name, _)| name == used);
            assert!(earlier, "{module} may use {used}, which is not below it");
        }
    }
}

#[test]
fn the_scan_sees_every_form_of_a_crate_path() {
    let code = r###"
        use crate::wire::Event;
        use crate::{catalogue::Catalogue, limits};
        use crate::{schema::{Schema, JsonKind}, topic::Topic};
        fn f() { crate::router::Router::new(); super::super::export::asyncapi(); }
        // crate::pattern in a comment is no import
        /// [`x`](crate::matcher::Trie)
        const TEXT: &str = "crate::endpoints";
        const RAW: &str = r##"a "quoted" crate::pattern"##;
        const BYTES: &[u8] = br#"a "quoted" crate::pattern"#;
        const QUOTE: u8 = b'"';
        fn g(my_crate::x: u8) { crate::json::Reader::new(); }
    "###;
    let found: Vec<String> = uses(code, 1).into_iter().collect();
    assert_eq!(
        found,
        [
            "catalogue",
            "export",
            "json",
            "limits",
            "router",
            "schema",
            "topic",
            "wire"
        ]
    );
}
