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
    """A C compiler; the test is skipped, saying why, if there is none."""
    for name in ("cc", "gcc", "clang"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no C compiler (cc, gcc or clang) to build a stand-in libherald")
