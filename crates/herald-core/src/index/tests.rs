//! The index on its own: with a hasher that sends every key to one bucket
//! (answers stay exact because every hash match is confirmed against the
//! literal text), and at the edges where patterns leave the probes for the
//! trie or a probe's `*`s change form.

use proptest::prelude::*;

use super::*;
use places::PLACE_BITS;

/// The patterns `texts` spell, each with its place in `texts` as its id.
fn numbered<T: AsRef<str>>(texts: &[T]) -> Vec<(Pattern, u64)> {
    texts
        .iter()
        .enumerate()
        .map(|(id, text)| (Pattern::parse(text.as_ref()).unwrap(), id as u64))
        .collect()
}

/// An index with `hashing` holding `patterns`, each pair new to it.
fn filled<S: SegmentHasher>(hashing: S, patterns: &[(Pattern, u64)]) -> Index<S> {
    let mut index = Index::with_hasher(hashing);
    for (pattern, id) in patterns {
        assert_eq!(
            index.insert(pattern, *id, usize::MAX),
            Some(true),
            "{pattern}"
        );
    }
    index
}

/// Hashes everything to 0: every pattern of every shape gets the same key.
#[derive(Debug, Clone, Copy, Default)]
struct Colliding;

impl SegmentHasher for Colliding {
    fn segment(&self, _: usize, _: impl Fn(usize) -> u64) -> u64 {
        0
    }

    fn salt(&self, _: &[u8]) -> u64 {
        0
    }
}

fn matched<S: SegmentHasher>(index: &Index<S>, topic: &str) -> Vec<u64> {
    let mut ids = Vec::new();
    index
        .for_each_match(
            topic,
            &Limits::default(),
            Some(&mut MatchScratch::new()),
            |set| set.for_each(|id| ids.push(id)),
        )
        .unwrap();
    ids.sort_unstable();
    ids
}

fn expected(patterns: &[(Pattern, u64)], topic: &str) -> Vec<u64> {
    let topic = crate::topic::Topic::parse(topic).unwrap();
    let mut ids: Vec<u64> = patterns
        .iter()
        .filter(|(pattern, _)| pattern.matches(&topic))
        .map(|(_, id)| *id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn colliding_keys_still_give_exact_answers() {
    let texts = [
        "a.b", "b.a", "a.*", "*.b", "a.b.c", "a.>", "a.#", "#.b", "a.#.b", "#", "*.*", "a.#.>",
        "#.a.#.b", "ab", "a.bc", "ab.c",
    ];
    let patterns = numbered(&texts);
    let mut index = filled(Colliding, &patterns);
    for topic in [
        "a.b", "b.a", "a", "b", "a.b.c", "ab.c", "a.bc", "ab", "x.a.y.b", "c.c",
    ] {
        assert_eq!(
            matched(&index, topic),
            expected(&patterns, topic),
            "{topic}"
        );
    }
    // Lookups by pattern are confirmed too: removing one leaves its twins.
    assert!(index.remove(&Pattern::parse("a.b").unwrap(), 0));
    assert!(!index.remove(&Pattern::parse("a.b").unwrap(), 0));
    assert_eq!(matched(&index, "a.b"), expected(&patterns[1..], "a.b"));
    assert_eq!(
        index.get(&Pattern::parse("b.a").unwrap()).map(Ids::len),
        Some(1)
    );
}

fn segment() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => Just("a"),
        3 => Just("b"),
        2 => Just("*"),
        1 => Just("#"),
    ]
}

fn pattern_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment(), 1..5),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(mut segments, tail)| {
            let mut hashes = 0;
            for segment in &mut segments {
                if *segment == "#" {
                    hashes += 1;
                    if hashes > 2 {
                        *segment = "*";
                    }
                }
            }
            if tail {
                segments.push(">");
            }
            segments.join(".")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn a_colliding_index_agrees_with_the_one_off_matcher(
        texts in prop::collection::vec(pattern_text(), 1..12),
        topics in prop::collection::vec(
            prop::collection::vec(prop_oneof![Just("a"), Just("b")], 1..6),
            1..6,
        ),
    ) {
        let patterns = numbered(&texts);
        let index = filled(Colliding, &patterns);
        for topic in topics {
            let topic = topic.join(".");
            prop_assert_eq!(matched(&index, &topic), expected(&patterns, &topic), "{}", topic);
        }
    }
}

