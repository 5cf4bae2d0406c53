//! Looking events up: by source and name, by name across sources, through
//! templates, by category, and through aliases.

use herald_core::Catalogue;

#[test]
fn get_finds_an_event_by_source_and_name() {
    let event = Catalogue::builtin()
        .get("inplayer-webhooks", "customer.password.updated")
        .unwrap();
    assert_eq!(event.source, "inplayer-webhooks");
    assert_eq!(event.category, "customer");
}

#[test]
fn get_is_exact_and_does_not_resolve_templates() {
    let catalogue = Catalogue::builtin();
    assert!(
        catalogue
            .get("orangepill-stream", "sms.message.sent")
            .is_none()
    );
    assert!(
        catalogue
            .get("orangepill-stream", "{channel}.message.sent")
            .is_some()
    );
}

#[test]
fn unknown_source_or_name_is_none() {
    let catalogue = Catalogue::builtin();
    assert!(catalogue.get("nowhere", "user.created").is_none());
    assert!(
        catalogue
            .get("orangepill-stream", "user.exploded")
            .is_none()
    );
    assert!(catalogue.resolve("nowhere", "sms.message.sent").is_none());
    assert_eq!(catalogue.events_in("nowhere").count(), 0);
}

#[test]
fn a_name_in_two_sources_is_found_in_both() {
    let sources: Vec<&str> = Catalogue::builtin()
        .find("payment.card.success")
        .map(|resolved| resolved.event.source.as_str())
        .collect();
    assert_eq!(sources, ["inplayer-notifications", "inplayer-webhooks"]);
}

#[test]
fn account_names_are_different_events_in_inplayer_and_orangepill() {
    let catalogue = Catalogue::builtin();
    let inplayer: Vec<&str> = catalogue
        .events_in("inplayer-notifications")
        .filter(|event| event.name.starts_with("account."))
        .map(|event| event.name.as_str())
        .collect();
    let orangepill: Vec<&str> = catalogue
        .events_in("orangepill-stream")
        .filter(|event| event.name.starts_with("account."))
        .map(|event| event.name.as_str())
        .collect();
    assert_eq!(
        inplayer,
        ["account.logout", "account.erased", "account.deactivated"]
    );
    assert_eq!(orangepill.len(), 6);
    assert!(inplayer.iter().all(|name| !orangepill.contains(name)));
}

#[test]
fn templated_names_resolve_with_the_parameter_bound() {
    let catalogue = Catalogue::builtin();
    for (name, template, value) in [
        ("sms.message.sent", "{channel}.message.sent", "sms"),
        (
            "telegram.message.sent",
            "{channel}.message.sent",
            "telegram",
        ),
        (
            "whatsapp.message.failed",
            "{channel}.message.failed",
            "whatsapp",
        ),
    ] {
        let resolved = catalogue.resolve("orangepill-stream", name).expect(name);
        assert_eq!(resolved.event.name, template);
        let binding = resolved.binding.unwrap();
        assert_eq!((binding.parameter, binding.value), ("channel", value));
    }
}

#[test]
fn a_name_missing_the_parameter_segment_does_not_resolve() {
    let catalogue = Catalogue::builtin();
    assert!(
        catalogue
            .resolve("orangepill-stream", "message.sent")
            .is_none()
    );
    assert!(
        catalogue
            .resolve("orangepill-stream", "a.b.message.sent")
            .is_none()
    );
    assert!(
        catalogue
            .resolve("orangepill-stream", "sms.message.delivered")
            .is_none()
    );
    assert_eq!(catalogue.find("message.sent").count(), 0);
}

#[test]
fn an_invalid_parameter_value_does_not_resolve() {
    let catalogue = Catalogue::builtin();
    assert!(
        catalogue
            .resolve("orangepill-stream", "s s.message.sent")
            .is_none()
    );
    assert!(
        catalogue
            .resolve("orangepill-stream", "*.message.sent")
            .is_none()
    );
}

#[test]
fn find_includes_template_instances() {
    let found: Vec<_> = Catalogue::builtin().find("html.message.sent").collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].event.source, "orangepill-stream");
}

#[test]
fn a_template_name_is_found_once_not_as_its_own_instance() {
    let found: Vec<_> = Catalogue::builtin()
        .find("{channel}.message.sent")
        .collect();
    assert_eq!(found.len(), 1);
    assert!(found[0].binding.is_none());
}

#[test]
fn exact_names_win_over_templates() {
    let resolved = Catalogue::builtin()
        .resolve("orangepill-stream", "{channel}.message.sent")
        .unwrap();
    assert!(resolved.binding.is_none());
}

#[test]
fn events_iterate_by_source_in_document_order() {
    let names: Vec<&str> = Catalogue::builtin()
        .events_in("accelbyte-wallet")
        .map(|event| event.name.as_str())
        .collect();
    assert_eq!(names, ["walletStatusChanged", "walletBalanceChanged"]);
}

#[test]
fn events_iterate_by_category_across_sources() {
    let catalogue = Catalogue::builtin();
    let access: Vec<(&str, &str)> = catalogue
        .events_in_category("access")
        .map(|event| (event.source.as_str(), event.name.as_str()))
        .collect();
    assert_eq!(
        access,
        [
            ("inplayer-notifications", "access.granted"),
            ("inplayer-notifications", "access.revoked"),
            ("inplayer-webhooks", "freemium.grant.success"),
            ("inplayer-webhooks", "freemium.grant.failed"),
            ("inplayer-webhooks", "asset.access.granted"),
            ("inplayer-webhooks", "asset.access.revoked"),
        ]
    );
    let payment_sources: std::collections::BTreeSet<&str> = catalogue
        .events_in_category("payment")
        .map(|event| event.source.as_str())
        .collect();
    assert_eq!(payment_sources.len(), 3);
}

#[test]
fn len_counts_every_event_once() {
    assert_eq!(Catalogue::builtin().len(), 13 + 27 + 55 + 2);
}

#[test]
fn aliases_are_symmetric() {
    let catalogue = Catalogue::builtin();
    let webhook = catalogue
        .get("inplayer-webhooks", "asset.access.revoked")
        .unwrap();
    let names: Vec<_> = catalogue
        .aliases_of(webhook)
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["access.revoked"]);
}

#[test]
fn event_at_indexes_the_events_in_iteration_order() {
    let catalogue = Catalogue::builtin();
    for (index, event) in catalogue.events().enumerate() {
        assert_eq!(catalogue.event_at(index), Some(event));
    }
    assert_eq!(catalogue.event_at(catalogue.len()), None);
    assert_eq!(catalogue.event_at(usize::MAX), None);
}
