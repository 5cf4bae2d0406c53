//! One test per translation row and per refusal of `herald_core::broker`.

use herald_core::broker::{
    Broker, BrokerError, Exactness, MAX_EXPANSION, PlanOptions, Planner, Profile,
};
use herald_core::{Pattern, Topic};

fn planner(broker: Broker) -> Planner {
    Planner::new(broker, &PlanOptions::default()).unwrap()
}

fn with(broker: Broker, options: PlanOptions) -> Planner {
    Planner::new(broker, &options).unwrap()
}

/// (exactness, subscriptions) of `pattern` on `planner`.
fn plan(planner: &Planner, pattern: &str) -> (Exactness, Vec<String>) {
    let plan = planner.plan(&Pattern::parse(pattern).unwrap());
    (plan.exactness(), plan.subscriptions().to_vec())
}

fn row(broker: Broker, pattern: &str, exactness: Exactness, subscriptions: &[&str]) {
    assert_eq!(
        plan(&planner(broker), pattern),
        (
            exactness,
            subscriptions.iter().map(|s| s.to_string()).collect()
        ),
        "{broker} {pattern}"
    );
}

fn refusal_code(planner: &Planner, pattern: &str) -> &'static str {
    let plan = planner.plan(&Pattern::parse(pattern).unwrap());
    assert_eq!(plan.exactness(), Exactness::Untranslatable, "{pattern}");
    assert!(plan.subscriptions().is_empty());
    plan.refusal().unwrap().code()
}

fn topic(planner: &Planner, topic: &str) -> Result<String, &'static str> {
    planner
        .topic(&Topic::parse(topic).unwrap())
        .map_err(|refusal| refusal.code())
}

use Broker::{Amqp, Mqtt, Nats, Redis};
use Exactness::{Exact, Overlapping, Split, Superset};

#[test]
fn a_tail_is_one_or_more_levels_on_every_broker() {
    row(Nats, "a.>", Exact, &["a.>"]);
    row(Mqtt, "a.>", Exact, &["a/+/#"]);
    row(Amqp, "a.>", Exact, &["a.*.#"]);
    row(Redis, "a.>", Exact, &["a.*"]);
}

#[test]
fn a_trailing_hash_is_the_parent_and_everything_below() {
    row(Nats, "a.#", Split, &["a", "a.>"]);
    row(Mqtt, "a.#", Exact, &["a/#"]);
    row(Amqp, "a.#", Exact, &["a.#"]);
    row(Redis, "a.#", Split, &["a", "a.*"]);
}

#[test]
fn a_lone_hash_or_tail_is_everything() {
    for pattern in ["#", ">", "#.>", "*.#", "#.#"] {
        row(Nats, pattern, Exact, &[">"]);
        row(Mqtt, pattern, Exact, &["#"]);
        row(Amqp, pattern, Exact, &["#"]);
        row(Redis, pattern, Exact, &["*"]);
    }
}

#[test]
fn a_star_is_one_level_except_on_redis_where_it_is_a_superset() {
    row(Nats, "a.*", Exact, &["a.*"]);
    row(Mqtt, "a.*", Exact, &["a/+"]);
    row(Amqp, "a.*", Exact, &["a.*"]);
    row(Redis, "a.*", Superset, &["a.*"]);
    row(Redis, "*.b.*", Superset, &["*.b.*"]);
}

#[test]
fn literals_alone_are_exact_everywhere() {
    row(Nats, "a.b.c", Exact, &["a.b.c"]);
    row(Mqtt, "a.b.c", Exact, &["a/b/c"]);
    row(Amqp, "a.b.c", Exact, &["a.b.c"]);
    row(Redis, "a.b.c", Exact, &["a.b.c"]);
}

#[test]
fn a_middle_hash_is_a_superset_on_nats_and_mqtt() {
    row(Nats, "#.b", Superset, &[">"]);
    row(Mqtt, "#.b", Superset, &["#"]);
    row(Nats, "a.#.b", Superset, &["a.>"]);
    row(Mqtt, "a.#.b", Superset, &["a/+/#"]);
    // The rest after `#` needs two levels at least.
    row(Nats, "a.#.b.c", Superset, &["a.*.>"]);
    row(Mqtt, "a.#.b.c", Superset, &["a/+/+/#"]);
}

