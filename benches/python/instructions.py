"""Instructions per call of the hot validation paths, counted by valgrind's
callgrind: deterministic, so a change can be judged on a busy machine where
clocks are not. Run it with ``benches/python/instructions.sh``, which runs
this file under callgrind twice per operation (one pass and three passes
over the same payloads) and prints the difference per call: start-up,
imports and the making of the payloads cancel out.

    python instructions.py PACKAGE OPERATION CALLS PASSES

PACKAGE is ``herald`` or ``herald_before`` (the package as of
HERALD_BENCH_BEFORE, exported by run.sh); OPERATION one of ``OPERATIONS``.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any, Callable, Dict, List

import fastjsonschema

# The payload (one warning), the same made clean, and made invalid.
WARNED = (
    b'{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"ns",'
    b'"userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}'
)
CLEAN = WARNED.replace(b'"credit"', b'"creditUserWallet"')
INVALID = WARNED.replace(b'"walletBalanceChanged"', b"7", 1)
SOURCE, NAME = "accelbyte-wallet", "walletBalanceChanged"

OPERATIONS = (
    "Validator.validate clean", "Validator.validate warned", "Validator.validate invalid",
    "Catalogue.validate warned", "Validator.validate_many warned", "Validator.validate_many clean",
    "fastjsonschema+json.loads warned",
)


def operations(herald: Any, calls: int) -> Dict[str, Callable[[], None]]:
    catalogue = herald.Catalogue.builtin()
    if not hasattr(catalogue, "validator"):
        # The package before issue 18: only `Catalogue.validate` compares.
        raise SystemExit(f"{herald.__name__} has no prepared validators")
    validator = catalogue.validator(SOURCE, NAME)
    fast = fastjsonschema.compile(catalogue.json_schema(SOURCE, NAME))
    # Distinct payload objects, streamed in order.
    streams = {name: [bytes(bytearray(payload)) for _ in range(calls)]
               for name, payload in (("clean", CLEAN), ("warned", WARNED), ("invalid", INVALID))}
    assert validator.validate(CLEAN).ok and validator.validate(WARNED).ok and not validator.validate(INVALID).ok

    def validate(kind: str) -> Callable[[], None]:
        def run() -> None:
            for data in streams[kind]:
                validator.validate(data).ok
        return run

    def catalogue_validate() -> None:
        for data in streams["warned"]:
            catalogue.validate(SOURCE, NAME, data).ok

    def validate_many(kind: str) -> Callable[[], None]:
        def run() -> None:
            stream = streams[kind]
            for start in range(0, len(stream), 100):
                for report in validator.validate_many(stream[start : start + 100]):
                    report.ok
        return run

    def fastjsonschema_loads() -> None:
        for data in streams["warned"]:
            fast(json.loads(data))

    return {
        "Validator.validate clean": validate("clean"),
        "Validator.validate warned": validate("warned"),
        "Validator.validate invalid": validate("invalid"),
        "Catalogue.validate warned": catalogue_validate,
        "Validator.validate_many warned": validate_many("warned"),
        "Validator.validate_many clean": validate_many("clean"),
        "fastjsonschema+json.loads warned": fastjsonschema_loads,
    }


def main(argv: List[str]) -> None:
    package, operation, calls, passes = argv[0], argv[1], int(argv[2]), int(argv[3])
    herald = importlib.import_module(package)
    run = operations(herald, calls)[operation]
    for _ in range(passes):
        run()


if __name__ == "__main__":
    main(sys.argv[1:])
