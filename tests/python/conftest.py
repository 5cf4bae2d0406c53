"""Shared fixtures for the Python suite: repository paths, the shared vectors,
the built-in catalogue, and a small catalogue document of our own.

The suite tests the *installed* package (tests/python/run.sh installs it into a
fresh venv); nothing here puts the source tree on sys.path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

import herald

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
HEADER = ROOT / "include" / "herald.h"


# What some tests need of the loaded library. tests/python/run.sh selects
# them per pass with -m, and each such test asserts its need, so a test runs
# where it applies and fails loudly anywhere else: nothing is skipped.
MARKERS = {
    "needs_installed_copy": "loads the copy of libherald shipped inside the package (no HERALD_LIBRARY)",
    "needs_release_build": "needs a libherald built without the test-only `testing` feature",
    "needs_testing_feature": "needs a libherald built with the `testing` feature (forced panics)",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def catalogue() -> Iterator[herald.Catalogue]:
    with herald.Catalogue.builtin() as builtin:
        yield builtin


SHOP_DOCUMENT: Dict[str, Any] = {
    "format": "herald-catalogue/1",
    "sources": [
        {
            "id": "shop",
            "vendor": "Shop",
            "title": "Shop events",
            "transport": "HTTP",
            "description": "A test shop.",
            "events": [
                {"name": "order.created", "category": "order", "description": "An order was placed."},
                {
                    "name": "order.paid",
                    "category": "order",
                    "description": "An order was paid.",
                    "schema": {"type": "object", "fields": {"type": {"type": "string"}}},
                },
            ],
        }
    ],
}


@pytest.fixture
def shop_json() -> str:
    return json.dumps(SHOP_DOCUMENT)


@pytest.fixture(scope="session")
def cc() -> str:
    """A C compiler (the test command needs one for the C suites anyway)."""
    for name in ("cc", "gcc", "clang"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("no C compiler (cc, gcc or clang) to build a stand-in libherald")
