"""A router answers matches from the snapshot it published after its last
change, with no lock: a match never sees a torn state, never misses a change
that returned before it started, and a closed or poisoned router refuses it.
Prepared topics and patterns are accepted wherever text is."""

from __future__ import annotations

import threading
import time
from typing import List

import pytest

import herald
from herald import Pattern, PatternError, Router, Topic, TopicError, _ffi

TESTING_FEATURE_MISSING = "this libherald lacks the `testing` feature (tests/python/run.sh pass 2 has it)"
PUBLISHED = 2000  # more matches than any router here needs before it publishes


def _states(total: int) -> List[List[int]]:
    """The subscriber lists of the writer below after each of its changes:
    subscribe 0, 1, ... total - 1, then unsubscribe them in the same order."""
    return [list(range(0, done)) if done <= total else list(range(done - total, total)) for done in range(2 * total + 1)]


def test_matches_while_a_writer_changes_the_router_are_never_torn_or_stale() -> None:
    total = 300
    states = _states(total)
    router = Router()
    finished = [0]  # changes that have returned
    done = threading.Event()
    failures: List[BaseException] = []
    answers = [0]

    def write() -> None:
        for change in range(2 * total):
            subscriber = change % total
            if change < total:
                router.subscribe("orders.#", subscriber)
            else:
                router.unsubscribe("orders.#", subscriber)
            finished[0] = change + 1
            # The writer's own change shows at once.
            assert router.match("orders.created") == states[change + 1]
            if change % 40 == 0:
                time.sleep(0.002)  # let readers publish a snapshot, so the next change drops it

    def read() -> None:
        while not done.is_set():
            before = finished[0]
            ids = router.match(b"orders.created" if answers[0] % 2 else "orders.created")
            after = finished[0]
            answers[0] += 1
            # A state the writer really made (never torn), no older than the
            # changes that had returned before the match (never stale); at
            # most one change may have happened without being counted yet.
            seen = [done for done in range(before, min(after + 1, 2 * total) + 1) if states[done] == ids]
            assert seen, (before, after, ids[:3], ids[-3:])
            if answers[0] % 97 == 0:
                before = finished[0]
                with router.snapshot() as fixed:
                    frozen = fixed.match("orders.created")
                    assert frozen in states[before : finished[0] + 2]
                    time.sleep(0.001)
                    assert fixed.match("orders.created") == frozen

    def run(work: object) -> None:
        try:
            work()  # type: ignore[operator]
        except BaseException as failure:  # noqa: BLE001 - reported below
            failures.append(failure)
            done.set()

    readers = [threading.Thread(target=run, args=(read,)) for _ in range(3)]
    for reader in readers:
        reader.start()
    run(write)
    done.set()
    for reader in readers:
        reader.join(timeout=120)
        assert not reader.is_alive()
    assert not failures, failures[0]
    assert answers[0] > 100
    assert router.match("orders.created") == [] and len(router) == 0


def test_a_match_after_a_change_sees_it_once_a_snapshot_was_published() -> None:
    with Router() as router:
        router.subscribe("payment.#", 1)
        for _ in range(PUBLISHED):
            assert router.match("payment.card") == [1]
        router.subscribe("payment.card", 2)
        assert router.match("payment.card") == [1, 2]
        for _ in range(PUBLISHED):
            router.match("payment.card")
        assert router.unsubscribe("payment.#", 1)
        assert router.match("payment.card") == [2]
        with router.snapshot() as before:
            router.subscribe("#", 3)
            assert router.match("payment.card") == [2, 3]
            assert before.match("payment.card") == [2]


def test_large_answers_grow_the_id_array_on_every_path() -> None:
    with Router() as router:
        for subscriber in range(5000):
            router.subscribe("a.*", subscriber)
        expected = list(range(5000))
        assert router.match("a.b") == expected  # read from the router itself
        for _ in range(PUBLISHED):
            router.match("a.b")
        assert router.match("a.b") == expected  # from the published snapshot
        with router.snapshot() as snapshot:
            assert snapshot.match(Topic("a.b")) == expected
            assert snapshot.match("a") == []


