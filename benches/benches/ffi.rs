//! The cost of the C ABI: the same match and validate calls made from Rust
//! directly and through `libherald.so` (loaded at run time, called through
//! the exported symbols as a C program would), on the same corpus, in one run.
//!
//! Build the shared library first, then run:
//!
//! ```sh
//! cargo build --release -p herald-ffi
//! cargo bench -p herald-benches --bench ffi -- --warm-up-time 1 --measurement-time 3
//! ```

use std::ffi::c_char;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use herald_benches::{TOPICS, mixed, parsed, router_of, validation_cases};
use herald_core::Catalogue;

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

/// `target/release/libherald.so`, found from this benchmark's own path
/// (`target/release/deps/ffi-…`).
fn library_path() -> PathBuf {
    let exe = std::env::current_exe().expect("benchmark path");
    let release = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/release");
    release.join(if cfg!(target_os = "macos") {
        "libherald.dylib"
    } else {
        "libherald.so"
    })
}

fn ffi(c: &mut Criterion) {
    let path = library_path();
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release -p herald-ffi` first",
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

criterion_group!(benches, ffi);
criterion_main!(benches);
