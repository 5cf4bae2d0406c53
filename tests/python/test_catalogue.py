"""Catalogues: the built-in one, loading and exporting documents, listing,
lookups with templates and aliases, schema exports and validation."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

import herald
from herald import (
    Catalogue,
    CatalogueError,
    Event,
    EventFlags,
    Issue,
    Limits,
    NoSchemaError,
    Report,
    Status,
    UnknownEventError,
    UnknownSchemaError,
    UnknownSourceError,
)

BALANCE = (
    '{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"ns",'
    '"userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}'
)


def test_builtin_sources_in_document_order(catalogue: Catalogue) -> None:
    assert catalogue.sources() == [
        "inplayer-notifications",
        "inplayer-webhooks",
        "orangepill-stream",
        "accelbyte-wallet",
    ]


def test_builtin_events(catalogue: Catalogue) -> None:
    events = catalogue.events()
    assert len(events) == len(catalogue) == 97
    assert list(catalogue) == events
    assert all(isinstance(event, Event) and event.name and event.description and event.category for event in events)
    assert sum(event.infobip_extension for event in events) == 12
    assert {event.name for event in events if event.supplementary} == {
        "payment.card.requires.action",
        "subscribe.requires.action",
    }
    assert all(event.bound_value is None for event in events)


def test_events_of_one_source(catalogue: Catalogue) -> None:
    wallet = catalogue.events("accelbyte-wallet")
    assert [event.name for event in wallet] == ["walletStatusChanged", "walletBalanceChanged"]
    assert sum(len(catalogue.events(source)) for source in catalogue.sources()) == len(catalogue)
    assert catalogue.events(b"accelbyte-wallet") == wallet
    with pytest.raises(UnknownSourceError):
        catalogue.events(b"\xff")
    with pytest.raises(UnknownSourceError) as raised:
        catalogue.events("nowhere")
    assert raised.value.status == Status.UNKNOWN_SOURCE and raised.value.code == "unknown_source"


def test_get_resolves_templates(catalogue: Catalogue) -> None:
    event = catalogue.get("orangepill-stream", "sms.message.sent")
    assert event is not None
    assert event.source == "orangepill-stream"
    assert event.name == "{channel}.message.sent"
    assert event.template_parameter == "channel" and event.is_template
    assert event.bound_value == "sms"
    assert event.infobip_extension and event.flags & EventFlags.INFOBIP_EXTENSION
    # The template is open: other channels resolve; the bare name does not.
    telegram = catalogue.get("orangepill-stream", b"telegram.message.sent")
    assert telegram is not None and telegram.bound_value == "telegram"
    assert catalogue.get("orangepill-stream", "message.sent") is None


def test_get_returns_none_for_an_unknown_event_of_a_known_source(catalogue: Catalogue) -> None:
    assert catalogue.get("orangepill-stream", "user.exploded") is None
    assert catalogue.get(b"accelbyte-wallet", b"walletBalanceChange") is None


def test_get_raises_catalogue_error_for_an_unknown_source(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError) as raised:
        catalogue.get("nowhere", "user.created")
    assert isinstance(raised.value, UnknownSourceError)
    assert raised.value.status == Status.UNKNOWN_SOURCE and raised.value.code == "unknown_source"
    assert "nowhere" in str(raised.value)


def test_get_raises_for_text_that_is_not_utf8(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError) as raised:
        catalogue.get(b"\xc3", "b")
    assert raised.value.status == Status.INVALID_UTF8 and raised.value.code == "invalid_utf8"
    with pytest.raises(CatalogueError):
        catalogue.get("orangepill-stream", "sms.\udc80")


def test_plain_event_fields(catalogue: Catalogue) -> None:
    event = catalogue.get("inplayer-webhooks", "asset.access.granted")
    assert event == Event(
        source="inplayer-webhooks",
        name="asset.access.granted",
        category="access",
        description=event.description,
        flags=EventFlags.NONE,
        template_parameter=None,
        bound_value=None,
        deprecated=False,
        alias_count=1,
    )
    assert not event.is_template and not event.infobip_extension and not event.supplementary
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.name = "x"  # type: ignore[misc]


def test_aliases(catalogue: Catalogue) -> None:
    aliases = catalogue.aliases("inplayer-webhooks", "asset.access.granted")
    assert [(alias.source, alias.name) for alias in aliases] == [("inplayer-notifications", "access.granted")]
    back = catalogue.aliases("inplayer-notifications", "access.granted")
    assert [(alias.source, alias.name) for alias in back] == [("inplayer-webhooks", "asset.access.granted")]
    assert catalogue.aliases("accelbyte-wallet", "walletBalanceChanged") == []
    with pytest.raises(UnknownEventError) as raised:
        catalogue.aliases("accelbyte-wallet", "nope")
    assert raised.value.code == "unknown_event" and isinstance(raised.value, LookupError)
    with pytest.raises(UnknownSourceError):
        catalogue.aliases("nowhere", "nope")


def test_find_looks_in_every_source(catalogue: Catalogue) -> None:
    found = catalogue.find("payment.card.success")
    assert [event.source for event in found] == ["inplayer-notifications", "inplayer-webhooks"]
    assert [event.source for event in catalogue.find("sms.message.sent")] == ["orangepill-stream"]
    assert catalogue.find("no.such.event") == []


def test_events_outlive_their_catalogue() -> None:
    catalogue = Catalogue.builtin()
    event = catalogue.get("orangepill-stream", "sms.message.sent")
    events = catalogue.events()
    catalogue.close()
    assert event is not None and event.name == "{channel}.message.sent" and event.bound_value == "sms"
    assert len(events) == 97 and events[0].source == "inplayer-notifications"


def test_to_json_round_trips(catalogue: Catalogue) -> None:
    document = catalogue.to_json()
    assert document.startswith('{\n  "format": "herald-catalogue/1"')
    with Catalogue.from_json(document) as loaded:
        assert loaded.events() == catalogue.events()
        assert loaded.to_json() == document
    with Catalogue.from_json(document.encode()) as from_bytes:
        assert len(from_bytes) == 97


def test_from_json_loads_a_users_document(shop_json: str) -> None:
    with Catalogue.from_json(shop_json) as shop:
        assert shop.sources() == ["shop"]
        assert [event.name for event in shop.events()] == ["order.created", "order.paid"]
        assert shop.validate("shop", "order.paid", '{"type": "order.paid"}').ok
        with pytest.raises(NoSchemaError) as raised:
            shop.validate("shop", "order.created", "{}")
        assert raised.value.status == Status.NO_SCHEMA and raised.value.code == "no_schema"
        with pytest.raises(NoSchemaError):
            shop.json_schema("shop", "order.created")
        assert shop.json_schema("shop", "order.paid")["type"] == "object"
        assert shop.asyncapi("shop")["asyncapi"] == "3.0.0"


@pytest.mark.parametrize(
    "document, code, pointer",
    [
        ('{"format": 1', "malformed", "line 1, column 12"),
        ('{"format": "herald-catalogue/9", "sources": []}', "unknown_format", None),
        ("", "malformed", "line 1, column 0"),
        ('{"format": "herald-catalogue/1", "sources": [{"id": "a", "bogus": 1}]}', "unknown_field", "line 1"),
    ],
)
def test_from_json_errors_carry_code_and_place(document: str, code: str, pointer: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        Catalogue.from_json(document)
    error = raised.value
    assert error.status == Status.INVALID_CATALOGUE
    assert error.code == code
    if pointer is None:
        assert error.pointer is None
    else:
        assert error.pointer is not None and error.pointer.startswith(pointer)


def test_from_json_consistency_errors_name_the_place(shop_json: str) -> None:
    document = json.loads(shop_json)
    document["sources"].append(document["sources"][0])
    with pytest.raises(CatalogueError) as raised:
        Catalogue.from_json(json.dumps(document))
    assert raised.value.code == "duplicate_source"
    assert "sources[1]" in raised.value.message


def test_from_json_with_invalid_utf8_is_a_catalogue_error() -> None:
    with pytest.raises(CatalogueError):
        Catalogue.from_json(b'{"format": "herald-catalogue/1", "sources": [\xff]}')


def test_catalogue_cannot_be_constructed_directly() -> None:
    with pytest.raises(TypeError, match="builtin"):
        Catalogue()


def test_copies_share_the_catalogue_and_close_independently(catalogue: Catalogue) -> None:
    copies = [catalogue.copy(), copy.copy(catalogue), copy.deepcopy(catalogue)]
    catalogue.close()
    for other in copies:
        assert len(other) == 97
        other.close()


def test_closed_catalogue_refuses_calls() -> None:
    catalogue = Catalogue.builtin()
    catalogue.close()
    catalogue.close()
    assert catalogue.closed and "closed" in repr(catalogue)
    for call in (
        catalogue.sources,
        catalogue.events,
        catalogue.to_json,
        catalogue.copy,
        lambda: len(catalogue),
        lambda: catalogue.get("a", "b"),
        lambda: catalogue.validate("a", "b", "{}"),
    ):
        with pytest.raises(ValueError, match="Catalogue is closed"):
            call()


def test_repr(catalogue: Catalogue) -> None:
    assert repr(catalogue) == "<herald.Catalogue sources=4 events=97>"


def test_json_schema(catalogue: Catalogue) -> None:
    schema = catalogue.json_schema("accelbyte-wallet", "walletBalanceChanged")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    templated = catalogue.json_schema("orangepill-stream", "sms.message.sent")
    assert templated["$schema"] == schema["$schema"]
    with pytest.raises(UnknownEventError) as raised:
        catalogue.json_schema("accelbyte-wallet", "nope")
    assert raised.value.code == "unknown_event"
    with pytest.raises(UnknownSourceError):
        catalogue.json_schema("nope", "walletBalanceChanged")


def test_asyncapi(catalogue: Catalogue) -> None:
    document = catalogue.asyncapi("orangepill-stream")
    assert document["asyncapi"] == "3.0.0"
    assert document["channels"] and document["operations"]
    with pytest.raises(UnknownSourceError) as raised:
        catalogue.asyncapi("nope")
    assert raised.value.status == Status.UNKNOWN_SOURCE


def test_validate_valid_payload_with_a_warning(catalogue: Catalogue) -> None:
    report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", BALANCE)
    assert isinstance(report, Report)
    assert report.ok is True and report.errors == [] and report.truncated is False
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert isinstance(warning, Issue)
    assert (warning.code, warning.pointer) == ("unknown_enum", "/payload/action")
    assert "credit" in warning.message


def test_validate_reports_every_error_in_document_order(catalogue: Catalogue) -> None:
    wrong_type = '{"type":"access.revoked","timestamp":1546609799,"resource":{"item_id":"7"}}'
    report = catalogue.validate("inplayer-notifications", "access.revoked", wrong_type)
    assert not report.ok
    assert (report.errors[0].code, report.errors[0].pointer) == ("type_mismatch", "/resource/item_id")


def test_validate_invalid_utf8_bytes_is_a_report_item_not_a_crash(catalogue: Catalogue) -> None:
    payload = BALANCE.replace('"ns"', '"n\\u0000"').encode().replace(b"\\u0000", b"\xff")
    report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload)
    assert not report.ok
    assert (report.errors[0].code, report.errors[0].pointer) == ("invalid_utf8", "/payload/data/namespace")
    # A lone surrogate in a str payload reaches the library as bytes that are not UTF-8.
    surrogate = BALANCE.replace('"ns"', '"n\udc80"')
    assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", surrogate).errors[0].code == "invalid_utf8"
    # Arbitrary binary junk.
    junk = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", bytes(range(256)))
    assert not junk.ok and junk.errors


def test_validate_empty_payload_is_a_syntax_error(catalogue: Catalogue) -> None:
    report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", b"")
    assert not report.ok and report.errors[0].code == "syntax"


def test_validate_with_limits(catalogue: Catalogue) -> None:
    small = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", BALANCE, limits=Limits(max_payload_bytes=16))
    assert small.errors[0].code == "too_large"
    shallow = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", BALANCE, limits=Limits(max_depth=2))
    assert (shallow.errors[0].code, shallow.errors[0].pointer) == ("too_deep", "/payload/data")
    with pytest.raises(TypeError, match="herald.Limits"):
        catalogue.validate("accelbyte-wallet", "walletBalanceChanged", BALANCE, limits={"max_depth": 2})  # type: ignore[arg-type]


def test_truncated_reports(catalogue: Catalogue) -> None:
    many = '{"type": 1, "payload": {"action": 2, "data": {"namespace": 3, "userId": 4, "currencyCode": 5}}}'
    report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", many, limits=Limits(max_errors=2))
    assert len(report.errors) == 2 and report.truncated is True


def test_validate_templated_names(catalogue: Catalogue) -> None:
    sms = (
        '{"type":"notification","event":"sms.message.sent","data":"63967141191e9023f356df9f",'
        '"timestamp":"162553625262"}'
    )
    assert catalogue.validate("orangepill-stream", "sms.message.sent", sms).ok
    assert not catalogue.validate("orangepill-stream", "whatsapp.message.sent", sms).ok


def test_validate_unknowns_raise(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownSourceError) as source:
        catalogue.validate("nowhere", "x", "{}")
    assert source.value.code == "unknown_source" and source.value.pointer is None
    with pytest.raises(UnknownEventError) as event:
        catalogue.validate("orangepill-stream", "user.exploded", b"{}")
    assert event.value.status == Status.UNKNOWN_EVENT
    with pytest.raises(CatalogueError) as utf8:
        catalogue.validate(b"\xfe", "b", "{}")
    assert utf8.value.code == "invalid_utf8"


def test_validate_named(catalogue: Catalogue) -> None:
    subscribe = '{"type":"subscribe","realm":"c9d4744c-0eae-4457-a665-2c18b9ac132b"}'
    assert catalogue.validate_named("orangepill-subscribe", subscribe).ok
    assert catalogue.validate_named("orangepill-subscribe", subscribe.encode(), limits=Limits()).ok
    assert not catalogue.validate_named("orangepill-subscribe", "{}").ok
    with pytest.raises(UnknownSchemaError) as raised:
        catalogue.validate_named("no-such-schema", subscribe)
    assert raised.value.status == Status.UNKNOWN_SCHEMA and raised.value.code == "unknown_schema"
    assert isinstance(raised.value, LookupError)


def test_payload_types(catalogue: Catalogue) -> None:
    for payload in (BALANCE, BALANCE.encode(), bytearray(BALANCE.encode()), memoryview(BALANCE.encode())):
        assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload).ok
    with pytest.raises(TypeError, match="payload must be str or bytes"):
        catalogue.validate("accelbyte-wallet", "walletBalanceChanged", {"type": "x"})  # type: ignore[arg-type]


def test_limits_defaults_come_from_the_library() -> None:
    limits = Limits()
    assert limits == Limits(
        max_topic_bytes=1024,
        max_segments=128,
        max_payload_bytes=1 << 20,
        max_depth=64,
        max_errors=100,
        max_patterns=1_000_000,
    )
    assert dataclasses.replace(limits, max_depth=16).max_depth == 16
    with pytest.raises(ValueError):
        Limits(max_depth=-1)
    with pytest.raises(TypeError):
        Limits(max_depth=1.5)  # type: ignore[arg-type]


def test_reports_and_issues_are_values() -> None:
    issue = Issue("missing_field", "/payload", "the required field is missing")
    report = Report(ok=False, errors=[issue], warnings=[])
    assert report == Report(False, [Issue("missing_field", "/payload", "the required field is missing")], [], False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.ok = True  # type: ignore[misc]
    assert hash(issue) == hash(Issue("missing_field", "/payload", "the required field is missing"))


def test_unknown_event_error_is_a_catalogue_error_and_lookup_error() -> None:
    assert issubclass(UnknownEventError, CatalogueError)
    assert issubclass(UnknownEventError, LookupError)
    assert issubclass(CatalogueError, herald.HeraldError) and issubclass(CatalogueError, ValueError)
