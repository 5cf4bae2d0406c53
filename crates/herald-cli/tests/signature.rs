//! `herald verify` and `herald sign`: every exit code, the text and
//! `--json` output, secrets from files, and sign-then-verify round trips.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use common::Scratch;

fn herald() -> Command {
    Command::cargo_bin("herald").unwrap()
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const BODY: &str = r#"{"test": 2432232314}"#;
const ID: &str = "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: &str = "webhook-timestamp: 1614265330";
const SIGNATURE: &str = "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

/// `herald verify` for the official Standard Webhooks vector at `now`.
fn verify_official_at(secrets: &[&str], now: &str) -> Command {
    let mut command = herald();
    command.args(["verify", "--scheme", "standard-webhooks"]);
    for secret in secrets {
        command.args(["--secret", secret]);
    }
    command
        .args(["--header", ID, "--header", TIMESTAMP, "--header", SIGNATURE])
        .args(["--now", now]);
    command
}

/// `herald verify` for the official Standard Webhooks vector at its own time.
fn verify_official(secrets: &[&str]) -> Command {
    verify_official_at(secrets, "1614265330")
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap()
}

#[test]
fn verify_exits_0_and_names_the_key() {
    verify_official(&[SECRET])
        .write_stdin(BODY)
        .assert()
        .code(0)
        .stdout("verified key=0\n")
        .stderr("");
}

#[test]
fn verify_names_the_second_key_of_a_rotation() {
    verify_official(&[OTHER, SECRET])
        .arg("-")
        .write_stdin(BODY)
        .assert()
        .code(0)
        .stdout("verified key=1\n");
}

#[test]
fn verify_exits_1_with_the_outcome_code_when_rejected() {
    verify_official(&[SECRET])
        .write_stdin(r#"{"test": 2432232315}"#)
        .assert()
        .code(1)
        .stdout("no_matching_signature\n")
        .stderr("");
}

#[test]
fn verify_json_prints_ok_and_the_key() {
    let output = verify_official(&[SECRET])
        .arg("--json")
        .write_stdin(BODY)
        .assert()
        .code(0);
    let value = json(&output.get_output().stdout);
    assert_eq!(value, serde_json::json!({"ok": true, "key": 0}));
    assert_eq!(output.get_output().stdout, b"{\"ok\":true,\"key\":0}\n");
}

#[test]
fn verify_json_prints_the_code_and_a_message_when_rejected() {
    let output = verify_official_at(&[SECRET], "1614265631")
        .arg("--json")
        .write_stdin(BODY)
        .assert()
        .code(1);
    let value = json(&output.get_output().stdout);
    let object = value.as_object().unwrap();
    assert_eq!(object.len(), 3, "{value}");
    assert_eq!(value["ok"], false);
    assert_eq!(value["code"], "timestamp_too_old");
    assert!(
        value["message"].as_str().unwrap().contains("300 s"),
        "{value}"
    );
}

#[test]
fn verify_reports_every_rejection_code() {
    let cases: [(&[&str], &str); 6] = [
        (&["--header", ID, "--header", TIMESTAMP], "missing_header"),
        (
            &[
                "--header",
                ID,
                "--header",
                "webhook-timestamp: 161426533.0",
                "--header",
                SIGNATURE,
            ],
            "malformed_timestamp",
        ),
        (
            &[
                "--header",
                ID,
                "--header",
                "webhook-timestamp: 1614265632",
                "--header",
                SIGNATURE,
            ],
            "timestamp_too_new",
        ),
        (
            &[
                "--header",
                ID,
                "--header",
                TIMESTAMP,
                "--header",
                "webhook-signature: v2,AAAA",
            ],
            "no_supported_signature",
        ),
        (
            &[
                "--header",
                ID,
                "--header",
                TIMESTAMP,
                "--header",
                "webhook-signature: nonsense",
            ],
            "malformed_header",
        ),
        (
            &[
                "--header",
                ID,
                "--header",
                TIMESTAMP,
                "--header",
                "webhook-signature: v1,",
            ],
            "no_matching_signature",
        ),
    ];
    for (headers, code) in cases {
        herald()
            .args([
                "verify",
                "--scheme",
                "standard-webhooks",
                "--secret",
                SECRET,
                "--now",
                "1614265330",
            ])
            .args(headers)
            .write_stdin(BODY)
            .assert()
            .code(1)
            .stdout(format!("{code}\n"));
    }
}

#[test]
fn verify_takes_header_names_in_any_case_and_spaces_around_values() {
    herald()
        .args([
            "verify",
            "--scheme",
            "standard-webhooks",
            "--secret",
            SECRET,
            "--now",
            "1614265330",
        ])
        .args(["--header", "WEBHOOK-ID:msg_p5jXN8AQM9LWM0D4loKWxJek"])
        .args(["--header", "Webhook-Timestamp: \t1614265330 "])
        .args([
            "--header",
            "Svix-Signature:   v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ])
        .write_stdin(BODY)
        .assert()
        .code(0)
        .stdout("verified key=0\n");
}

#[test]
fn verify_reads_the_body_byte_for_byte() {
    // A file that ends with a line break is a different body.
    let scratch = Scratch::new();
    let exact = scratch.file("exact.json", BODY);
    let with_newline = scratch.file("newline.json", format!("{BODY}\n"));
    verify_official(&[SECRET]).arg(&exact).assert().code(0);
    verify_official(&[SECRET])
        .arg(&with_newline)
        .assert()
        .code(1)
        .stdout("no_matching_signature\n");
}

#[test]
fn verify_tolerance_is_explicit_and_can_be_turned_off() {
    verify_official_at(&[SECRET], "1614265640")
        .args(["--tolerance", "310"])
        .write_stdin(BODY)
        .assert()
        .code(0);
    verify_official_at(&[SECRET], "1614265640")
        .args(["--tolerance", "309"])
        .write_stdin(BODY)
        .assert()
        .code(1)
        .stdout("timestamp_too_old\n");
    verify_official_at(&[SECRET], "1900000000")
        .args(["--tolerance", "none"])
        .write_stdin(BODY)
        .assert()
        .code(0);
}

#[test]
fn verify_now_defaults_to_the_clock_so_an_old_vector_is_too_old() {
    herald()
        .args([
            "verify",
            "--scheme",
            "standard-webhooks",
            "--secret",
            SECRET,
        ])
        .args(["--header", ID, "--header", TIMESTAMP, "--header", SIGNATURE])
        .write_stdin(BODY)
        .assert()
        .code(1)
        .stdout("timestamp_too_old\n");
}

#[test]
fn verify_reads_secrets_from_a_file_one_per_line_after_the_flags() {
    let scratch = Scratch::new();
    let file = scratch.file("secrets.txt", format!("{OTHER}\r\n\n{SECRET}\n"));
    verify_official(&[])
        .arg("--secret-file")
        .arg(&file)
        .write_stdin(BODY)
        .assert()
        .code(0)
        .stdout("verified key=1\n");
    verify_official(&[OTHER])
        .arg("--secret-file")
        .arg(&file)
        .write_stdin(BODY)
        .assert()
        .code(0)
        .stdout("verified key=2\n");
}

#[test]
fn verify_exits_2_for_an_invalid_secret_without_printing_it() {
    verify_official(&["whsec_"])
        .write_stdin(BODY)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("herald: "))
        .stderr(predicate::str::contains(
            "not a valid standard-webhooks secret: the secret is empty",
        ));
    let scratch = Scratch::new();
    let file = scratch.file(
        "bad-secrets.txt",
        b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\nwhsec_***secret***\n",
    );
    verify_official(&[])
        .arg("--secret-file")
        .arg(&file)
        .write_stdin(BODY)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 2 of"))
        .stderr(predicate::str::contains("***secret***").not());
}

#[test]
fn verify_exits_2_for_usage_errors() {
    let cases: [&[&str]; 7] = [
        &["verify", "--scheme", "standard-webhooks", "--header", ID],
        &["verify", "--scheme", "nope", "--secret", SECRET],
        &[
            "verify", "--scheme", "stripe", "--secret", "s", "--header", "no colon",
        ],
        &[
            "verify", "--scheme", "stripe", "--secret", "s", "--now", "1e9",
        ],
        &[
            "verify", "--scheme", "stripe", "--secret", "s", "--now", "-5",
        ],
        &[
            "verify",
            "--scheme",
            "stripe",
            "--secret",
            "s",
            "--tolerance",
            "5m",
        ],
        &["verify", "--secret", "s"],
    ];
    for args in cases {
        herald()
            .args(args)
            .write_stdin(BODY)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::is_empty().not());
    }
}

#[test]
fn verify_exits_2_for_unreadable_input() {
    verify_official(&[SECRET])
        .arg("/nonexistent/body.json")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "herald: cannot read /nonexistent/body.json",
        ));
    verify_official(&[])
        .args(["--secret-file", "/nonexistent/secrets"])
        .write_stdin(BODY)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "herald: cannot read /nonexistent/secrets",
        ));
}

