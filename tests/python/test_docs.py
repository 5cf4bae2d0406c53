"""The documentation runs: the Python examples of the READMEs and of
docs/wire.md print what their comments say (docs/signatures.md and
docs/scale-out.md are run by test_signature.py; a test below keeps every
docs page with Python examples run by one of them), and the docstring
examples of every module pass."""

from __future__ import annotations

import contextlib
import doctest
import io
import re

import pytest

import herald
from herald import catalogue, endpoints, routing, validation, wire

from conftest import ROOT

README = ROOT / "bindings" / "python" / "README.md"
READMES = [README, ROOT / "README.md"]
# The docs pages whose Python examples this file runs, and those test_signature.py runs.
PAGES = [ROOT / "docs" / "wire.md"]
PAGES_ELSEWHERE = {"signatures.md", "scale-out.md"}


def _python_blocks(readme=README) -> list:
    return re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_an_example_of_at_most_a_dozen_lines() -> None:
    for readme in READMES:
        blocks = _python_blocks(readme)
        assert blocks, readme
        assert len([line for line in blocks[0].splitlines() if line.strip()]) <= 12, readme


def test_every_docs_page_with_python_examples_is_run() -> None:
    for page in sorted((ROOT / "docs").glob("*.md")):
        if _python_blocks(page):
            assert page in PAGES or page.name in PAGES_ELSEWHERE, f"{page.name}'s Python examples are not run"


@pytest.mark.parametrize(
    "block", [block for page in READMES + PAGES for block in _python_blocks(page)], ids=lambda block: block[:40]
)
def test_readme_example_prints_what_its_comments_say(block: str) -> None:
    expected = [
        line.split("  # ", 1)[1].strip() for line in block.splitlines() if line.lstrip().startswith("print(")
    ]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(block, "README", "exec"), {})
    assert output.getvalue().splitlines() == expected


@pytest.mark.parametrize("module", [herald, routing, catalogue, validation, endpoints, wire], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    failures, _ = doctest.testmod(module, raise_on_error=False, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0