#[test]
fn a_middle_hash_is_exact_on_amqp_and_split_on_redis() {
    row(Amqp, "#.b", Exact, &["#.b"]);
    row(Amqp, "a.#.b", Exact, &["a.#.b"]);
    row(Redis, "#.b", Split, &["b", "*.b"]);
    row(Redis, "a.#.b", Split, &["a.b", "a.*.b"]);
}

#[test]
fn a_star_next_to_a_hash_is_written_exactly_on_redis() {
    // `*.#` and `#.*` are one or more segments: Redis's `*` between dots.
    row(Redis, "a.*.#.b", Exact, &["a.*.b"]);
    row(Redis, "a.#.*.b", Exact, &["a.*.b"]);
    row(Redis, "*.*.#", Exact, &["*.*"]);
}

#[test]
fn two_hashes_on_redis_overlap() {
    row(Redis, "#.a.#", Overlapping, &["a", "*.a", "a.*", "*.a.*"]);
}

#[test]
fn two_hashes_and_a_tail_are_widened_on_amqp() {
    // `#.a.#.b.>` needs three `#` in AMQP (`>` is `*.#`); RabbitMQ takes two.
    row(Amqp, "#.a.#.b.>", Superset, &["#.a.#"]);
    row(Amqp, "#.a.#.b", Exact, &["#.a.#.b"]);
}

#[test]
fn redis_glob_characters_in_literals_are_escaped() {
    row(Redis, "a?.[b].c\\d.]", Exact, &["a\\?.\\[b\\].c\\\\d.\\]"]);
    row(Nats, "a?.[b]", Exact, &["a?.[b]"]);
}

#[test]
fn dollar_and_non_ascii_literals_pass_through_where_allowed() {
    row(Nats, "$x.é", Exact, &["$x.é"]);
    row(Amqp, "$x.é.#", Exact, &["$x.é.#"]);
    row(Redis, "$x.é", Exact, &["$x.é"]);
    row(Mqtt, "é.$x", Exact, &["é/$x"]);
}

#[test]
fn an_expansion_writes_one_subscription_per_depth() {
    let options = PlanOptions {
        max_expansion: Some(4),
        max_depth: Some(4),
        profile: None,
    };
    assert_eq!(
        plan(&with(Nats, options), "#.b"),
        (
            Split,
            vec!["b".into(), "*.b".into(), "*.*.b".into(), "*.*.*.b".into()]
        )
    );
    assert_eq!(
        plan(&with(Mqtt, options), "a.#.b"),
        (Split, vec!["a/b".into(), "a/+/b".into(), "a/+/+/b".into()])
    );
}

#[test]
fn an_expansion_of_a_hash_before_a_tail_overlaps() {
    let options = PlanOptions {
        max_expansion: Some(8),
        max_depth: Some(3),
        profile: None,
    };
    assert_eq!(
        plan(&with(Nats, options), "#.b.>"),
        (Overlapping, vec!["b.>".into(), "*.b.*".into()])
    );
}

#[test]
fn an_expansion_over_the_cap_falls_back_to_a_superset() {
    let options = PlanOptions {
        max_expansion: Some(3),
        max_depth: Some(4),
        profile: None,
    };
    assert_eq!(
        plan(&with(Nats, options), "#.b"),
        (Superset, vec![">".into()])
    );
}

#[test]
fn the_aws_iot_profile_expands_within_eight_levels_and_eight_filters() {
    let aws = with(
        Mqtt,
        PlanOptions {
            profile: Some(Profile::AwsIot),
            ..PlanOptions::default()
        },
    );
    let (exactness, filters) = plan(&aws, "#.failed");
    assert_eq!(exactness, Split);
    assert_eq!(filters.len(), 8);
    assert_eq!(filters[7], "+/+/+/+/+/+/+/failed");
    // Two middle hashes need more than eight filters: a superset.
    assert_eq!(plan(&aws, "#.a.#.b").0, Superset);
    // At the depth limit a trailing `#` can only match the parent.
    assert_eq!(
        plan(&aws, "a.b.c.d.e.f.g.h.#"),
        (Exact, vec!["a/b/c/d/e/f/g/h".into()])
    );
    assert_eq!(refusal_code(&aws, "a.b.c.d.e.f.g.h.i"), "nothing_to_carry");
}

