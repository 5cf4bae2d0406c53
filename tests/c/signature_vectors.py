#!/usr/bin/env python3
"""Writes tests/vectors/signatures.json as TSV for the C suite (test_signature.c),
which has no JSON reader: one vector per line, every field percent-encoded
(so tabs, newlines and any byte survive), in this order:

    name  scheme  now  tolerance  expect  signing  signed_id  signed_timestamp
    body  secret_count  secret…  header_count  (header_name  header_value)…

`tolerance` is the seconds or `none`; `expect` is `ok:<key>` or the outcome
code; `signing` is `signing` for a vector whose headers are exactly what
signing its body gives (else empty); `signed_id` and `signed_timestamp` are
empty when absent, else `=` followed by the value.
tests/c/run.sh runs it with the output in target/c-tests.
"""

import json
import sys
from pathlib import Path
from urllib.parse import quote

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "signatures.json"


def field(value: str) -> str:
    return quote(value, safe="")


def optional(signed, key):
    if signed is None or signed.get(key) is None:
        return ""
    return "=" + field(str(signed[key]))


def line(vector) -> str:
    expect = vector["expect"]
    signed = vector.get("signed")
    fields = [
        field(vector["name"]),
        field(vector["scheme"]),
        str(vector["now"]),
        "none" if vector["tolerance"] is None else str(vector["tolerance"]),
        f"ok:{expect['key']}" if expect["ok"] else field(expect["code"]),
        "signing" if signed is not None else "",
        optional(signed, "id"),
        optional(signed, "timestamp"),
        field(vector["body"]),
        str(len(vector["secrets"])),
        *(field(secret) for secret in vector["secrets"]),
        str(len(vector["headers"])),
        *(field(part) for header in vector["headers"] for part in header),
    ]
    return "\t".join(fields)


def main() -> None:
    document = json.loads(VECTORS.read_text(encoding="utf-8"))
    sys.stdout.write("".join(line(vector) + "\n" for vector in document["vectors"]))


if __name__ == "__main__":
    main()
