#!/usr/bin/env python3
"""Writes raw seed inputs for every fuzz target into DIR/<target>/, from the
repository's shared vectors (tests/vectors), the wire fixtures and the
built-in catalogue, encoded the way each target reads its bytes.

`scripts/fuzz --reseed` runs this, then minimises the result into
fuzz/corpus/<target>/ with libFuzzer's -merge=1. Deterministic: the same
repository gives the same seeds.

Usage: fuzz/seeds.py DIR
"""

import json
import random
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
BUILTIN = json.loads((ROOT / "crates/herald-core/src/catalogue/builtin.json").read_text())


def chunk(data: bytes) -> bytes:
    """A one-byte length prefix, as `Cursor::chunk` reads it."""
    data = data[:255]
    return bytes([len(data)]) + data


def long_chunk(data: bytes) -> bytes:
    data = data[:65535]
    return struct.pack("<H", len(data)) + data


def events():
    """(source, name) of every built-in event, in catalogue order."""
    return [(source["id"], event["name"]) for source in BUILTIN["sources"] for event in source["events"]]


def matching_rows():
    for line in (VECTORS / "matching.tsv").read_text().splitlines():
        if not line or line.startswith("//"):
            continue
        pattern, topic, _ = line.split("\t")
        yield pattern, topic


def topic_seeds():
    for source, name in events():
        yield name.encode()
    for pattern, topic in matching_rows():
        yield f"{pattern}\n{topic}".encode()


def validate_seeds():
    targets = events()
    schemas = sorted(BUILTIN.get("schemas", {}))
    index = {pair: at for at, pair in enumerate(targets)}
    for at, name in enumerate(schemas):
        index[("", name)] = len(targets) + at
    for source in BUILTIN["sources"]:
        for event in source["events"]:
            for example in event.get("examples", []):
                payload = json.dumps(example, ensure_ascii=False).encode()
                yield bytes([index[(source["id"], event["name"])], 3]) + payload
    for case in json.loads((VECTORS / "validation.json").read_text())["cases"]:
        if "payload" not in case:
            continue
        key = (case.get("source") or "", case.get("name") or case.get("schema"))
        if key in index:
            yield bytes([index[key] % 256, 3]) + case["payload"].encode()


def catalogue_seeds():
    for source in BUILTIN["sources"]:
        yield json.dumps({"format": "herald-catalogue/1", "sources": [source]}).encode()
    for source in BUILTIN["sources"]:
        small = dict(source, events=source["events"][:2])
        yield json.dumps(
            {"format": "herald-catalogue/1", "schemas": BUILTIN.get("schemas", {}), "sources": [small]}
        ).encode()
    yield (ROOT / "crates/herald-core/tests/data/validation-fixture.json").read_bytes()
    yield b'{"format":"herald-catalogue/1","sources":[]}'
    yield json.dumps(
        {
            "format": "herald-catalogue/1",
            "sources": [
                {
                    "id": "shop",
                    "vendor": "V",
                    "title": "T",
                    "transport": "HTTP",
                    "description": "D",
                    "events": [
                        {
                            "name": "{region}.order.paid",
                            "category": "payment",
                            "description": "Paid.",
                            "template": {"parameter": "region", "known_values": ["eu"], "open": False},
                            "aliases": [{"source": "shop", "name": "order.settled"}],
                            "deprecated": {"note": "Use order.settled.", "replaced_by": {"source": "shop", "name": "order.settled"}},
                            "schema": {"type": "object", "fields": {"id": {"type": "string"}}},
                            "examples": [{"id": "o-1"}],
                        },
                        {"name": "order.settled", "category": "payment", "description": "Settled."},
                    ],
                }
            ],
        }
    ).encode()


WIRE_FORMATS = ["inplayer-notification", "inplayer-webhook", "orangepill", "accelbyte-lobby"]


def wire_files():
    for case in json.loads((VECTORS / "wire" / "index.json").read_text())["cases"]:
        if case.get("file"):
            yield case.get("wire_format"), case["file"], (VECTORS / "wire" / case["file"]).read_bytes()


