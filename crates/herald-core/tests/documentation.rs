//! The repository's documentation holds together: the README stays a short
//! front door that links every page of `docs/`, every relative link of the
//! README and the pages names a file and a heading that exist, and every page
//! with Rust examples is compiled and run as doctests (`src/lib.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The README is read first; past this size it stops being a front door and
/// the details belong in `docs/`.
const README_LIMIT_BYTES: usize = 12 * 1024;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// `docs/*.md`, sorted.
fn doc_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(repository().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages
}

/// The lines of a Markdown text outside fenced code blocks.
fn prose_lines(text: &str) -> Vec<&str> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            lines.push(line);
        }
    }
    lines
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces
/// as hyphens; a repeated heading gets `-1`, `-2`, ….
fn anchors(text: &str) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors = Vec::new();
    for line in prose_lines(text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let slug: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let count = seen.entry(slug.clone()).or_default();
        anchors.push(match *count {
            0 => slug.clone(),
            n => format!("{slug}-{n}"),
        });
        *count += 1;
    }
    anchors
}

/// The targets of the inline links `[text](target)` outside code.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in prose_lines(text) {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            targets.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    targets
}

#[test]
fn the_readme_is_a_front_door_of_at_most_12_kib() {
    let size = read(&repository().join("README.md")).len();
    assert!(
        size <= README_LIMIT_BYTES,
        "README.md is {size} bytes, more than {README_LIMIT_BYTES}: move details into docs/ and link them"
    );
}

#[test]
fn the_readme_links_every_page_of_docs() {
    let readme = read(&repository().join("README.md"));
    let linked = link_targets(&readme);
    for page in doc_pages() {
        let name = format!("docs/{}", page.file_name().unwrap().to_str().unwrap());
        assert!(
            linked
                .iter()
                .any(|target| target.split('#').next() == Some(name.as_str())),
            "README.md does not link {name}"
        );
    }
}

#[test]
fn every_relative_link_names_a_file_and_a_heading_that_exist() {
    let root = repository();
    let mut documents = vec![
        root.join("README.md"),
        root.join("bindings/python/README.md"),
    ];
    documents.extend(doc_pages());
    let mut broken = Vec::new();
    for document in &documents {
        let text = read(document);
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let path = if file.is_empty() {
                document.clone()
            } else {
                document.parent().unwrap().join(file)
            };
            if !path.exists() {
                broken.push(format!("{}: {target} (no such file)", document.display()));
            } else if !anchor.is_empty()
                && !anchors(&read(&path)).iter().any(|known| known == anchor)
            {
                broken.push(format!(
                    "{}: {target} (no such heading)",
                    document.display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_page_with_rust_examples_is_compiled_as_doctests() {
    let root = repository();
    let lib = read(&root.join("crates/herald-core/src/lib.rs"));
    let mut pages = vec![root.join("README.md")];
    pages.extend(doc_pages());
    for page in pages {
        if !read(&page).contains("```rust") {
            continue;
        }
        let relative = page
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            lib.contains(&format!("include_str!(\"../../../{relative}\")")),
            "{relative} has Rust examples but src/lib.rs does not include it as doctests"
        );
    }
}

#[test]
fn the_heading_anchors_follow_github() {
    let text = "# A\n## Inside `herald-ffi`: how an export is written\n```\n# not a heading\n```\n## C\n## C\n";
    assert_eq!(
        anchors(text),
        [
            "a",
            "inside-herald-ffi-how-an-export-is-written",
            "c",
            "c-1"
        ]
    );
}
