//! Reports byte for byte: every validation vector's report (codes,
//! pointers, messages, order, truncation), every wire vector's outcome
//! (the decoded event and its report, or the error's code, offset, line and
//! message), and the reports of thirty thousand broken documents — every
//! truncation and a set of byte corruptions of real payloads, through the
//! validator and through the wire decoders, with default and tight limits —
//! equal the snapshot in `tests/data/reports.snapshot`.
//!
//! The vectors are recorded in full; the broken documents, whose rendering
//! runs to megabytes, as a 64-bit FNV-1a digest per block of 256 cases, so
//! that a change shows which block moved and the test prints its new lines.
//!
//! The snapshot was recorded before the JSON reader was rewritten, so this
//! test holds the rewrite to the exact behaviour users saw: same issues,
//! same order, same texts, same offsets. When the behaviour changes on
//! purpose, the failing run writes the new rendering and its full text
//! next to the test binary (the paths are in the failure message) for
//! review and copying.

use std::fmt::Write as _;

use crate::common::load_vectors;
use crate::common::wire::load_wire_vectors;
use herald_core::wire::{self, DecodeOptions, WireFormat};
use herald_core::{Catalogue, Issue, Limits, ValidationReport};

fn issues(out: &mut String, label: &str, issues: &[Issue]) {
    for issue in issues {
        let _ = write!(
            out,
            " {label}({} {:?} {:?})",
            issue.code, issue.pointer, issue.message
        );
    }
}

fn report(report: &ValidationReport) -> String {
    let mut out = format!("ok={}", report.is_ok());
    issues(&mut out, "error", &report.errors);
    issues(&mut out, "warning", &report.warnings);
    if report.truncated {
        out.push_str(" truncated");
    }
    out
}

fn decoded(format: WireFormat, bytes: &[u8], options: &DecodeOptions) -> String {
    match wire::decode_with(format, Catalogue::builtin(), bytes, options) {
        Ok(decoded) => {
            let event = &decoded.event;
            format!(
                "event name={:?} template={:?} id={:?} timestamp={:?} envelope={:?} payload={:?} {}",
                event.name,
                event.template,
                event.id,
                event.timestamp,
                event.envelope,
                String::from_utf8_lossy(&event.payload),
                report(&decoded.report)
            )
        }
        Err(error) => format!(
            "error code={} offset={:?} line={:?} message={:?}",
            error.code(),
            error.offset(),
            error.line(),
            error.to_string()
        ),
    }
}

/// Bytes that break JSON in different ways when they replace another.
const CORRUPTIONS: [u8; 8] = [b'"', b'\\', b'{', b']', b',', b':', b'0', 0x80];

/// Every prefix of `bytes`, and `bytes` with each byte replaced by each of
/// [`CORRUPTIONS`] (when `corrupt`).
fn broken(bytes: &[u8], corrupt: bool) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = (0..bytes.len())
        .map(|len| (format!("prefix {len}"), bytes[..len].to_vec()))
        .collect();
    if corrupt {
        for at in 0..bytes.len() {
            for &byte in &CORRUPTIONS {
                if bytes[at] != byte {
                    let mut copy = bytes.to_vec();
                    copy[at] = byte;
                    out.push((format!("byte {at} = {byte:#04x}"), copy));
                }
            }
        }
    }
    out
}

fn example(source: &str, name: &str) -> Vec<u8> {
    let event = Catalogue::builtin().get(source, name).unwrap();
    serde_json::to_vec(&event.examples[0]).unwrap()
}

fn wire_file(path: &str) -> Vec<u8> {
    std::fs::read(crate::common::wire::wire_vectors_dir().join(path)).unwrap()
}

