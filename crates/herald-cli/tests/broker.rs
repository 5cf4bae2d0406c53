//! `herald broker plan`, `topic` and `fleet`, run as a user would.

mod common;

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::{Value, json};

use common::Scratch;

fn herald() -> Command {
    cargo_bin_cmd!("herald")
}

fn json_lines(output: &[u8]) -> Vec<Value> {
    String::from_utf8(output.to_vec())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn plan_prints_pattern_exactness_and_subscriptions_per_line() {
    herald()
        .args(["broker", "plan", "--broker", "nats", "a.#", "a.>", "#.b"])
        .assert()
        .code(0)
        .stdout("a.#\tsplit\ta a.>\na.>\texact\ta.>\n#.b\tsuperset\t>\n")
        .stderr("");
}

#[test]
fn plan_translates_for_every_broker() {
    for (broker, expected) in [
        ("nats", "a.#\tsplit\ta a.>\n"),
        ("mqtt", "a.#\texact\ta/#\n"),
        ("amqp", "a.#\texact\ta.#\n"),
        ("redis", "a.#\tsplit\ta a.*\n"),
    ] {
        herald()
            .args(["broker", "plan", "--broker", broker, "a.#"])
            .assert()
            .code(0)
            .stdout(expected);
    }
}

#[test]
fn plan_json_prints_one_object_per_pattern_without_ids() {
    let output = herald()
        .args(["broker", "plan", "--broker", "nats", "--json", "a.#"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json_lines(&output),
        [
            json!({"pattern": "a.#", "broker": "nats", "exactness": "split", "subscriptions": ["a", "a.>"]})
        ]
    );
}

#[test]
fn plan_json_gives_the_reason_of_an_untranslatable_pattern() {
    let output = herald()
        .args(["broker", "plan", "--broker", "mqtt", "--json", "a/b.c"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&output);
    assert_eq!(lines[0]["exactness"], "untranslatable");
    assert_eq!(lines[0]["subscriptions"], json!([]));
    assert!(lines[0]["reason"].as_str().unwrap().contains("separator"));
}

#[test]
fn plan_text_keeps_three_columns_and_reports_the_reason_on_stderr() {
    herald()
        .args(["broker", "plan", "--broker", "mqtt", "$SYS.#"])
        .assert()
        .code(0)
        .stdout("$SYS.#\tuntranslatable\t\n")
        .stderr(predicate::str::contains("untranslatable on mqtt"));
}

#[test]
fn plan_reads_a_subscription_file_and_prints_ids_in_json() {
    let scratch = Scratch::new();
    let subs = scratch.file("ids.subs", "# fleet\n7 a.#\n\n3 *.b\n");
    let output = herald()
        .args(["broker", "plan", "--broker", "redis", "--json", "--subs"])
        .arg(&subs)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json_lines(&output),
        [
            json!({"id": 7, "pattern": "a.#", "broker": "redis", "exactness": "split", "subscriptions": ["a", "a.*"]}),
            json!({"id": 3, "pattern": "*.b", "broker": "redis", "exactness": "superset", "subscriptions": ["*.b"]}),
        ]
    );
}

#[test]
fn plan_expands_up_to_the_cap_and_the_aws_iot_profile_expands_by_itself() {
    herald()
        .args([
            "broker",
            "plan",
            "--broker",
            "nats",
            "--max-expansion",
            "3",
            "--max-depth",
            "3",
            "#.b",
        ])
        .assert()
        .code(0)
        .stdout("#.b\tsplit\tb *.b *.*.b\n");
    herald()
        .args([
            "broker",
            "plan",
            "--broker",
            "mqtt",
            "--profile",
            "aws-iot",
            "a.#.b",
        ])
        .assert()
        .code(0)
        .stdout(
            "a.#.b\tsplit\ta/b a/+/b a/+/+/b a/+/+/+/b a/+/+/+/+/b a/+/+/+/+/+/b a/+/+/+/+/+/+/b\n",
        );
}

#[test]
fn plan_exits_2_on_a_bad_pattern_and_prints_nothing() {
    herald()
        .args(["broker", "plan", "--broker", "nats", "a.#", "a..b"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("invalid pattern \"a..b\""));
}

#[test]
fn plan_exits_2_on_a_bad_subscription_file_listing_every_bad_line() {
    let scratch = Scratch::new();
    let subs = scratch.file("bad.subs", "1 a\nx a\n2 a.>.b\n");
    herald()
        .args(["broker", "plan", "--broker", "nats", "--subs"])
        .arg(&subs)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(":2: ").and(predicate::str::contains(":3: ")));
}

#[test]
fn plan_exits_2_on_a_missing_file() {
    herald()
        .args([
            "broker",
            "plan",
            "--broker",
            "nats",
            "--subs",
            "/nonexistent/subs",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn plan_exits_2_on_bad_usage() {
    // No pattern, an unknown broker, both a file and patterns, a profile for
    // another broker, an expansion over the limit.
    let cases: [&[&str]; 5] = [
        &["broker", "plan", "--broker", "nats"],
        &["broker", "plan", "--broker", "kafka", "a"],
        &["broker", "plan", "--broker", "nats", "--subs", "f", "a"],
        &[
            "broker",
            "plan",
            "--broker",
            "nats",
            "--profile",
            "aws-iot",
            "a",
        ],
        &[
            "broker",
            "plan",
            "--broker",
            "nats",
            "--max-expansion",
            "9999",
            "a",
        ],
    ];
    for args in cases {
        herald().args(args).assert().code(2).stdout("");
    }
}

#[test]
fn topic_prints_the_brokers_name_for_a_topic() {
    for (broker, expected) in [
        ("nats", "payment.card.success\n"),
        ("mqtt", "payment/card/success\n"),
        ("amqp", "payment.card.success\n"),
        ("redis", "payment.card.success\n"),
    ] {
        herald()
            .args([
                "broker",
                "topic",
                "--broker",
                broker,
                "payment.card.success",
            ])
            .assert()
            .code(0)
            .stdout(expected)
            .stderr("");
    }
}

#[test]
fn topic_exits_2_when_the_broker_cannot_carry_it() {
    herald()
        .args(["broker", "topic", "--broker", "mqtt", "$SYS.load"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot carry"));
    herald()
        .args([
            "broker",
            "topic",
            "--broker",
            "mqtt",
            "--profile",
            "aws-iot",
            "a.b.c.d.e.f.g.h.i",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("over the limit of 8"));
}

#[test]
fn topic_exits_2_on_an_invalid_topic() {
    herald()
        .args(["broker", "topic", "--broker", "nats", "a.*"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid topic"));
}

#[test]
fn fleet_merges_each_subscribers_subscriptions() {
    let scratch = Scratch::new();
    let subs = scratch.file("fleet.subs", "1 a.>\n1 a.b.*\n2 c.#.d\n3 a/b\n");
    let output = herald()
        .args(["broker", "fleet", "--broker", "nats", "--json", "--subs"])
        .arg(&subs)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["subscriptions"], json!(["a.>"]));
    assert_eq!(lines[0]["exactness"], "exact");
    assert_eq!(lines[1]["filter"], json!(["c.#.d"]));
    assert_eq!(lines[1]["exactness"], "superset");
    assert_eq!(lines[2]["exactness"], "exact");
    let mqtt = herald()
        .args(["broker", "fleet", "--broker", "mqtt", "--subs"])
        .arg(&subs)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "subscriber 3: a/b is untranslatable",
        ))
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(mqtt).unwrap(),
        "1\texact\ta/+/#\t\n2\tsuperset\tc/+/#\tc.#.d\n3\tuntranslatable\t\t\n"
    );
}

#[test]
fn fleet_exits_2_on_a_bad_file() {
    let scratch = Scratch::new();
    let subs = scratch.file("fleet-bad.subs", "1 a..b\n");
    herald()
        .args(["broker", "fleet", "--broker", "nats", "--subs"])
        .arg(&subs)
        .assert()
        .code(2);
}

#[test]
fn topic_translates_several_topics_and_reports_refusals_in_json() {
    let output = herald()
        .args([
            "broker", "topic", "--broker", "mqtt", "--json", "a.b", "$x", "a..b",
        ])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&output);
    assert_eq!(
        lines[0],
        json!({"topic": "a.b", "broker": "mqtt", "name": "a/b"})
    );
    assert!(
        lines[1]["reason"]
            .as_str()
            .unwrap()
            .contains("cannot carry")
    );
    assert!(
        lines[2]["reason"]
            .as_str()
            .unwrap()
            .contains("invalid topic")
    );
    assert!(lines[1].get("name").is_none());
}

#[test]
fn topic_prints_the_carried_topics_and_exits_2_for_the_others() {
    herald()
        .args(["broker", "topic", "--broker", "mqtt", "a.b", "a/b", "c"])
        .assert()
        .code(2)
        .stdout("a/b\nc\n")
        .stderr(predicate::str::contains("separator"));
}
