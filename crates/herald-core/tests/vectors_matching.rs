//! The shared topic-matching vectors (`tests/vectors/matching.tsv`), which the
//! C and Python suites also run: one pattern, one topic, one expected answer.

use herald_core::{Pattern, Router, Topic};

struct Vector {
    line: usize,
    pattern: String,
    topic: String,
    expected: String,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/matching.tsv"
    );
    let text = std::fs::read_to_string(path).expect("tests/vectors/matching.tsv");
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with("//") && !line.is_empty())
        .map(|(index, line)| {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 3, "line {}: {line:?}", index + 1);
            Vector {
                line: index + 1,
                pattern: columns[0].to_owned(),
                topic: columns[1].to_owned(),
                expected: columns[2].to_owned(),
            }
        })
        .collect()
}

/// The answer as the vectors spell it, through `Pattern::matches`.
fn answer_by_pattern(vector: &Vector) -> String {
    let pattern = match Pattern::parse(&vector.pattern) {
        Ok(pattern) => pattern,
        Err(error) => return format!("invalid-pattern:{}", error.code()),
    };
    match Topic::parse(&vector.topic) {
        Ok(topic) if pattern.matches(&topic) => "match".to_owned(),
        Ok(_) => "no-match".to_owned(),
        Err(error) => format!("invalid-topic:{}", error.code()),
    }
}

/// The same answer through a router holding the one pattern.
fn answer_by_router(vector: &Vector) -> String {
    let pattern = match Pattern::parse(&vector.pattern) {
        Ok(pattern) => pattern,
        Err(error) => return format!("invalid-pattern:{}", error.code()),
    };
    let mut router = Router::new();
    router.subscribe(&pattern, 7).unwrap();
    let mut ids = Vec::new();
    match router.match_into(&vector.topic, &mut ids) {
        Ok(()) if ids == [7] => "match".to_owned(),
        Ok(()) => {
            assert!(ids.is_empty());
            "no-match".to_owned()
        }
        Err(error) => format!("invalid-topic:{}", error.code()),
    }
}

#[test]
fn every_matching_vector_gives_its_expected_answer() {
    let vectors = vectors();
    assert!(vectors.len() >= 50);
    for vector in &vectors {
        assert_eq!(
            answer_by_pattern(vector),
            vector.expected,
            "line {}",
            vector.line
        );
        assert_eq!(
            answer_by_router(vector),
            vector.expected,
            "line {} (router)",
            vector.line
        );
    }
}
