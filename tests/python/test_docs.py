"""The documentation runs: the README's Python examples print what their
comments say, and the docstring examples of every module pass."""

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


def _python_blocks(readme=README) -> list:
    return re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_an_example_of_at_most_a_dozen_lines() -> None:
    for readme in READMES:
        blocks = _python_blocks(readme)
        assert blocks, readme
        assert len([line for line in blocks[0].splitlines() if line.strip()]) <= 12, readme


@pytest.mark.parametrize(
    "block", [block for readme in READMES for block in _python_blocks(readme)], ids=lambda block: block[:40]
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
