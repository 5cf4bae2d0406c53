//! libFuzzer entry of the `wire_decode` target; the properties are in `src/wire_decode.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::wire_decode::run(bytes));
