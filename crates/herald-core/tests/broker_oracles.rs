//! Plans checked against small reference matchers of each broker.
//!
//! Each oracle (in `common::brokers`) is written from the broker's documented semantics and
//! checked first against the broker project's own published test tables; the
//! property tests then draw random patterns and topics (with `$`-first,
//! non-ASCII, `/`, `+` and glob metacharacters in literals) and check that
//! what the planned subscriptions receive agrees with herald's matcher at the
//! plan's exactness level — at least 10,000 carried pattern/topic pairs per
//! broker and configuration.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use herald_core::broker::{Broker, Exactness, Plan, PlanOptions, Planner, Profile};
use herald_core::{Pattern, Topic};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::common::brokers::{amqp_matches, mqtt_matches, nats_matches, oracle, redis_matches};

#[test]
fn the_nats_oracle_agrees_with_nats_servers_sublist_table() {
    let cases = [
        ("foo", "foo", true),
        ("foo", "bar", false),
        ("foo", "*", true),
        ("foo", ">", true),
        ("foo.bar", ">", true),
        ("foo.bar", "foo.>", true),
        ("foo.bar", "bar.>", false),
        ("stats.test.22", "stats.>", true),
        ("stats.test.22", "stats.*.*", true),
        ("foo.bar", "foo", false),
        ("stats.test.foos", "stats.test.foos", true),
        ("stats.test.foos", "stats.test.foo", false),
        ("stats.test", "stats.test.*", false),
        ("stats.test.foos", "stats.*", false),
        ("stats.test.foos", "stats.*.*.foos", false),
        ("foo", "foo.>", false),
    ];
    for (subject, filter, expected) in cases {
        assert_eq!(
            nats_matches(filter, subject),
            Ok(expected),
            "{filter} {subject}"
        );
    }
}

#[test]
fn the_mqtt_oracle_agrees_with_mosquittos_topic_table() {
    let matching = [
        ("foo/#", "foo"),
        ("foo/bar", "foo/bar"),
        ("foo/+", "foo/bar"),
        ("foo/+/baz", "foo/bar/baz"),
        ("A/B/+/#", "A/B/B/C"),
        ("foo/+/#", "foo/bar/baz"),
        ("foo/+/#", "foo/bar"),
        ("#", "foo/bar/baz"),
    ];
    for (filter, topic) in matching {
        assert_eq!(mqtt_matches(filter, topic), Ok(true), "{filter} {topic}");
    }
    let not_matching = [
        ("test/6/#", "test/3"),
        ("foo/bar", "foo"),
        ("foo/+", "foo/bar/baz"),
        ("foo/+/baz", "foo/bar/bar"),
        ("foo/+/#", "fo2/bar/baz"),
        ("#", "$SYS/bar"),
        ("$BOB/bar", "$SYS/bar"),
        ("+/bar", "$SYS/bar"),
    ];
    for (filter, topic) in not_matching {
        assert_eq!(mqtt_matches(filter, topic), Ok(false), "{filter} {topic}");
    }
    for invalid in ["foo+", "fo#o/", "foo/#a", "#/a", "a/#/b"] {
        assert!(mqtt_matches(invalid, "foo").is_err(), "{invalid}");
    }
}

#[test]
fn the_amqp_oracle_agrees_with_rabbitmqs_topic_table() {
    let bindings = [
        "a.b.c",
        "a.*.c",
        "a.#.b",
        "a.b.b.c",
        "#",
        "#.#",
        "#.b",
        "*.*",
        "a.*",
        "*.b.c",
        "a.#",
        "a.#.#",
        "b.b.c",
        "a.b.b",
        "a.b",
        "b.c",
        "",
        "*.*.*",
        "vodka.martini",
        "a.b.c",
        "*.#",
        "#.*.#",
        "*.#.#",
        "*",
        "#.b.#",
    ];
    // Binding indices from 1, as RabbitMQ's table names them t1..t26; t24
    // (`#.#.#`) is left out, over the two-`#` limit this oracle enforces.
    let number = |index: usize| if index < 23 { index + 1 } else { index + 2 };
    let expected: [(&str, &[usize]); 10] = [
        ("a.b.c", &[1, 2, 5, 6, 10, 11, 12, 18, 20, 21, 22, 23, 26]),
        ("a.b", &[3, 5, 6, 7, 8, 9, 11, 12, 15, 21, 22, 23, 26]),
        ("a.b.b", &[3, 5, 6, 7, 11, 12, 14, 18, 21, 22, 23, 26]),
        ("", &[5, 6, 17]),
        ("b.c.c", &[5, 6, 18, 21, 22, 23, 26]),
        ("a.a.a.a.a", &[5, 6, 11, 12, 21, 22, 23]),
        ("vodka.gin", &[5, 6, 8, 21, 22, 23]),
        ("vodka.martini", &[5, 6, 8, 19, 21, 22, 23]),
        ("b.b.c", &[5, 6, 10, 13, 18, 21, 22, 23, 26]),
        ("oneword", &[5, 6, 21, 22, 23, 25]),
    ];
    for (key, want) in expected {
        let got: Vec<usize> = bindings
            .iter()
            .enumerate()
            .filter(|(_, binding)| amqp_matches(binding, key).unwrap())
            .map(|(index, _)| number(index))
            .collect();
        assert_eq!(got, want, "routing key {key:?}");
    }
}

