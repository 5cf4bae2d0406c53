//! libFuzzer entry of the `topic` target; the properties are in `src/topic.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::topic::run(bytes));
