"""Webhook signatures through the bindings: every shared vector of
tests/vectors/signatures.json, signing, key rotation, the replay guard,
verify-then-decode, argument checks, and a sign/verify round trip."""

from __future__ import annotations

import contextlib
import doctest
import hashlib
import hmac
import io
import json
import random
import re
import threading
import time
from typing import Any, Dict, List, Tuple

import pytest

import herald
from herald import signature

from conftest import HEADER, ROOT, VECTORS

DOCUMENT: Dict[str, Any] = json.loads((VECTORS / "signatures.json").read_text(encoding="utf-8"))
ALL_VECTORS: List[Dict[str, Any]] = DOCUMENT["vectors"]
SIGNING = [vector for vector in ALL_VECTORS if "signed" in vector]

OFFICIAL_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OFFICIAL_BODY = b'{"test": 2432232314}'
OFFICIAL_HEADERS = [
    ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
    ("webhook-timestamp", "1614265330"),
    ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
]


def outcome(vector: Dict[str, Any]) -> Dict[str, Any]:
    """What the bindings answer for a vector, in the file's `expect` shape."""
    tolerance = herald.Tolerance.NO_CHECK if vector["tolerance"] is None else vector["tolerance"]
    try:
        keys = herald.KeySet(vector["scheme"], vector["secrets"])
        verified = herald.verify(keys, vector["headers"], vector["body"].encode(), vector["now"], tolerance)
    except herald.SignatureError as error:
        return {"ok": False, "code": error.code}
    return {"ok": True, "key": verified.key}


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=[vector["name"] for vector in ALL_VECTORS])
def test_every_shared_vector_gives_its_outcome(vector: Dict[str, Any]) -> None:
    assert outcome(vector) == vector["expect"]


@pytest.mark.parametrize("vector", SIGNING, ids=[vector["name"] for vector in SIGNING])
def test_signing_a_vectors_body_gives_exactly_its_headers(vector: Dict[str, Any]) -> None:
    keys = herald.KeySet(vector["scheme"], vector["secrets"])
    fields = vector["signed"]
    sent = herald.sign(keys, vector["body"].encode(), id=fields.get("id"), timestamp=fields.get("timestamp"))
    assert [list(pair) for pair in sent] == vector["headers"]


def test_the_file_has_every_vector_the_issue_asks_for() -> None:
    assert len(ALL_VECTORS) >= 79
    assert {vector["scheme"] for vector in SIGNING} == {"inplayer", "orangepill", "standard-webhooks", "stripe"}
    codes = {vector["expect"].get("code") for vector in ALL_VECTORS} - {None}
    assert codes == set(herald.SIGNATURE_CODES) - {"duplicate", "replay_guard_full"}


def test_a_rejection_is_a_signature_error_with_the_stable_code() -> None:
    keys = herald.KeySet(herald.Scheme.STANDARD_WEBHOOKS, [OFFICIAL_SECRET])
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY + b" ", now=1614265330)
    error = raised.value
    assert isinstance(error, herald.HeraldError) and isinstance(error, ValueError)
    assert error.status == herald.Status.SIGNATURE_REJECTED
    assert error.code == "no_matching_signature"
    assert "match" in error.message and "g0hM9" not in error.message
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=1614265330 + 301)
    assert raised.value.code == "timestamp_too_old"
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify(keys, {}, OFFICIAL_BODY, now=1614265330)
    assert raised.value.code == "missing_header"


def test_headers_may_be_a_mapping_or_pairs_of_str_or_bytes_in_any_letter_case() -> None:
    keys = herald.KeySet("standard-webhooks", [OFFICIAL_SECRET])
    as_dict = {name.upper(): value for name, value in OFFICIAL_HEADERS}
    as_bytes = [(name.title().encode(), value.encode()) for name, value in OFFICIAL_HEADERS]
    for headers in (as_dict, as_bytes, tuple(OFFICIAL_HEADERS), iter(OFFICIAL_HEADERS)):
        verified = herald.verify(keys, headers, OFFICIAL_BODY, now=1614265400, tolerance=300)
        assert verified == herald.Verified(0, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330)
    # A header given twice: either value could be the signed one.
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify(keys, OFFICIAL_HEADERS + [("webhook-id", "msg_other")], OFFICIAL_BODY, now=1614265400)
    assert raised.value.code == "malformed_header"
    # Header bytes that are not UTF-8 are verified as bytes, never a crash.
    with pytest.raises(herald.SignatureError):
        herald.verify(keys, [(b"webhook-id", b"\xff\xfe")] + OFFICIAL_HEADERS[1:], OFFICIAL_BODY, now=1614265400)


