"""Broker plans and topic names, for the fleet example and the live suite.

Everything the Python side needs of ``herald_core::broker`` goes through this
module: today it runs the ``herald broker`` command line (``HERALD_CLI``, or
``herald`` on the PATH) and reads its NDJSON output. When the Python package
grows a ``herald.broker`` module, only the bodies of these three functions
change.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple


def _cli() -> str:
    return os.environ.get("HERALD_CLI", "herald")


@dataclass(frozen=True)
class Plan:
    """One pattern's plan (``herald broker plan --json``)."""

    pattern: str
    exactness: str
    subscriptions: Tuple[str, ...]
    reason: Optional[str] = None

    @property
    def needs_filter(self) -> bool:
        return self.exactness == "superset"


@dataclass(frozen=True)
class SubscriberPlan:
    """One subscriber's merged plan (``herald broker fleet --json``)."""

    subscriber: int
    exactness: str
    subscriptions: Tuple[str, ...]
    dedup: bool
    filter: Tuple[str, ...]
    untranslatable: Tuple[Tuple[str, str], ...] = field(default=())


def _subs_file(pairs: Iterable[Tuple[int, str]]) -> str:
    handle = tempfile.NamedTemporaryFile("w", suffix=".subs", delete=False, encoding="utf-8")
    with handle:
        for subscriber, pattern in pairs:
            handle.write(f"{subscriber} {pattern}\n")
    return handle.name


def _run(args: Sequence[str], allow_refusals: bool = False) -> List[dict]:
    done = subprocess.run([_cli(), "broker", *args], capture_output=True, check=False)
    if done.returncode != 0 and not (allow_refusals and done.returncode == 2 and done.stdout):
        raise RuntimeError(f"herald broker {' '.join(args[:3])}: exit {done.returncode}: {done.stderr.decode()}")
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


def plan(broker: str, patterns: Sequence[str], options: Sequence[str] = ()) -> List[Plan]:
    """The plan of each pattern, in order."""
    path = _subs_file(enumerate(patterns))
    try:
        lines = _run(["plan", "--broker", broker, "--json", *options, "--subs", path])
    finally:
        os.unlink(path)
    plans: List[Optional[Plan]] = [None] * len(patterns)
    for line in lines:
        plans[line["id"]] = Plan(line["pattern"], line["exactness"], tuple(line["subscriptions"]), line.get("reason"))
    assert all(plans), "the CLI skipped a pattern"
    return [p for p in plans if p is not None]


def fleet(broker: str, pairs: Iterable[Tuple[str, int]], options: Sequence[str] = ()) -> Dict[int, SubscriberPlan]:
    """Each subscriber's merged subscriptions and post-filter."""
    path = _subs_file((subscriber, pattern) for pattern, subscriber in pairs)
    try:
        lines = _run(["fleet", "--broker", broker, "--json", *options, "--subs", path])
    finally:
        os.unlink(path)
    return {
        line["subscriber"]: SubscriberPlan(
            line["subscriber"],
            line["exactness"],
            tuple(line["subscriptions"]),
            line["dedup"],
            tuple(line["filter"]),
            tuple((item["pattern"], item["reason"]) for item in line["untranslatable"]),
        )
        for line in lines
    }


def topic_names(broker: str, topics: Sequence[str], chunk: int = 500) -> Dict[str, Optional[str]]:
    """Each topic's name on the broker, or None when the broker cannot carry it."""
    names: Dict[str, Optional[str]] = {}
    for start in range(0, len(topics), chunk):
        for line in _run(["topic", "--broker", broker, "--json", "--", *topics[start : start + chunk]], True):
            names[line["topic"]] = line.get("name")
    return names
