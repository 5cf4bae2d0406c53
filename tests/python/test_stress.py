"""Concurrency stress through Python threads: readers match on router
snapshots (plainly and through a per-thread MatchCache) while a writer
subscribes, unsubscribes and publishes new snapshots, for a fixed number of
operations; every answer equals the reference matcher's over the
subscriptions of the very snapshot read.

Short by default; HERALD_STRESS_OPS=200000 runs a long one."""

from __future__ import annotations

import os
import random
import threading
from functools import lru_cache
from typing import Dict, FrozenSet, List, Set, Tuple

import herald

PATTERNS = [
    "payment.#",
    "#.success",
    "payment.card.*",
    "*.message.sent",
    "apps.payment.>",
    "#.failed",
    "a.#.b",
    "*",
    ">",
    "#",
    "payment.card.success",
    "x.*.y.#",
]
TOPICS = [
    "payment.card.success",
    "payment",
    "sms.message.sent",
    "apps.payment.done",
    "external.subscribe.cancel.failed",
    "a.b",
    "a.x.y.b",
    "x.1.y",
    "x.1.y.z.w",
    "user.created",
]


@lru_cache(maxsize=None)
def reference_matches(pattern: str, topic: str) -> bool:
    """The routing rules as a dynamic programme over segments, without a trie."""
    p, t = pattern.split("."), topic.split(".")
    rest = [[False] * (len(t) + 1) for _ in range(len(p) + 1)]
    rest[len(p)][len(t)] = True
    for i in range(len(p) - 1, -1, -1):
        for j in range(len(t), -1, -1):
            segment = p[i]
            if segment == "#":
                rest[i][j] = rest[i + 1][j] or (j < len(t) and rest[i][j + 1])
            elif segment == ">":
                rest[i][j] = i + 1 == len(p) and j < len(t)
            elif segment == "*":
                rest[i][j] = j < len(t) and rest[i + 1][j + 1]
            else:
                rest[i][j] = j < len(t) and t[j] == segment and rest[i + 1][j + 1]
    return rest[0][0]


Model = FrozenSet[Tuple[str, int]]


def expected(model: Model, topic: str) -> List[int]:
    return sorted({subscriber for pattern, subscriber in model if reference_matches(pattern, topic)})


def test_readers_on_snapshots_get_the_answer_of_the_version_they_read() -> None:
    operations = int(os.environ.get("HERALD_STRESS_OPS", "10000"))
    lock = threading.Lock()
    router = herald.Router()
    published: List[Tuple[int, herald.RouterSnapshot, Model]] = [(0, router.snapshot(), frozenset())]
    done = threading.Event()
    failures: List[BaseException] = []
    checked: Dict[int, int] = {}

    def reader(index: int) -> None:
        rng = random.Random(index)
        cache = herald.MatchCache(4)
        last = 0
        count = 0
        try:
            while True:
                finished = done.is_set()
                with lock:
                    number, snapshot, model = published[-1]
                assert number >= last, "a version went back"
                last = number
                topic = rng.choice(TOPICS)
                want = expected(model, topic)
                assert snapshot.match(topic) == want, (number, topic)
                assert snapshot.match_cached(topic, cache) == want, (number, topic)
                assert len(snapshot) == len(model)
                count += 1
                if finished:
                    break
        except BaseException as failure:  # noqa: BLE001 - reported by the main thread
            failures.append(failure)
        checked[index] = count

    readers = [threading.Thread(target=reader, args=(index,)) for index in range(3)]
    for thread in readers:
        thread.start()

    rng = random.Random(16)
    model: Set[Tuple[str, int]] = set()
    version = 0
    for operation in range(1, operations + 1):
        pattern = rng.choice(PATTERNS)
        subscriber = rng.randrange(16)
        # Patterns here are canonical, so the text is the model's key.
        if rng.random() < 0.6:
            assert router.subscribe(pattern, subscriber) == ((pattern, subscriber) not in model)
            model.add((pattern, subscriber))
        else:
            assert router.unsubscribe(pattern, subscriber) == ((pattern, subscriber) in model)
            model.discard((pattern, subscriber))
        if operation % 7 == 0 or operation == operations:
            version += 1
            with lock:
                published.append((version, router.snapshot(), frozenset(model)))
    done.set()
    for thread in readers:
        thread.join(timeout=300)
        assert not thread.is_alive(), "a reader hung"
    if failures:
        raise failures[0]
    assert all(count > 0 for count in checked.values()) and len(checked) == 3
    router.close()
    for _, snapshot, _ in published:
        snapshot.close()
