"""Broker plans through the bindings: the same answers as `herald broker
plan|topic|fleet --json` for a corpus of patterns and topics on every broker
and option set, the translation table, refusals and argument checks."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pytest

import herald
from herald import broker

from conftest import HEADER, ROOT

SPECIAL = ["$sys", "é", "x?y", "p+q", "s/t", "[z]"]


def corpus_patterns() -> List[str]:
    """Every shape of up to three segments over a literal, `*` and `#`, with
    and without a `>` tail, plus special literals."""
    found: List[str] = []
    for length in range(1, 4):
        for shape in itertools.product(["a", "*", "#"], repeat=length):
            if shape.count("#") > 2:  # herald's limit
                continue
            for tail in ([], [">"]):
                found.append(".".join([*shape, *tail]))
    found += [f"{special}.#" for special in SPECIAL] + [f"#.{special}" for special in SPECIAL]
    found += ["a.b.c.d.e.f.g.h.i", "#.a.#.b.>", "a.#.b.#", "*.*.*.*.*", "x" * 300]
    return list(dict.fromkeys(found))


def corpus_topics() -> List[str]:
    found = [".".join(t) for length in range(1, 4) for t in itertools.product(["a", "b"], repeat=length)]
    found += SPECIAL + [f"a.{special}" for special in SPECIAL]
    found += ["a.b.c.d.e.f.g.h", "a.b.c.d.e.f.g.h.i", "y" * 300, "é.b"]
    return found


PATTERNS = corpus_patterns()
TOPICS = corpus_topics()

# (broker, keyword options, the same options on the command line)
CONFIGURATIONS = [
    *((name, {}, []) for name in ("nats", "mqtt", "amqp", "redis")),
    ("nats", {"max_expansion": 8, "max_depth": 4}, ["--max-expansion", "8", "--max-depth", "4"]),
    ("mqtt", {"max_expansion": 8, "max_depth": 4}, ["--max-expansion", "8", "--max-depth", "4"]),
    ("mqtt", {"profile": "aws-iot"}, ["--profile", "aws-iot"]),
]

# Topic translation takes the depth and the profile (no expansion).
TOPIC_CONFIGURATIONS = [
    *((name, {}, []) for name in ("nats", "mqtt", "amqp", "redis")),
    ("nats", {"max_depth": 4}, ["--max-depth", "4"]),
    ("mqtt", {"profile": "aws-iot"}, ["--profile", "aws-iot"]),
]


def cli() -> str:
    """The `herald` command of this checkout (tests/python/run.sh builds it)."""
    path = os.environ.get("HERALD_CLI") or str(ROOT / "target" / "debug" / "herald")
    assert Path(path).is_file(), f"no herald CLI at {path}; tests/python/run.sh builds it and sets HERALD_CLI"
    return path


def run_cli(args: Sequence[str], tmp_path: Path, pairs: Sequence[Any] = ()) -> List[Dict[str, Any]]:
    command = [cli(), "broker", args[0], "--json", *args[1:]]
    if pairs:
        subs = tmp_path / "fleet.subs"
        subs.write_text("".join(f"{subscriber} {pattern}\n" for pattern, subscriber in pairs), encoding="utf-8")
        command += ["--subs", str(subs)]
    done = subprocess.run(command, capture_output=True, check=False)
    assert done.returncode in (0, 2), done.stderr
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


@pytest.mark.parametrize(
    "name, options, flags", CONFIGURATIONS, ids=[f"{name}{flags}" for name, _, flags in CONFIGURATIONS]
)
def test_plans_equal_the_cli_json(name: str, options: Dict[str, Any], flags: List[str], tmp_path: Path) -> None:
    expected = run_cli(["plan", "--broker", name, *flags, "--", *PATTERNS], tmp_path)
    planner = broker.Planner(name, **options)
    got = []
    for pattern in PATTERNS:
        plan = planner.plan(pattern)
        line: Dict[str, Any] = {
            "pattern": plan.pattern,
            "broker": plan.broker.value,
            "exactness": plan.exactness.value,
            "subscriptions": list(plan.subscriptions),
        }
        if plan.reason is not None:
            line["reason"] = plan.reason
        got.append(line)
    assert got == expected
    assert len(got) == len(PATTERNS) >= 90


@pytest.mark.parametrize(
    "name, options, flags", TOPIC_CONFIGURATIONS, ids=[f"{name}{flags}" for name, _, flags in TOPIC_CONFIGURATIONS]
)
def test_topic_names_equal_the_cli_json(name: str, options: Dict[str, Any], flags: List[str], tmp_path: Path) -> None:
    expected = run_cli(["topic", "--broker", name, *flags, "--", *TOPICS], tmp_path)
    planner = broker.Planner(name, **options)
    got = []
    for topic in TOPICS:
        try:
            got.append({"topic": topic, "broker": name, "name": planner.topic(topic)})
        except herald.UntranslatableError as refused:
            got.append({"topic": topic, "broker": name, "reason": refused.message})
    assert got == expected
    assert any("reason" in line for line in got) == (name != "redis" and (name != "nats" or bool(options)))


@pytest.mark.parametrize(
    "name, options, flags", CONFIGURATIONS, ids=[f"{name}{flags}" for name, _, flags in CONFIGURATIONS]
)
def test_fleet_plans_equal_the_cli_json(name: str, options: Dict[str, Any], flags: List[str], tmp_path: Path) -> None:
    pairs = [(pattern, index % 7) for index, pattern in enumerate(PATTERNS)]
    expected = run_cli(["fleet", "--broker", name, *flags], tmp_path, pairs)
    plans = broker.fleet(name, pairs, **options)
    got = [
        {
            "subscriber": plan.subscriber,
            "broker": name,
            "exactness": plan.exactness.value,
            "subscriptions": list(plan.subscriptions),
            "dedup": plan.may_duplicate,
            "filter": list(plan.filter),
            "untranslatable": [{"pattern": pattern, "reason": refusal.reason} for pattern, refusal in plan.untranslatable],
        }
        for plan in plans.values()
    ]
    assert got == expected
    assert list(plans) == sorted(plans) == list(range(7))


def test_the_translation_table() -> None:
    table = {
        ("nats", "a.#"): ("split", ("a", "a.>")),
        ("nats", "#.b"): ("superset", (">",)),
        ("mqtt", "a.>"): ("exact", ("a/+/#",)),
        ("mqtt", "a/b"): ("untranslatable", ()),
        ("amqp", "a.>"): ("exact", ("a.*.#",)),
        ("redis", "a.*"): ("superset", ("a.*",)),
        ("redis", "#.a.#"): ("overlapping", ("a", "*.a", "a.*", "*.a.*")),
        ("redis", "#.b"): ("split", ("b", "*.b")),
    }
    for (name, pattern), (exactness, subscriptions) in table.items():
        plan = broker.plan(name, pattern)
        assert (plan.exactness.value, plan.subscriptions) == (exactness, subscriptions), (name, pattern)
        assert plan.needs_filter == (plan.exactness is broker.Exactness.SUPERSET)
    assert broker.plan("redis", "#.a.#").may_duplicate
    refused = broker.plan("mqtt", "$SYS.#")
    assert refused.refusal is not None and refused.refusal.code == "nothing_to_carry"
    assert refused.reason == refused.refusal.reason and "`$`" in refused.reason


def test_options_expand_a_middle_hash_and_bad_ones_are_refused() -> None:
    shallow = broker.Planner("nats", max_expansion=8, max_depth=3)
    assert (shallow.max_expansion, shallow.max_depth, shallow.profile) == (8, 3, None)
    assert shallow.plan("#.b").subscriptions == ("b", "*.b", "*.*.b")
    aws = broker.Planner(broker.Broker.MQTT, profile=broker.Profile.AWS_IOT)
    assert (aws.profile, aws.max_depth, aws.max_expansion) == (broker.Profile.AWS_IOT, 8, 8)
    assert len(aws.plan("#.failed").subscriptions) == 8
    for options, code in (
        ({"profile": "aws-iot"}, "profile_broker"),
        ({"max_expansion": broker.MAX_EXPANSION + 1}, "expansion_too_large"),
        ({"max_depth": 0}, "zero_depth"),
    ):
        with pytest.raises(herald.PlanOptionsError) as raised:
            broker.Planner("nats", **options)
        assert raised.value.code == code and raised.value.status == herald.Status.INVALID_PLAN_OPTIONS
        assert isinstance(raised.value, herald.BrokerError)
    with pytest.raises(herald.PlanOptionsError) as raised:
        broker.Planner("mqtt", profile="aws-iot", max_depth=9)
    assert raised.value.code == "depth_over_profile"
    with pytest.raises(ValueError, match="unknown broker 'kafka'"):
        broker.Planner("kafka")
    with pytest.raises(ValueError, match="unknown broker profile"):
        broker.Planner("mqtt", profile="azure")
    with pytest.raises(ValueError):
        broker.Planner("nats", max_depth=-1)


def test_topics_translate_or_raise_with_a_code() -> None:
    assert broker.topic("mqtt", "payment.card.success") == "payment/card/success"
    assert broker.topic("nats", "payment.card.success") == "payment.card.success"
    with pytest.raises(herald.UntranslatableError) as raised:
        broker.topic("mqtt", "$SYS.load")
    assert raised.value.code == "reserved_prefix" and raised.value.status == herald.Status.UNTRANSLATABLE
    with pytest.raises(herald.UntranslatableError) as raised:
        broker.topic("amqp", "a" * 300)
    assert raised.value.code == "too_long"
    with pytest.raises(herald.UntranslatableError) as raised:
        broker.topic("mqtt", "a.b.c.d.e.f.g.h.i", profile="aws-iot")
    assert raised.value.code == "too_deep"
    with pytest.raises(herald.TopicError) as bad:
        broker.topic("nats", "a..b")
    assert bad.value.code == "empty_segment"
    with pytest.raises(herald.TopicError):
        broker.topic("nats", b"a.\xff")


def test_bad_patterns_raise_pattern_errors() -> None:
    planner = broker.Planner("nats")
    with pytest.raises(herald.PatternError) as raised:
        planner.plan("pay*")
    assert raised.value.code == "wildcard_inside_segment"
    with pytest.raises(herald.PatternError):
        planner.plan(b"a.\xff")
    with pytest.raises(herald.PatternError):
        planner.fleet([("a.#.#.#.b.#", 1)])
    with pytest.raises(ValueError):
        planner.fleet([("a", -1)])
    assert planner.fleet([]) == {}


def test_enums_match_the_header() -> None:
    text = HEADER.read_text(encoding="utf-8")
    brokers = {name: int(value) for name, value in re.findall(r"HERALD_BROKER_(NATS|MQTT|AMQP|REDIS) = (\d+)", text)}
    assert brokers == {item.name: item.code for item in broker.Broker}
    profiles = {name: int(value) for name, value in re.findall(r"HERALD_BROKER_PROFILE_(\w+) = (\d+)", text)}
    assert profiles == {"NONE": 0, **{item.name: item.code for item in broker.Profile}}
    levels = {name: int(value) for name, value in re.findall(r"HERALD_EXACTNESS_(\w+) = (\d+)", text)}
    assert levels == {item.name: index for index, item in enumerate(broker.Exactness)}
    assert f"#define HERALD_BROKER_MAX_EXPANSION {broker.MAX_EXPANSION}" in text
