//! libFuzzer entry of the `realm_session` target; the properties are in `src/realm_session.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| herald_fuzz::realm_session::run(bytes));
