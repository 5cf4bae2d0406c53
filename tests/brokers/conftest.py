"""Fixtures of the live suite: the servers' ports (tests/brokers/run.sh
starts the servers and exports them), the corpus, and herald's own answer for
every (pattern, topic) pair, from herald's Router."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

import herald

# corpus.py beside this file.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def port(name: str) -> int:
    value = os.environ.get(f"HERALD_{name}_PORT")
    assert value, f"HERALD_{name}_PORT is not set: run tests/brokers/run.sh, which starts the servers"
    return int(value)


@pytest.fixture(scope="session")
def patterns() -> List[str]:
    found = corpus.patterns()
    assert len(found) >= 300
    return found


@pytest.fixture(scope="session")
def topics() -> List[str]:
    found = corpus.topics()
    assert len(found) >= 1000
    return found


@pytest.fixture(scope="session")
def herald_answer(patterns: List[str], topics: List[str]) -> Dict[int, Set[int]]:
    """topic index -> the indices of the patterns herald's Router routes it to."""
    with herald.Router() as router:
        for index, pattern in enumerate(patterns):
            router.subscribe(pattern, index)
        return {index: set(router.match(topic)) for index, topic in enumerate(topics)}
