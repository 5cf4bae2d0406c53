//! libFuzzer entry of the `router_ops` target; the properties are in `src/router_ops.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::router_ops::run(bytes));
