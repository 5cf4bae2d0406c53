//! A loop for profilers: validates one benchmark payload (by index, default
//! all) many times.
fn main() {
    let catalogue = herald_core::Catalogue::builtin();
    let only: Option<usize> = std::env::args().nth(1).and_then(|arg| arg.parse().ok());
    let mut ok = 0usize;
    for (index, case) in herald_benches::validation_cases().iter().enumerate() {
        if only.is_some_and(|only| only != index) {
            continue;
        }
        let validator = catalogue.validator(case.source, case.name).unwrap();
        for _ in 0..5_000_000 {
            ok += usize::from(
                validator
                    .validate(std::hint::black_box(&case.payload))
                    .is_ok(),
            );
        }
    }
    println!("{ok}");
}
