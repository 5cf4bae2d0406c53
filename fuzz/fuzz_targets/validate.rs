//! libFuzzer entry of the `validate` target; the properties are in `src/validate.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::validate::run(bytes));
