//! Webhook endpoint sets: InPlayer's "at most 10 URLs at the same time" rule
//! (InPlayer's webhook documentation) and one delivery per URL.

use herald_core::endpoints::{DEFAULT_MAX_URLS, Delivery, EndpointSet, Webhook};
use herald_core::{EndpointError, Limits, Pattern};

fn hook(id: u64, url: &str, events: &[&str]) -> Webhook {
    Webhook::new(id, url, events).unwrap()
}

fn disabled(id: u64, url: &str, events: &[&str]) -> Webhook {
    Webhook {
        enabled: false,
        ..hook(id, url, events)
    }
}

fn url(n: usize) -> String {
    format!("https://receiver{n}.example/hooks")
}

/// A set at its cap of ten distinct receiving URLs.
fn full_set() -> EndpointSet {
    let mut set = EndpointSet::new();
    for n in 0..DEFAULT_MAX_URLS {
        set.add(hook(n as u64, &url(n), &["payment.#"])).unwrap();
    }
    set
}

fn snapshot(set: &EndpointSet) -> (Vec<Webhook>, Vec<String>) {
    (
        set.webhooks().cloned().collect(),
        set.receiving_urls().map(str::to_owned).collect(),
    )
}

#[test]
fn the_default_cap_is_ten_urls() {
    assert_eq!(EndpointSet::new().max_urls(), 10);
}

#[test]
fn any_number_of_webhooks_may_share_the_urls() {
    let mut set = full_set();
    for id in 100..150 {
        set.add(hook(id, &url((id % 10) as usize), &["customer.*"]))
            .unwrap();
    }
    assert_eq!(set.len(), 60);
    assert_eq!(set.receiving_urls().count(), 10);
}

#[test]
fn adding_an_enabled_webhook_past_the_cap_is_refused_and_changes_nothing() {
    let mut set = full_set();
    let before = snapshot(&set);
    let error = set.add(hook(99, &url(10), &["#"])).unwrap_err();
    assert_eq!(
        error,
        EndpointError::TooManyUrls {
            id: 99,
            url: url(10),
            max: 10
        }
    );
    assert_eq!(error.code(), "too_many_urls");
    assert!(error.to_string().contains("at most 10"), "{error}");
    assert_eq!(snapshot(&set), before);
    assert!(set.get(99).is_none());
    assert!(set.deliveries("payment.card.success").unwrap().len() == 10);
}

#[test]
fn a_disabled_webhook_may_be_added_past_the_cap() {
    let mut set = full_set();
    set.add(disabled(99, &url(10), &["#"])).unwrap();
    assert_eq!(set.receiving_urls().count(), 10);
    assert!(set.deliveries("customer.registered").unwrap().is_empty());
}

#[test]
fn enabling_past_the_cap_is_refused_and_changes_nothing() {
    let mut set = full_set();
    set.add(disabled(99, &url(10), &["#"])).unwrap();
    let before = snapshot(&set);
    assert_eq!(set.enable(99).unwrap_err().code(), "too_many_urls");
    assert_eq!(snapshot(&set), before);
    assert!(!set.get(99).unwrap().enabled);
}

#[test]
fn enabling_frees_up_after_a_disable() {
    let mut set = full_set();
    set.add(disabled(99, &url(10), &["#"])).unwrap();
    assert!(set.disable(0).unwrap());
    assert!(set.enable(99).unwrap());
    assert!(!set.enable(99).unwrap());
    assert_eq!(set.receiving_urls().count(), 10);
    assert!(set.receiving_urls().all(|receiving| receiving != url(0)));
}

#[test]
fn a_url_already_receiving_does_not_count_again() {
    let mut set = full_set();
    set.add(hook(99, &url(3), &["#"])).unwrap();
    set.add(disabled(100, &url(4), &["#"])).unwrap();
    assert!(set.enable(100).unwrap());
}

#[test]
fn removing_the_last_webhook_of_a_url_frees_its_place() {
    let mut set = full_set();
    set.add(hook(99, &url(3), &["#"])).unwrap();
    set.remove(3).unwrap();
    assert!(set.add(hook(100, &url(10), &["#"])).is_err());
    set.remove(99).unwrap();
    set.add(hook(100, &url(10), &["#"])).unwrap();
}

#[test]
fn the_cap_is_configurable() {
    let mut set = EndpointSet::with_max_urls(2);
    set.add(hook(1, &url(1), &["#"])).unwrap();
    set.add(hook(2, &url(2), &["#"])).unwrap();
    assert!(set.add(hook(3, &url(3), &["#"])).is_err());
}

