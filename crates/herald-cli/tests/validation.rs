//! `herald validate`, `herald export json-schema|asyncapi` and the demo's
//! validation sections.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use common::Scratch;

fn herald() -> Command {
    Command::cargo_bin("herald").unwrap()
}

const BALANCE: &str = r#"{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"namespace123","userId":"user123","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}"#;

#[test]
fn validate_reads_a_file_and_accepts_warnings() {
    let scratch = Scratch::new();
    let file = scratch.file("payload.json", BALANCE);
    herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "/payload/action: unknown_enum: \"credit\" is not one of ",
        ))
        .stdout(predicate::str::ends_with(" (warning)\n"))
        .stderr("valid, 1 warning\n");
}

#[test]
fn validate_prints_exactly_one_pointer_code_message_line_per_issue() {
    let scratch = Scratch::new();
    let file = scratch.file("payload.json", BALANCE);
    // The seed's balance sample validated as the status event: 4 errors, 6 warnings.
    let assert = herald()
        .args(["validate", "accelbyte-wallet", "walletStatusChanged"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr("invalid: 4 errors, 6 warnings\n");
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<Vec<&str>> = stdout
        .lines()
        .map(|line| line.splitn(3, ": ").collect())
        .collect();
    assert_eq!(lines.len(), 10, "{stdout}");
    for fields in &lines {
        assert_eq!(fields.len(), 3, "{fields:?}");
        assert!(
            fields[0].is_empty() || fields[0].starts_with('/'),
            "{fields:?}"
        );
        assert!(
            fields[1]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{fields:?}"
        );
    }
    assert_eq!(lines[0][..2], ["/type", "event_mismatch"]);
    assert_eq!(lines[4][..2], ["/payload/action", "unknown_enum"]);
    assert!(lines[4][2].ends_with(" (warning)"));
}

#[test]
fn validate_reads_stdin_with_a_dash_or_no_file() {
    for args in [
        vec!["validate", "accelbyte-wallet", "walletStatusChanged", "-"],
        vec!["validate", "accelbyte-wallet", "walletStatusChanged"],
    ] {
        herald()
            .args(&args)
            .write_stdin(BALANCE)
            .assert()
            .code(1)
            .stdout(predicate::str::contains(
                "/type: event_mismatch: the payload is for the event \"walletBalanceChanged\"",
            ))
            .stdout(predicate::str::contains(
                "/payload/data: missing_field: the required field \"walletId\" is missing",
            ))
            .stderr("invalid: 4 errors, 6 warnings\n");
    }
}

#[test]
fn validate_json_prints_ok_errors_and_warnings() {
    let output = herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletStatusChanged",
            "--json",
        ])
        .write_stdin(BALANCE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"][0]["code"], "event_mismatch");
    assert_eq!(report["errors"][0]["pointer"], "/type");
    assert!(report["errors"][0]["message"].as_str().unwrap().len() > 10);
    assert_eq!(report["errors"].as_array().unwrap().len(), 4);
    assert_eq!(report["warnings"][0]["code"], "unknown_enum");
    assert_eq!(report["warnings"][0]["pointer"], "/payload/action");
}

#[test]
fn validate_json_of_a_valid_payload_is_ok() {
    let output = herald()
        .args(["validate", "orangepill-stream", "sms.message.sent", "--json"])
        .write_stdin(r#"{"type":"notification","event":"sms.message.sent","data":"63967141191e9023f356df9f","timestamp":1671547687}"#)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"ok": true, "errors": [], "warnings": []})
    );
}

#[test]
fn validate_reports_syntax_errors_with_their_offset() {
    herald()
        .args(["validate", "inplayer-notifications", "access.revoked"])
        .write_stdin("{\"type\": \"access.revoked\",}")
        .assert()
        .code(1)
        .stdout("(root): syntax: expected a string key at byte 26\n");
}

#[test]
fn issues_about_the_whole_document_are_at_the_root() {
    herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged"])
        .write_stdin("{")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("(root): syntax: "))
        .stderr("invalid: 1 error\n");
    // JSON output keeps the JSON Pointer of the document: the empty string.
    let output = herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "--json",
        ])
        .write_stdin("{")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"][0]["pointer"], "");
}

#[test]
fn a_directory_is_named_in_the_error() {
    let dir = std::env::temp_dir();
    herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged"])
        .arg(&dir)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "herald: cannot read {}: it is a directory\n",
            dir.display()
        ));
}

