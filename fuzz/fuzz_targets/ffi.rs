//! libFuzzer entry of the `ffi` target; the properties are in `src/ffi.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::ffi::run(bytes));
