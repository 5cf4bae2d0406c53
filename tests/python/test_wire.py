"""Wire formats and the realm protocol through the C ABI: the shared wire
vectors decode as in Rust, events round-trip, bad input raises WireError, and
a realm session behaves as the seed describes."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List

import pytest

import herald
from herald import RealmHub, RealmOutcome, UnknownSessionError, WireError, WireEvent, WireFormat, decode

from conftest import ROOT

WIRE = ROOT / "tests" / "vectors" / "wire"


def _cases() -> List[Dict[str, Any]]:
    cases = json.loads((WIRE / "index.json").read_text(encoding="utf-8"))["cases"]
    # Decode options (repeated-key policy, limits) are not part of the C ABI's
    # decode, which uses the defaults; those cases run in the Rust suite only.
    return [case for case in cases if "options" not in case]


def _wire(case: Dict[str, Any]) -> bytes:
    if "file" in case:
        return (WIRE / case["file"]).read_bytes()
    if "wire_base64" in case:
        return base64.b64decode(case["wire_base64"])
    return case["wire"].encode("utf-8")


def _pairs(issues: List[herald.Issue]) -> List[List[str]]:
    return [[issue.code, issue.pointer] for issue in issues]


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case["description"][:60])
def test_shared_wire_vector(case: Dict[str, Any]) -> None:
    data = _wire(case)
    if "error" in case:
        with pytest.raises(WireError) as raised:
            decode(case["wire_format"], data)
        assert raised.value.code == case["error"]
        return
    expect = case["expect"]
    decoded = decode(case["wire_format"], data)
    event = decoded.event
    assert event.name == expect["name"]
    if "timestamp" in expect:
        assert event.timestamp == expect["timestamp"]
    if "id" in expect:
        assert event.id == expect["id"]
    if "template" in expect:
        assert event.template_value == expect["template"]
    assert decoded.report.ok == expect["ok"]
    assert _pairs(decoded.report.errors) == [[issue["code"], issue["pointer"]] for issue in expect["errors"]]
    assert _pairs(decoded.report.warnings) == [[issue["code"], issue["pointer"]] for issue in expect["warnings"]]
    encoded = event.encode()
    if expect["reencodes_exactly"]:
        assert encoded == data
    again = decode(case["wire_format"], encoded).event
    assert (again.name, again.id, again.timestamp, again.payload) == (event.name, event.id, event.timestamp, event.payload)


def test_the_vectors_cover_every_format() -> None:
    formats = {case["wire_format"] for case in _cases() if "expect" in case}
    assert formats == {fmt.value for fmt in WireFormat}


def test_decoded_events_carry_the_catalogue_source_and_payload() -> None:
    decoded = decode(WireFormat.ACCELBYTE_LOBBY, (WIRE / "accelbyte-lobby" / "wallet-balance.txt").read_bytes())
    event = decoded.event
    assert (event.format, event.source, event.name) == (WireFormat.ACCELBYTE_LOBBY, "accelbyte-wallet", "walletBalanceChanged")
    assert json.loads(event.payload)["type"] == "walletBalanceChanged"
    assert isinstance(event.timestamp, str)


def test_events_round_trip_through_their_json_document() -> None:
    frame = b'{"type":"notification","event":"sms.message.sent","data":"63967141191e9023f356df9f","timestamp":1}'
    event = decode("orangepill", frame).event
    assert event.template_value == "sms"
    rebuilt = WireEvent.from_json(event.to_json())
    assert rebuilt.encode() == frame
    with pytest.raises(WireError):
        WireEvent.from_json("[]")


def test_malformed_form_bodies_name_the_key() -> None:
    with pytest.raises(WireError) as raised:
        decode("inplayer-webhook", "id=1&created=2&type=customer.updated&resource=1&resource[a]=2")
    assert "resource" in str(raised.value)


def test_unknown_formats_are_value_errors() -> None:
    with pytest.raises(ValueError):
        decode("carrier-pigeon", b"{}")


def test_an_unknown_format_error_lists_the_valid_format_names() -> None:
    with pytest.raises(ValueError) as raised:
        decode("accelbyte", b"type: messageNotif")
    message = str(raised.value)
    assert "'accelbyte'" in message
    for known in WireFormat:
        assert repr(known.value) in message, message


def test_realm_session_follows_the_protocol() -> None:
    realm = "c9d4744c-0eae-4457-a665-2c18b9ac132b"
    with RealmHub({"REALM_KEY": realm}) as hub:
        session, other = hub.open(), hub.open()
        subscribe = b'{"type":"subscribe","realm":"REALM_KEY"}'
        unsubscribe = b'{"type":"unsubscribe","realm":"REALM_KEY"}'

        reply = hub.handle(session, subscribe, now=1671547687)
        assert reply.outcome is RealmOutcome.SUBSCRIBED and reply.outcome.success
        assert [json.loads(frame)["type"] for frame in reply.frames] == ["info", "subscribe"]
        assert json.loads(reply.frames[0])["realm"] == realm

        bad = hub.handle(session, b'{"type":"subscribe","realm":"WRONG"}', now=1671547688)
        assert bad.outcome is RealmOutcome.INVALID_KEY and not bad.outcome.success
        assert [json.loads(frame) for frame in bad.frames] == [
            {"type": "info", "realm": "NONE", "timestamp": 1671547688},
            {"type": "error", "realm": "Invalid Realm Key.", "timestamp": 1671547688},
        ]
        assert hub.handle(session, subscribe, now=1).outcome is RealmOutcome.ALREADY_SUBSCRIBED
        assert hub.handle(other, unsubscribe, now=1).outcome is RealmOutcome.NOT_SUBSCRIBED
        assert hub.handle(session, b"garbage", now=1).outcome is RealmOutcome.MALFORMED

        # Still working after the garbage frame.
        assert hub.recipients(realm) == [session]
        assert hub.handle(session, unsubscribe, now=2).outcome is RealmOutcome.UNSUBSCRIBED
        assert hub.recipients(realm) == []

        hub.close_session(other)
        with pytest.raises(UnknownSessionError):
            hub.close_session(other)
        with pytest.raises(UnknownSessionError):
            hub.handle(other, subscribe, now=3)
        with pytest.raises(TypeError):
            hub.handle(session, subscribe, now="now")  # type: ignore[arg-type]
    assert hub.closed