def test_a_closed_router_refuses_matches_even_with_a_published_snapshot() -> None:
    router = Router()
    router.subscribe("a", 1)
    for _ in range(PUBLISHED):
        router.match("a")
    snapshot = router.snapshot()
    router.close()
    for call in (lambda: router.match("a"), lambda: router.subscribe("b", 2), lambda: len(router), router.snapshot):
        with pytest.raises(ValueError, match="this Router is closed"):
            call()
    assert snapshot.match("a") == [1]  # snapshots outlive their router
    snapshot.close()


def test_invalid_topics_raise_on_every_path() -> None:
    with Router() as router:
        router.subscribe("a.#", 1)
        for _ in range(3):
            for topic in ("a..b", "", b"\xff", "a.*"):
                with pytest.raises(TopicError):
                    router.match(topic)
            for _ in range(PUBLISHED // 100):
                router.match("a.b")
        with pytest.raises(TopicError) as raised:
            router.match(b"a.\xff")
        assert raised.value.code == "invalid_utf8"


@pytest.mark.needs_testing_feature
def test_a_poisoned_router_refuses_matches_even_after_publishing() -> None:
    assert _ffi.has("herald_debug_panic_router"), TESTING_FEATURE_MISSING
    victim = Router()
    victim.subscribe("a", 1)
    for _ in range(PUBLISHED):
        victim.match("a")
    with pytest.raises(herald.InternalError):
        victim._debug_panic()
    for _ in range(50):  # also once the router would publish again
        with pytest.raises(herald.PoisonedError):
            victim.match("a")
    with pytest.raises(herald.PoisonedError):
        victim.snapshot()
    victim.close()


# Prepared topics and patterns ----------------------------------------------


def test_topics_are_checked_once_and_accepted_wherever_topics_are() -> None:
    topic = Topic("payment.card.success")
    assert str(topic) == topic.text == "payment.card.success" and bytes(topic) == b"payment.card.success"
    assert repr(topic) == "Topic('payment.card.success')"
    assert topic == Topic(b"payment.card.success") and hash(topic) == hash(Topic("payment.card.success"))
    assert topic != "payment.card.success" and topic != Pattern("payment.card.success")
    with pytest.raises(TopicError) as raised:
        Topic("payment..success")
    assert raised.value.code == "empty_segment"
    with pytest.raises(TopicError):
        Topic(b"\xff")
    with pytest.raises(TypeError):
        Topic(7)  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match="immutable"):
        topic.text = "user.created"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del topic._data
    herald.validate_topic(topic)
    assert herald.matches("payment.#", topic)
    with Router() as router:
        router.subscribe("payment.#", 1)
        assert router.match(topic) == [1]
        for _ in range(PUBLISHED):
            router.match(topic)
        assert router.match(topic) == [1]
        with router.snapshot() as snapshot:
            assert snapshot.match(topic) == [1]
            assert snapshot.match_cached(topic, herald.MatchCache()) == [1]
    with herald.EndpointSet() as hooks:
        hooks.add(1, "https://hooks.example/a", ["payment.#"])
        assert hooks.deliveries(topic) == ["https://hooks.example/a"]


def test_patterns_are_checked_once_and_accepted_wherever_patterns_are() -> None:
    pattern = Pattern("payment.#")
    assert str(pattern) == "payment.#" and bytes(pattern) == b"payment.#" and repr(pattern) == "Pattern('payment.#')"
    assert pattern == Pattern(b"payment.#") and len({pattern, Pattern("payment.#")}) == 1
    assert pattern.matches("payment.card") and not pattern.matches(Topic("user.created"))
    with pytest.raises(PatternError) as raised:
        Pattern("a.>.b")
    assert raised.value.code == "tail_not_last"
    herald.validate_pattern(pattern)
    with Router() as router:
        assert router.subscribe(pattern, 1) and not router.subscribe("payment.#", 1)
        assert router.match("payment.card") == [1]
        assert router.unsubscribe(pattern, 1) and router.match("payment.card") == []
    with herald.EndpointSet() as hooks:
        hooks.add(1, "https://hooks.example/a", [pattern, Pattern("user.created")])
        assert hooks.deliveries("payment.card") == ["https://hooks.example/a"]
