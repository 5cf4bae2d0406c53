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
        .stdout(predicate::str::contains("97 events"));
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

#[test]
fn demo_summarises_every_source() {
    let assert = herald().arg("demo").assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
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
fn unknown_subcommands_are_usage_errors() {
    herald()
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("frobnicate"));
}