#[test]
fn shapes_past_the_limit_go_to_the_trie_and_are_found_there() {
    let mut index = Index::default();
    // 600 distinct shapes of 40 segments: two stars at different places in each.
    let places: Vec<(usize, usize)> = (0..40)
        .flat_map(|first| (first + 1..40).map(move |second| (first, second)))
        .take(600)
        .collect();
    let patterns: Vec<Pattern> = places
        .iter()
        .map(|&(first, second)| {
            let segments: Vec<&str> = (0..40)
                .map(|at| {
                    if at == first || at == second {
                        "*"
                    } else {
                        "x"
                    }
                })
                .collect();
            Pattern::parse(&segments.join(".")).unwrap()
        })
        .collect();
    for (id, pattern) in patterns.iter().enumerate() {
        assert_eq!(index.insert(pattern, id as u64, usize::MAX), Some(true));
    }
    assert_eq!(index.shape_count(), shape::MAX_SHAPES);
    assert!(index.trie_node_count() > 1);
    let topic = vec!["x"; 40].join(".");
    let mut found = 0;
    index
        .for_each_match(
            &topic,
            &Limits::default(),
            Some(&mut MatchScratch::new()),
            |_| found += 1,
        )
        .unwrap();
    assert_eq!(found, 600);
    for (id, pattern) in patterns.iter().enumerate() {
        assert!(
            index
                .get(pattern)
                .is_some_and(|ids| ids.contains(id as u64))
        );
        assert!(index.remove(pattern, id as u64));
    }
    assert_eq!((index.shape_count(), index.node_count()), (0, 1));
}

#[test]
fn a_star_far_from_its_anchor_is_matched_by_the_trie() {
    let limits = Limits {
        max_segments: 200,
        max_topic_bytes: 4096,
        ..Limits::default()
    };
    let mut segments = vec!["x"; 150];
    segments[100] = "*";
    let far = Pattern::parse_with(&segments.join("."), &limits).unwrap();
    let mut index = Index::default();
    assert_eq!(index.insert(&far, 7, usize::MAX), Some(true));
    assert_eq!((index.shape_count(), index.pattern_count()), (0, 1));
    segments[100] = "y";
    let mut found = Vec::new();
    index
        .for_each_match(
            &segments.join("."),
            &limits,
            Some(&mut MatchScratch::new()),
            |ids| ids.for_each(|id| found.push(id)),
        )
        .unwrap();
    assert_eq!(found, [7]);
    assert!(index.remove(&far, 7));
    assert_eq!(index.node_count(), 1);
}

#[test]
fn stars_named_by_place_and_stars_kept_as_bits_are_subtracted_exactly() {
    // Exact shapes of 20 segments with one, two or three `*`s at places
    // spread over the topic: a probe names its first two by place and keeps
    // the third as a bit, so both forms run, alone and together.
    let places = [0, 1, 13, 14, 15, 16, 19];
    let mut texts = Vec::new();
    for (at, &first) in places.iter().enumerate() {
        for &second in &places[at..] {
            for &third in &[None, Some(19), Some(15)] {
                let mut segments = vec!["x"; 20];
                segments[first] = "*";
                segments[second] = "*";
                if let Some(third) = third {
                    segments[third] = "*";
                }
                texts.push(segments.join("."));
            }
        }
    }
    texts.sort();
    texts.dedup();
    let patterns = numbered(&texts);
    let index = filled(SecretKeys::default(), &patterns);
    // A topic with a `y` at one place or two is matched by exactly the
    // patterns with a `*` there.
    let mut checked = 0;
    for &first in &places {
        for &second in &places {
            let mut segments = vec!["x"; 20];
            segments[first] = "y";
            segments[second] = "y";
            let topic = segments.join(".");
            let found = matched(&index, &topic);
            assert_eq!(found, expected(&patterns, &topic), "{topic}");
            checked += usize::from(!found.is_empty());
        }
    }
    assert!(checked > places.len());
}

