"""Cross-checks of the shared signature vectors (tests/vectors/signatures.json)
with Python's own hmac and hashlib, and the cryptography package for ed25519.

These tests need no herald bindings: they recompute, independently of herald,
every signature that herald computed for the file, and check that every
vector herald verifies is verified by the key it names and by no key before
it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VECTORS_FILE = Path(__file__).resolve().parents[1] / "vectors" / "signatures.json"
DOCUMENT: Dict[str, Any] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS: List[Dict[str, Any]] = DOCUMENT["vectors"]


def header(vector: Dict[str, Any], *names: str) -> Optional[str]:
    wanted = [name.lower() for name in names]
    for name in wanted:
        for given, value in vector["headers"]:
            if given.lower() == name and value:
                return str(value)
    return None


def mac(key: bytes, content: bytes) -> bytes:
    return hmac.new(key, content, hashlib.sha256).digest()


def signed_content(vector: Dict[str, Any]) -> bytes:
    """The bytes the scheme signs, read from the vector's own headers."""
    body: bytes = str(vector["body"]).encode()
    scheme = vector["scheme"]
    if scheme == "inplayer":
        return body
    if scheme == "orangepill":
        stamp = header(vector, "X-Orangepill-Timestamp")
        return body if stamp is None else f"{stamp}.".encode() + body
    if scheme == "stripe":
        value = header(vector, "Stripe-Signature") or ""
        stamp = dict(item.split("=", 1) for item in value.split(",") if "=" in item)["t"]
        return f"{stamp}.".encode() + body
    msg_id = header(vector, "webhook-id", "svix-id")
    stamp = header(vector, "webhook-timestamp", "svix-timestamp")
    return f"{msg_id}.{stamp}.".encode() + body


def sent_signatures(vector: Dict[str, Any]) -> List[Tuple[str, bytes]]:
    """The (algorithm, bytes) signatures a vector's header carries."""
    scheme = vector["scheme"]
    found: List[Tuple[str, bytes]] = []
    if scheme == "inplayer":
        value = header(vector, "X-InPlayer-Signature") or ""
        if value.startswith("sha256="):
            found.append(("hmac", bytes.fromhex(value[len("sha256="):])))
    elif scheme == "orangepill":
        value = header(vector, "X-Orangepill-Signature") or ""
        for prefix in ("sha256=", "v1="):
            value = value[len(prefix):] if value.startswith(prefix) else value
        found.append(("hmac", bytes.fromhex(value)))
    elif scheme == "stripe":
        value = header(vector, "Stripe-Signature") or ""
        for item in value.split(","):
            key, _, text = item.partition("=")
            if key == "v1":
                found.append(("hmac", bytes.fromhex(text)))
    else:
        value = header(vector, "webhook-signature", "svix-signature") or ""
        for entry in value.split(" "):
            version, _, text = entry.partition(",")
            if version in ("v1", "v1a") and text:
                try:
                    decoded = base64.b64decode(text, validate=True)
                except ValueError:
                    continue
                found.append(("hmac" if version == "v1" else "ed25519", decoded))
    return found


def standard_key(secret: str) -> Tuple[str, bytes]:
    for prefix in ("whsec_", "whpk_", "whsk_"):
        if secret.startswith(prefix):
            return prefix, base64.b64decode(secret[len(prefix):] + "==")
    return "whsec_", base64.b64decode(secret + "==")


def key_verifies(vector: Dict[str, Any], secret: str) -> bool:
    """Whether `secret` verifies one of the vector's signatures, by Python's own rules."""
    content = signed_content(vector)
    signatures = sent_signatures(vector)
    if vector["scheme"] != "standard-webhooks":
        expected = mac(secret.encode(), content)
        return any(hmac.compare_digest(expected, sent) for kind, sent in signatures if kind == "hmac")
    prefix, key = standard_key(secret)
    if prefix == "whsec_":
        expected = mac(key, content)
        return any(hmac.compare_digest(expected, sent) for kind, sent in signatures if kind == "hmac")
    public = (
        Ed25519PublicKey.from_public_bytes(key)
        if prefix == "whpk_"
        else Ed25519PrivateKey.from_private_bytes(key[:32]).public_key()
    )
    for kind, sent in signatures:
        if kind != "ed25519":
            continue
        try:
            public.verify(sent, content)
            return True
        except InvalidSignature:
            continue
    return False


