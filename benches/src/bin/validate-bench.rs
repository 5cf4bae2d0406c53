//! `validate-bench`: the validation table of `docs/validation.md` in one run.
//!
//! ```text
//! cargo run --release -p herald-benches --bin validate-bench            # ~1 minute
//! HERALD_BENCH_SMOKE=1 cargo run --release -p herald-benches --bin validate-bench   # seconds
//! ```
//!
//! For every payload of `herald_benches::validation` it builds the
//! contenders, checks their answers (herald's verdict and error count equal
//! `jsonschema`'s, see [`Contenders::new`]), then times them interleaved:
//! each round runs every contender for a batch of about 20 ms (2 ms in smoke
//! mode), timed with the CPU clock of the measuring thread, so that time the
//! scheduler gives to other processes on a shared machine is not counted.
//! A time is the median of the rounds' ns per call; a ratio is the median of
//! the rounds' ratios (two contenders of one round ran within milliseconds
//! of each other, under the same load). It prints a Markdown table with the
//! date, commit and machine, then the targets of the validation issue,
//! where a ratio within the measured spread of its rounds is written "≈"
//! rather than met or missed.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use herald_benches::measurement::thread_cpu_time as thread_time;
use herald_benches::smoke;
use herald_benches::validation::{Contenders, validation_cases};
use herald_core::Catalogue;
use herald_core::wire::{self, WireFormat};
use serde::de::IgnoredAny;

/// The median and the relative spread (half the interquartile range over
/// the median) of some rounds' values.
#[derive(Debug, Clone, Copy)]
struct Figure {
    median: f64,
    spread: f64,
}

fn figure(mut rounds: Vec<f64>) -> Figure {
    rounds.sort_by(f64::total_cmp);
    let at = |quantile: f64| rounds[((rounds.len() - 1) as f64 * quantile).round() as usize];
    let median = at(0.5);
    Figure {
        median,
        spread: (at(0.75) - at(0.25)) / 2.0 / median,
    }
}

type Run<'a> = Box<dyn FnMut(u64) + 'a>;

/// Each contender's ns per call, round by round, the contenders interleaved.
fn measure(contenders: &mut [(&'static str, Run<'_>)]) -> Vec<Vec<f64>> {
    let (rounds, batch) = if smoke() {
        (5, Duration::from_millis(2))
    } else {
        (31, Duration::from_millis(20))
    };
    // Calibrate: iterations per batch for each contender.
    let counts: Vec<u64> = contenders
        .iter_mut()
        .map(|(_, run)| {
            let mut count = 16u64;
            loop {
                let start = thread_time();
                run(count);
                let elapsed = thread_time() - start;
                if elapsed >= batch / 4 {
                    let per = elapsed.as_secs_f64() / count as f64;
                    return ((batch.as_secs_f64() / per) as u64).max(1);
                }
                count *= 4;
            }
        })
        .collect();
    let mut times = vec![Vec::with_capacity(rounds); contenders.len()];
    for _ in 0..rounds {
        for (index, (_, run)) in contenders.iter_mut().enumerate() {
            let start = thread_time();
            run(counts[index]);
            let elapsed = thread_time() - start;
            times[index].push(elapsed.as_nanos() as f64 / counts[index] as f64);
        }
    }
    times
}

/// The median of the per-round ratios `top / bottom`.
fn ratio(top: &[f64], bottom: &[f64]) -> Figure {
    figure(
        top.iter()
            .zip(bottom)
            .map(|(top, bottom)| top / bottom)
            .collect(),
    )
}

/// A ratio and whether it meets a target, given the ratio's spread.
fn verdict(ratio: Figure, target: f64, at_least: bool) -> &'static str {
    if (ratio.median - target).abs() <= target * ratio.spread {
        "≈"
    } else if (ratio.median > target) == at_least {
        "met"
    } else {
        "missed"
    }
}

/// Today as `YYYY-MM-DD` (UTC), from the days since the epoch.
fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    format!("{model}, {cores} cores")
}

