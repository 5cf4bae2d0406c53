//! `herald match` and `herald route`, run as a user would.

mod common;

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;

use common::Scratch;

fn herald() -> Command {
    cargo_bin_cmd!("herald")
}

#[test]
fn match_prints_match_and_exits_0_on_a_match() {
    herald()
        .args(["match", "payment.#", "payment"])
        .assert()
        .code(0)
        .stdout("match\n")
        .stderr("");
}

#[test]
fn match_prints_no_match_and_exits_1_on_no_match() {
    herald()
        .args(["match", "apps.payment.>", "apps.payment"])
        .assert()
        .code(1)
        .stdout("no match\n")
        .stderr("");
}

#[test]
fn match_quiet_answers_with_the_exit_code_alone() {
    for (flag, topic, code) in [
        ("--quiet", "payment", 0),
        ("-q", "payment", 0),
        ("--quiet", "customer", 1),
    ] {
        herald()
            .args(["match", flag, "payment.#", topic])
            .assert()
            .code(code)
            .stdout("")
            .stderr("");
    }
}

#[test]
fn an_empty_pattern_is_reported_as_an_empty_pattern() {
    herald()
        .args(["match", "", "payment"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "herald: invalid pattern \"\": empty pattern: a pattern needs at least one segment\n",
        );
}

#[test]
fn route_names_an_invalid_topic_once_with_its_reason() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_invalid_once.subs", SUBS);
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .write_stdin("payment..failed\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "herald: stdin:1: invalid topic \"payment..failed\": empty segment 1 at byte 8: \
             `.` must separate non-empty segments\n",
        );
}

#[test]
fn match_exits_2_on_an_invalid_pattern_with_the_reason() {
    herald()
        .args(["match", "pay*.done", "payment.done"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid pattern").and(predicate::str::contains("segment 0")),
        );
}

#[test]
fn match_exits_2_on_an_invalid_topic_with_the_reason() {
    herald()
        .args(["match", "#", "payment..done"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid topic").and(predicate::str::contains("segment 1")),
        );
}

const SUBS: &str = "\
# InPlayer-style subscriptions
10 payment.#
3 #.failed
7 *.card.*

3 payment.card.failed
";

#[test]
fn route_prints_each_topic_with_its_ids_ascending() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_prints.subs", SUBS);
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .write_stdin("payment.card.failed\ncustomer.registered\nsubscribe.failed\n")
        .assert()
        .code(0)
        .stdout("payment.card.failed\t3 7 10\ncustomer.registered\t\nsubscribe.failed\t3\n");
}

#[test]
fn route_prints_ndjson_with_json() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_json.subs", SUBS);
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .arg("--json")
        .write_stdin("payment\nnothing.here\n")
        .assert()
        .code(0)
        .stdout("{\"topic\":\"payment\",\"ids\":[10]}\n{\"topic\":\"nothing.here\",\"ids\":[]}\n");
}

#[test]
fn route_reports_bad_subscription_lines_with_their_numbers() {
    let scratch = Scratch::new();
    let subs = scratch.file(
        "route_bad_lines.subs",
        "1 payment.#\nnot-a-number a.b\n2 a.>.b\n3\n",
    );
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .write_stdin("payment\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("route_bad_lines.subs:2:")
                .and(predicate::str::contains(":3:"))
                .and(predicate::str::contains("last segment"))
                .and(predicate::str::contains(":4:"))
                .and(predicate::str::contains(":1:").not()),
        );
}

#[test]
fn route_reports_an_invalid_topic_and_routes_the_rest() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_bad_topic.subs", SUBS);
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .write_stdin("payment.*\npayment\n")
        .assert()
        .code(2)
        .stdout("payment\t10\n")
        .stderr(predicate::str::contains("stdin:1: invalid topic"));
}

#[test]
fn route_prints_stats_to_stderr_with_stats() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_stats.subs", SUBS);
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .arg("--stats")
        .write_stdin("payment\npayment.card.failed\n")
        .assert()
        .code(0)
        .stdout("payment\t10\npayment.card.failed\t3 7 10\n")
        .stderr(
            predicate::str::contains("routed 2 topics").and(predicate::str::contains("topics/s")),
        );
}

#[test]
fn route_fails_on_a_missing_subscription_file() {
    herald()
        .args(["route", "--subs", "/nonexistent/herald.subs"])
        .write_stdin("payment\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn demo_routes_every_builtin_event_name_through_its_subscribers() {
    let assert = herald().arg("demo").assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    // 97 events: the two templates bound to sms, whatsapp and html (+4), and
    // the six names both InPlayer sources use counted once (-6): 95 names.
    assert!(
        stdout.contains(
            "== routing: 95 built-in event names through 12 subscriptions of 7 subscribers"
        )
    );
    assert!(
        stdout.contains("4 wallet service   walletBalanceChanged walletStatusChanged   2 names")
    );
    assert!(stdout.contains(
        "3 access audit     #.access.# access.*                        4 names\n      \
         access.granted, access.revoked, asset.access.granted, asset.access.revoked\n"
    ));
    assert!(stdout.contains(
        "7 event archive    #                                         95 names\n      \
         access.granted, access.revoked, account.created, ... (92 more)\n"
    ));
    assert!(
        stdout.contains("\"payment..failed\" is refused: invalid topic: empty segment 1 at byte 8")
    );
}

#[test]
fn route_reports_a_topic_that_is_not_utf8_and_routes_the_rest() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_utf8.subs", SUBS);
    let mut stdin = b"payment\n".to_vec();
    stdin.extend_from_slice(b"pay\xffment\n");
    stdin.extend_from_slice(b"subscribe.failed\n");
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .write_stdin(stdin)
        .assert()
        .code(2)
        .stdout("payment\t10\nsubscribe.failed\t3\n")
        .stderr(predicate::str::contains(
            "stdin:2: invalid topic: not valid UTF-8",
        ));
}

#[test]
fn route_refuses_an_over_long_line_without_reading_it_all_and_goes_on() {
    let scratch = Scratch::new();
    let subs = scratch.file("route_long.subs", SUBS);
    let mut stdin = "a.".repeat(1 << 20).into_bytes();
    stdin.extend_from_slice(b"b\npayment\n");
    herald()
        .arg("route")
        .arg("--subs")
        .arg(&subs)
        .write_stdin(stdin)
        .assert()
        .code(2)
        .stdout("payment\t10\n")
        .stderr("herald: stdin:1: invalid topic: the line is more than 1024 bytes, the limit\n");
}
