//! Shared corpora for the herald benchmarks.

use herald_core::Catalogue;

/// One payload the validation benchmark runs, taken from the built-in
/// catalogue's examples so that every contender sees a valid payload.
#[derive(Debug, Clone)]
pub struct ValidationCase {
    /// Short label for the benchmark group.
    pub label: &'static str,
    /// Source id.
    pub source: &'static str,
    /// Event name.
    pub name: &'static str,
    /// The payload bytes (the first example, compact).
    pub payload: Vec<u8>,
}

/// The three payloads of the validation benchmark: a small AccelByte wallet
/// notification, the largest InPlayer payload (`access.granted`) and a thin
/// Orangepill stream notification.
pub fn validation_cases() -> Vec<ValidationCase> {
    let catalogue = Catalogue::builtin();
    [
        (
            "accelbyte walletBalanceChanged",
            "accelbyte-wallet",
            "walletBalanceChanged",
        ),
        (
            "inplayer access.granted",
            "inplayer-notifications",
            "access.granted",
        ),
        (
            "orangepill notification",
            "orangepill-stream",
            "user.created",
        ),
    ]
    .into_iter()
    .map(|(label, source, name)| {
        let event = catalogue.get(source, name).expect("a built-in event");
        let payload = serde_json::to_vec(&event.examples[0]).expect("examples serialise");
        ValidationCase {
            label,
            source,
            name,
            payload,
        }
    })
    .collect()
}
