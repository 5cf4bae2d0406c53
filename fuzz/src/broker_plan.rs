//! Broker plans for hostile patterns and topics, checked against reference
//! matchers of each broker: what the planned subscriptions receive agrees
//! with herald's matcher at the plan's stated exactness, for every topic the
//! broker can carry; an untranslatable pattern matches no carried topic;
//! fleet plans hold each subscriber once, in order, with subscriptions that
//! carry everything its patterns match.
//!
//! Input: broker and options bytes; patterns (count, then chunks); then
//! topic chunks to the end.
use super::brokers::oracle;
use super::input::Cursor;
use herald_core::broker::{Broker, Exactness, PlanOptions, Planner, Profile};
use herald_core::{Pattern, Topic};

fn deliveries(broker: Broker, subscriptions: &[String], name: &str) -> usize {
    let matches = oracle(broker);
    subscriptions
        .iter()
        .filter(|subscription| {
            matches(subscription, name)
                .unwrap_or_else(|error| panic!("planned an invalid subscription: {error}"))
        })
        .count()
}

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let mut input = Cursor::new(bytes);
    let broker = *input.pick(&Broker::ALL);
    let options = PlanOptions {
        max_expansion: match input.byte() {
            0..=127 => None,
            byte => Some(usize::from(byte - 128) * 3),
        },
        max_depth: match input.byte() {
            0..=127 => None,
            byte => Some(usize::from(byte - 128)),
        },
        profile: input.byte().is_multiple_of(4).then_some(Profile::AwsIot),
    };
    let planner = match Planner::new(broker, &options) {
        Ok(planner) => planner,
        Err(error) => {
            assert!(!error.code().is_empty());
            return;
        }
    };
    let texts: Vec<String> = (0..1 + input.below(3))
        .map(|_| String::from_utf8_lossy(input.chunk()).into_owned())
        .collect();
    let patterns: Vec<Pattern> = texts
        .iter()
        .filter_map(|text| Pattern::parse(text).ok())
        .collect();
    let mut topics = Vec::new();
    while !input.is_empty() && topics.len() < 16 {
        topics.push(String::from_utf8_lossy(input.chunk()).into_owned());
    }
    // The patterns themselves, read as topics, are good probes too.
    topics.extend(texts.iter().cloned());

    for pattern in &patterns {
        let plan = planner.plan(pattern);
        assert_eq!(plan.broker(), broker);
        if plan.exactness() != Exactness::Untranslatable {
            assert!(!plan.subscriptions().is_empty());
            assert!(plan.subscriptions().len() <= herald_core::broker::MAX_EXPANSION);
        }
        for text in &topics {
            let Ok(topic) = Topic::parse(text) else {
                continue;
            };
            let Ok(name) = planner.topic(&topic) else {
                continue;
            };
            let wanted = pattern.matches(&topic);
            let got = deliveries(broker, plan.subscriptions(), &name);
            let context = || {
                format!(
                    "{pattern} -> {:?} {:?}, topic {text} as {name}: herald {wanted}, {got} deliveries",
                    plan.exactness(),
                    plan.subscriptions()
                )
            };
            if !plan.may_duplicate() {
                assert!(got <= 1, "{}", context());
            }
            match plan.exactness() {
                Exactness::Untranslatable => assert!(!wanted, "{}", context()),
                Exactness::Exact | Exactness::Split => {
                    assert_eq!(got, usize::from(wanted), "{}", context());
                }
                Exactness::Overlapping => assert_eq!(got > 0, wanted, "{}", context()),
                Exactness::Superset => {
                    assert!(plan.needs_filter());
                    assert!(!wanted || got > 0, "{}", context());
                }
            }
        }
    }

    // A fleet: the patterns spread over two subscribers.
    let pairs: Vec<(&Pattern, u64)> = patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| (pattern, (index % 2) as u64))
        .collect();
    let fleet = planner.fleet(pairs.iter().copied());
    let ids: Vec<u64> = fleet
        .subscribers()
        .iter()
        .map(|plan| plan.subscriber())
        .collect();
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
    for subscriber in fleet.subscribers() {
        let own: Vec<&Pattern> = pairs
            .iter()
            .filter(|(_, id)| *id == subscriber.subscriber())
            .map(|(pattern, _)| *pattern)
            .collect();
        for text in &topics {
            let Ok(topic) = Topic::parse(text) else {
                continue;
            };
            let Ok(name) = planner.topic(&topic) else {
                continue;
            };
            let carried = subscriber
                .untranslatable()
                .iter()
                .all(|(pattern, _)| !pattern.matches(&topic));
            let wanted = carried && own.iter().any(|pattern| pattern.matches(&topic));
            let got = deliveries(broker, subscriber.subscriptions(), &name);
            if wanted {
                assert!(
                    got > 0,
                    "subscriber {} misses {text}",
                    subscriber.subscriber()
                );
            }
            if !subscriber.may_duplicate() {
                assert!(got <= 1);
            }
        }
    }
}