#[test]
fn verify_refuses_a_body_over_the_limit() {
    let big = vec![b'x'; 1024 * 1024 + 1];
    verify_official(&[SECRET])
        .write_stdin(big)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 1048576 bytes"));
}

#[test]
fn sign_prints_the_official_standard_webhooks_headers() {
    herald()
        .args(["sign", "--scheme", "standard-webhooks", "--secret", SECRET])
        .args([
            "--id",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "--timestamp",
            "1614265330",
        ])
        .write_stdin(BODY)
        .assert()
        .code(0)
        .stdout(format!("{ID}\n{TIMESTAMP}\n{SIGNATURE}\n"));
}

#[test]
fn sign_then_verify_round_trips_for_every_scheme() {
    let cases = [
        ("inplayer", "merchant-secret", &[][..]),
        (
            "orangepill",
            "op-secret",
            &["--timestamp", "1700000000"][..],
        ),
        ("orangepill", "op-secret", &[][..]),
        (
            "standard-webhooks",
            SECRET,
            &["--id", "msg_1", "--timestamp", "1700000000"][..],
        ),
        ("stripe", "whsec_stripe", &["--timestamp", "1700000000"][..]),
    ];
    for (scheme, secret, extra) in cases {
        let signed = herald()
            .args(["sign", "--scheme", scheme, "--secret", secret])
            .args(extra)
            .write_stdin(BODY)
            .assert()
            .code(0);
        let lines = String::from_utf8(signed.get_output().stdout.clone()).unwrap();
        let mut verify = herald();
        verify.args([
            "verify",
            "--scheme",
            scheme,
            "--secret",
            secret,
            "--now",
            "1700000100",
        ]);
        for line in lines.lines() {
            verify.args(["--header", line]);
        }
        verify
            .write_stdin(BODY)
            .assert()
            .code(0)
            .stdout("verified key=0\n");
    }
}

#[test]
fn sign_defaults_the_timestamp_to_now_where_the_scheme_needs_one() {
    let output = herald()
        .args(["sign", "--scheme", "stripe", "--secret", "whsec_stripe"])
        .write_stdin(BODY)
        .assert()
        .code(0);
    let line = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    let stamp: i64 = line
        .strip_prefix("Stripe-Signature: t=")
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(stamp > 1_700_000_000, "{line}");
}

#[test]
fn sign_exits_2_when_a_field_is_missing_or_not_signed() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--scheme", "standard-webhooks", "--secret", SECRET],
            "give one with --id",
        ),
        (
            &["--scheme", "inplayer", "--secret", "s", "--timestamp", "1"],
            "drop --timestamp",
        ),
        (
            &["--scheme", "stripe", "--secret", "s", "--id", "x"],
            "drop --id",
        ),
        (
            &["--scheme", "inplayer", "--secret", "a", "--secret", "b"],
            "give one secret",
        ),
    ];
    for (args, hint) in cases {
        herald()
            .arg("sign")
            .args(args)
            .write_stdin(BODY)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with("herald: cannot sign: "))
            .stderr(predicate::str::contains(hint));
    }
}
