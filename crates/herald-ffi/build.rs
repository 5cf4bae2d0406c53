//! Gives the shared library the SONAME `libherald.so.<ABI major>` on Linux, so
//! programs linked against one ABI never load an incompatible one.

fn main() {
    // Keep in step with `HERALD_ABI_VERSION` in src/version.rs (a test checks).
    const ABI_MAJOR: u32 = 2;
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libherald.so.{ABI_MAJOR}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