#[test]
fn the_redis_oracle_reads_globs_as_redis_does() {
    let cases = [
        ("h?llo", "hello", true),
        ("h?llo", "hllo", false),
        ("h*llo", "hllo", true),
        ("h*llo", "heeeello", true),
        ("h[ae]llo", "hallo", true),
        ("h[ae]llo", "hillo", false),
        ("h[^e]llo", "hallo", true),
        ("h[^e]llo", "hello", false),
        ("h[a-b]llo", "hbllo", true),
        ("a.*", "a.b.c", true),
        ("a.*", "a.", true),
        ("\\*", "*", true),
        ("\\*", "x", false),
        ("a\\[b\\]", "a[b]", true),
        ("*", "", true),
    ];
    for (glob, channel, expected) in cases {
        assert_eq!(
            redis_matches(glob, channel),
            Ok(expected),
            "{glob} {channel}"
        );
    }
}

// ---------------------------------------------------------- the property

/// Plain literal segments, few so that patterns and topics meet often.
const PLAIN: &[&str] = &["a", "b", "c", "ab", "é"];
/// Literal segments that hit every broker's special characters.
const SPECIAL: &[&str] = &["$x", "a/b", "+", "x+y", "?", "[x]", "]", "x\\y", "\u{fdd0}"];

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(PLAIN).prop_map(str::to_owned),
        1 => prop::sample::select(SPECIAL).prop_map(str::to_owned),
    ]
}

fn pattern() -> impl Strategy<Value = Pattern> {
    let segment = prop_oneof![
        4 => literal(),
        2 => Just("*".to_owned()),
        2 => Just("#".to_owned()),
    ];
    (
        prop::collection::vec(segment, 1..=6),
        prop::bool::weighted(0.2),
    )
        .prop_filter_map("at most two `#`", |(mut segments, tail)| {
            if tail {
                segments.push(">".to_owned());
            }
            Pattern::parse(&segments.join(".")).ok()
        })
}

fn topic() -> impl Strategy<Value = String> {
    prop::collection::vec(literal(), 1..=6).prop_map(|segments| segments.join("."))
}

/// Runs `cases` random patterns with 40 random topics each through `planner`
/// and returns how many pattern/topic pairs the broker could carry, and the
/// exactness levels seen.
fn check_plans(planner: &Planner, cases: u32) -> (usize, BTreeSet<Exactness>) {
    let carried = Cell::new(0usize);
    let seen = RefCell::new(BTreeSet::new());
    // A fixed seed: the levels each broker must show (some, like AMQP's
    // superset, come from rare shapes) are then seen on every run.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let matches = oracle(planner.broker());
    let result = runner.run(
        &(pattern(), prop::collection::vec(topic(), 40)),
        |(pattern, topics)| {
            let plan = planner.plan(&pattern);
            seen.borrow_mut().insert(plan.exactness());
            for text in &topics {
                let topic = Topic::parse(text).unwrap();
                let wanted = pattern.matches(&topic);
                let Ok(name) = planner.topic(&topic) else {
                    continue;
                };
                if plan.exactness() == Exactness::Untranslatable {
                    prop_assert!(
                        !wanted,
                        "{pattern} is untranslatable ({:?}) but matches the carried topic {text}",
                        plan.refusal()
                    );
                    continue;
                }
                carried.set(carried.get() + 1);
                let mut deliveries = 0;
                for subscription in plan.subscriptions() {
                    let hit = matches(subscription, &name).map_err(TestCaseError::fail)?;
                    deliveries += usize::from(hit);
                }
                check_deliveries(&pattern, &plan, text, wanted, deliveries)?;
            }
            Ok(())
        },
    );
    if let Err(failure) = result {
        panic!("{} with {:?}: {failure}", planner.broker(), planner);
    }
    (carried.get(), seen.into_inner())
}

