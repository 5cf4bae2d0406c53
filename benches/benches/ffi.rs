//! The cost of the C ABI: the same match and validate calls made from Rust
//! directly and through `libherald.so` (loaded at run time, called through
//! the exported symbols as a C program would), on the same corpus, in one run.
//!
//! Before timing, both paths must give the same answers: the same ids for
//! every topic of the corpus (hits and misses), and the same verdict, error
//! and warning codes and pointers for every benchmark payload and every
//! shared validation vector (`tests/vectors/validation.json`). A difference
//! panics, so the benchmark cannot time a wrong answer.
//!
//! Build the shared library of the same profile first, then run:
//!
//! ```sh
//! cargo build --release -p herald-ffi
//! cargo bench -p herald-benches --bench ffi -- --warm-up-time 1 --measurement-time 3
//! HERALD_BENCH_SMOKE=1 cargo bench -p herald-benches --bench ffi   # seconds, same checks
//! ```

use std::ffi::c_char;
use std::hint::black_box;
use std::path::PathBuf;

use base64::Engine;
use criterion::{Criterion, criterion_group, criterion_main};
use herald_benches::measurement::CpuTime;
use herald_benches::{TOPICS, mixed, parsed, router_of, validation_cases};
use herald_core::{Catalogue, Issue, ValidationReport};
use serde_json::Value;

type Opaque = std::ffi::c_void;
type Status = i32;

type RouterNew = unsafe extern "C" fn() -> *mut Opaque;
type RouterFree = unsafe extern "C" fn(*mut Opaque);
type RouterSubscribe =
    unsafe extern "C" fn(*mut Opaque, *const c_char, usize, u64, *mut bool, *mut Opaque) -> Status;
type RouterMatch = unsafe extern "C" fn(
    *const Opaque,
    *const c_char,
    usize,
    *mut u64,
    usize,
    *mut usize,
    *mut Opaque,
) -> Status;
type CatalogueBuiltin = unsafe extern "C" fn() -> *const Opaque;
type CatalogueFree = unsafe extern "C" fn(*const Opaque);
type CatalogueValidate = unsafe extern "C" fn(
    *const Opaque,
    *const c_char,
    usize,
    *const c_char,
    usize,
    *const u8,
    usize,
    *const Opaque,
    *mut *mut Opaque,
    *mut Opaque,
) -> Status;
type ReportIsOk = unsafe extern "C" fn(*const Opaque) -> bool;
type ReportFree = unsafe extern "C" fn(*mut Opaque);
type ReportCount = unsafe extern "C" fn(*const Opaque, i32) -> usize;
type ReportIssue =
    unsafe extern "C" fn(*const Opaque, i32, usize, *mut CIssue, *mut Opaque) -> Status;

/// `herald_str`: a view of text owned by the library.
#[repr(C)]
#[derive(Clone, Copy)]
struct CStr {
    ptr: *const c_char,
    len: usize,
}

impl CStr {
    /// The text, copied out.
    ///
    /// # Safety
    /// `ptr` is valid for `len` bytes (the library's promise while the
    /// report that holds the text lives).
    unsafe fn to_text(self) -> String {
        // SAFETY: the caller's contract.
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) };
        String::from_utf8(bytes.to_vec()).expect("codes and pointers are UTF-8")
    }
}

/// `herald_issue`, as the header declares it.
#[repr(C)]
struct CIssue {
    size: usize,
    code: CStr,
    pointer: CStr,
    message: CStr,
}

/// `HERALD_SEVERITY_ERROR` and `HERALD_SEVERITY_WARNING`.
const SEVERITIES: [i32; 2] = [0, 1];

/// `libherald.so` of this benchmark's own profile, found from its path
/// (`target/<profile>/deps/ffi-…`): the release library for `cargo bench`,
/// the debug one when the test command runs the checks.
fn library_path() -> PathBuf {
    let exe = std::env::current_exe().expect("benchmark path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    profile.join(if cfg!(target_os = "macos") {
        "libherald.dylib"
    } else {
        "libherald.so"
    })
}

/// (code, pointer) of each issue of a Rust report: errors, then warnings.
fn rust_issues(report: &ValidationReport) -> Vec<Vec<(String, String)>> {
    let pairs = |issues: &[Issue]| {
        issues
            .iter()
            .map(|issue| (issue.code.as_str().to_owned(), issue.pointer.clone()))
            .collect()
    };
    vec![pairs(&report.errors), pairs(&report.warnings)]
}

