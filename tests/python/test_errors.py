"""Exceptions: one class per status, each carrying status, code, message and
pointer; the hierarchy users catch; pickling; and the statuses the suite
cannot provoke through the public API (checked through the mapping)."""

from __future__ import annotations

import pickle
from typing import Callable, Optional, Type

import pytest

import herald
from herald import Status
from herald._errors import error_class, make_error


def _raise_topic() -> None:
    herald.validate_topic("payment..success")


def _raise_pattern() -> None:
    herald.validate_pattern("pay*")


def _raise_catalogue() -> None:
    herald.Catalogue.from_json('{"format": 1')


def _raise_unknown_source() -> None:
    herald.Catalogue.builtin().validate("nowhere", "x", "{}")


def _raise_unknown_event() -> None:
    herald.Catalogue.builtin().json_schema("accelbyte-wallet", "nope")


def _raise_unknown_schema() -> None:
    herald.Catalogue.builtin().validate_named("no-such-schema", "{}")


def _raise_duplicate_webhook() -> None:
    with herald.EndpointSet() as hooks:
        hooks.add(1, "https://a.example", [])
        hooks.add(1, "https://b.example", [])


def _raise_unknown_webhook() -> None:
    with herald.EndpointSet() as hooks:
        hooks.remove(1)


def _raise_invalid_url() -> None:
    with herald.EndpointSet() as hooks:
        hooks.add(1, "not a url", [])


def _raise_too_many_urls() -> None:
    with herald.EndpointSet(max_urls=1) as hooks:
        hooks.add(1, "https://a.example", [])
        hooks.add(2, "https://b.example", [])


def _raise_invalid_utf8_topic() -> None:
    herald.validate_topic(b"\xff")


@pytest.mark.parametrize(
    "provoke, cls, status, code, pointer",
    [
        (_raise_topic, herald.TopicError, Status.INVALID_TOPIC, "empty_segment", None),
        (_raise_pattern, herald.PatternError, Status.INVALID_PATTERN, "wildcard_inside_segment", None),
        (_raise_catalogue, herald.CatalogueError, Status.INVALID_CATALOGUE, "malformed", "line 1, column 12"),
        (_raise_unknown_source, herald.UnknownSourceError, Status.UNKNOWN_SOURCE, "unknown_source", None),
        (_raise_unknown_event, herald.UnknownEventError, Status.UNKNOWN_EVENT, "unknown_event", None),
        (_raise_unknown_schema, herald.UnknownSchemaError, Status.UNKNOWN_SCHEMA, "unknown_schema", None),
        (_raise_duplicate_webhook, herald.DuplicateWebhookError, Status.DUPLICATE_WEBHOOK, "duplicate_webhook", None),
        (_raise_unknown_webhook, herald.UnknownWebhookError, Status.UNKNOWN_WEBHOOK, "unknown_webhook", None),
        (_raise_invalid_url, herald.InvalidUrlError, Status.INVALID_URL, "invalid_url", None),
        (_raise_too_many_urls, herald.TooManyUrlsError, Status.TOO_MANY_URLS, "too_many_urls", None),
        (_raise_invalid_utf8_topic, herald.TopicError, Status.INVALID_UTF8, "invalid_utf8", None),
    ],
)
def test_each_failure_raises_its_class_with_status_code_and_pointer(
    provoke: Callable[[], None], cls: Type[herald.HeraldError], status: Status, code: str, pointer: Optional[str]
) -> None:
    with pytest.raises(cls) as raised:
        provoke()
    error = raised.value
    assert type(error) is cls
    assert error.status == status and isinstance(error.status, int)
    assert error.code == code
    assert error.pointer == pointer
    assert error.message and str(error) == error.message
    assert repr(error).startswith(f"{cls.__name__}(status={int(status)}, code={code!r}")


def test_hierarchy() -> None:
    value_errors = [
        herald.ArgumentError,
        herald.TopicError,
        herald.PatternError,
        herald.CatalogueError,
        herald.UnknownSourceError,
        herald.UnknownEventError,
        herald.UnknownSchemaError,
        herald.NoSchemaError,
        herald.EndpointError,
        herald.DuplicateWebhookError,
        herald.UnknownWebhookError,
        herald.InvalidUrlError,
        herald.TooManyUrlsError,
    ]
    for cls in value_errors:
        assert issubclass(cls, herald.HeraldError) and issubclass(cls, ValueError), cls
    for cls in (herald.UnknownSourceError, herald.UnknownEventError, herald.UnknownSchemaError):
        assert issubclass(cls, herald.CatalogueError) and issubclass(cls, LookupError)
    assert issubclass(herald.UnknownWebhookError, LookupError)
    assert issubclass(herald.PoisonedError, herald.InternalError)
    assert issubclass(herald.InternalError, RuntimeError)
    assert issubclass(herald.TooManyPatternsError, herald.RouterError)
    assert issubclass(herald.HeraldError, Exception)


