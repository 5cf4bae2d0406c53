//! `herald decode`, `herald encode` and the demo's wire section.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn herald() -> Command {
    Command::cargo_bin("herald").unwrap()
}

fn vector(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors/wire")
        .join(path)
}

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(vector(path)).unwrap()
}

#[test]
fn decode_prints_the_event_and_accepts_warnings() {
    herald()
        .args(["decode", "--format", "inplayer-webhook"])
        .arg(vector("inplayer-webhook/subscribe.success.form"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("source:    inplayer-webhooks\n"))
        .stdout(predicate::str::contains("name:      subscribe.success\n"))
        .stdout(predicate::str::contains(
            "id:        WHE-jAlBR7bGKGIV2mSr\n",
        ))
        .stdout(predicate::str::contains("timestamp: 1559906599\n"))
        .stdout(predicate::str::contains(
            r#""previewTitle":"ooyala muse mp4""#,
        ))
        .stdout(predicate::str::contains(
            "/resource/previewTitle: duplicate_key: ",
        ))
        .stdout(predicate::str::contains("last-wins) (warning)\n"))
        .stdout(predicate::str::ends_with("valid, 1 warning\n"));
}

#[test]
fn decode_reads_stdin_and_shows_template_and_text_timestamp() {
    herald()
        .args(["decode", "--format", "orangepill", "-"])
        .write_stdin(r#"{"type":"notification","event":"whatsapp.message.failed","data":"6396","timestamp":"162553625262"}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "template:  {channel}.message.failed with channel = whatsapp\n",
        ))
        .stdout(predicate::str::contains("timestamp: \"162553625262\"\n"))
        .stdout(predicate::str::ends_with("valid\n"));
}

#[test]
fn decode_exits_1_when_the_payload_is_invalid() {
    herald()
        .args(["decode", "--format", "inplayer-notification"])
        .write_stdin(
            r#"{"type":"access.revoked","timestamp":"1546612267","resource":{"item_id":41224}}"#,
        )
        .assert()
        .code(1)
        .stdout(predicate::str::contains("/timestamp: type_mismatch: "))
        .stdout(predicate::str::ends_with("invalid: 1 error\n"));
}

#[test]
fn decode_exits_2_with_the_reason_when_the_input_does_not_decode() {
    for (format, input, reason) in [
        (
            "inplayer-webhook",
            "type=payment.card.success&resource=1&resource%5Bcode%5D=2",
            "conflicting_shape",
        ),
        (
            "inplayer-webhook",
            "type=payment.card.success&resource%5Bcode%5D=%G2",
            "malformed_escape",
        ),
        (
            "orangepill",
            r#"{"type":"info","realm":"NONE","timestamp":1}"#,
            "unexpected_message_type",
        ),
        (
            "accelbyte-lobby",
            "type: messageNotif\ntopic: OnMatchFound\npayload: {}",
            "unsupported_topic",
        ),
        (
            "inplayer-notification",
            "{\"type\": \"account.erased\",}",
            "malformed_json",
        ),
    ] {
        herald()
            .args(["decode", "--format", format])
            .write_stdin(input)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(format!(
                "herald: cannot decode as {format}: "
            )))
            .stderr(predicate::str::contains(format!("({reason})")));
    }
}

#[test]
fn decode_rejects_unknown_formats_and_missing_files_as_usage_errors() {
    herald()
        .args(["decode", "--format", "smoke-signals"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "possible values: inplayer-notification",
        ));
    herald()
        .args([
            "decode",
            "--format",
            "orangepill",
            "/nonexistent/frame.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read /nonexistent/frame.json",
        ));
}

#[test]
fn decode_takes_the_repeated_key_policy() {
    herald()
        .args([
            "decode",
            "--format",
            "inplayer-webhook",
            "--repeated-keys",
            "reject",
        ])
        .arg(vector("inplayer-webhook/subscribe.success.form"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("(repeated_key)"));
    herald()
        .args([
            "decode",
            "--format",
            "inplayer-webhook",
            "--repeated-keys",
            "first-wins",
        ])
        .arg(vector("inplayer-webhook/subscribe.success.form"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            r#""previewTitle":"Example title""#,
        ));
}

#[test]
fn decode_ignores_the_line_break_a_file_adds_after_a_form_body() {
    let mut body = bytes("inplayer-webhook/payment.card.success.form");
    body.extend_from_slice(b"\r\n");
    herald()
        .args(["decode", "--format", "inplayer-webhook"])
        .write_stdin(body)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            r#""type":"payment.card.success"}"#,
        ));
}