#[test]
fn mqtt_refuses_separators_and_wildcards_inside_segments() {
    let mqtt = planner(Mqtt);
    assert_eq!(refusal_code(&mqtt, "a/b.c"), "separator_in_segment");
    assert_eq!(refusal_code(&mqtt, "a.x+y"), "wildcard_in_segment");
    assert_eq!(refusal_code(&mqtt, "a.\u{fffe}"), "non_character");
    assert_eq!(topic(&mqtt, "a/b.c"), Err("separator_in_segment"));
    assert_eq!(topic(&mqtt, "a.+"), Err("wildcard_in_segment"));
    assert_eq!(topic(&mqtt, "a.\u{fdd0}"), Err("non_character"));
}

#[test]
fn mqtt_refuses_dollar_topics_and_patterns_that_only_match_them() {
    let mqtt = planner(Mqtt);
    assert_eq!(topic(&mqtt, "$SYS.load"), Err("reserved_prefix"));
    assert_eq!(refusal_code(&mqtt, "$SYS.#"), "nothing_to_carry");
    let plan = mqtt.plan(&Pattern::parse("$SYS.#").unwrap());
    assert!(plan.refusal().unwrap().to_string().contains('$'));
    // A leading wildcard never reaches `$` topics, which are refused anyway.
    assert_eq!(plan_exactness(&mqtt, "*.load"), Exact);
}

fn plan_exactness(planner: &Planner, pattern: &str) -> Exactness {
    plan(planner, pattern).0
}

#[test]
fn amqp_refuses_keys_over_255_bytes() {
    let amqp = planner(Amqp);
    let long = ["xy"; 128].join(".");
    assert_eq!(topic(&amqp, &long), Err("too_long"));
    assert_eq!(refusal_code(&amqp, &long), "too_long");
    let fits = ["x"; 128].join("");
    assert_eq!(topic(&amqp, &fits), Ok(fits.clone()));
}

#[test]
fn aws_iot_refuses_deep_or_long_topics() {
    let aws = with(
        Mqtt,
        PlanOptions {
            profile: Some(Profile::AwsIot),
            ..PlanOptions::default()
        },
    );
    assert_eq!(topic(&aws, "a.b.c.d.e.f.g.h"), Ok("a/b/c/d/e/f/g/h".into()));
    assert_eq!(topic(&aws, "a.b.c.d.e.f.g.h.i"), Err("too_deep"));
    assert_eq!(topic(&aws, &"x".repeat(257)), Err("too_long"));
    assert_eq!(refusal_code(&aws, &"x".repeat(257)), "too_long");
}

#[test]
fn topics_translate_to_each_brokers_names() {
    let name = "payment.card.success";
    assert_eq!(topic(&planner(Nats), name), Ok(name.into()));
    assert_eq!(
        topic(&planner(Mqtt), name),
        Ok("payment/card/success".into())
    );
    assert_eq!(topic(&planner(Amqp), name), Ok(name.into()));
    assert_eq!(topic(&planner(Redis), "a?.[b]"), Ok("a?.[b]".into()));
}

#[test]
fn a_depth_limit_refuses_deeper_topics_on_every_broker() {
    for broker in Broker::ALL {
        let shallow = with(
            broker,
            PlanOptions {
                max_depth: Some(2),
                ..PlanOptions::default()
            },
        );
        assert_eq!(topic(&shallow, "a.b.c"), Err("too_deep"), "{broker}");
        assert_eq!(refusal_code(&shallow, "a.b.c.#"), "nothing_to_carry");
    }
}

