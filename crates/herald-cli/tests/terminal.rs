//! What the CLI tells a person at a terminal, and only there: that it waits
//! for stdin, and how far a long stream has come. A pseudo-terminal stands
//! in for the person; pipes stand in for scripts.

#![cfg(target_os = "linux")]

mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::{self, JoinHandle};

use rustix::fs::{Mode, OFlags};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

use common::Scratch;

/// A pseudo-terminal: the program gets `device`, the test holds `screen`.
struct Terminal {
    screen: File,
    device: OwnedFd,
}

fn terminal() -> Terminal {
    // Close-on-exec, so that no other test's child keeps the device open.
    let screen = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&screen).unwrap();
    unlockpt(&screen).unwrap();
    let name = ptsname(&screen, Vec::new()).unwrap();
    let device = rustix::fs::open(
        name.as_c_str(),
        OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    Terminal {
        screen: File::from(screen),
        device,
    }
}

impl Terminal {
    fn device(&self) -> Stdio {
        Stdio::from(self.device.try_clone().unwrap())
    }

    /// Everything the program shows, read until it has exited and closed
    /// the device (the screen then reads as an error: the end).
    fn record(self) -> JoinHandle<String> {
        let Terminal { mut screen, device } = self;
        drop(device);
        thread::spawn(move || {
            let mut shown = Vec::new();
            let mut buffer = [0; 4096];
            while let Ok(read @ 1..) = screen.read(&mut buffer) {
                shown.extend_from_slice(&buffer[..read]);
            }
            String::from_utf8_lossy(&shown).into_owned()
        })
    }
}

fn herald() -> Command {
    Command::new(env!("CARGO_BIN_EXE_herald"))
}

fn subs(scratch: &Scratch) -> PathBuf {
    scratch.file("subs", "1 payment.#\n2 #\n")
}

/// Topics, `count` lines of about 200 bytes.
fn topics(count: usize) -> Vec<u8> {
    let line = format!("payment.card.{}\n", "x".repeat(186));
    line.repeat(count).into_bytes()
}

fn stdout_lines(child: Child) -> (usize, String) {
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    (
        stdout.lines().count(),
        String::from_utf8(output.stderr).unwrap_or_default(),
    )
}

#[test]
fn validate_without_a_file_on_a_terminal_says_it_reads_stdin() {
    let terminal = terminal();
    let child = herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged"])
        .stdin(terminal.device())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Ctrl-D on an empty line: the end of the input.
    let mut keyboard = terminal.screen.try_clone().unwrap();
    keyboard.write_all(b"\x04").unwrap();
    let output = child.wait_with_output().unwrap();
    drop(terminal);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "herald: reading the payload from stdin (end with Ctrl-D, or name a FILE)\n\
         invalid: 1 error\n"
    );
}

#[test]
fn route_on_a_terminal_says_it_reads_topics_from_stdin() {
    let scratch = Scratch::new();
    let terminal = terminal();
    let child = herald()
        .arg("route")
        .arg("--subs")
        .arg(subs(&scratch))
        .stdin(terminal.device())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut keyboard = terminal.screen.try_clone().unwrap();
    keyboard.write_all(b"payment.card.success\n\x04").unwrap();
    let output = child.wait_with_output().unwrap();
    drop(terminal);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "payment.card.success\t1 2\n"
    );
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "herald: reading topics, one per line, from stdin \
         (end with Ctrl-D, or redirect a file: < FILE)\n"
    );
}

#[test]
fn a_file_named_dash_is_stdin_without_a_notice() {
    let terminal = terminal();
    let child = herald()
        .args(["validate", "accelbyte-wallet", "walletBalanceChanged", "-"])
        .stdin(terminal.device())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut keyboard = terminal.screen.try_clone().unwrap();
    keyboard.write_all(b"\x04").unwrap();
    let output = child.wait_with_output().unwrap();
    drop(terminal);
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "invalid: 1 error\n"
    );
}

