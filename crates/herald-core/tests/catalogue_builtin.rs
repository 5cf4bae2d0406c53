//! The built-in catalogue holds every event of the four seed documents, each
//! with its source and its own description.

use std::collections::{BTreeSet, HashSet};

use herald_core::catalogue::{BuiltinSource, EventFlag};
use herald_core::topic::validate_topic;
use herald_core::{Catalogue, Limits};
use strum::IntoEnumIterator;

/// Names as the seed documents list them, excluding events flagged
/// `supplementary` (known only from the vendors' other documentation).
fn seed_names(source: &str) -> BTreeSet<String> {
    Catalogue::builtin()
        .events_in(source)
        .filter(|event| !event.has_flag(EventFlag::Supplementary))
        .map(|event| event.name.clone())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| name.to_string()).collect()
}

#[test]
fn inplayer_notifications_are_the_eleven_seed_names() {
    let expected = set(&[
        "payment.card.success",
        "payment.card.failed",
        "external.payment.success",
        "external.payment.failed",
        "subscribe.success",
        "subscribe.failed",
        "access.granted",
        "access.revoked",
        "account.logout",
        "account.erased",
        "account.deactivated",
    ]);
    assert_eq!(expected.len(), 11);
    assert_eq!(seed_names("inplayer-notifications"), expected);
}

#[test]
fn inplayer_webhooks_are_the_twenty_seven_seed_names() {
    let expected = set(&[
        "freemium.grant.success",
        "freemium.grant.failed",
        "payment.card.success",
        "payment.card.failed",
        "payment.refund.success",
        "payment.refund.failed",
        "subscribe.success",
        "subscribe.cancelled.success",
        "subscribe.failed",
        "subscribe.cancelled.failed",
        "subscribe.updated",
        "subscribe.expired",
        "external.payment.success",
        "external.payment.failed",
        "external.subscribe.success",
        "external.subscribe.failed",
        "external.subscribe.update.success",
        "external.subscribe.update.failed",
        "external.subscribe.cancel.success",
        "external.subscribe.cancel.failed",
        "external.payment.refund.success",
        "external.payment.refund.failed",
        "asset.access.granted",
        "asset.access.revoked",
        "customer.registered",
        "customer.updated",
        "customer.password.updated",
    ]);
    assert_eq!(expected.len(), 27);
    assert_eq!(seed_names("inplayer-webhooks"), expected);
    assert_eq!(
        Catalogue::builtin().events_in("inplayer-webhooks").count(),
        27
    );
}

#[test]
fn orangepill_stream_is_fifty_three_names_and_two_templates() {
    let expected = set(&[
        "user.created",
        "user.updated",
        "user.deleted",
        "identity.created",
        "identity.updated",
        // The seed breaks this name across two lines ("identity." / "deleted").
        "identity.deleted",
        "persons.sync.started",
        "persons.sync.done",
        "person.created",
        "person.updated",
        "person.deleted",
        "person.assigned",
        "person.unassigned",
        "company.created",
        "company.updated",
        "company.deleted",
        "{channel}.message.sent",
        "{channel}.message.failed",
        "account.creating",
        "account.created",
        "account.failed",
        "account.updated",
        "account.incoming",
        "account.outgoing",
        "transaction.processing",
        "transaction.updated",
        "transaction.done",
        "transaction.failed",
        "deposit.pending",
        "deposit.received",
        "deposit.processing",
        "deposit.gas",
        "deposit.processed",
        "deposit.failed",
        "withdrawal.creating",
        "withdrawal.processed",
        "withdrawal.failed",
        "currency.created",
        "currency.failed",
        "currency.issued",
        "currency.destroyed",
        "alias.created",
        "alias.updated",
        "alias.deleted",
        "apps.forward.done",
        "apps.forward.failed",
        "apps.payment.pending",
        "apps.payment.status",
        "apps.payment.processing",
        "apps.payment.done",
        "apps.payment.failed",
        "apps.deposit.pending",
        "apps.deposit.processing",
        "apps.deposit.done",
        "apps.deposit.failed",
    ]);
    assert_eq!(expected.len(), 55);
    assert_eq!(seed_names("orangepill-stream"), expected);
    let templates = Catalogue::builtin()
        .events_in("orangepill-stream")
        .filter(|event| event.template.is_some())
        .count();
    assert_eq!(templates, 2);
}

#[test]
fn accelbyte_wallet_is_the_two_notification_types() {
    assert_eq!(
        seed_names("accelbyte-wallet"),
        set(&["walletStatusChanged", "walletBalanceChanged"])
    );
}

