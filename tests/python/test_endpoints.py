"""Webhook endpoint sets: the URL cap, enabling and disabling, deliveries,
and every refusal with its exception class, status and code."""

from __future__ import annotations

import pytest

import herald
from herald import (
    DuplicateWebhookError,
    EndpointError,
    EndpointSet,
    InvalidUrlError,
    PatternError,
    Status,
    TooManyUrlsError,
    TopicError,
    UnknownWebhookError,
)

EVENTS = ["subscribe.#", "customer.registered"]


@pytest.fixture
def full() -> EndpointSet:
    """Ten distinct URLs receiving, plus a second webhook sharing the first URL."""
    with EndpointSet() as hooks:
        for webhook in range(1, 11):
            hooks.add(webhook, f"https://hooks.example/{webhook}", EVENTS)
        hooks.add(11, "https://hooks.example/1", EVENTS[:1])
        yield hooks


def test_default_cap_is_inplayers_ten() -> None:
    with EndpointSet() as hooks:
        assert hooks.max_urls == herald.DEFAULT_MAX_URLS == 10
    with EndpointSet(max_urls=2) as small:
        assert small.max_urls == 2
    with pytest.raises(ValueError):
        EndpointSet(max_urls=-1)


def test_ten_distinct_urls_may_receive_and_webhooks_may_share_one(full: EndpointSet) -> None:
    assert len(full) == 11
    assert full.receiving_count() == 10


def test_an_eleventh_url_is_refused_and_nothing_changes(full: EndpointSet) -> None:
    with pytest.raises(TooManyUrlsError) as raised:
        full.add(12, "https://elsewhere.example", EVENTS)
    assert raised.value.status == Status.TOO_MANY_URLS and raised.value.code == "too_many_urls"
    assert isinstance(raised.value, EndpointError) and isinstance(raised.value, ValueError)
    assert len(full) == 11 and full.receiving_count() == 10


def test_added_disabled_it_fits_and_enabling_waits_for_a_free_url(full: EndpointSet) -> None:
    full.add(12, "https://elsewhere.example", EVENTS, enabled=False)
    with pytest.raises(TooManyUrlsError):
        full.enable(12)
    assert full.disable(10) is True
    assert full.disable(10) is False
    assert full.enable(12) is True
    assert full.enable(12) is False
    assert full.receiving_count() == 10


def test_deliveries_each_url_once_sorted_enabled_only(full: EndpointSet) -> None:
    urls = full.deliveries("subscribe.expired")
    assert len(urls) == 10 and urls == sorted(urls) and len(set(urls)) == 10
    assert full.deliveries(b"customer.registered") == urls
    full.disable(1)
    assert "https://hooks.example/1" in full.deliveries("subscribe.expired")  # webhook 11 shares it
    assert "https://hooks.example/1" not in full.deliveries("customer.registered")
    assert full.deliveries("payment.card.success") == []


def test_deliveries_of_an_invalid_event_name_raise_topic_error(full: EndpointSet) -> None:
    with pytest.raises(TopicError) as raised:
        full.deliveries("subscribe.*")
    assert raised.value.status == Status.INVALID_TOPIC
    with pytest.raises(TopicError) as utf8:
        full.deliveries(b"subscribe.\xff")
    assert utf8.value.code == "invalid_utf8"


def test_refusals(full: EndpointSet) -> None:
    with pytest.raises(DuplicateWebhookError) as duplicate:
        full.add(1, "https://hooks.example/1", EVENTS)
    assert duplicate.value.status == Status.DUPLICATE_WEBHOOK and duplicate.value.code == "duplicate_webhook"
    with pytest.raises(InvalidUrlError) as url:
        full.add(50, "not a url", EVENTS, enabled=False)
    assert url.value.status == Status.INVALID_URL and url.value.code == "invalid_url"
    with pytest.raises(InvalidUrlError):
        full.add(50, "", EVENTS, enabled=False)
    with pytest.raises(InvalidUrlError) as utf8_url:
        full.add(50, b"https://x.example/\xff", EVENTS, enabled=False)
    assert utf8_url.value.code == "invalid_utf8"
    with pytest.raises(PatternError) as pattern:
        full.add(51, "https://x.example", ["pay*"], enabled=False)
    assert pattern.value.status == Status.INVALID_PATTERN and pattern.value.code == "wildcard_inside_segment"
    with pytest.raises(PatternError) as utf8_pattern:
        full.add(51, "https://x.example", ["ok", b"\xc0"], enabled=False)
    assert utf8_pattern.value.code == "invalid_utf8"
    with pytest.raises(UnknownWebhookError) as unknown:
        full.enable(999)
    assert unknown.value.status == Status.UNKNOWN_WEBHOOK and unknown.value.code == "unknown_webhook"
    assert isinstance(unknown.value, LookupError)
    with pytest.raises(UnknownWebhookError):
        full.disable(999)
    with pytest.raises(UnknownWebhookError):
        full.remove(999)
    assert len(full) == 11


def test_add_with_no_events_and_remove(full: EndpointSet) -> None:
    full.add(54, "https://x.example", [], enabled=False)
    assert len(full) == 12
    full.remove(54)
    assert len(full) == 11


def test_events_may_be_any_iterable_of_names_but_not_one_name() -> None:
    with EndpointSet() as hooks:
        hooks.add(1, "https://a.example", (name for name in ["subscribe.#", b"customer.registered"]))
        assert hooks.deliveries("customer.registered") == ["https://a.example"]
        with pytest.raises(TypeError, match="single one"):
            hooks.add(2, "https://b.example", "subscribe.#")  # type: ignore[arg-type]


@pytest.mark.parametrize("webhook", [-1, 2**64])
def test_webhook_ids_are_u64(webhook: int) -> None:
    with EndpointSet() as hooks:
        with pytest.raises(ValueError, match="id"):
            hooks.add(webhook, "https://a.example", [])
        hooks.add(2**64 - 1, "https://a.example", [])
        assert len(hooks) == 1


def test_close_and_repr() -> None:
    hooks = EndpointSet(max_urls=3)
    hooks.add(1, "https://a.example", ["a.#"])
    assert repr(hooks) == "<herald.EndpointSet webhooks=1 receiving=1 max_urls=3>"
    hooks.close()
    hooks.close()
    assert hooks.closed and "closed" in repr(hooks)
    with pytest.raises(ValueError, match="EndpointSet is closed"):
        hooks.deliveries("a.b")
    with pytest.raises(ValueError, match="EndpointSet is closed"):
        hooks.add(2, "https://b.example", [])