fn check_deliveries(
    pattern: &Pattern,
    plan: &Plan,
    topic: &str,
    wanted: bool,
    deliveries: usize,
) -> Result<(), TestCaseError> {
    let context = || {
        format!(
            "{pattern} -> {:?} {:?}, topic {topic}: herald {wanted}, {deliveries} deliveries",
            plan.exactness(),
            plan.subscriptions()
        )
    };
    if !plan.may_duplicate() {
        prop_assert!(deliveries <= 1, "{}", context());
    }
    match plan.exactness() {
        Exactness::Exact => {
            prop_assert_eq!(plan.subscriptions().len(), 1, "{}", context());
            prop_assert_eq!(deliveries, usize::from(wanted), "{}", context());
        }
        Exactness::Split => {
            prop_assert!(plan.subscriptions().len() > 1, "{}", context());
            prop_assert_eq!(deliveries, usize::from(wanted), "{}", context());
        }
        Exactness::Overlapping => {
            prop_assert!(plan.may_duplicate(), "{}", context());
            prop_assert_eq!(deliveries > 0, wanted, "{}", context());
        }
        Exactness::Superset => {
            prop_assert!(plan.needs_filter(), "{}", context());
            prop_assert!(!wanted || deliveries > 0, "{}", context());
        }
        Exactness::Untranslatable => unreachable!("handled by the caller"),
    }
    Ok(())
}

fn planner(broker: Broker, options: PlanOptions) -> Planner {
    Planner::new(broker, &options).unwrap()
}

const CASES: u32 = 400;
const AT_LEAST: usize = 10_000;

fn levels(names: &[Exactness]) -> BTreeSet<Exactness> {
    names.iter().copied().collect()
}

#[test]
fn nats_plans_receive_what_herald_matches() {
    let (carried, seen) = check_plans(&planner(Broker::Nats, PlanOptions::default()), CASES);
    assert!(carried >= AT_LEAST, "{carried} pairs");
    use Exactness::*;
    assert_eq!(seen, levels(&[Exact, Split, Superset]));
}

#[test]
fn mqtt_plans_receive_what_herald_matches() {
    let (carried, seen) = check_plans(&planner(Broker::Mqtt, PlanOptions::default()), CASES);
    assert!(carried >= AT_LEAST, "{carried} pairs");
    use Exactness::*;
    assert_eq!(seen, levels(&[Exact, Superset, Untranslatable]));
}

#[test]
fn amqp_plans_receive_what_herald_matches() {
    let (carried, seen) = check_plans(&planner(Broker::Amqp, PlanOptions::default()), CASES);
    assert!(carried >= AT_LEAST, "{carried} pairs");
    use Exactness::*;
    assert_eq!(seen, levels(&[Exact, Superset]));
}

#[test]
fn redis_plans_receive_what_herald_matches() {
    let (carried, seen) = check_plans(&planner(Broker::Redis, PlanOptions::default()), CASES);
    assert!(carried >= AT_LEAST, "{carried} pairs");
    use Exactness::*;
    assert_eq!(seen, levels(&[Exact, Split, Overlapping, Superset]));
}

#[test]
fn expanded_plans_within_a_depth_receive_what_herald_matches() {
    for broker in [Broker::Nats, Broker::Mqtt] {
        let options = PlanOptions {
            max_expansion: Some(64),
            max_depth: Some(8),
            profile: None,
        };
        let (carried, seen) = check_plans(&planner(broker, options), CASES);
        assert!(carried >= AT_LEAST, "{broker}: {carried} pairs");
        assert!(seen.contains(&Exactness::Overlapping), "{broker}: {seen:?}");
    }
}

#[test]
fn plans_for_shallow_topics_receive_what_herald_matches() {
    for broker in Broker::ALL {
        let options = PlanOptions {
            max_expansion: Some(6),
            max_depth: Some(4),
            profile: None,
        };
        let (carried, _) = check_plans(&planner(broker, options), CASES);
        assert!(carried >= AT_LEAST / 2, "{broker}: {carried} pairs");
    }
}

#[test]
fn aws_iot_plans_receive_what_herald_matches() {
    let options = PlanOptions {
        profile: Some(Profile::AwsIot),
        ..PlanOptions::default()
    };
    let (carried, seen) = check_plans(&planner(Broker::Mqtt, options), CASES);
    assert!(carried >= AT_LEAST, "{carried} pairs");
    assert!(seen.contains(&Exactness::Split), "{seen:?}");
}