def test_every_status_maps_to_a_class() -> None:
    expected = {
        Status.NULL_ARGUMENT: herald.ArgumentError,
        Status.INVALID_UTF8: herald.ArgumentError,
        Status.INVALID_ARGUMENT: herald.ArgumentError,
        Status.PANIC: herald.InternalError,
        Status.POISONED: herald.PoisonedError,
        Status.OUT_OF_RANGE: herald.HeraldError,
        Status.BUFFER_TOO_SMALL: herald.HeraldError,
        Status.INVALID_TOPIC: herald.TopicError,
        Status.INVALID_PATTERN: herald.PatternError,
        Status.INVALID_CATALOGUE: herald.CatalogueError,
        Status.UNKNOWN_SOURCE: herald.UnknownSourceError,
        Status.UNKNOWN_EVENT: herald.UnknownEventError,
        Status.UNKNOWN_SCHEMA: herald.UnknownSchemaError,
        Status.NO_SCHEMA: herald.NoSchemaError,
        Status.INVALID_WIRE: herald.WireError,
        Status.UNKNOWN_SESSION: herald.UnknownSessionError,
        Status.TOO_MANY_PATTERNS: herald.TooManyPatternsError,
        Status.DUPLICATE_WEBHOOK: herald.DuplicateWebhookError,
        Status.UNKNOWN_WEBHOOK: herald.UnknownWebhookError,
        Status.INVALID_URL: herald.InvalidUrlError,
        Status.TOO_MANY_URLS: herald.TooManyUrlsError,
        Status.SIGNATURE_REJECTED: herald.SignatureError,
        Status.INVALID_SECRET: herald.InvalidSecretError,
        Status.DUPLICATE_MESSAGE: herald.DuplicateMessageError,
        Status.REPLAY_GUARD_FULL: herald.ReplayGuardFullError,
        Status.CANNOT_SIGN: herald.SigningError,
        Status.INVALID_PLAN_OPTIONS: herald.PlanOptionsError,
        Status.UNTRANSLATABLE: herald.UntranslatableError,
    }
    assert set(expected) == set(Status) - {Status.OK}
    for status, cls in expected.items():
        assert error_class(status) is cls, status


def test_invalid_utf8_raises_the_class_of_the_input_that_is_not_utf8() -> None:
    texts = ((b"fine", herald.PatternError), (b"\xff", herald.TopicError))
    assert error_class(Status.INVALID_UTF8, texts) is herald.TopicError
    assert error_class(Status.INVALID_UTF8, texts[:1]) is herald.ArgumentError


def test_a_status_newer_than_the_package_is_a_plain_herald_error() -> None:
    error = make_error(999, "something_new", "a newer library said no", "")
    assert type(error) is herald.HeraldError
    assert error.status == 999 and error.pointer is None


def test_a_router_that_is_full_raises_too_many_patterns() -> None:
    # The C ABI gives routers the default limit of 1,000,000 patterns and no
    # way to lower it, so the status is checked through the mapping.
    error = make_error(Status.TOO_MANY_PATTERNS, "too_many_patterns", "the router is full")
    assert isinstance(error, herald.TooManyPatternsError) and error.code == "too_many_patterns"


def test_exceptions_pickle() -> None:
    with pytest.raises(herald.CatalogueError) as raised:
        _raise_catalogue()
    copy = pickle.loads(pickle.dumps(raised.value))
    assert type(copy) is herald.CatalogueError
    assert (copy.status, copy.code, copy.message, copy.pointer) == (
        raised.value.status,
        raised.value.code,
        raised.value.message,
        raised.value.pointer,
    )


def test_status_values_are_stable() -> None:
    assert Status.OK == 0 and Status.INVALID_TOPIC == 100 and Status.TOO_MANY_URLS == 403
    assert isinstance(Status.PANIC, int)