def wire_seeds():
    for wire_format, name, data in wire_files():
        if wire_format in WIRE_FORMATS:
            yield bytes([WIRE_FORMATS.index(wire_format)]) + data
            yield bytes([4]) + data
        if "subscribe" in name:
            yield bytes([5]) + data
        if name.startswith("orangepill/"):
            yield bytes([6]) + data
    yield bytes([7]) + json.dumps(
        {
            "format": "orangepill",
            "name": "sms.message.sent",
            "timestamp": 1,
            "payload": {"type": "notification", "event": "sms.message.sent", "data": "6396", "timestamp": 1},
        }
    ).encode()
    yield bytes([7]) + json.dumps(
        {
            "format": "accelbyte-lobby",
            "name": "walletStatusChanged",
            "id": "x",
            "lobby": {"from": "system", "payload_encoding": "base64", "framing": "markers"},
            "payload_base64": "e30=",
        }
    ).encode()


def form_seeds():
    for wire_format, _, data in wire_files():
        if wire_format == "inplayer-webhook":
            yield data


KEYS = [b"k1", b"k2", b"realm-key", b""]


def realm_seeds():
    # open, open, subscribe k1 on both, unsubscribe, raw frame, close.
    yield bytes([0, 0, 2, 0, 0, 0, 10, 2, 1, 0, 0, 10, 3, 0, 1, 0, 10, 2, 0, 2, 2, 10, 1, 0])
    for frame in [b'{"type":"subscribe","realm":"k1"}', b'{"type":"unsubscribe","realm":"k2","timestamp":1}']:
        yield bytes([0, 2, 0, 2, 0]) + chunk(frame) + bytes([9])


SCHEMES = ["inplayer", "orangepill", "standard-webhooks", "stripe"]


def signature_seeds():
    for vector in json.loads((VECTORS / "signatures.json").read_text())["vectors"]:
        out = bytearray([SCHEMES.index(vector["scheme"])])
        secrets = vector["secrets"][:3]
        out.append(len(secrets))
        for secret in secrets:
            out += chunk(secret.encode())
        headers = vector["headers"][:5]
        out.append(len(headers))
        for name, value in headers:
            out += chunk(name.encode()) + chunk(value.encode())
        out += long_chunk(vector["body"].encode())
        out += struct.pack("<q", vector["now"])
        tolerance = vector.get("tolerance")
        out.append(0 if tolerance is None else max(1, min(255, tolerance // 60)))
        signed = vector.get("signed") or {}
        out += chunk((signed.get("id") or "").encode())
        if signed.get("timestamp") is None:
            out.append(0)
        else:
            out.append(1)
            out += struct.pack("<q", signed["timestamp"] * 2)
        out += chunk(b"1614265330")
        yield bytes(out)


def broker_seeds():
    rows = list(matching_rows())
    for broker in range(4):
        for at in range(0, len(rows), 4):
            group = rows[at : at + 4]
            out = bytearray([broker, 0, 0, 1 + at % 4, 0])  # options; patterns: count byte % 3 + 1
            out[4] = len(group[:3]) - 1
            for pattern, _ in group[:3]:
                out += chunk(pattern.encode())
            for _, topic in group:
                out += chunk(topic.encode())
            yield bytes(out)


def random_seeds(count, length, rng):
    for _ in range(count):
        yield bytes(rng.randrange(256) for _ in range(length))


def main():
    out = Path(sys.argv[1])
    rng = random.Random(16)
    targets = {
        "topic": topic_seeds(),
        "router_ops": random_seeds(32, 96, rng),
        "validate": validate_seeds(),
        "catalogue_load": catalogue_seeds(),
        "wire_decode": wire_seeds(),
        "form": form_seeds(),
        "realm_session": realm_seeds(),
        "ffi": random_seeds(32, 160, rng),
        "signatures": signature_seeds(),
        "broker_plan": broker_seeds(),
    }
    for target, seeds in targets.items():
        directory = out / target
        directory.mkdir(parents=True, exist_ok=True)
        for number, seed in enumerate(seeds):
            (directory / f"seed-{number:04}").write_bytes(seed)


if __name__ == "__main__":
    main()
