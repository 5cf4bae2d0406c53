//! libFuzzer entry of the `catalogue_load` target; the properties are in `src/catalogue_load.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::catalogue_load::run(bytes));