#[test]
fn exact_shapes_keep_their_place_bits_through_removals_and_reuse() {
    // 92 exact shapes of 8 segments (more than the place filter tells
    // apart), one to three `*`s each, two patterns per shape; then shapes
    // leave in the middle of the list and new ones take their slots, and
    // every step still answers exactly.
    let shape_text = |stars: &[usize], word: &str| {
        let mut segments: Vec<String> = (0..8).map(|at| format!("{word}{at}")).collect();
        for &at in stars {
            segments[at] = "*".to_owned();
        }
        segments.join(".")
    };
    let mut star_sets: Vec<Vec<usize>> = (0..8).map(|at| vec![at]).collect();
    for first in 0..8 {
        for second in first + 1..8 {
            star_sets.push(vec![first, second]);
        }
    }
    for first in 0..8 {
        for second in first + 1..8 {
            for third in second + 1..8 {
                star_sets.push(vec![first, second, third]);
            }
        }
    }
    assert!(star_sets.len() > PLACE_BITS);
    let mut patterns: Vec<(Pattern, u64)> = Vec::new();
    for (at, stars) in star_sets.iter().enumerate() {
        for word in ["a", "b"] {
            let text = shape_text(stars, word);
            patterns.push((Pattern::parse(&text).unwrap(), (at * 2) as u64));
        }
    }
    let topics: Vec<String> = ["a", "b", "c", "d"]
        .iter()
        .flat_map(|word| (0..8).map(move |odd| odd_one_out(word, 8, odd)))
        .collect();
    let check = |index: &Index, live: &[(Pattern, u64)]| {
        for topic in &topics {
            assert_eq!(matched(index, topic), expected(live, topic), "{topic}");
        }
        // Every shape is exact and of eight segments: a topic of eight
        // probes each live one, no more.
        let mut scratch = MatchScratch::new();
        index
            .for_each_match(&topics[0], &Limits::default(), Some(&mut scratch), |_| ())
            .unwrap();
        assert_eq!(scratch.stats().probes, index.shape_count());
    };
    let mut index = filled(SecretKeys::default(), &patterns);
    check(&index, &patterns);
    // Every third shape leaves, from the first slots and past the 64th.
    let (gone, mut live) = remove_where(&mut index, &patterns, |at| (at / 2) % 3 == 1);
    check(&index, &live);
    // They come back with other literals, into the dead slots.
    for (pattern, id) in &gone {
        let text = pattern.to_string().replace('a', "c").replace('b', "d");
        let pattern = Pattern::parse(&text).unwrap();
        index.insert(&pattern, *id + 1, usize::MAX);
        live.push((pattern, *id + 1));
    }
    check(&index, &live);
}

#[test]
fn pairs_of_adjacent_segments_never_rule_out_a_match_through_removals_and_reuse() {
    // Five-segment patterns over three words per place, most with one or
    // two `*`s: every word sits at every place of many shapes (single
    // segments rule out little, so the pair filter runs), while each shape
    // holds only some pairs. Every topic over the words is checked against
    // the one-off matcher, then after half the patterns leave, then after
    // they come back under other ids.
    let words = ["p", "q", "r"];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut texts = Vec::new();
    for _ in 0..300 {
        let mut segments: Vec<String> = (0..5)
            .map(|at| format!("{}{at}", words[next(words.len())]))
            .collect();
        for _ in 0..next(3) {
            segments[next(5)] = "*".to_owned();
        }
        texts.push(segments.join("."));
    }
    texts.sort();
    texts.dedup();
    let patterns = numbered(&texts);
    let mut topics = Vec::new();
    for code in 0..3usize.pow(5) {
        let topic: Vec<String> = (0..5)
            .map(|at| format!("{}{at}", words[code / 3usize.pow(at as u32) % 3]))
            .collect();
        topics.push(topic.join("."));
    }
    let check = |index: &Index, live: &[(Pattern, u64)]| {
        let mut hits = 0;
        for topic in &topics {
            let found = matched(index, topic);
            assert_eq!(found, expected(live, topic), "{topic}");
            hits += usize::from(!found.is_empty());
        }
        hits
    };
    let mut index = filled(SecretKeys::default(), &patterns);
    assert!(check(&index, &patterns) > 0);
    let (gone, kept): (Vec<_>, Vec<_>) = patterns.iter().cloned().partition(|(_, id)| id % 2 == 0);
    for (pattern, id) in &gone {
        assert!(index.remove(pattern, *id));
    }
    check(&index, &kept);
    let mut live = kept;
    for (pattern, id) in gone {
        index.insert(&pattern, id + 1_000, usize::MAX);
        live.push((pattern, id + 1_000));
    }
    assert!(check(&index, &live) > 0);
}