#[test]
fn supplementary_events_are_only_the_sca_pair() {
    let supplementary: BTreeSet<(String, String)> = Catalogue::builtin()
        .events()
        .filter(|event| event.has_flag(EventFlag::Supplementary))
        .map(|event| (event.source.clone(), event.name.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("inplayer-notifications", "payment.card.requires.action"),
        ("inplayer-notifications", "subscribe.requires.action"),
    ]
    .into_iter()
    .map(|(source, name)| (source.to_owned(), name.to_owned()))
    .collect();
    assert_eq!(supplementary, expected);
}

#[test]
fn infobip_extension_flags_the_starred_orangepill_events() {
    let flagged: BTreeSet<&str> = Catalogue::builtin()
        .events_in("orangepill-stream")
        .filter(|event| event.has_flag(EventFlag::InfobipExtension))
        .map(|event| event.name.as_str())
        .collect();
    assert_eq!(flagged.len(), 12);
    for name in [
        "persons.sync.started",
        "person.unassigned",
        "company.deleted",
        "{channel}.message.failed",
    ] {
        assert!(flagged.contains(name), "{name}");
    }
    assert!(
        Catalogue::builtin()
            .events()
            .filter(|e| e.source != "orangepill-stream")
            .all(|e| !e.has_flag(EventFlag::InfobipExtension))
    );
}

#[test]
fn builtin_source_enum_matches_the_data() {
    let from_enum: Vec<&str> = BuiltinSource::iter().map(BuiltinSource::id).collect();
    let from_data: Vec<&str> = Catalogue::builtin()
        .sources()
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(from_enum, from_data);
}

#[test]
fn every_builtin_name_passes_the_topic_tokenizer() {
    for event in Catalogue::builtin().events() {
        assert!(
            validate_topic(&event.name, &Limits::default()).is_ok(),
            "{}",
            event.name
        );
    }
}

#[test]
fn no_source_declares_a_name_twice() {
    let mut seen = HashSet::new();
    for event in Catalogue::builtin().events() {
        assert!(
            seen.insert((&event.source, &event.name)),
            "{} {}",
            event.source,
            event.name
        );
    }
}

#[test]
fn descriptions_are_present_and_distinct() {
    let mut seen = HashSet::new();
    for event in Catalogue::builtin().events() {
        assert!(!event.description.trim().is_empty(), "{}", event.name);
        assert!(
            seen.insert(event.description.as_str()),
            "repeated description: {}",
            event.description
        );
    }
}

#[test]
fn every_alias_resolves_both_ways() {
    let catalogue = Catalogue::builtin();
    let mut pairs = 0;
    for event in catalogue.events() {
        for reference in &event.aliases {
            let target = catalogue
                .get(&reference.source, &reference.name)
                .expect("alias target");
            assert!(
                catalogue.aliases_of(target).any(|back| back == event),
                "{} -> {}",
                event.name,
                target.name
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, 8);
}

#[test]
fn notification_access_granted_is_an_alias_of_webhook_asset_access_granted() {
    let catalogue = Catalogue::builtin();
    let notification = catalogue
        .get("inplayer-notifications", "access.granted")
        .unwrap();
    let aliases: Vec<_> = catalogue
        .aliases_of(notification)
        .map(|event| (event.source.as_str(), event.name.as_str()))
        .collect();
    assert_eq!(aliases, [("inplayer-webhooks", "asset.access.granted")]);
}

#[test]
fn every_template_names_its_parameter_and_resolves() {
    let catalogue = Catalogue::builtin();
    for event in catalogue.events().filter(|event| event.template.is_some()) {
        let template = event.template.as_ref().unwrap();
        for value in &template.known_values {
            let name = event
                .name
                .replace(&format!("{{{}}}", template.parameter), value);
            let resolved = catalogue.resolve(&event.source, &name).expect(&name);
            assert_eq!(resolved.event, event);
            assert_eq!(resolved.binding.unwrap().value, value);
        }
    }
}

#[test]
fn every_event_has_a_category_from_the_known_set() {
    let known = [
        "payment",
        "subscription",
        "access",
        "account",
        "customer",
        "user",
        "identity",
        "person",
        "company",
        "message",
        "transaction",
        "deposit",
        "withdrawal",
        "currency",
        "alias",
        "wallet",
    ];
    let categories: Vec<&str> = Catalogue::builtin().categories().collect();
    for category in &categories {
        assert!(known.contains(category), "{category}");
    }
    assert_eq!(categories.len(), known.len());
}

#[test]
fn the_builtin_document_round_trips() {
    let catalogue = Catalogue::builtin();
    let again = Catalogue::from_json(catalogue.to_json().as_bytes()).unwrap();
    assert_eq!(&again, catalogue);
    assert_eq!(again.to_json(), catalogue.to_json());
}

#[test]
fn every_event_has_a_schema_and_at_least_one_example() {
    for event in Catalogue::builtin().events() {
        assert!(event.schema.is_some(), "{} {}", event.source, event.name);
        assert!(
            !event.examples.is_empty(),
            "{} {}",
            event.source,
            event.name
        );
    }
}

#[test]
fn every_example_validates_without_errors_or_warnings() {
    let catalogue = Catalogue::builtin();
    let mut checked = 0;
    for event in catalogue.events() {
        for example in &event.examples {
            let bytes = serde_json::to_vec(example).unwrap();
            let report = catalogue
                .validate(&event.source, &event.name, &bytes)
                .unwrap();
            assert!(
                report.errors.is_empty() && report.warnings.is_empty(),
                "{} {}: {:#?}",
                event.source,
                event.name,
                report
            );
            checked += 1;
        }
    }
    assert!(checked >= catalogue.len());
}