#[test]
fn decode_json_prints_the_event_document_and_the_validation() {
    let output = herald()
        .args(["decode", "--format", "accelbyte-lobby", "--json"])
        .arg(vector("accelbyte-lobby/wallet-balance.docs.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let event = &report["event"];
    assert_eq!(event["format"], "accelbyte-lobby");
    assert_eq!(event["source"], "accelbyte-wallet");
    assert_eq!(event["name"], "walletBalanceChanged");
    assert_eq!(event["id"], "b3cb71d768d3493ba6c1dbd10b816e62");
    assert_eq!(event["timestamp"], "2024-01-22T09:10:54Z");
    assert_eq!(event["lobby"]["sequenceID"], "1705914633");
    assert_eq!(event["payload"]["payload"]["data"]["amount"], 500);
    assert_eq!(report["validation"]["ok"], true);
    assert_eq!(report["validation"]["warnings"][0]["code"], "unknown_enum");
}

#[test]
fn decode_json_piped_into_encode_gives_the_wire_bytes_back() {
    for (format, path) in [
        (
            "inplayer-notification",
            "inplayer-notification/access.granted.json",
        ),
        (
            "inplayer-webhook",
            "inplayer-webhook/payment.card.success.form",
        ),
        ("orangepill", "orangepill/notification.user.created.json"),
        (
            "accelbyte-lobby",
            "accelbyte-lobby/wallet-balance.base64.txt",
        ),
    ] {
        let decoded = herald()
            .args(["decode", "--format", format, "--json"])
            .arg(vector(path))
            .output()
            .unwrap();
        assert_eq!(decoded.status.code(), Some(0), "{path}");
        let encoded = herald()
            .args(["encode", "--format", format])
            .write_stdin(decoded.stdout)
            .output()
            .unwrap();
        assert_eq!(encoded.status.code(), Some(0), "{path}: {:?}", encoded);
        let original = bytes(path);
        // The document keeps the payload's value, not the line end after it.
        assert_eq!(encoded.stdout, original.trim_ascii_end(), "{path}");
    }
}

#[test]
fn encode_writes_the_canonical_form_of_a_webhook() {
    let document = r#"{"format":"inplayer-webhook","name":"payment.card.failed","id":"WHE-1","timestamp":1,
        "payload":{"id":"WHE-1","created":1,"type":"payment.card.failed","resource":{"message":"Card declined.","explain":{"error":"x"}}}}"#;
    herald()
        .args(["encode", "--format", "inplayer-webhook", "-"])
        .write_stdin(document)
        .assert()
        .code(0)
        .stdout("id=WHE-1&created=1&type=payment.card.failed&resource%5Bmessage%5D=Card+declined.&resource%5Bexplain%5D%5Berror%5D=x");
}

#[test]
fn encode_exits_2_for_a_bad_document_another_format_or_an_unencodable_event() {
    for (format, document, reason) in [
        ("orangepill", "{}", "`format` is required"),
        (
            "orangepill",
            r#"{"format":"accelbyte-lobby","name":"walletStatusChanged","payload":{"type":"walletStatusChanged"}}"#,
            "the event is in the accelbyte-lobby format, not orangepill",
        ),
        (
            "inplayer-webhook",
            r#"{"format":"inplayer-webhook","name":"payment.card.failed","payload":{"type":"payment.card.failed","resource":{"list":[1]}}}"#,
            "(unencodable)",
        ),
        (
            "orangepill",
            r#"{"format":"orangepill","name":"user.created","payload":{"type":"notification","event":"user.deleted","data":"1"}}"#,
            "(envelope_mismatch)",
        ),
    ] {
        herald()
            .args(["encode", "--format", format])
            .write_stdin(document)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(reason));
    }
}

#[test]
fn demo_takes_one_event_of_each_vendor_from_wire_to_wire() {
    herald()
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("== wire: one event per vendor"))
        .stdout(predicate::str::contains(
            "event inplayer-notifications payment.card.failed",
        ))
        .stdout(predicate::str::contains(
            "event inplayer-webhooks subscribe.success, id WHE-jAlBR7bGKGIV2mSr",
        ))
        .stdout(predicate::str::contains(
            "event orangepill-stream sms.message.sent (channel = sms)",
        ))
        .stdout(predicate::str::contains(
            "event accelbyte-wallet walletBalanceChanged",
        ))
        .stdout(predicate::str::contains(
            "routed to: 1 payments ledger, 2 failure alerts, 7 event archive",
        ))
        .stdout(predicate::str::contains("realm sessions receiving it: [1]"))
        .stdout(predicate::str::contains("decodes to the same event: yes").count(4));
}

#[test]
fn decode_refuses_input_over_one_mebibyte_as_too_large() {
    let mut frame = b"{\"type\":\"notification\",\"event\":\"".to_vec();
    frame.extend(std::iter::repeat_n(b'x', 3 << 20));
    herald()
        .args(["decode", "--format", "orangepill", "-"])
        .write_stdin(frame)
        .assert()
        .code(2)
        .stderr(
            "herald: cannot decode as orangepill: the message is more than 1048576 bytes, \
             the limit (too_large)\n",
        );
}

#[test]
fn decode_accepts_a_webhook_body_of_the_limit_with_a_final_line_break() {
    // The line break a file adds is not part of the body, so it does not
    // count against the limit.
    let mut body = b"id=x&".to_vec();
    body.resize(1 << 20, b'a');
    body.push(b'\n');
    herald()
        .args(["decode", "--format", "inplayer-webhook", "-"])
        .write_stdin(body)
        .assert()
        .stderr(predicate::str::contains("too_large").not())
        .stderr(predicate::str::contains("more than").not());
}

#[test]
fn decode_names_a_directory() {
    let dir = std::env::temp_dir();
    herald()
        .args(["decode", "--format", "orangepill"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(format!(
            "herald: cannot read {}: it is a directory\n",
            dir.display()
        ));
}
