"""Python benchmark of herald: what a Python service pays per call, side by
side with what a Python user would otherwise pick, in one run.

- validation: ``Catalogue.validate``, a prepared ``Validator`` (``validate``
  and ``is_valid``) and, when given, the package as it was before
  (``--before``), against ``fastjsonschema`` and ``jsonschema`` on
  ``json.loads`` (with the JSON Schema herald exports for the event) and
  ``json.loads`` alone, for a valid and an invalid payload of each source;
- routing: ``Router.match``, ``RouterSnapshot.match`` (with a ``str`` and a
  prepared ``Topic``) against a pure-Python router (a dict of literal
  patterns plus a scan of compiled wildcard patterns) at 4, 1k and 100k
  subscriptions, each answer checked against the baseline's;
- threads: 1, 2 and 4 threads validating at once, call by call and in
  batches (``Validator.validate_many``), throughput per count, next to the
  same work in 1, 2 and 4 processes (what the machine gives), a check
  that the GIL is released while the C code runs, and, for batches, the
  share of one thread's CPU time that holds the GIL, with the bound on
  threads it implies (which, unlike the thread counts, a busy machine
  hardly moves).

Every figure is the median of ``--repeats`` runs of a loop over distinct
inputs streamed in order. Run it with ``benches/python/run.sh`` (which makes
its own venv); ``--quick`` gives a seconds-long smoke run with the same
answer checks.
"""

from __future__ import annotations

import argparse
import array
import ctypes
import importlib
import importlib.metadata
import json
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

import fastjsonschema
import jsonschema

import herald

ROOT = Path(__file__).resolve().parents[2]

# The payload the issue measured: AccelByte walletBalanceChanged, valid, with
# the vendor docs' own "credit" action (a warning: not a documented value).
WALLET_CREDIT = (
    b'{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"ns",'
    b'"userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}'
)

CASES = [
    ("AccelByte walletBalanceChanged", "accelbyte-wallet", "walletBalanceChanged"),
    ("InPlayer access.granted", "inplayer-notifications", "access.granted"),
    ("Orangepill notification", "orangepill-stream", "user.created"),
]


class Options:
    repeats: int
    loops: int
    quick: bool
    before: Optional[str]
    clock: str


# Timing ---------------------------------------------------------------------


#: The clock of the single-thread figures: wall time, or (``--clock cpu``)
#: the CPU time of the timing thread, which time slices lost to other
#: processes on a loaded machine do not inflate.
CLOCK: Callable[[], float] = time.perf_counter


def per_call(work: Callable[[], None], calls: int, repeats: int) -> float:
    """Median seconds per call of ``work`` (which makes ``calls`` calls)."""
    work()  # warm up: caches, first-call setup
    samples = []
    for _ in range(repeats):
        start = CLOCK()
        work()
        samples.append((CLOCK() - start) / calls)
    return statistics.median(samples)


def micro(seconds: float) -> str:
    return f"{seconds * 1e6:.2f}"


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:.1f}×"


# Validation -------------------------------------------------------------------


def example(catalogue: herald.Catalogue, source: str, name: str) -> bytes:
    document = json.loads(catalogue.to_json())
    for entry in document["sources"]:
        if entry["id"] == source:
            for event in entry["events"]:
                if event["name"] == name:
                    return json.dumps(event["examples"][0], separators=(",", ":")).encode()
    raise LookupError((source, name))


def broken(payload: bytes) -> bytes:
    """The payload with its top-level ``type`` (a constant string in every
    schema here) turned into a number: invalid for every contender."""
    document = json.loads(payload)
    document["type"] = 7
    return json.dumps(document, separators=(",", ":")).encode()


Figures = Dict[str, float]