#[test]
fn a_payload_of_2_000_000_bytes_is_more_than_the_limit_not_the_bytes_kept() {
    let mut payload = b"{\"type\":\"".to_vec();
    payload.resize(2_000_000, b'x');
    herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged"])
        .write_stdin(payload)
        .assert()
        .code(1)
        .stdout("(root): too_large: the payload is more than 1048576 bytes, the limit\n")
        .stderr("invalid: 1 error\n");
}

#[test]
fn validate_ndjson_checks_each_line_and_summarises() {
    let stream = format!(
        "{BALANCE}\n\n{}\nnot json\r\n",
        BALANCE.replace("500", "5e2")
    );
    herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "--ndjson",
        ])
        .write_stdin(stream)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 3: /payload/data/amount: type_mismatch: ",
        ))
        .stdout(predicate::str::contains("line 4: (root): syntax: "))
        .stdout(predicate::str::ends_with(
            "3 payloads: 1 valid, 2 invalid, 2 with warnings\n",
        ));
}

#[test]
fn validate_ndjson_json_prints_a_report_per_line_and_a_summary() {
    let scratch = Scratch::new();
    let file = scratch.file("payloads.ndjson", format!("{BALANCE}\n{BALANCE}\n"));
    let output = herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "--ndjson",
            "--json",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<Value> = output
        .stdout
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[1]["ok"], true);
    assert_eq!(
        lines[2]["summary"],
        serde_json::json!({"payloads": 2, "valid": 2, "invalid": 0, "with_warnings": 2})
    );
}

#[test]
fn validate_rejects_unknown_events_and_sources_with_exit_2() {
    herald()
        .args(["validate", "orangepill-stream", "no.such.event"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown event \"no.such.event\""));
    herald()
        .args(["validate", "nowhere", "x"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown source"));
}

#[test]
fn validate_reports_an_unreadable_file_with_exit_2() {
    herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "/no/such/file.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read /no/such/file.json"));
}

#[test]
fn validate_reads_invalid_utf8_bytes_as_they_are() {
    let mut payload = BALANCE.replace("Purchase", "Purch@se").into_bytes();
    let at = payload.iter().position(|&b| b == b'@').unwrap();
    payload[at] = 0xFF;
    let scratch = Scratch::new();
    let path = scratch.file("payload.json", payload);
    herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "/payload/data/reason: invalid_utf8: ",
        ));
}

#[test]
fn export_json_schema_prints_a_draft_2020_12_document() {
    let output = herald()
        .args([
            "export",
            "json-schema",
            "inplayer-webhooks",
            "asset.access.revoked",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["$defs"]["inplayer-webhook-access-resource"].is_object());
    herald()
        .args([
            "export",
            "json-schema",
            "inplayer-webhooks",
            "access.revoked",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "it exists in: inplayer-notifications",
        ));
}

#[test]
fn export_asyncapi_prints_a_document_per_source() {
    let output = herald()
        .args(["export", "asyncapi", "accelbyte-wallet"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["asyncapi"], "3.0.0");
    assert_eq!(document["channels"].as_object().unwrap().len(), 2);
    herald()
        .args(["export", "asyncapi", "nowhere"])
        .assert()
        .code(2);
}

#[test]
fn demo_validates_the_examples_and_shows_broken_payloads() {
    herald()
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "55/55 examples valid, from 55 events",
        ))
        .stdout(predicate::str::contains(
            "/payload/data/amount: out_of_range: ",
        ))
        .stdout(predicate::str::contains("/event: event_mismatch: "));
}

#[test]
fn validate_refuses_a_payload_over_one_mebibyte_as_too_large() {
    let mut payload = b"{\"type\":\"".to_vec();
    payload.extend(std::iter::repeat_n(b'x', 3 << 20));
    payload.extend_from_slice(b"\"}");
    herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "--json",
        ])
        .write_stdin(payload)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"code\":\"too_large\""));
}

#[test]
fn validate_ndjson_refuses_an_over_long_line_and_checks_the_next() {
    let mut stream = b"{\"type\":\"".to_vec();
    stream.extend(std::iter::repeat_n(b'x', 3 << 20));
    stream.extend_from_slice(b"\"}\n");
    stream.extend_from_slice(BALANCE.replace('\n', " ").as_bytes());
    stream.push(b'\n');
    herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "--ndjson",
        ])
        .write_stdin(stream)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 1: (root): too_large: the line is more than 1048576 bytes, the limit\n",
        ))
        .stdout(predicate::str::contains(
            "2 payloads: 1 valid, 1 invalid, 1 with warnings",
        ));
}
