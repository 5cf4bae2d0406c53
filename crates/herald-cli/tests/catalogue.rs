//! `herald catalogue`, `herald export catalogue` and `herald demo`.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn herald() -> Command {
    Command::cargo_bin("herald").unwrap()
}

fn stdout_json(args: &[&str]) -> Value {
    let output = herald().args(args).output().unwrap();
    assert!(output.status.success(), "{:?}", output);
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn catalogue_lists_every_event_as_a_table() {
    herald()
        .arg("catalogue")
        .assert()
        .success()
        .stdout(predicate::str::contains("SOURCE"))
        .stdout(predicate::str::contains("customer.password.updated"))
        .stdout(predicate::str::contains("97 events").not())
        .stderr("97 events\n");
}

#[test]
fn catalogue_prints_one_stdout_line_per_event_after_the_header() {
    let output = herald()
        .args(["catalogue", "--source", "accelbyte-wallet"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with("SOURCE"));
    assert!(
        lines[1..]
            .iter()
            .all(|line| line.starts_with("accelbyte-wallet"))
    );
    assert_eq!(output.stderr, b"2 events\n");
}

#[test]
fn an_unknown_source_gets_the_closest_known_one() {
    herald()
        .args(["catalogue", "--source", "accelbyte-walet"])
        .assert()
        .code(2)
        .stderr(
            "herald: unknown source \"accelbyte-walet\"; did you mean \"accelbyte-wallet\"? \
             (known sources: inplayer-notifications, inplayer-webhooks, orangepill-stream, \
             accelbyte-wallet)\n",
        );
}

#[test]
fn an_unknown_event_gets_the_closest_name_in_its_source() {
    herald()
        .args([
            "catalogue",
            "show",
            "accelbyte-wallet",
            "walletBalanceChange",
        ])
        .assert()
        .code(2)
        .stderr(
            "herald: unknown event \"walletBalanceChange\" in source \"accelbyte-wallet\"; \
             did you mean \"walletBalanceChanged\"?\n",
        );
}

#[test]
fn a_mistyped_templated_name_gets_a_resolvable_suggestion() {
    herald()
        .args(["catalogue", "show", "orangepill-stream", "sms.mesage.sent"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean \"sms.message.sent\"?",
        ));
}

#[test]
fn a_name_far_from_every_known_one_gets_no_suggestion() {
    herald()
        .args([
            "catalogue",
            "show",
            "accelbyte-wallet",
            "payment.card.success",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean").not());
}

#[test]
fn catalogue_json_is_an_array_of_event_objects() {
    let rows = stdout_json(&["catalogue", "--json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 97);
    for row in rows {
        for key in ["source", "name", "category", "description"] {
            assert!(
                row[key].as_str().is_some_and(|text| !text.is_empty()),
                "{key} in {row}"
            );
        }
    }
}

#[test]
fn catalogue_filters_by_source() {
    let rows = stdout_json(&["catalogue", "--source", "inplayer-webhooks", "--json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 27);
    assert!(rows.iter().all(|row| row["source"] == "inplayer-webhooks"));
}

#[test]
fn catalogue_rejects_an_unknown_source() {
    herald()
        .args(["catalogue", "--source", "nowhere"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown source \"nowhere\""));
}

#[test]
fn catalogue_show_prints_one_event() {
    herald()
        .args([
            "catalogue",
            "show",
            "inplayer-notifications",
            "access.granted",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("category:    access"))
        .stdout(predicate::str::contains(
            "alias:       inplayer-webhooks asset.access.granted",
        ));
}

#[test]
fn catalogue_show_resolves_templates() {
    let shown = stdout_json(&[
        "catalogue",
        "show",
        "orangepill-stream",
        "whatsapp.message.failed",
        "--json",
    ]);
    assert_eq!(shown["name"], "{channel}.message.failed");
    assert_eq!(shown["binding"], serde_json::json!(["channel", "whatsapp"]));
    assert_eq!(shown["flags"], serde_json::json!(["infobip-extension"]));
}

#[test]
fn catalogue_show_rejects_an_unknown_event() {
    herald()
        .args(["catalogue", "show", "orangepill-stream", "user.exploded"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown event \"user.exploded\""));
}

#[test]
fn catalogue_show_rejects_an_unknown_source() {
    herald()
        .args(["catalogue", "show", "nowhere", "user.created"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown source"));
}

#[test]
fn export_catalogue_prints_a_loadable_document() {
    let output = herald().args(["export", "catalogue"]).output().unwrap();
    assert!(output.status.success());
    let catalogue = herald_core::Catalogue::from_json(&output.stdout).unwrap();
    assert_eq!(&catalogue, herald_core::Catalogue::builtin());
}

fn demo() -> String {
    let assert = herald().arg("demo").assert().success().stderr("");
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn demo_summarises_every_source() {
    let stdout = demo();
    for source in [
        "inplayer-notifications",
        "inplayer-webhooks",
        "orangepill-stream",
        "accelbyte-wallet",
    ] {
        assert!(stdout.contains(source), "{source} missing from:\n{stdout}");
    }
}

#[test]
fn demo_lines_fit_in_100_columns() {
    for line in demo().lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.len()
        );
    }
}

#[test]
fn demo_counts_agree_with_each_other() {
    let stdout = demo();
    // Events and examples are counted apart: one event has two examples.
    assert!(
        stdout.contains("inplayer-notifications    13 events."),
        "{stdout}"
    );
    assert!(
        stdout.contains("14/14 examples valid, from 13 events"),
        "{stdout}"
    );
    // 97 events become 95 names, and the demo says how.
    assert!(stdout.contains("== catalogue: 97 events from 4 sources"));
    assert!(stdout.contains(
        "97 events: 6 names are used by two sources (-6), and 2 templates stand for 6 names (+4)"
    ));
    // Plural words agree with their numbers; no "error(s)".
    assert!(!stdout.contains("(s)"), "{stdout}");
    assert!(!stdout.contains(" 1 warnings") && !stdout.contains(" 1 errors"));
    assert!(stdout.contains("invalid: 4 errors, 6 warnings"));
}

#[test]
fn demo_numbers_its_subscribers_without_gaps() {
    let stdout = demo();
    let numbers: Vec<u32> = stdout
        .lines()
        .skip_while(|line| !line.starts_with("== routing"))
        .skip(2)
        .step_by(2)
        .take(7)
        .map(|line| line.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn demo_ends_by_saying_what_to_try_next() {
    let stdout = demo();
    let next = stdout.rsplit("== next: ").next().unwrap();
    assert!(stdout.contains("== next: "));
    for command in [
        "herald catalogue",
        "herald validate",
        "herald route",
        "--help",
    ] {
        assert!(next.contains(command), "{command} missing from: {next}");
    }
}

#[test]
fn unknown_subcommands_are_usage_errors() {
    herald()
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("frobnicate"));
}