/// Topics of every length from 1 to 80 bytes and 1 to 24 segments (across
/// the eight-byte, 16-segment and 64-byte edges of the stack path), with
/// segments of 1 to 19 bytes, against patterns of every kind of place: the
/// answers equal the oracle's, and equal those of the same index made to
/// take the scratch path for every topic (a pattern in its trie).
#[test]
fn the_stack_path_answers_as_the_scratch_path_at_every_length_and_count() {
    let mut topics = Vec::new();
    for count in 1..=24usize {
        for width in 1..=19usize {
            let segments: Vec<String> = (0..count)
                .map(|at| {
                    let letter = char::from(b'a' + ((at * 7 + width) % 3) as u8);
                    // Widths vary within a topic, so segment ends fall on
                    // every byte of a word.
                    letter.to_string().repeat(1 + (width + at) % width.max(1))
                })
                .collect();
            let topic = segments.join(".");
            if topic.len() <= 80 {
                topics.push(topic);
            }
        }
    }
    // Short topics one byte at a time, with a `.` at every place.
    for len in 1..=12usize {
        topics.push("a".repeat(len));
        for dot in 1..len.saturating_sub(1) {
            let mut bytes = vec![b'b'; len];
            bytes[dot] = b'.';
            topics.push(String::from_utf8(bytes).unwrap());
        }
    }
    let mut texts: Vec<String> = Vec::new();
    for topic in topics.iter().step_by(5) {
        let segments: Vec<&str> = topic.split('.').collect();
        let n = segments.len();
        texts.push(topic.clone());
        texts.push(format!("{}.>", segments[..n - 1].join(".")));
        let mut star = segments.clone();
        star[n / 2] = "*";
        texts.push(star.join("."));
        texts.push(format!("#.{}", segments[n - 1]));
        if n >= 2 {
            texts.push(format!("{}.#.{}", segments[0], segments[n - 1]));
            texts.push(format!("#.*.{}", segments[n - 1]));
            texts.push(format!("{}.*.#", segments[0]));
        }
    }
    texts.retain(|text| !text.starts_with('.') && !text.is_empty());
    texts.sort();
    texts.dedup();
    let patterns = numbered(&texts);
    let stack = filled(SecretKeys::default(), &patterns);
    let colliding = filled(Colliding, &patterns);
    let mut scratch = stack.clone();
    // Two `#`: a trie pattern, which no topic here matches.
    let trie_only = Pattern::parse("#.zz.#.zz").unwrap();
    scratch.insert(&trie_only, u64::MAX, usize::MAX);
    assert!(scratch.trie_node_count() > 1);
    let mut found = 0;
    for topic in &topics {
        let want = expected(&patterns, topic);
        assert_eq!(matched(&stack, topic), want, "{topic}");
        assert_eq!(matched(&scratch, topic), want, "{topic} (scratch path)");
        assert_eq!(matched(&colliding, topic), want, "{topic} (colliding)");
        found += want.len();
    }
    assert!(
        found > topics.len(),
        "{found} matches over {} topics",
        topics.len()
    );
    assert!(topics.iter().any(|topic| topic.len() >= 64));
    assert!(
        topics
            .iter()
            .any(|topic| topic.len() < 64 && topic.split('.').count() > 16)
    );
}

