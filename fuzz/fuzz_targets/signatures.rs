//! libFuzzer entry of the `signatures` target; the properties are in `src/signatures.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::signatures::run(bytes));
