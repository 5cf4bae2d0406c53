//! "Did you mean …?": the closest known name to one the user mistyped.
//!
//! This module only ranks names it is given; it never looks anything up in
//! the catalogue and never decides whether a name is unknown.

/// The candidate closest to `wanted` by edit distance (ignoring case), if
/// it is close enough to be a likely typo: at most one edit per three
/// characters, and at least one. Ties go to the first candidate.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    let allowed = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&wanted, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, _)| distance <= allowed)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// `; did you mean "NAME"?` for the closest candidate, or nothing.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(wanted, candidates)
        .map(|name| format!("; did you mean {name:?}?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 3] = [
        "walletBalanceChanged",
        "walletStatusChanged",
        "user.created",
    ];

    #[test]
    fn a_missing_letter_finds_the_name() {
        assert_eq!(
            closest("walletBalanceChange", NAMES),
            Some("walletBalanceChanged")
        );
    }

    #[test]
    fn case_and_swapped_letters_count_as_typos() {
        assert_eq!(
            closest("WALLETSTATUSCHANGED", NAMES),
            Some("walletStatusChanged")
        );
        assert_eq!(closest("usre.created", NAMES), Some("user.created"));
    }

    #[test]
    fn an_unrelated_name_gets_no_suggestion() {
        assert_eq!(closest("payment.card.success", NAMES), None);
        assert_eq!(did_you_mean("xyz", NAMES), "");
    }

    #[test]
    fn the_suggestion_is_quoted() {
        assert_eq!(
            did_you_mean("user.create", NAMES),
            "; did you mean \"user.created\"?"
        );
    }
}