/// The stack path confirms an entry by comparing arrays (the topic's
/// copy, or its literal segments copied side by side, against the inline
/// text up to its length); every other text by its bytes. Both must agree
/// with the one-off matcher for texts of every length up to past the
/// inline room, with a near miss at every byte: each literal byte changed,
/// and a literal a byte longer or shorter.
#[test]
fn texts_are_confirmed_exactly_at_every_length_and_byte() {
    let mut checked = 0;
    for len in 8..=63usize {
        // Segments of 1 to 16 bytes, at most 8 of them, filling `len`.
        let mut segments: Vec<String> = Vec::new();
        let mut left = len;
        while left > 0 {
            let width = (1 + (len * 3 + segments.len() * 5) % 16).min(left);
            let letter = char::from(b'a' + (segments.len() % 26) as u8);
            segments.push(letter.to_string().repeat(width));
            left = left.saturating_sub(width + 1);
        }
        if segments.len() > 8 {
            continue;
        }
        let topic = segments.join(".");
        let n = segments.len();
        // Leading literals, a star at each place, and a tail.
        let mut shapes: Vec<Vec<String>> = vec![segments.clone()];
        for star in 0..n {
            let mut starred = segments.clone();
            starred[star] = "*".into();
            shapes.push(starred);
        }
        if n >= 2 {
            let mut tail = segments[..n - 1].to_vec();
            tail.push(">".into());
            shapes.push(tail);
        }
        let mut texts: Vec<String> = Vec::new();
        for shape in &shapes {
            texts.push(shape.join("."));
            for (at, segment) in shape.iter().enumerate() {
                if segment == "*" || segment == ">" {
                    continue;
                }
                let mut near = |changed: String| {
                    let mut missed = shape.clone();
                    missed[at] = changed;
                    texts.push(missed.join("."));
                };
                for byte in 0..segment.len() {
                    let mut bytes = segment.clone().into_bytes();
                    bytes[byte] = b'z';
                    near(String::from_utf8(bytes).unwrap());
                }
                near(format!("{segment}z"));
                if segment.len() > 1 {
                    near(segment[1..].to_string());
                }
            }
        }
        texts.sort();
        texts.dedup();
        let patterns = numbered(&texts);
        let keyed = filled(SecretKeys::default(), &patterns);
        let colliding = filled(Colliding, &patterns);
        let want = expected(&patterns, &topic);
        assert_eq!(want.len(), shapes.len(), "{topic}");
        assert_eq!(matched(&keyed, &topic), want, "{topic}");
        assert_eq!(matched(&colliding, &topic), want, "{topic} (colliding)");
        checked += 1;
    }
    assert!(checked > 40, "{checked} topics");
}

