"""The shared vectors of tests/vectors give the same answers through Python
as through Rust and C."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List, Optional, Tuple

import pytest

import herald

from conftest import VECTORS


def _matching_vectors() -> List[Tuple[str, str, str]]:
    vectors = []
    for line in (VECTORS / "matching.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("//"):
            continue
        columns = line.split("\t")
        assert len(columns) == 3, f"malformed vector line {line!r}"
        vectors.append((columns[0], columns[1], columns[2]))
    return vectors


MATCHING = _matching_vectors()
VALIDATION: List[Dict[str, Any]] = json.loads((VECTORS / "validation.json").read_text(encoding="utf-8"))["cases"]


def test_there_are_enough_vectors() -> None:
    assert len(MATCHING) >= 50
    assert len(VALIDATION) >= 90


def _answer(pattern: Any, topic: Any) -> str:
    """The vector answer: match, no-match, invalid-pattern:<code> or invalid-topic:<code>."""
    try:
        return "match" if herald.matches(pattern, topic) else "no-match"
    except herald.PatternError as error:
        return f"invalid-pattern:{error.code}"
    except herald.TopicError as error:
        return f"invalid-topic:{error.code}"


@pytest.mark.parametrize("pattern, topic, expected", MATCHING, ids=[f"{p}|{t}" for p, t, _ in MATCHING])
def test_matching_vector(pattern: str, topic: str, expected: str) -> None:
    assert _answer(pattern, topic) == expected
    assert _answer(pattern.encode(), topic.encode()) == expected
    if expected in ("match", "no-match"):
        # Routers and snapshots agree with the one-off check.
        with herald.Router() as router:
            assert router.subscribe(pattern, 7) is True
            with router.snapshot() as snapshot:
                want = [7] if expected == "match" else []
                assert router.match(topic) == want
                assert snapshot.match(topic.encode()) == want


def _payload(case: Dict[str, Any]) -> bytes:
    if "payload_base64" in case:
        return base64.b64decode(case["payload_base64"])
    return case["payload"].encode("utf-8")


def _limits(case: Dict[str, Any]) -> Optional[herald.Limits]:
    return herald.Limits(**case["limits"]) if "limits" in case else None


def _pairs(issues: List[herald.Issue]) -> List[Tuple[str, str]]:
    return [(issue.code, issue.pointer) for issue in issues]


def _expected(items: List[Dict[str, str]]) -> List[Tuple[str, str]]:
    return [(item["code"], item["pointer"]) for item in items]


def _validate(catalogue: herald.Catalogue, case: Dict[str, Any], payload: Any) -> herald.Report:
    if "schema" in case:
        return catalogue.validate_named(case["schema"], payload, limits=_limits(case))
    return catalogue.validate(case["source"], case["name"], payload, limits=_limits(case))


@pytest.mark.parametrize("case", VALIDATION, ids=[case["description"][:70] for case in VALIDATION])
def test_validation_vector(catalogue: herald.Catalogue, case: Dict[str, Any]) -> None:
    payload = _payload(case)
    inputs: List[Any] = [payload, bytearray(payload), memoryview(payload)]
    if "payload" in case:
        inputs.append(case["payload"])  # as str as well
    for given in inputs:
        report = _validate(catalogue, case, given)
        assert report.ok == case["ok"], f"{case['description']}: {report}"
        assert _pairs(report.errors) == _expected(case["errors"]), case["description"]
        assert _pairs(report.warnings) == _expected(case["warnings"]), case["description"]
        assert report.ok == (not report.errors)