#[test]
fn each_url_receives_an_event_once() {
    let mut set = EndpointSet::new();
    set.add(hook(
        1,
        "https://a.example",
        &["payment.#", "payment.card.success"],
    ))
    .unwrap();
    set.add(hook(2, "https://a.example", &["*.card.*"]))
        .unwrap();
    set.add(hook(3, "https://b.example", &["payment.card.failed"]))
        .unwrap();
    set.add(hook(4, "https://c.example", &["#.success"]))
        .unwrap();
    assert_eq!(
        set.deliveries("payment.card.success").unwrap(),
        [
            Delivery {
                url: "https://a.example",
                webhooks: vec![1, 2]
            },
            Delivery {
                url: "https://c.example",
                webhooks: vec![4]
            },
        ]
    );
}

#[test]
fn disabled_webhooks_receive_nothing() {
    let mut set = EndpointSet::new();
    set.add(hook(1, "https://a.example", &["#"])).unwrap();
    set.disable(1).unwrap();
    assert!(set.deliveries("customer.updated").unwrap().is_empty());
    set.enable(1).unwrap();
    assert_eq!(set.deliveries("customer.updated").unwrap().len(), 1);
}

#[test]
fn exact_event_names_select_only_themselves() {
    let mut set = EndpointSet::new();
    set.add(hook(
        1,
        "https://a.example",
        &["subscribe.cancelled.success"],
    ))
    .unwrap();
    assert_eq!(
        set.deliveries("subscribe.cancelled.success").unwrap().len(),
        1
    );
    assert!(set.deliveries("subscribe.success").unwrap().is_empty());
}

#[test]
fn removed_webhooks_receive_nothing() {
    let mut set = EndpointSet::new();
    set.add(hook(1, "https://a.example", &["#"])).unwrap();
    assert_eq!(set.remove(1).unwrap().id, 1);
    assert!(set.deliveries("asset.access.granted").unwrap().is_empty());
    assert_eq!(set.remove(1).unwrap_err().code(), "unknown_webhook");
}

#[test]
fn rejects_a_duplicate_webhook_id() {
    let mut set = EndpointSet::new();
    set.add(hook(1, "https://a.example", &["#"])).unwrap();
    let error = set.add(hook(1, "https://b.example", &["#"])).unwrap_err();
    assert_eq!(error, EndpointError::DuplicateWebhook { id: 1 });
    assert_eq!(set.get(1).unwrap().url, "https://a.example");
}

#[test]
fn rejects_an_invalid_url() {
    let mut set = EndpointSet::new();
    for bad in ["", "https://a.example/with space", "https://a.example/\n"] {
        assert_eq!(
            set.add(hook(1, bad, &["#"])).unwrap_err().code(),
            "invalid_url",
            "{bad:?}"
        );
    }
    assert!(set.is_empty());
}

#[test]
fn unknown_ids_are_errors() {
    let mut set = EndpointSet::new();
    assert_eq!(
        set.enable(5).unwrap_err(),
        EndpointError::UnknownWebhook { id: 5 }
    );
    assert_eq!(set.disable(5).unwrap_err().code(), "unknown_webhook");
}

#[test]
fn an_invalid_event_name_is_an_error() {
    let set = full_set();
    let error = set.deliveries("payment..success").unwrap_err();
    assert_eq!(error.code(), "empty_segment");
    assert!(matches!(error, EndpointError::EventName(_)));
}

#[test]
fn webhook_event_types_are_checked_when_built() {
    assert_eq!(
        Webhook::new(1, "https://a.example", &["payment.>.x"])
            .unwrap_err()
            .code(),
        "tail_not_last"
    );
}

#[test]
fn a_webhook_whose_patterns_do_not_fit_the_router_is_refused_and_changes_nothing() {
    let limits = Limits {
        max_patterns: 2,
        ..Limits::default()
    };
    let mut set = EndpointSet::with_limits(10, limits);
    set.add(hook(1, "https://a.example", &["payment.#"]))
        .unwrap();
    let error = set
        .add(hook(2, "https://b.example", &["customer.*", "asset.>"]))
        .unwrap_err();
    assert_eq!(error.code(), "too_many_patterns");
    assert!(matches!(error, EndpointError::Router { id: 2, .. }));
    assert_eq!(set.len(), 1);
    assert_eq!(
        set.receiving_urls().collect::<Vec<_>>(),
        ["https://a.example"]
    );
    // The first pattern was subscribed, then rolled back: room for one more.
    assert!(set.deliveries("customer.registered").unwrap().is_empty());
    set.add(hook(3, "https://c.example", &["customer.*"]))
        .unwrap();
    assert_eq!(set.deliveries("customer.registered").unwrap().len(), 1);
}

#[test]
fn event_names_are_held_to_the_set_limits() {
    let limits = Limits {
        max_segments: 2,
        ..Limits::default()
    };
    let mut set = EndpointSet::with_limits(10, limits);
    let mut webhook = hook(1, "https://a.example", &[]);
    webhook.events.push(Pattern::parse("#").unwrap());
    set.add(webhook).unwrap();
    assert_eq!(set.deliveries("a.b").unwrap().len(), 1);
    assert_eq!(
        set.deliveries("a.b.c").unwrap_err().code(),
        "too_many_segments"
    );
}
