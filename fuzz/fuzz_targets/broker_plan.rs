//! libFuzzer entry of the `broker_plan` target; the properties are in `src/broker_plan.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::broker_plan::run(bytes));