def test_tolerance_is_explicit_and_none_never_turns_the_check_off() -> None:
    keys = herald.KeySet("standard-webhooks", [OFFICIAL_SECRET])
    a_year_later = 1614265330 + 365 * 86400
    with pytest.raises(herald.SignatureError):
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=a_year_later)
    assert herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, a_year_later, herald.Tolerance.NO_CHECK).key == 0
    with pytest.raises(TypeError, match="None is refused"):
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=a_year_later, tolerance=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=a_year_later, tolerance=True)
    with pytest.raises(TypeError):
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=a_year_later, tolerance=300.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=a_year_later, tolerance=-1)
    # The window includes both ends.
    assert herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=1614265330 - 300, tolerance=300).key == 0
    assert herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=1614265330, tolerance=0).key == 0
    assert herald.REFERENCE_TOLERANCE == 300


def test_now_defaults_to_the_clock_and_must_be_unix_seconds() -> None:
    keys = herald.KeySet("stripe", ["whsec_test"])
    sent = herald.sign(keys, b"{}", timestamp=int(time.time()))
    assert herald.verify(keys, sent, b"{}").key == 0
    stale = herald.sign(keys, b"{}", timestamp=int(time.time()) - 3600)
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify(keys, stale, b"{}")
    assert raised.value.code == "timestamp_too_old"
    with pytest.raises(TypeError):
        herald.verify(keys, sent, b"{}", now=time.time())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        herald.verify(keys, sent, b"{}", now=1 << 63)


def test_secrets_are_checked_when_added_and_never_echoed() -> None:
    with pytest.raises(herald.InvalidSecretError) as raised:
        herald.KeySet("standard-webhooks", ["whsec_"])
    assert raised.value.code == "invalid_secret" and raised.value.status == herald.Status.INVALID_SECRET
    assert isinstance(raised.value, herald.SignatureError)
    keys = herald.KeySet("standard-webhooks")
    with pytest.raises(herald.InvalidSecretError) as raised:
        keys.add("whsec_secret!value")
    assert "secret!value" not in str(raised.value)
    assert len(keys) == 0
    with pytest.raises(ValueError, match="unknown signature scheme 'svix'"):
        herald.KeySet("svix")
    with pytest.raises(TypeError):
        herald.KeySet("stripe", [42])  # type: ignore[list-item]
    # Vendor secrets are bytes as given, so any bytes are a key.
    assert herald.KeySet("inplayer", [b"\xff\x00secret"]).scheme is herald.Scheme.INPLAYER


def test_rotation_names_the_key_that_matched_and_a_removed_key_no_longer_verifies() -> None:
    receiver = herald.KeySet("stripe", ["whsec_old", "whsec_new"])
    old = herald.sign(herald.KeySet("stripe", ["whsec_old"]), b"{}", timestamp=1700000000)
    new = herald.sign(herald.KeySet("stripe", ["whsec_new"]), b"{}", timestamp=1700000000)
    assert herald.verify(receiver, old, b"{}", 1700000000).key == 0
    assert herald.verify(receiver, new, b"{}", 1700000000).key == 1
    receiver.remove(0)
    assert herald.verify(receiver, new, b"{}", 1700000000).key == 0
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify(receiver, old, b"{}", 1700000000)
    assert raised.value.code == "no_matching_signature"
    with pytest.raises(IndexError):
        receiver.remove(1)
    # A sender rotating its own secret signs with both; either receiver verifies.
    both = herald.sign(herald.KeySet("stripe", ["whsec_old", "whsec_new"]), b"{}", timestamp=1700000000)
    assert herald.verify(receiver, both, b"{}", 1700000000).key == 0
    assert herald.verify(herald.KeySet("stripe", ["whsec_old"]), both, b"{}", 1700000000).key == 0


def test_python_computes_the_same_stripe_signature() -> None:
    keys = herald.KeySet("stripe", ["whsec_test"])
    ((name, value),) = herald.sign(keys, b'{"id":"evt_1"}', timestamp=1700000000)
    expected = hmac.new(b"whsec_test", b'1700000000.{"id":"evt_1"}', hashlib.sha256).hexdigest()
    assert (name, value) == ("Stripe-Signature", f"t=1700000000,v1={expected}")