def validation_table(options: Options, before: Any, figures: Figures) -> List[str]:
    catalogue = herald.Catalogue.builtin()
    # The package before issue 18 had no prepared validators.
    prepared_before = before is not None and hasattr(before.Catalogue, "validator")
    rows = []
    payloads: List[Tuple[str, str, str, bytes, bool]] = [
        ("AccelByte walletBalanceChanged, the issue's payload (1 warning)", "accelbyte-wallet",
         "walletBalanceChanged", WALLET_CREDIT, True),
    ]
    for label, source, name in CASES:
        valid = example(catalogue, source, name)
        payloads.append((f"{label}, valid", source, name, valid, True))
        payloads.append((f"{label}, invalid", source, name, broken(valid), False))
    header = (
        "| payload | bytes | herald `Catalogue.validate` | herald `Validator.validate` | herald `Validator.is_valid` "
        "| herald `Validator.validate_many` (per payload, batches of 100) "
        + ("| before: `Catalogue.validate` " if before else "")
        + ("| before: `Validator.validate` " if prepared_before else "")
        + "| fastjsonschema + json.loads | jsonschema + json.loads | json.loads alone "
        "| fastjsonschema ÷ `Catalogue.validate` | fastjsonschema ÷ `Validator.validate` |"
    )
    rows.append(header)
    rows.append("|" + "---|" * (header.count("|") - 1))
    old_catalogue = before.Catalogue.builtin() if before else None
    for label, source, name, payload, valid in payloads:
        schema = catalogue.json_schema(source, name)
        fast = fastjsonschema.compile(schema)
        slow = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        validator = catalogue.validator(source, name)
        # Distinct inputs streamed in order: equal bytes in distinct objects.
        stream = [bytes(bytearray(payload)) for _ in range(options.loops)]

        # Every contender gives the expected verdict before it is timed.
        assert catalogue.validate(source, name, payload).ok is valid, label
        assert validator.validate(payload).ok is valid and validator.is_valid(payload) is valid, label
        assert (not list(slow.iter_errors(json.loads(payload)))) is valid, label
        try:
            fast(json.loads(payload))
            fast_valid = True
        except fastjsonschema.JsonSchemaException:
            fast_valid = False
        assert fast_valid is valid, label

        def herald_catalogue() -> None:
            for data in stream:
                catalogue.validate(source, name, data).ok

        def herald_validator() -> None:
            for data in stream:
                validator.validate(data).ok

        def herald_is_valid() -> None:
            for data in stream:
                validator.is_valid(data)

        batches = [stream[start : start + 100] for start in range(0, len(stream), 100)]
        assert [report.ok for report in validator.validate_many(batches[0])] == [valid] * len(batches[0]), label

        def herald_many() -> None:
            for batch in batches:
                for report in validator.validate_many(batch):
                    report.ok

        def herald_before() -> None:
            for data in stream:
                old_catalogue.validate(source, name, data).ok

        old_validator = old_catalogue.validator(source, name) if prepared_before else None

        def herald_validator_before() -> None:
            for data in stream:
                old_validator.validate(data).ok

        def fastjsonschema_loads() -> None:
            for data in stream:
                try:
                    fast(json.loads(data))
                except fastjsonschema.JsonSchemaException:
                    pass

        def jsonschema_loads() -> None:
            for data in stream:
                list(slow.iter_errors(json.loads(data)))

        def loads_alone() -> None:
            for data in stream:
                json.loads(data)

        calls = len(stream)
        timed = {
            "catalogue": per_call(herald_catalogue, calls, options.repeats),
            "validator": per_call(herald_validator, calls, options.repeats),
            "is_valid": per_call(herald_is_valid, calls, options.repeats),
            "many": per_call(herald_many, calls, options.repeats),
            "fast": per_call(fastjsonschema_loads, calls, options.repeats),
            "loads": per_call(loads_alone, calls, options.repeats),
        }
        # jsonschema is ~30× slower: fewer calls, same stream.
        few = stream[: max(1, calls // 10)]

        def jsonschema_few() -> None:
            for data in few:
                list(slow.iter_errors(json.loads(data)))

        timed["jsonschema"] = per_call(jsonschema_few, len(few), options.repeats)
        if before:
            assert old_catalogue.validate(source, name, payload).ok is valid
            timed["before"] = per_call(herald_before, calls, options.repeats)
        if prepared_before:
            assert old_validator.validate(payload).ok is valid
            timed["before_validator"] = per_call(herald_validator_before, calls, options.repeats)
        for key, value in timed.items():
            figures[f"{label}/{key}"] = value
        rows.append(
            f"| {label} | {len(payload)} | {micro(timed['catalogue'])} | {micro(timed['validator'])} "
            f"| {micro(timed['is_valid'])} | {micro(timed['many'])} "
            + (f"| {micro(timed['before'])} " if before else "")
            + (f"| {micro(timed['before_validator'])} " if prepared_before else "")
            + f"| {micro(timed['fast'])} | {micro(timed['jsonschema'])} | {micro(timed['loads'])} "
            f"| {ratio(timed['fast'], timed['catalogue'])} | {ratio(timed['fast'], timed['validator'])} |"
        )
    return rows


def large_wallet_payload(catalogue: herald.Catalogue) -> bytes:
    """A large valid payload: the AccelByte example with a 64 KiB reason."""
    document = json.loads(example(catalogue, "accelbyte-wallet", "walletBalanceChanged"))
    document["payload"]["data"]["reason"] = "r" * (64 << 10)
    return json.dumps(document, separators=(",", ":")).encode()


def input_types_table(options: Options) -> List[str]:
    """What the payload's Python type costs: ``bytes`` reach the library
    without a copy, the others are copied (or encoded) once per call."""
    catalogue = herald.Catalogue.builtin()
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    small = example(catalogue, "accelbyte-wallet", "walletBalanceChanged")
    large = large_wallet_payload(catalogue)
    rows = [
        "| payload | `bytes` | `str` | `bytearray` | `memoryview` |",
        "|---|---|---|---|---|",
    ]
    for label, payload in ((f"{len(small)} B", small), (f"{len(large) >> 10} KiB", large)):
        kinds = [payload, payload.decode(), bytearray(payload), memoryview(payload)]
        cells = []
        for value in kinds:
            assert validator.validate(value).ok
            calls = options.loops if len(payload) < 4096 else max(10, options.loops // 50)

            def work(value: Any = value, calls: int = calls) -> None:
                for _ in range(calls):
                    validator.validate(value)

            cells.append(micro(per_call(work, calls, options.repeats)))
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return rows


# Routing ----------------------------------------------------------------------


class PurePythonRouter:
    """The router a Python user would write: literal patterns in a dict,
    wildcard patterns compiled to regular expressions (``*`` one segment,
    ``#`` zero or more, ``>`` one or more at the end) and scanned."""

    def __init__(self) -> None:
        self.literals: Dict[str, Set[int]] = {}
        self.wildcards: Dict[str, Tuple[Any, Set[int]]] = {}

    def subscribe(self, pattern: str, subscriber: int) -> None:
        segments = pattern.split(".")
        if not any(segment in ("*", "#", ">") for segment in segments):
            self.literals.setdefault(pattern, set()).add(subscriber)
            return
        entry = self.wildcards.get(pattern)
        if entry is None:
            pieces = []
            for segment in segments:
                if segment == "*":
                    pieces.append(r"\.[^.]+")
                elif segment == "#":
                    pieces.append(r"(?:\.[^.]+)*")
                elif segment == ">":
                    pieces.append(r"(?:\.[^.]+)+")
                else:
                    pieces.append(r"\." + re.escape(segment))
            entry = self.wildcards[pattern] = (re.compile("".join(pieces)), set())
        entry[1].add(subscriber)

    def match(self, topic: str) -> List[int]:
        found = set(self.literals.get(topic, ()))
        dotted = "." + topic
        for expression, subscribers in self.wildcards.values():
            if expression.fullmatch(dotted):
                found |= subscribers
        return sorted(found)


def subscriptions(count: int) -> List[Tuple[str, int]]:
    """``count`` subscriptions shaped like a service's: exact event names
    for the most part, then patterns with ``*``, ``#`` and ``>`` (one in
    ten); small sets use the issue's four."""
    if count == 4:
        return [("payment.#", 1), ("*.card.success", 2), ("a.b.c", 3), ("x.>", 4)]
    found = []
    for index in range(count):
        service, event = f"svc{index % 97}", f"evt{index // 97}"
        kind = index % 10
        if kind == 7:
            pattern = f"{service}.*.created"
        elif kind == 8:
            pattern = f"{service}.{event}.#"
        elif kind == 9:
            pattern = f"{service}.{event}.>"
        else:
            pattern = f"{service}.{event}.created"
        found.append((pattern, index))
    return found


def topics(count: int, stream: int) -> List[str]:
    if count == 4:
        base = ["a.b.c", "payment.card.success", "x.y", "user.created"]
    else:
        base = [f"svc{index % 97}.evt{index // 97}.{'created' if index % 3 else 'deleted.late'}" for index in range(count)]
        base += [f"nobody.{index}.created" for index in range(max(1, count // 10))]
    return [base[(index * 7919) % len(base)] for index in range(stream)]


def routing_table(options: Options, before: Any, figures: Figures) -> List[str]:
    rows = [
        "| subscriptions | herald `Router.match` | herald `RouterSnapshot.match` | herald `RouterSnapshot.match(Topic)` "
        + ("| before: `Router.match` | before: `RouterSnapshot.match` " if before else "")
        + "| pure Python | pure Python ÷ `RouterSnapshot.match` |",
    ]
    rows.append("|" + "---|" * (rows[0].count("|") - 1))
    sizes = [4, 1000] if options.quick else [4, 1000, 100_000]
    for count in sizes:
        router = herald.Router()
        baseline = PurePythonRouter()
        old_router = before.Router() if before else None
        for pattern, subscriber in subscriptions(count):
            router.subscribe(pattern, subscriber)
            baseline.subscribe(pattern, subscriber)
            if old_router is not None:
                old_router.subscribe(pattern, subscriber)
        snapshot = router.snapshot()
        old_snapshot = old_router.snapshot() if old_router is not None else None
        stream = topics(count, options.loops)
        prepared = [herald.Topic(topic) for topic in stream]
        for topic in stream[:200]:
            expected = baseline.match(topic)
            assert router.match(topic) == expected == snapshot.match(topic), topic
            if old_router is not None:
                assert old_router.match(topic) == expected
        # The router publishes a snapshot once reads dominate; time it there.
        for topic in stream * 3:
            router.match(topic)

        def router_match() -> None:
            for topic in stream:
                router.match(topic)

        def snapshot_match() -> None:
            for topic in stream:
                snapshot.match(topic)

        def snapshot_topic() -> None:
            for topic in prepared:
                snapshot.match(topic)

        def old_router_match() -> None:
            for topic in stream:
                old_router.match(topic)

        def old_snapshot_match() -> None:
            for topic in stream:
                old_snapshot.match(topic)

        few = stream[: max(10, len(stream) // (1000 if count >= 100_000 else 10))]

        def pure_python() -> None:
            for topic in few:
                baseline.match(topic)

        calls = len(stream)
        timed = {
            "router": per_call(router_match, calls, options.repeats),
            "snapshot": per_call(snapshot_match, calls, options.repeats),
            "topic": per_call(snapshot_topic, calls, options.repeats),
            "pure": per_call(pure_python, len(few), options.repeats),
        }
        if before:
            timed["before_router"] = per_call(old_router_match, calls, options.repeats)
            timed["before_snapshot"] = per_call(old_snapshot_match, calls, options.repeats)
        for key, value in timed.items():
            figures[f"routing {count}/{key}"] = value
        rows.append(
            f"| {count:,} | {micro(timed['router'])} | {micro(timed['snapshot'])} | {micro(timed['topic'])} "
            + (f"| {micro(timed['before_router'])} | {micro(timed['before_snapshot'])} " if before else "")
            + f"| {micro(timed['pure'])} | {ratio(timed['pure'], timed['snapshot'])} |"
        )
    return rows


# Threads ----------------------------------------------------------------------
#
# What a user pays when N threads validate at once: N threads that call the
# same work over and over, counted over a window in which all of them run.
# Each thread starts and warms up before the window opens, and stops at the
# end of the call in progress when it closes, so thread start-up, staggered
# wake-ups and a lone last thread are not in the figure (with a fixed number
# of calls per thread, they were: a tenth of a short run). The thread counts
# of one row are measured in rounds, interleaved (1, 2, 4, then 2, 4, 1,
# ...), and each ratio is the median of the ratios within a round, so a
# change of machine load between two measurements does not become a ratio. The same rounds time a control:
# the 64 KiB validation in N processes, which share no GIL, so it shows how
# many cores the machine actually gave this run; and on Linux, the threads'
# own scheduler counters say where the rest of their time went (waiting for
# the GIL, or ready to run with no core free).

#: The thread counts of the threads table.
THREAD_COUNTS = (1, 2, 4)


def schedule_counters() -> Optional[Tuple[int, int]]:
    """Nanoseconds this thread has run on a CPU and has waited, ready, for
    one (Linux's ``/proc/thread-self/schedstat``); None elsewhere."""
    try:
        with open("/proc/thread-self/schedstat") as file:
            running, waiting, _ = file.read().split()
        return int(running), int(waiting)
    except (OSError, ValueError):
        return None


class Lap:
    """One worker's part of a window: calls made, when it started and
    stopped counting (``time.perf_counter``, one clock for all the processes
    of a machine) and its scheduler counters at both ends."""

    def __init__(self, calls: int, start: float, end: float, before: Any, after: Any) -> None:
        self.calls, self.start, self.end, self.before, self.after = calls, start, end, before, after


def lap(work: Callable[[int], None], chunk: int, stopped: Callable[[], bool]) -> Lap:
    """Calls ``work(chunk)`` until ``stopped()``: one worker of a window."""
    start, before = time.perf_counter(), schedule_counters()
    calls = 0
    while not stopped():
        work(chunk)
        calls += chunk
    end, after = time.perf_counter(), schedule_counters()
    return Lap(calls, start, end, before, after)


class Sample:
    """One window: calls per second of all workers together, and the share
    of the workers' time spent asleep (for threads: waiting for the GIL) and
    ready to run with no core free (other processes had them); None when
    the platform has no scheduler counters."""

    def __init__(self, laps: List[Lap]) -> None:
        # From the first worker's start to the last one's end.
        self.rate = sum(lap.calls for lap in laps) / (max(lap.end for lap in laps) - min(lap.start for lap in laps))
        self.asleep: Optional[float] = None
        self.no_core: Optional[float] = None
        if all(lap.before is not None and lap.after is not None for lap in laps):
            total = sum(lap.end - lap.start for lap in laps) * 1e9
            running = sum(lap.after[0] - lap.before[0] for lap in laps)
            waiting = sum(lap.after[1] - lap.before[1] for lap in laps)
            self.no_core = waiting / total
            self.asleep = max(0.0, total - running - waiting) / total


def threads_window(work: Callable[[int], None], threads: int, chunk: int, seconds: float) -> Sample:
    """``threads`` threads calling ``work(chunk)`` at once for ``seconds``."""
    ready = threading.Barrier(threads + 1)
    stop = [False]
    laps: List[Lap] = []

    def run() -> None:
        work(chunk)  # warm up: caches, first-call setup, the scratch objects
        ready.wait()
        laps.append(lap(work, chunk, lambda: stop[0]))

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    ready.wait()
    time.sleep(seconds)
    stop[0] = True
    for thread in pool:
        thread.join()
    return Sample(laps)


def processes_window(work: Callable[[int], None], processes: int, chunk: int, seconds: float) -> Optional[Sample]:
    """The same with ``processes`` forked processes, which share no GIL;
    None where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(processes + 1)
    stop = context.Event()
    laps = context.SimpleQueue()

    def run() -> None:
        work(chunk)
        ready.wait()
        done = lap(work, chunk, stop.is_set)
        laps.put((done.calls, done.start, done.end, done.before, done.after))

    pool = [context.Process(target=run) for _ in range(processes)]
    for process in pool:
        process.start()
    ready.wait()
    time.sleep(seconds)
    stop.set()
    found = [Lap(*laps.get()) for _ in pool]
    for process in pool:
        process.join()
    return Sample(found)


def share(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value * 100:.0f} %"


def threads_table(options: Options, before: Any, figures: Figures) -> List[str]:
    catalogue = herald.Catalogue.builtin()
    rows = [
        "| work | 1 thread (payloads/s) | 2 threads (payloads/s) | 4 threads (payloads/s) | 2 threads ÷ 1 "
        "| 4 threads ÷ 1 | 2 threads: time asleep (the GIL) | 2 threads: time ready, no core free |",
        "|---|---|---|---|---|---|---|---|",
    ]
    big = example(catalogue, "inplayer-notifications", "access.granted")
    wallet = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    granted = catalogue.validator("inplayer-notifications", "access.granted")
    huge = large_wallet_payload(catalogue)

    def wallet_validator(calls: int) -> None:
        for _ in range(calls):
            wallet.validate(WALLET_CREDIT)

    def wallet_catalogue(calls: int) -> None:
        for _ in range(calls):
            catalogue.validate("accelbyte-wallet", "walletBalanceChanged", WALLET_CREDIT)

    def granted_validator(calls: int) -> None:
        for _ in range(calls):
            granted.validate(big)

    def huge_validator(calls: int) -> None:
        for _ in range(calls):
            wallet.validate(huge)

    def batch(payload: bytes, size: int = 100) -> List[bytes]:
        # Distinct inputs, as a user's batch is: equal bytes in distinct objects.
        return [bytes(bytearray(payload)) for _ in range(size)]

    clean = example(catalogue, "accelbyte-wallet", "walletBalanceChanged")
    # Every row's answer, checked before it is timed.
    assert all(report.ok for report in (wallet.validate(WALLET_CREDIT), granted.validate(big), wallet.validate(huge)))
    assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", WALLET_CREDIT).ok
    assert all(report.ok and report.warnings for report in wallet.validate_many(batch(WALLET_CREDIT)))
    clean_reports = wallet.validate_many(batch(clean)) + granted.validate_many(batch(big))
    assert all(report.ok and not report.warnings for report in clean_reports)

    def many(validator: herald.Validator, payload: bytes, size: int) -> Callable[[int], None]:
        """Batches of ``size`` payloads, every report read."""
        payloads = batch(payload, size)

        def work(calls: int) -> None:
            for _ in range(calls // size):
                for report in validator.validate_many(payloads):
                    report.ok

        return work

    # (label, work, calls per chunk: about 0.1 ms of work between two looks
    # at the stop flag, whole batches for validate_many; threads or processes)
    works: List[Tuple[str, Callable[[int], None], int, bool]] = []
    if before is not None and hasattr(before.Catalogue, "validator"):
        old_wallet = before.Catalogue.builtin().validator("accelbyte-wallet", "walletBalanceChanged")

        def wallet_validator_before(calls: int) -> None:
            for _ in range(calls):
                old_wallet.validate(WALLET_CREDIT)

        label = f"before: `Validator.validate`, AccelByte {len(WALLET_CREDIT)} B"
        works.append((label, wallet_validator_before, 50, False))
    works += [
        (f"`Validator.validate`, AccelByte {len(WALLET_CREDIT)} B", wallet_validator, 50, False),
        (f"`Catalogue.validate`, AccelByte {len(WALLET_CREDIT)} B", wallet_catalogue, 50, False),
        (f"`Validator.validate_many`, AccelByte {len(WALLET_CREDIT)} B (1 warning), batches of 100",
         many(wallet, WALLET_CREDIT, 100), 100, False),
        (f"`Validator.validate_many`, AccelByte {len(clean)} B (no issue), batches of 100", many(wallet, clean, 100),
         100, False),
        # Batches whose C call is long next to handing the GIL from thread to
        # thread (a futex wake-up and a context switch, more on a VM): the
        # Python work per payload is the same, the hand-overs ten times rarer.
        (f"`Validator.validate_many`, AccelByte {len(WALLET_CREDIT)} B (1 warning), batches of 1,000",
         many(wallet, WALLET_CREDIT, 1000), 1000, False),
        (f"`Validator.validate_many`, AccelByte {len(clean)} B (no issue), batches of 1,000", many(wallet, clean, 1000),
         1000, False),
        (f"`Validator.validate`, InPlayer {len(big)} B", granted_validator, 50, False),
        (f"`Validator.validate_many`, InPlayer {len(big)} B, batches of 100", many(granted, big, 100), 100, False),
        (f"`Validator.validate`, AccelByte {len(huge) >> 10} KiB", huge_validator, 5, False),
        (f"control: `Validator.validate`, AccelByte {len(huge) >> 10} KiB, in 1, 2 and 4 processes (no shared GIL)",
         huge_validator, 5, True),
    ]
    seconds = 0.05 if options.quick else 0.2
    samples: Dict[Tuple[str, int], List[Optional[Sample]]] = {}
    for round_ in range(options.repeats):
        for label, work, chunk, in_processes in works:
            shift = round_ % len(THREAD_COUNTS)
            for count in THREAD_COUNTS[shift:] + THREAD_COUNTS[:shift]:
                window = processes_window if in_processes else threads_window
                samples.setdefault((label, count), []).append(window(work, count, chunk, seconds))
    for label, _, _, in_processes in works:
        by_count = {count: samples[(label, count)] for count in THREAD_COUNTS}
        if any(sample is None for sample in by_count[1]):
            rows.append(f"| {label} | not run: this platform cannot fork | | | | | | |")
            continue
        rates = {count: statistics.median(sample.rate for sample in found) for count, found in by_count.items()}
        paired = {
            count: statistics.median(
                many.rate / one.rate for one, many in zip(by_count[1], by_count[count])
            )
            for count in THREAD_COUNTS[1:]
        }
        two = by_count[2]
        asleep = None if any(s.asleep is None for s in two) else statistics.median(s.asleep for s in two)
        no_core = None if any(s.no_core is None for s in two) else statistics.median(s.no_core for s in two)
        figures[f"{'control' if in_processes else 'threads'} {label}"] = paired[2]
        rows.append(
            f"| {label} | {rates[1]:,.0f} | {rates[2]:,.0f} | {rates[4]:,.0f} "
            f"| {paired[2]:.2f}× | {paired[4]:.2f}× | {'—' if in_processes else share(asleep)} | {share(no_core)} |"
        )
    return rows


# The part of a batch that holds the GIL, by time: one thread, timed by its
# own CPU time (`time.thread_time`), so that time slices lost to other
# processes do not count, and the fastest of the runs, so that a run slowed
# by a neighbour's cache traffic does not either. The C call alone is the
# same call `validate_many` makes, on the same joined payloads and lengths;
# the rest of a batch (joining, lengths, reports made, read and freed) holds
# the GIL. Its share s bounds N threads on N cores at min(N, 1 / s): the
# GIL-held parts of all threads run one at a time, so N items take at least
# N × s of GIL time, while one thread's GIL-held part overlaps the other
# threads' C calls (Amdahl's law, 1 / (s + (1 - s) / N), is the bound for
# one task split over threads, where nothing overlaps the serial part).
# `instructions.sh` gives the same bound by instructions; unlike the threads table it needs
# no idle core, so it can be compared from run to run on a busy machine.
# (The C call alone includes its ctypes overhead, a microsecond or so a
# batch, which holds the GIL in part: the bound is a little high for
# batches of 100.)


def batch_share_table(options: Options) -> List[str]:
    from herald import _native, validation  # the package's own C call, to time it alone

    catalogue = herald.Catalogue.builtin()
    wallet = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    granted = catalogue.validator("inplayer-notifications", "access.granted")
    clean = example(catalogue, "accelbyte-wallet", "walletBalanceChanged")
    big = example(catalogue, "inplayer-notifications", "access.granted")
    rows = [
        "| work | per payload, one thread (ns) | of which the C call, GIL released (ns) | GIL held "
        "| 2 threads ÷ 1 at most (min(2, 1 / GIL share)) |",
        "|---|---|---|---|---|",
    ]
    cases = [
        (f"AccelByte {len(WALLET_CREDIT)} B (1 warning), batches of 100", wallet, WALLET_CREDIT, 100),
        (f"AccelByte {len(clean)} B (no issue), batches of 100", wallet, clean, 100),
        (f"AccelByte {len(WALLET_CREDIT)} B (1 warning), batches of 1,000", wallet, WALLET_CREDIT, 1000),
        (f"AccelByte {len(clean)} B (no issue), batches of 1,000", wallet, clean, 1000),
        (f"InPlayer {len(big)} B, batches of 100", granted, big, 100),
    ]
    payloads_per_run = 5000 if options.quick else 50000
    for label, validator, payload, size in cases:
        payloads = [bytes(bytearray(payload)) for _ in range(size)]
        joined = b"".join(payloads)
        lengths = array.array(validation._SIZE_CODE, map(len, payloads)).tobytes()
        counts = array.array(validation._SIZE_CODE, bytes(2 * size * validation._SIZE_BYTES))
        address = counts.buffer_info()[0]
        errors = ctypes.c_void_p(address)
        warnings = ctypes.c_void_p(address + size * validation._SIZE_BYTES)
        scratch = _native.take_scratch()
        scratch.size.value, scratch.count.value = len(joined), size

        def c_call(handle: Any = validator._handle) -> None:
            status = validation._VALIDATE_MANY(
                handle, joined, scratch.size, lengths, scratch.count, errors, warnings, scratch.error
            )
            assert status == 0 and counts  # (`counts` stays alive while C writes into it)

        def batch() -> None:
            for report in validator.validate_many(payloads):
                report.ok

        def fastest(work: Callable[[], None]) -> float:
            work()
            samples = []
            for _ in range(options.repeats):
                start = time.thread_time()
                for _ in range(max(1, payloads_per_run // size)):
                    work()
                samples.append((time.thread_time() - start) / (max(1, payloads_per_run // size) * size))
            return min(samples)

        whole = fastest(batch)
        alone = fastest(c_call)
        held = max(0.0, 1 - alone / whole)
        rows.append(
            f"| `Validator.validate_many`, {label} | {whole * 1e9:.0f} | {alone * 1e9:.0f} | {held * 100:.0f} % "
            f"| {min(2.0, 1 / held) if held > 0 else 2.0:.2f}× |"
        )
    return rows


def gil_is_released() -> str:
    """Runs one long validation (a 4 MiB array) while another thread counts:
    if the C call held the GIL, the counter could not move during it."""
    catalogue = herald.Catalogue.builtin()
    size = 4 << 20
    payload = b"[" + b"1," * (size // 2 - 1) + b"1]"
    validator = catalogue.named_validator("orangepill-subscribe", herald.Limits(max_payload_bytes=size + 16))
    counter = [0]
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            counter[0] += 1

    counting = threading.Thread(target=count)
    counting.start()
    time.sleep(0.05)
    before = counter[0]
    start = time.perf_counter()
    report = validator.validate(payload)
    elapsed = time.perf_counter() - start
    during = counter[0] - before
    stop.set()
    counting.join()
    assert not report.ok
    verdict = "yes" if during > 1000 else "NO"
    return (
        f"GIL released during C calls: {verdict} (another thread counted to {during:,} during one "
        f"{elapsed * 1e3:.0f} ms validation of a 4 MiB payload)"
    )


def targets(figures: Figures) -> List[str]:
    """The issue's targets, met or not, from this run's figures."""
    issue = "AccelByte walletBalanceChanged, the issue's payload (1 warning)"
    clean = "AccelByte walletBalanceChanged, valid"
    lines = []

    def target(what: str, value: float, limit: float, unit: str, at_most: bool = True) -> None:
        met = value <= limit if at_most else value >= limit
        sign = "≤" if at_most else "≥"
        lines.append(f"- {what}: {value:.2f}{unit} (target {sign} {limit}{unit}): {'met' if met else 'MISSED'}")

    for label in (issue, clean):
        target(f"`Catalogue.validate`, {label}", figures[f"{label}/catalogue"] * 1e6, 3, " µs")
        target(
            f"fastjsonschema + json.loads ÷ `Catalogue.validate`, {label}",
            figures[f"{label}/fast"] / figures[f"{label}/catalogue"], 2.5, "×", at_most=False,
        )
        target(f"`Validator.validate`, {label}", figures[f"{label}/validator"] * 1e6, 2, " µs")
        target(f"`Validator.validate_many` per payload, {label}", figures[f"{label}/many"] * 1e6, 2, " µs")
    target("`RouterSnapshot.match`, 4 subscriptions", figures["routing 4/snapshot"] * 1e6, 1.5, " µs")
    target(
        "pure Python ÷ `RouterSnapshot.match`, 1,000 subscriptions",
        figures["routing 1000/pure"] / figures["routing 1000/snapshot"], 20, "×", at_most=False,
    )
    for key, value in figures.items():
        if key.startswith("threads ") and "before:" not in key:
            target(f"2 threads ÷ 1 thread, {key[len('threads '):]}", value, 1.6, "×", at_most=False)
    for key, value in figures.items():
        if key.startswith("control "):
            lines.append(
                f"- (what the machine gave this run: 2 processes ÷ 1 process, {key[len('control control: '):]}: "
                f"{value:.2f}×: threads on the same work cannot be expected to do better)"
            )
    return lines


# Context ----------------------------------------------------------------------


def machine() -> List[str]:
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True)
        commit += " (with uncommitted changes)" if dirty.stdout.strip() else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}; commit: {commit}",
        f"machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"herald {herald.__version__} (libherald {herald.library_version()}); "
        f"fastjsonschema {fastjsonschema.VERSION}; jsonschema {importlib.metadata.version('jsonschema')}",
    ]


def load() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def import_before(path: Optional[str]) -> Any:
    """The package as it was before (a directory holding ``herald_before``)."""
    if not path:
        return None
    sys.path.insert(0, path)
    return importlib.import_module("herald_before")


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per figure; the median is printed")
    parser.add_argument("--loops", type=int, default=20000, help="calls per run (distinct inputs)")
    parser.add_argument("--quick", action="store_true", help="a seconds-long smoke run with the same checks")
    parser.add_argument("--before", help="a directory holding the package before, as `herald_before`")
    parser.add_argument(
        "--clock", choices=("wall", "cpu"), default="wall",
        help="time single-thread figures by wall clock or by the thread's CPU time (for a loaded machine)",
    )
    options = parser.parse_args(argv, namespace=Options())
    global CLOCK
    CLOCK = time.thread_time if options.clock == "cpu" else time.perf_counter
    if options.quick:
        options.repeats, options.loops = 3, 500
    before = import_before(options.before)
    print("\n".join(machine()))
    print(f"load average (1, 5, 15 min) at start: {load()}")
    clock = "thread CPU time" if options.clock == "cpu" else "wall clock"
    print(f"\nMedian µs per call by {clock} ({options.repeats} runs of {options.loops:,} calls; jsonschema on a tenth):\n")
    figures: Figures = {}
    print("\n".join(validation_table(options, before, figures)))
    print("\n`Validator.validate` by payload type (median µs per call):\n")
    print("\n".join(input_types_table(options)))
    print("\nMedian µs per match (pure Python on a tenth of the topics, a thousandth at 100k):\n")
    print("\n".join(routing_table(options, before, figures)))
    print(
        "\nThreads validating at once (median payloads per second by wall clock, all threads together, "
        f"{options.repeats} interleaved rounds; ratios: median of the ratios within a round):\n"
    )
    print("\n".join(threads_table(options, before, figures)))
    print(
        "\nThe part of a batch that holds the GIL, by one thread's CPU time (fastest of "
        f"{options.repeats} runs; needs no idle core, unlike the table above):\n"
    )
    print("\n".join(batch_share_table(options)))
    print("\n" + gil_is_released())
    print("\nTargets:\n")
    print("\n".join(targets(figures)))
    print(f"\nload average (1, 5, 15 min) at end: {load()}")


if __name__ == "__main__":
    main(sys.argv[1:])