/// The shared validation vectors that name an event and use the default
/// limits (the C call below passes none): (description, source, name, payload).
fn shared_vectors() -> Vec<(String, String, String, Vec<u8>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/validation.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect(path))
        .expect("validation.json is JSON");
    let text = |case: &Value, key: &str| case.get(key).and_then(Value::as_str).map(str::to_owned);
    file["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|case| case.get("limits").is_none())
        .filter_map(|case| {
            let payload = match (text(case, "payload"), text(case, "payload_base64")) {
                (Some(payload), _) => payload.into_bytes(),
                (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .expect("base64"),
                _ => return None,
            };
            Some((
                text(case, "description")?,
                text(case, "source")?,
                text(case, "name")?,
                payload,
            ))
        })
        .collect()
}

fn ffi(c: &mut Criterion<CpuTime>) {
    let path = library_path();
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build --release -p herald-ffi` for \
         `cargo bench`, `cargo build -p herald-ffi` for `cargo test`)",
        path.display()
    );
    // SAFETY: loading our own library, whose initialisers have no side effects.
    let library = unsafe { libloading::Library::new(&path) }.expect("load libherald");
    // SAFETY: each symbol is looked up with the signature the header declares.
    let (router_new, router_free, router_subscribe, router_match) = unsafe {
        (
            *library.get::<RouterNew>(b"herald_router_new").unwrap(),
            *library.get::<RouterFree>(b"herald_router_free").unwrap(),
            *library
                .get::<RouterSubscribe>(b"herald_router_subscribe")
                .unwrap(),
            *library.get::<RouterMatch>(b"herald_router_match").unwrap(),
        )
    };
    // SAFETY: as above.
    let (catalogue_builtin, catalogue_free, catalogue_validate, report_is_ok, report_free) = unsafe {
        (
            *library
                .get::<CatalogueBuiltin>(b"herald_catalogue_builtin")
                .unwrap(),
            *library
                .get::<CatalogueFree>(b"herald_catalogue_free")
                .unwrap(),
            *library
                .get::<CatalogueValidate>(b"herald_catalogue_validate")
                .unwrap(),
            *library.get::<ReportIsOk>(b"herald_report_is_ok").unwrap(),
            *library.get::<ReportFree>(b"herald_report_free").unwrap(),
        )
    };
    // SAFETY: as above.
    let (report_count, report_issue) = unsafe {
        (
            *library.get::<ReportCount>(b"herald_report_count").unwrap(),
            *library.get::<ReportIssue>(b"herald_report_issue").unwrap(),
        )
    };

    // Matching: the 10k mixed corpus, hit topics, one router on each side.
    let corpus = mixed(10_000);
    let router = router_of(&parsed(&corpus.subscriptions));
    // SAFETY: the functions are called as the header documents.
    let c_router = unsafe { router_new() };
    for (pattern, id) in &corpus.subscriptions {
        // SAFETY: a live router and a valid pattern buffer.
        let status = unsafe {
            router_subscribe(
                c_router,
                pattern.as_ptr().cast(),
                pattern.len(),
                *id,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, 0);
    }
    let mut c_ids = [0u64; 1024];
    for topic in corpus.hits.iter().chain(&corpus.misses) {
        let mut len = 0usize;
        // SAFETY: a live router, a valid topic and a buffer of 1,024 slots.
        let status = unsafe {
            router_match(
                c_router,
                topic.as_ptr().cast(),
                topic.len(),
                c_ids.as_mut_ptr(),
                c_ids.len(),
                &mut len,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, 0, "the C ABI fails on {topic}");
        let mut rust_ids = Vec::new();
        router.match_into(topic, &mut rust_ids).unwrap();
        assert_eq!(
            &c_ids[..len],
            rust_ids.as_slice(),
            "the C ABI and Rust differ on {topic}"
        );
    }
    eprintln!(
        "ffi: the C ABI and Rust give the same ids on {} topics",
        corpus.hits.len() + corpus.misses.len()
    );

    let mut group = c.benchmark_group("ffi/match 10k mixed");
    let mut next = 0;
    let mut ids = Vec::with_capacity(256);
    group.bench_function("rust direct", |b| {
        b.iter(|| {
            next = (next + 1) & (TOPICS - 1);
            router
                .match_into(black_box(&corpus.hits[next]), &mut ids)
                .unwrap();
            ids.len()
        })
    });
    let mut buffer = [0u64; 256];
    group.bench_function("C ABI through libherald.so", |b| {
        b.iter(|| {
            next = (next + 1) & (TOPICS - 1);
            let topic = black_box(&corpus.hits[next]);
            let mut len = 0usize;
            // SAFETY: a live router, a valid topic and a 256-slot buffer.
            let status = unsafe {
                router_match(
                    c_router,
                    topic.as_ptr().cast(),
                    topic.len(),
                    buffer.as_mut_ptr(),
                    buffer.len(),
                    &mut len,
                    std::ptr::null_mut(),
                )
            };
            assert_eq!(status, 0);
            len
        })
    });
    group.finish();
    // SAFETY: freed once.
    unsafe { router_free(c_router) };

    // Validation: each benchmark payload, through the catalogue lookup on
    // both sides (the C ABI has no prepared validator).
    let catalogue = Catalogue::builtin();
    // SAFETY: as documented.
    let c_catalogue = unsafe { catalogue_builtin() };
    // The C report of `payload`: the verdict and (code, pointer) of each
    // issue, errors then warnings.
    let c_validate = |source: &str, name: &str, payload: &[u8]| {
        let mut report = std::ptr::null_mut();
        // SAFETY: a live catalogue, valid buffers; the report is read while
        // it lives (its views with it) and freed once.
        unsafe {
            let status = catalogue_validate(
                c_catalogue,
                source.as_ptr().cast(),
                source.len(),
                name.as_ptr().cast(),
                name.len(),
                payload.as_ptr(),
                payload.len(),
                std::ptr::null(),
                &mut report,
                std::ptr::null_mut(),
            );
            assert_eq!(status, 0, "the C ABI fails on {source} {name}");
            let ok = report_is_ok(report);
            let issues = SEVERITIES
                .iter()
                .map(|&severity| {
                    (0..report_count(report, severity))
                        .map(|index| {
                            let mut issue = CIssue {
                                size: std::mem::size_of::<CIssue>(),
                                code: CStr {
                                    ptr: std::ptr::null(),
                                    len: 0,
                                },
                                pointer: CStr {
                                    ptr: std::ptr::null(),
                                    len: 0,
                                },
                                message: CStr {
                                    ptr: std::ptr::null(),
                                    len: 0,
                                },
                            };
                            let status = report_issue(
                                report,
                                severity,
                                index,
                                &mut issue,
                                std::ptr::null_mut(),
                            );
                            assert_eq!(status, 0);
                            (issue.code.to_text(), issue.pointer.to_text())
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>();
            report_free(report);
            (ok, issues)
        }
    };
    let mut checked = Vec::new();
    for case in validation_cases() {
        checked.push((
            case.label.to_owned(),
            case.source.to_owned(),
            case.name.to_owned(),
            case.payload.clone(),
        ));
    }
    checked.extend(shared_vectors());
    for (description, source, name, payload) in &checked {
        let report = catalogue.validate(source, name, payload).unwrap();
        let (ok, issues) = c_validate(source, name, payload);
        assert_eq!(
            (ok, issues),
            (report.is_ok(), rust_issues(&report)),
            "the C ABI and Rust differ on {description}"
        );
    }
    assert!(
        checked.len() > 50,
        "only {} payloads checked",
        checked.len()
    );
    eprintln!(
        "ffi: the C ABI and Rust give the same reports on {} payloads",
        checked.len()
    );

    for case in validation_cases() {
        let payload = case.payload.as_slice();
        let mut group = c.benchmark_group(format!("ffi/validate {}", case.label));
        group.bench_function("rust direct", |b| {
            b.iter(|| {
                catalogue
                    .validate(case.source, case.name, black_box(payload))
                    .unwrap()
                    .is_ok()
            })
        });
        group.bench_function("C ABI through libherald.so", |b| {
            b.iter(|| {
                let mut report = std::ptr::null_mut();
                // SAFETY: live catalogue, valid buffers, report freed below.
                unsafe {
                    let status = catalogue_validate(
                        c_catalogue,
                        case.source.as_ptr().cast(),
                        case.source.len(),
                        case.name.as_ptr().cast(),
                        case.name.len(),
                        black_box(payload).as_ptr(),
                        payload.len(),
                        std::ptr::null(),
                        &mut report,
                        std::ptr::null_mut(),
                    );
                    assert_eq!(status, 0);
                    let ok = report_is_ok(report);
                    report_free(report);
                    ok
                }
            })
        });
        group.finish();
    }
    // SAFETY: freed once.
    unsafe { catalogue_free(c_catalogue) };
}

criterion_group! {
    name = benches;
    config = herald_benches::measurement::criterion();
    targets = ffi
}
criterion_main!(benches);
