//! The seed documents' own samples, taken from the shared vectors, give the
//! outcomes the catalogue decided for them.

use crate::common::{Vector, load_vectors};
use herald_core::{Catalogue, IssueCode};

fn vector(description_start: &str) -> Vector {
    load_vectors()
        .cases
        .into_iter()
        .find(|vector| vector.description.starts_with(description_start))
        .unwrap_or_else(|| panic!("no vector {description_start:?}"))
}

#[test]
fn the_accelbyte_balance_sample_is_valid_with_a_warning_for_credit() {
    let report = vector("AccelByte seed balance sample").run(Catalogue::builtin());
    assert!(report.is_ok());
    assert_eq!(report.warnings.len(), 1);
    let warning = &report.warnings[0];
    assert_eq!(warning.code, IssueCode::UnknownEnum);
    assert_eq!(warning.pointer, "/payload/action");
    assert!(
        warning
            .message
            .starts_with("\"credit\" is not one of payWithUserWallet")
    );
    assert!(warning.message.contains("expiringWalletJob"));
}

#[test]
fn the_accelbyte_status_sample_fails_as_wallet_status_changed() {
    let report = vector("AccelByte seed \"status\" sample").run(Catalogue::builtin());
    let errors: Vec<(IssueCode, &str, &str)> = report
        .errors
        .iter()
        .map(|issue| (issue.code, issue.pointer.as_str(), issue.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                IssueCode::EventMismatch,
                "/type",
                "the payload is for the event \"walletBalanceChanged\", not \"walletStatusChanged\""
            ),
            (
                IssueCode::MissingField,
                "/payload/data",
                "the required field \"previousStatus\" is missing"
            ),
            (
                IssueCode::MissingField,
                "/payload/data",
                "the required field \"status\" is missing"
            ),
            (
                IssueCode::MissingField,
                "/payload/data",
                "the required field \"walletId\" is missing"
            ),
        ]
    );
    let unknown: Vec<&str> = report
        .warnings
        .iter()
        .filter(|issue| issue.code == IssueCode::UnknownField)
        .map(|issue| issue.pointer.as_str())
        .collect();
    assert_eq!(
        unknown,
        [
            "/payload/data/namespace",
            "/payload/data/currencyCode",
            "/payload/data/amount",
            "/payload/data/reason",
            "/payload/data/origin"
        ]
    );
}

#[test]
fn the_expiry_action_is_named_expiring_wallet_job_and_documented() {
    let event = Catalogue::builtin()
        .get("accelbyte-wallet", "walletBalanceChanged")
        .unwrap();
    let schema = serde_json::to_value(event.schema.as_ref().unwrap()).unwrap();
    let action = &schema["fields"]["payload"]["fields"]["action"];
    assert!(
        action["enum"]
            .as_array()
            .unwrap()
            .contains(&"expiringWalletJob".into())
    );
    assert!(
        action["description"]
            .as_str()
            .unwrap()
            .contains("no vendor source names it")
    );
    assert_eq!(action["unknown_value"], "warn");
}