fn main() {
    let catalogue = Catalogue::builtin();
    println!(
        "validate-bench, {} on {}, commit {}{}; median thread-CPU ns per call of {} interleaved rounds",
        today(),
        machine(),
        commit(),
        if smoke() { " (smoke run)" } else { "" },
        if smoke() { 5 } else { 31 },
    );
    println!();
    println!(
        "| payload | bytes | herald name path | herald prepared | jsonschema parse+validate | jsonschema validate only | serde_json IgnoredAny (floor) | × faster than jsonschema (name path) | × the floor (name path) | × faster than jsonschema (prepared) | × the floor (prepared) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut targets = Vec::new();
    let mut decodes = Vec::new();
    for case in validation_cases() {
        let contenders = Contenders::new(case);
        let case = &contenders.case;
        let payload = case.payload.as_slice();
        let mut runs: Vec<(&'static str, Run<'_>)> = vec![
            (
                "herald name path",
                Box::new(|count| {
                    for _ in 0..count {
                        black_box(contenders.herald_by_name(black_box(payload)));
                    }
                }),
            ),
            (
                "herald prepared",
                Box::new(|count| {
                    for _ in 0..count {
                        black_box(contenders.validator.validate(black_box(payload)));
                    }
                }),
            ),
            (
                "jsonschema parse+validate",
                Box::new(|count| {
                    for _ in 0..count {
                        black_box(contenders.jsonschema_parse_validate(black_box(payload)));
                    }
                }),
            ),
            (
                "jsonschema validate only",
                Box::new(|count| {
                    for _ in 0..count {
                        black_box(contenders.jsonschema_validate(black_box(&contenders.parsed)));
                    }
                }),
            ),
            (
                "floor",
                Box::new(|count| {
                    for _ in 0..count {
                        black_box(serde_json::from_slice::<IgnoredAny>(black_box(payload)).ok());
                    }
                }),
            ),
        ];
        if let Some(form) = &case.form {
            runs.push((
                "herald wire decode",
                Box::new(move |count| {
                    for _ in 0..count {
                        black_box(
                            wire::decode(WireFormat::InplayerWebhook, catalogue, black_box(form))
                                .ok(),
                        );
                    }
                }),
            ));
        }
        let times = measure(&mut runs);
        let [by_name, prepared, peer, peer_only, floor] =
            [0, 1, 2, 3, 4].map(|index| &times[index]);
        if case.form.is_some() {
            decodes.push((
                case.label,
                case.form.as_ref().map_or(0, Vec::len),
                figure(times[5].clone()),
            ));
        }
        let median = |rounds: &[f64]| figure(rounds.to_vec()).median;
        let faster = ratio(peer, by_name);
        let above_floor = ratio(by_name, floor);
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |",
            case.label,
            payload.len(),
            median(by_name),
            median(prepared),
            median(peer),
            median(peer_only),
            median(floor),
            faster.median,
            above_floor.median,
            ratio(peer, prepared).median,
            ratio(prepared, floor).median,
        );
        if case.errors == 0 {
            targets.push(format!(
                "- {}: {:.2}× faster than jsonschema (target ≥ 4, spread ±{:.0} %): {}; {:.2}× the floor (target ≤ 1.5, spread ±{:.0} %): {}",
                case.label,
                faster.median,
                faster.spread * 100.0,
                verdict(faster, 4.0, true),
                above_floor.median,
                above_floor.spread * 100.0,
                verdict(above_floor, 1.5, false),
            ));
        } else {
            targets.push(format!(
                "- {}: {:.2}× faster than jsonschema (target ≥ 2, spread ±{:.0} %): {}",
                case.label,
                faster.median,
                faster.spread * 100.0,
                verdict(faster, 2.0, true),
            ));
        }
    }
    if !decodes.is_empty() {
        println!();
    }
    for (label, bytes, decode) in decodes {
        println!(
            "{label}: `wire::decode` of the {bytes}-byte form body (form parsing, coercion, validation): {:.0} ns",
            decode.median
        );
    }
    println!();
    println!("Targets (name path; \"≈\": within the spread of the rounds' ratios):");
    println!();
    for line in targets {
        println!("{line}");
    }
}