def test_signing_refuses_fields_the_scheme_does_not_sign() -> None:
    inplayer = herald.KeySet("inplayer", ["merchant-api-secret"])
    with pytest.raises(herald.SigningError) as raised:
        herald.sign(inplayer, b"id=1", timestamp=5)
    assert raised.value.code == "not_signed" and raised.value.status == herald.Status.CANNOT_SIGN
    with pytest.raises(herald.SigningError) as raised:
        herald.sign(herald.KeySet("standard-webhooks", [OFFICIAL_SECRET]), b"{}", timestamp=5)
    assert raised.value.code == "missing_id"
    with pytest.raises(herald.SigningError) as raised:
        herald.sign(herald.KeySet("stripe"), b"{}", timestamp=5)
    assert raised.value.code == "no_key"
    with pytest.raises(herald.SigningError) as raised:
        herald.sign(herald.KeySet("standard-webhooks", [OFFICIAL_SECRET]), b"{}", id=b"msg\xff", timestamp=5)
    assert raised.value.code == "invalid_id"


def test_the_replay_guard_refuses_duplicates_inside_the_window_and_holds_its_bound() -> None:
    guard = herald.ReplayGuard(window=300, capacity=2)
    assert (guard.window, guard.capacity, len(guard)) == (300, 2, 0)
    guard.admit("msg_1", signed_at=1000, now=1000)
    with pytest.raises(herald.DuplicateMessageError) as raised:
        guard.admit("msg_1", signed_at=1000, now=1300)
    assert raised.value.code == "duplicate" and isinstance(raised.value, herald.ReplayError)
    assert isinstance(raised.value, herald.SignatureError)
    guard.admit(b"msg_2", now=1000)
    with pytest.raises(herald.ReplayGuardFullError) as full:
        guard.admit("msg_3", now=1100)
    assert full.value.code == "replay_guard_full" and full.value.status == herald.Status.REPLAY_GUARD_FULL
    assert len(guard) == 2
    guard.admit("msg_1", signed_at=1000, now=1301)  # both windows are over
    with pytest.raises(herald.DuplicateMessageError):
        guard.admit("msg_1", signed_at=1000, now=1302)
    guard.forget_expired(now=10_000)
    assert len(guard) == 0
    with pytest.raises(ValueError):
        herald.ReplayGuard(window=-1, capacity=10)


def test_a_verified_message_feeds_the_replay_guard() -> None:
    keys = herald.KeySet("standard-webhooks", [OFFICIAL_SECRET])
    guard = herald.ReplayGuard(300, 100)
    verified = herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=1614265400)
    assert verified.id is not None
    guard.admit(verified.id, signed_at=verified.timestamp, now=1614265400)
    again = herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=1614265410)
    with pytest.raises(herald.DuplicateMessageError):
        guard.admit(again.id or "", signed_at=again.timestamp, now=1614265410)


def test_verify_then_decode_decodes_only_a_verified_body() -> None:
    keys = herald.KeySet("inplayer", ["merchant-api-secret"])
    body = b"id=WHE-1&created=1559906599&type=payment.card.failed&resource[code]=422"
    headers = herald.sign(keys, body)
    authentic = herald.verify_then_decode(keys, headers, body, "inplayer-webhook", now=1559906600)
    assert authentic.event.name == "payment.card.failed"
    assert authentic.message_id == "WHE-1"
    assert authentic.verified == herald.Verified(0, None, None)
    assert isinstance(authentic.report, herald.Report)
    forged = body.replace(b"failed", b"success")
    with pytest.raises(herald.SignatureError) as raised:
        herald.verify_then_decode(keys, headers, forged, herald.WireFormat.INPLAYER_WEBHOOK, now=1559906600)
    assert raised.value.code == "no_matching_signature"
    junk = b"not a form at all"
    with pytest.raises(herald.WireError):
        herald.verify_then_decode(keys, herald.sign(keys, junk), junk, "inplayer-webhook", now=1559906600)
    with pytest.raises(ValueError, match="unknown wire format"):
        herald.verify_then_decode(keys, headers, body, "form", now=1559906600)