def sign(vector: Dict[str, Any]) -> List[List[str]]:
    """The headers signing the vector's body gives, computed by Python alone."""
    scheme = vector["scheme"]
    fields = vector["signed"]
    body: bytes = str(vector["body"]).encode()
    secrets = vector["secrets"]
    stamp = fields.get("timestamp")
    if scheme == "inplayer":
        return [["X-InPlayer-Signature", "sha256=" + mac(secrets[0].encode(), body).hex()]]
    if scheme == "orangepill":
        content = body if stamp is None else f"{stamp}.".encode() + body
        headers = [["X-Orangepill-Signature", mac(secrets[0].encode(), content).hex()]]
        if stamp is not None:
            headers.append(["X-Orangepill-Timestamp", str(stamp)])
        return headers
    if scheme == "stripe":
        content = f"{stamp}.".encode() + body
        value = f"t={stamp}" + "".join(",v1=" + mac(s.encode(), content).hex() for s in secrets)
        return [["Stripe-Signature", value]]
    content = f"{fields['id']}.{stamp}.".encode() + body
    entries = []
    for secret in secrets:
        prefix, key = standard_key(secret)
        if prefix == "whsk_":
            signature = Ed25519PrivateKey.from_private_bytes(key[:32]).sign(content)
            entries.append("v1a," + base64.b64encode(signature).decode())
        else:
            entries.append("v1," + base64.b64encode(mac(key, content)).decode())
    return [
        ["webhook-id", fields["id"]],
        ["webhook-timestamp", str(stamp)],
        ["webhook-signature", " ".join(entries)],
    ]


SIGNED = [vector for vector in VECTORS if "signed" in vector]
VERIFIED = [vector for vector in VECTORS if vector["expect"]["ok"]]


def test_the_file_names_its_origins_and_cites_the_official_vectors() -> None:
    assert DOCUMENT["format"] == "herald-signature-vectors/1"
    assert "github.com/standard-webhooks/standard-webhooks" in DOCUMENT["origins"]["standard-webhooks"]
    for vector in VECTORS:
        assert vector["origin"] in DOCUMENT["origins"], vector["name"]
    assert {vector["scheme"] for vector in SIGNED} == {"inplayer", "orangepill", "standard-webhooks", "stripe"}


@pytest.mark.parametrize("vector", SIGNED, ids=[vector["name"] for vector in SIGNED])
def test_python_signs_every_signed_vector_to_the_same_headers(vector: Dict[str, Any]) -> None:
    assert sign(vector) == vector["headers"]


@pytest.mark.parametrize("vector", VERIFIED, ids=[vector["name"] for vector in VERIFIED])
def test_the_named_key_verifies_and_no_earlier_key_does(vector: Dict[str, Any]) -> None:
    key = vector["expect"]["key"]
    secrets = vector["secrets"]
    assert key_verifies(vector, secrets[key])
    for earlier in secrets[:key]:
        assert not key_verifies(vector, earlier)


def test_the_official_signatures_are_the_published_ones() -> None:
    published = {
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
        "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==",
    }
    official = {
        sign(vector)[2][1] for vector in SIGNED if vector["origin"].startswith("standard-webhooks")
    }
    assert official == published


def test_a_stripe_key_is_the_whsec_string_itself() -> None:
    (trap,) = [vector for vector in VECTORS if "not its base64 decoding" in vector["name"]]
    secret = trap["secrets"][0]
    assert secret.startswith("whsec_")
    assert not key_verifies(trap, secret)
    decoded = base64.b64decode(secret[len("whsec_"):])
    assert any(sent == mac(decoded, signed_content(trap)) for _, sent in sent_signatures(trap))
    assert trap["expect"] == {"ok": False, "code": "no_matching_signature"}


def test_a_changed_body_defeats_every_signature() -> None:
    changed = [vector for vector in VECTORS if "changed by one byte" in vector["name"]]
    assert {vector["scheme"] for vector in changed} == {"inplayer", "orangepill", "standard-webhooks", "stripe"}
    for vector in changed:
        assert not any(key_verifies(vector, secret) for secret in vector["secrets"]), vector["name"]
