//! libFuzzer entry of the `form` target; the properties are in `src/form.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::form::run(bytes));