def test_a_closed_key_set_refuses_calls() -> None:
    keys = herald.KeySet("stripe", ["whsec_test"])
    keys.close()
    with pytest.raises(ValueError, match="closed"):
        herald.verify(keys, [], b"{}", now=0)
    assert repr(keys) == "<herald.KeySet closed>"
    with herald.ReplayGuard(1, 1) as guard:
        assert "window=1s" in repr(guard)
    assert guard.closed


def test_round_trip_of_random_messages_and_any_one_byte_change_is_rejected() -> None:
    rng = random.Random(14)
    secrets = {
        "inplayer": "merchant-api-secret",
        "orangepill": "orangepill-secret",
        "standard-webhooks": OFFICIAL_SECRET,
        "stripe": "whsec_test",
    }
    for _ in range(200):
        scheme = rng.choice(sorted(secrets))
        keys = herald.KeySet(scheme, [secrets[scheme]])
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 64)))
        stamp = rng.randrange(1, 2_000_000_000)
        fields: Dict[str, Any] = {}
        if scheme in ("standard-webhooks", "stripe") or (scheme == "orangepill" and rng.random() < 0.5):
            fields["timestamp"] = stamp
        if scheme == "standard-webhooks":
            fields["id"] = "msg_" + "".join(rng.choice("abcXYZ019") for _ in range(rng.randrange(1, 20)))
        sent = herald.sign(keys, body, **fields)
        assert herald.verify(keys, sent, body, stamp).key == 0
        if body:
            at = rng.randrange(len(body))
            changed = body[:at] + bytes([body[at] ^ (1 << rng.randrange(8))]) + body[at + 1 :]
            with pytest.raises(herald.SignatureError):
                herald.verify(keys, sent, changed, stamp)
        # One changed character in any header value (signature, id, timestamp).
        index = rng.randrange(len(sent))
        name, value = sent[index]
        at = rng.randrange(len(value))
        replacement = "1" if value[at] != "1" else "2"
        tampered = list(sent)
        tampered[index] = (name, value[:at] + replacement + value[at + 1 :])
        with pytest.raises(herald.SignatureError):
            herald.verify(keys, tampered, body, stamp, herald.Tolerance.NO_CHECK)


def test_threads_verify_with_one_key_set() -> None:
    keys = herald.KeySet("standard-webhooks", [OFFICIAL_SECRET])
    results: List[Tuple[int, str]] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(200):
            verified = herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY, now=1614265330)
            try:
                herald.verify(keys, OFFICIAL_HEADERS, OFFICIAL_BODY + b"x", now=1614265330)
                code = "verified"
            except herald.SignatureError as error:
                code = error.code
            with lock:
                results.append((verified.key, code))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [(0, "no_matching_signature")] * 800


def test_codes_and_schemes_match_the_header() -> None:
    text = HEADER.read_text(encoding="utf-8")
    codes = dict(re.findall(r"HERALD_SIGNATURE_CODE_(\w+) = (\d+)", text))
    assert [name.lower() for name, _ in sorted(codes.items(), key=lambda item: int(item[1]))] == list(
        herald.SIGNATURE_CODES
    )
    schemes = {name: int(value) for name, value in re.findall(r"HERALD_SCHEME_(\w+) = (\d+)", text)}
    assert schemes == {scheme.name: scheme.code for scheme in herald.Scheme}
    defines = dict(re.findall(r"#define HERALD_TOLERANCE_(\w+) (-?\d+)", text))
    assert int(defines["REFERENCE"]) == herald.REFERENCE_TOLERANCE
    assert int(defines["NO_CHECK"]) == signature._TOLERANCE_NO_CHECK


@pytest.mark.parametrize("module", [signature, herald.broker], ids=lambda module: module.__name__)
def test_docstring_examples(module: object) -> None:
    failures, tried = doctest.testmod(module, raise_on_error=False, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0 and tried > 0


@pytest.mark.parametrize("page", ["signatures.md", "scale-out.md"])
def test_the_python_examples_of_the_docs_print_what_their_comments_say(page: str) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / page).read_text(encoding="utf-8"), flags=re.S)
    assert blocks, page
    for block in blocks:
        expected = [
            line.split("  # ", 1)[1].strip() for line in block.splitlines() if line.lstrip().startswith("print(")
        ]
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(block, page, "exec"), {})
        assert output.getvalue().splitlines() == expected