#[test]
fn planners_refuse_inconsistent_options() {
    let aws = PlanOptions {
        profile: Some(Profile::AwsIot),
        ..PlanOptions::default()
    };
    assert_eq!(
        Planner::new(Nats, &aws).unwrap_err().code(),
        "profile_broker"
    );
    let too_many = PlanOptions {
        max_expansion: Some(MAX_EXPANSION + 1),
        ..PlanOptions::default()
    };
    assert_eq!(
        Planner::new(Nats, &too_many).unwrap_err().code(),
        "expansion_too_large"
    );
    let over_profile = PlanOptions {
        max_expansion: Some(9),
        ..aws
    };
    assert_eq!(
        Planner::new(Mqtt, &over_profile).unwrap_err().code(),
        "expansion_too_large"
    );
    let zero = PlanOptions {
        max_depth: Some(0),
        ..PlanOptions::default()
    };
    assert_eq!(
        Planner::new(Redis, &zero).unwrap_err(),
        BrokerError::ZeroDepth
    );
    let deep = PlanOptions {
        max_depth: Some(9),
        ..aws
    };
    assert_eq!(
        Planner::new(Mqtt, &deep).unwrap_err().code(),
        "depth_over_profile"
    );
}

#[test]
fn broker_and_profile_names_round_trip() {
    for broker in Broker::ALL {
        assert_eq!(broker.id().parse::<Broker>().unwrap(), broker);
    }
    assert_eq!("aws-iot".parse::<Profile>().unwrap(), Profile::AwsIot);
    assert_eq!(
        "kafka".parse::<Broker>().unwrap_err().code(),
        "unknown_broker"
    );
    assert_eq!(
        "gcp".parse::<Profile>().unwrap_err().code(),
        "unknown_profile"
    );
}

#[test]
fn a_fleet_merges_covered_and_repeated_subscriptions_per_subscriber() {
    let nats = planner(Nats);
    let patterns: Vec<Pattern> = ["a.>", "a.b.*", "a.>", "a.#", "c.#.d", "x/y"]
        .iter()
        .map(|text| Pattern::parse(text).unwrap())
        .collect();
    let fleet = nats.fleet([
        (&patterns[0], 1),
        (&patterns[1], 1),
        (&patterns[2], 1),
        (&patterns[3], 2),
        (&patterns[1], 2),
        (&patterns[4], 3),
    ]);
    let one = fleet.subscriber(1).unwrap();
    assert_eq!(one.subscriptions(), ["a.>"]);
    assert_eq!(one.exactness(), Exact);
    assert!(one.filter().is_empty());
    let two = fleet.subscriber(2).unwrap();
    assert_eq!(two.subscriptions(), ["a", "a.>"]);
    assert_eq!(two.exactness(), Split);
    let three = fleet.subscriber(3).unwrap();
    assert_eq!(three.subscriptions(), ["c.>"]);
    assert!(three.needs_filter());
    assert_eq!(three.filter(), [patterns[4].clone()]);
    assert!(fleet.subscriber(4).is_none());
    assert_eq!(
        fleet
            .subscribers()
            .iter()
            .map(|plan| plan.subscriber())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

#[test]
fn a_fleet_reports_untranslatable_patterns_and_keeps_the_rest() {
    let mqtt = planner(Mqtt);
    let good = Pattern::parse("a.#").unwrap();
    let bad = Pattern::parse("a/b").unwrap();
    let fleet = mqtt.fleet([(&good, 5), (&bad, 5), (&bad, 6)]);
    let five = fleet.subscriber(5).unwrap();
    assert_eq!(five.subscriptions(), ["a/#"]);
    assert_eq!(five.untranslatable().len(), 1);
    assert_eq!(five.untranslatable()[0].1.code(), "separator_in_segment");
    let six = fleet.subscriber(6).unwrap();
    assert_eq!(six.exactness(), Exactness::Untranslatable);
    assert!(six.subscriptions().is_empty());
}

#[test]
fn a_fleet_subscriber_whose_patterns_overlap_deduplicates() {
    let redis = planner(Redis);
    let patterns = [
        Pattern::parse("a.#").unwrap(),
        Pattern::parse("#.b").unwrap(),
    ];
    let fleet = redis.fleet([(&patterns[0], 1), (&patterns[1], 1)]);
    let one = fleet.subscriber(1).unwrap();
    assert_eq!(one.exactness(), Overlapping);
    assert!(one.may_duplicate());
    assert_eq!(one.subscriptions(), ["a", "a.*", "b", "*.b"]);
}