#[test]
fn more_matching_shapes_than_the_stack_holds_are_all_found() {
    // Every way to put `*` in four places: 16 shapes, all matching.
    let texts: Vec<String> = (0..16u32)
        .map(|stars| {
            ["a", "b", "c", "d"]
                .iter()
                .enumerate()
                .map(|(at, word)| if stars & 1 << at != 0 { "*" } else { word })
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    let patterns = numbered(&texts);
    let index = filled(SecretKeys::default(), &patterns);
    assert_eq!(index.shape_count(), 16);
    assert_eq!(matched(&index, "a.b.c.d"), (0..16).collect::<Vec<u64>>());
    assert_eq!(matched(&index, "a.b.c.e"), expected(&patterns, "a.b.c.e"));
}

#[test]
fn an_index_past_the_prefetch_size_answers_as_the_one_off_matcher() {
    // Enough entries that a match asks for its candidates' lines first
    // (`LARGE_TABLE`), several of them matching each hit topic, some with
    // two subscribers.
    let bases = LARGE_TABLE / 3 + 2_000;
    let mut texts = std::collections::BTreeSet::new();
    for at in 0..bases {
        let (domain, entity, action) = (at % 50, at / 50, at % 7);
        texts.insert(format!("d{domain}.e{entity}.a{action}.q{}", at % 13));
        texts.insert(format!("d{domain}.e{entity}.a{action}.>"));
        texts.insert(format!("d{domain}.e{entity}.a{action}.*"));
        texts.insert(format!("d{domain}.*.a{action}.q{}", at % 13));
    }
    let texts: Vec<String> = texts.into_iter().collect();
    let mut patterns = numbered(&texts);
    let doubled: Vec<(Pattern, u64)> = patterns
        .iter()
        .step_by(5)
        .map(|(pattern, id)| (pattern.clone(), id + 1_000_000))
        .collect();
    patterns.extend(doubled);
    let index = filled(SecretKeys::default(), &patterns);
    assert!(index.table.len() >= LARGE_TABLE);
    // Every pattern starts with a literal domain, so only those of the
    // topic's domain can match it: the one-off matcher checks those.
    let mut by_domain: std::collections::HashMap<String, Vec<(Pattern, u64)>> =
        std::collections::HashMap::new();
    for (pattern, id) in &patterns {
        let Some(Segment::Literal(domain)) = pattern.segments().first() else {
            unreachable!("every pattern here starts with a literal");
        };
        by_domain
            .entry(domain.to_string())
            .or_default()
            .push((pattern.clone(), *id));
    }
    let mut hits = 0;
    for at in (0..bases).step_by(bases / 150) {
        let (domain, entity, action) = (at % 50, at / 50, at % 7);
        for topic in [
            format!("d{domain}.e{entity}.a{action}.q{}", at % 13),
            format!("d{domain}.e{entity}.a{action}.q99"),
            format!("d{domain}.e{entity}.a9.q{}", at % 13),
        ] {
            let found = matched(&index, &topic);
            hits += usize::from(found.len() > 1);
            let candidates = &by_domain[&format!("d{domain}")];
            assert_eq!(found, expected(candidates, &topic), "{topic}");
        }
    }
    assert!(hits > 150, "{hits} topics matched more than one pattern");
}

#[test]
fn shapes_of_every_kind_share_the_place_bits_through_removals_and_reuse() {
    // Exact and open shapes of several lengths, more of them than the place
    // filter has bits, registered interleaved; then every other shape
    // leaves and shapes of the other kind take the freed bits. Each step
    // is checked against the one-off matcher on topics of every length
    // that hit and miss each literal place.
    const WORDS: [&str; 2] = ["a", "b"];
    let mut texts: Vec<String> = Vec::new();
    for len in 1..=6usize {
        for star in 0..=len {
            for word in WORDS {
                let segment = |at: usize| {
                    if at == star {
                        "*".to_owned()
                    } else {
                        format!("{word}{at}")
                    }
                };
                let body: Vec<String> = (0..len).map(segment).collect();
                texts.push(body.join("."));
                texts.push(format!("{}.>", body.join(".")));
                texts.push(format!("{}.#", body.join(".")));
                texts.push(format!("#.{}", body.join(".")));
            }
        }
    }
    let patterns = numbered(&texts);
    let mut index = filled(SecretKeys::default(), &patterns);
    assert!(index.shape_count() > places::PLACE_BITS);
    let topics: Vec<String> = (1..=8usize)
        .flat_map(|len| {
            (0..=len).flat_map(move |odd| WORDS.iter().map(move |word| odd_one_out(word, len, odd)))
        })
        .collect();
    let check = |index: &Index, live: &[(Pattern, u64)]| {
        for topic in &topics {
            assert_eq!(matched(index, topic), expected(live, topic), "{topic}");
        }
    };
    check(&index, &patterns);
    let (gone, mut live) = remove_where(&mut index, &patterns, |at| (at / 8) % 2 == 0);
    check(&index, &live);
    // Back with the kinds swapped: exact shapes open, open ones closed.
    for (pattern, id) in &gone {
        let text = pattern.to_string();
        let text = match text.strip_suffix(".>").or(text.strip_suffix(".#")) {
            Some(body) => body.to_owned(),
            None => match text.strip_prefix("#.") {
                Some(body) => format!("{body}.b9"),
                None => format!("{text}.>"),
            },
        };
        let pattern = Pattern::parse(&text).unwrap();
        index.insert(&pattern, *id + 10_000, usize::MAX);
        live.push((pattern, *id + 10_000));
    }
    check(&index, &live);
}

/// A topic of `len` segments `{word}{at}`, except `z{at}` at place `odd`
/// (none when `odd` is `len`).
fn odd_one_out(word: &str, len: usize, odd: usize) -> String {
    (0..len)
        .map(|at| match at == odd {
            true => format!("z{at}"),
            false => format!("{word}{at}"),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// (pattern, subscriber) pairs.
type Subscribed = Vec<(Pattern, u64)>;

/// Removes from `index` the patterns whose place in `patterns` passes
/// `leaves` (each must be there); returns (removed, kept).
fn remove_where(
    index: &mut Index,
    patterns: &[(Pattern, u64)],
    leaves: impl Fn(usize) -> bool,
) -> (Subscribed, Subscribed) {
    let (mut gone, mut kept) = (Vec::new(), Vec::new());
    for (at, (pattern, id)) in patterns.iter().enumerate() {
        if leaves(at) {
            assert!(index.remove(pattern, *id));
            gone.push((pattern.clone(), *id));
        } else {
            kept.push((pattern.clone(), *id));
        }
    }
    (gone, kept)
}