/// The rendering: the vectors' lines, then every broken document's line.
fn render() -> (String, Vec<String>) {
    let catalogue = Catalogue::builtin();
    let mut out = String::new();
    for vector in load_vectors().cases {
        let _ = writeln!(
            out,
            "validation vector {:?}: {}",
            vector.description,
            report(&vector.run(catalogue))
        );
    }
    for vector in load_wire_vectors().cases {
        let _ = writeln!(
            out,
            "wire vector {:?}: {}",
            vector.description,
            decoded(vector.format(), &vector.bytes(), &vector.options())
        );
    }
    let mut lines = Vec::new();
    let tight = Limits {
        max_depth: 3,
        max_errors: 2,
        ..Limits::default()
    };
    let documents = [
        (
            "accelbyte-wallet",
            "walletBalanceChanged",
            example("accelbyte-wallet", "walletBalanceChanged"),
            true,
        ),
        (
            "orangepill-stream",
            "user.created",
            example("orangepill-stream", "user.created"),
            true,
        ),
        (
            "inplayer-notifications",
            "payment.card.success",
            wire_file("inplayer-notification/payment.card.success.json"),
            true,
        ),
        (
            "inplayer-notifications",
            "access.granted",
            wire_file("inplayer-notification/access.granted.json"),
            false,
        ),
    ];
    for (source, name, bytes, corrupt) in &documents {
        for (what, payload) in broken(bytes, *corrupt) {
            lines.push(format!(
                "validate {source} {name} {what}: {}",
                report(&catalogue.validate(source, name, &payload).unwrap())
            ));
            lines.push(format!(
                "validate tight {source} {name} {what}: {}",
                report(
                    &catalogue
                        .validate_with_limits(source, name, &payload, &tight)
                        .unwrap()
                )
            ));
        }
    }
    let frames = [
        (
            WireFormat::Orangepill,
            example("orangepill-stream", "user.created"),
        ),
        (
            WireFormat::InplayerNotification,
            wire_file("inplayer-notification/payment.card.success.json"),
        ),
        (
            WireFormat::AccelbyteLobby,
            wire_file("accelbyte-lobby/wallet-balance.txt"),
        ),
    ];
    let options = DecodeOptions {
        limits: tight,
        ..DecodeOptions::default()
    };
    for (format, bytes) in &frames {
        for (what, frame) in broken(bytes, true) {
            lines.push(format!(
                "decode {format} {what}: {}",
                decoded(*format, &frame, &DecodeOptions::default())
            ));
            lines.push(format!(
                "decode tight {format} {what}: {}",
                decoded(*format, &frame, &options)
            ));
        }
    }
    (out, lines)
}

/// Cases per digest line.
const BLOCK: usize = 256;

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The vectors in full, then one digest line per block of broken documents.
fn snapshot(vectors: &str, lines: &[String]) -> String {
    let mut out = vectors.to_owned();
    for (index, block) in lines.chunks(BLOCK).enumerate() {
        let first = block[0].split(':').next().unwrap_or_default();
        let _ = writeln!(
            out,
            "block {index} ({} cases from {first}): fnv1a {:016x}",
            block.len(),
            fnv1a(&block.join("\n"))
        );
    }
    out
}

#[test]
fn every_report_and_wire_outcome_is_byte_for_byte_the_snapshot() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reports.snapshot");
    let (vectors, lines) = render();
    assert!(lines.len() > 30_000, "{} broken documents", lines.len());
    let actual = snapshot(&vectors, &lines);
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("reports.snapshot"), &actual).unwrap();
    std::fs::write(dir.join("reports.full"), vectors + &lines.join("\n")).unwrap();
    let differences: Vec<String> = actual
        .lines()
        .zip(expected.lines())
        .filter(|(now, before)| now != before)
        .take(10)
        .map(|(now, before)| {
            let block = now
                .strip_prefix("block ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|index| index.parse::<usize>().ok());
            let detail = block.map_or_else(String::new, |index| {
                let start = index * BLOCK;
                format!(
                    "\n  its cases:\n  {}",
                    lines[start..(start + BLOCK).min(lines.len())].join("\n  ")
                )
            });
            format!("before: {before}\nnow:    {now}{detail}")
        })
        .collect();
    panic!(
        "{} lines now, {} in the snapshot; first differences:\n{}\nthe new snapshot and its full text are in {}",
        actual.lines().count(),
        expected.lines().count(),
        differences.join("\n"),
        dir.display()
    );
}