#[test]
fn route_of_a_large_file_shows_progress_on_a_terminal_and_prints_the_same() {
    let count = 50_000; // 10 MB, past the 8 MiB that makes an input large
    let scratch = Scratch::new();
    let input = scratch.file("topics", topics(count));
    let terminal = terminal();
    let child = herald()
        .arg("route")
        .arg("--subs")
        .arg(subs(&scratch))
        .stdin(File::open(&input).unwrap())
        .stdout(Stdio::piped())
        .stderr(terminal.device())
        .spawn()
        .unwrap();
    let screen = terminal.record();
    let (lines, _) = stdout_lines(child);
    let shown = screen.join().unwrap();
    assert_eq!(lines, count);
    assert!(shown.contains("herald route ["), "{shown:?}");
    assert!(shown.contains("MiB/9.5"), "{shown:?}");
}

#[test]
fn validate_ndjson_from_a_long_pipe_shows_progress_on_a_terminal() {
    let payload = format!(
        r#"{{"type":"walletBalanceChanged","payload":{{"action":"credit","data":{{"namespace":"n","userId":"u","currencyCode":"USD","amount":5,"reason":"{}","origin":"System"}}}}}}"#,
        "r".repeat(4000)
    );
    let count = 2_500; // 10 MB through a pipe: its size is unknown
    let terminal = terminal();
    let mut child = herald()
        .args([
            "validate",
            "accelbyte-wallet",
            "walletBalanceChanged",
            "--ndjson",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(terminal.device())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = thread::spawn(move || {
        for _ in 0..count {
            stdin.write_all(payload.as_bytes()).unwrap();
            stdin.write_all(b"\n").unwrap();
        }
    });
    let screen = terminal.record();
    let (lines, _) = stdout_lines(child);
    writer.join().unwrap();
    let shown = screen.join().unwrap();
    // One warning line per payload and the summary.
    assert_eq!(lines, count + 1);
    assert!(shown.contains("herald validate"), "{shown:?}");
    assert!(shown.contains("MiB read"), "{shown:?}");
}

#[test]
fn a_small_input_shows_no_progress() {
    let scratch = Scratch::new();
    let input = scratch.file("topics", topics(100));
    let terminal = terminal();
    let child = herald()
        .arg("route")
        .arg("--subs")
        .arg(subs(&scratch))
        .stdin(File::open(input).unwrap())
        .stdout(Stdio::piped())
        .stderr(terminal.device())
        .spawn()
        .unwrap();
    let screen = terminal.record();
    let (lines, _) = stdout_lines(child);
    assert_eq!(lines, 100);
    assert_eq!(screen.join().unwrap(), "");
}

#[test]
fn results_on_the_terminal_leave_no_room_for_a_bar() {
    let count = 50_000;
    let scratch = Scratch::new();
    let input = scratch.file("topics", topics(count));
    let terminal = terminal();
    let child = herald()
        .arg("route")
        .arg("--subs")
        .arg(subs(&scratch))
        .stdin(File::open(&input).unwrap())
        .stdout(terminal.device())
        .stderr(terminal.device())
        .spawn()
        .unwrap();
    let screen = terminal.record();
    let status = { child }.wait().unwrap();
    let shown = screen.join().unwrap();
    assert!(status.success());
    assert_eq!(shown.matches("\t1 2").count(), count);
    assert!(!shown.contains("herald route"), "a bar was drawn");
}

#[test]
fn a_large_input_into_pipes_shows_no_progress() {
    let count = 50_000;
    let scratch = Scratch::new();
    let input = scratch.file("topics", topics(count));
    let child = herald()
        .arg("route")
        .arg("--subs")
        .arg(subs(&scratch))
        .stdin(File::open(&input).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, stderr) = stdout_lines(child);
    assert_eq!(lines, count);
    assert_eq!(stderr, "");
}
