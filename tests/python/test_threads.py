"""Threads: many threads matching one snapshot, or one router nobody
changes, get the single-threaded answers; a writer and readers share a
router; validation on one catalogue from many threads; closing waits."""

from __future__ import annotations

import threading
from typing import Callable, Dict, List

import pytest

import herald

THREADS = 8
ROUNDS = 40

PATTERNS = [
    "payment.#",
    "#.success",
    "payment.card.*",
    "*.message.sent",
    "apps.payment.>",
    "#.failed",
    "subscribe.#",
    "a.#.b.#.c",
    "größe.*",
    ">",
]
TOPICS = [
    "payment.card.success",
    "payment",
    "sms.message.sent",
    "apps.payment.done",
    "external.subscribe.cancel.failed",
    "a.x.b.y.c",
    "größe.支払い",
    "user.created",
]


def _run_threads(work: Callable[[int], None], count: int = THREADS) -> None:
    """Runs `work(index)` on `count` threads started together; re-raises the first failure."""
    barrier = threading.Barrier(count)
    failures: List[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as failure:  # noqa: BLE001 - reported below
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a thread hung"
    if failures:
        raise failures[0]


def _router() -> herald.Router:
    router = herald.Router()
    for index, pattern in enumerate(PATTERNS):
        for subscriber in range(index, 200, len(PATTERNS)):
            router.subscribe(pattern, subscriber)
    return router


def test_threads_matching_one_snapshot_get_the_single_threaded_answers() -> None:
    with _router() as router, router.snapshot() as snapshot:
        expected: Dict[str, List[int]] = {topic: snapshot.match(topic) for topic in TOPICS}
        assert expected["user.created"] and len(expected["payment.card.success"]) > 40

        def work(index: int) -> None:
            for round_ in range(ROUNDS):
                topic = TOPICS[(index + round_) % len(TOPICS)]
                assert snapshot.match(topic) == expected[topic]
                assert snapshot.match(topic.encode()) == expected[topic]

        _run_threads(work)


def test_threads_matching_one_router_without_a_writer_get_the_single_threaded_answers() -> None:
    with _router() as router:
        expected = {topic: router.match(topic) for topic in TOPICS}

        def work(index: int) -> None:
            for round_ in range(ROUNDS):
                topic = TOPICS[(index * 3 + round_) % len(TOPICS)]
                assert router.match(topic) == expected[topic]
            assert len(router) == sum(len(range(i, 200, len(PATTERNS))) for i in range(len(PATTERNS)))

        _run_threads(work)


def test_a_writer_and_readers_share_a_router_and_snapshots_stay_fixed() -> None:
    with herald.Router() as router:
        router.subscribe("payment.#", 1)
        with router.snapshot() as fixed:
            stop = threading.Event()

            def work(index: int) -> None:
                if index == 0:
                    for subscriber in range(2, 300):
                        router.subscribe("payment.#", subscriber)
                        router.unsubscribe("payment.#", subscriber - 1 if subscriber > 2 else 0)
                    stop.set()
                    return
                while not stop.is_set():
                    ids = router.match("payment.card")
                    # Every answer is a consistent state: sorted, unique, subscriber 1 kept.
                    assert ids == sorted(set(ids)) and ids[0] == 1 and len(ids) <= 3
                    assert fixed.match("payment.card") == [1]
                    with router.snapshot() as moment:
                        assert moment.match("payment.card")[0] == 1

            _run_threads(work, 4)
        assert router.match("payment.card") == [1, 299]


def test_threads_validate_and_look_up_on_one_catalogue() -> None:
    payload = (
        '{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"ns",'
        '"userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}'
    )
    with herald.Catalogue.builtin() as catalogue:
        expected = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload)
        event = catalogue.get("orangepill-stream", "sms.message.sent")

        def work(index: int) -> None:
            for _ in range(ROUNDS):
                assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload) == expected
                assert catalogue.get("orangepill-stream", "sms.message.sent") == event
                with pytest.raises(herald.UnknownEventError):
                    catalogue.validate("accelbyte-wallet", "nope", payload)

        _run_threads(work)


def test_endpoint_set_shared_by_threads() -> None:
    with herald.EndpointSet(max_urls=100) as hooks:

        def work(index: int) -> None:
            for round_ in range(10):
                webhook = index * 100 + round_
                hooks.add(webhook, f"https://hooks.example/{index}", ["subscribe.#"])
                assert f"https://hooks.example/{index}" in hooks.deliveries("subscribe.expired")

        _run_threads(work)
        assert len(hooks) == THREADS * 10 and hooks.receiving_count() == THREADS


def test_close_waits_for_calls_in_progress_and_later_calls_raise() -> None:
    router = _router()
    started = threading.Barrier(THREADS + 1)
    outcomes: List[str] = []

    def reader() -> None:
        started.wait()
        while True:
            try:
                router.match("payment.card.success")
            except ValueError as error:
                outcomes.append(str(error))
                return

    threads = [threading.Thread(target=reader) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    started.wait()
    router.close()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert outcomes == ["this Router is closed"] * THREADS


def test_each_thread_has_its_own_error_details() -> None:
    def work(index: int) -> None:
        for _ in range(ROUNDS):
            if index % 2:
                with pytest.raises(herald.TopicError) as raised:
                    herald.validate_topic("a..b")
                assert raised.value.code == "empty_segment"
            else:
                with pytest.raises(herald.PatternError) as pattern_raised:
                    herald.validate_pattern("a.>.b")
                assert pattern_raised.value.code == "tail_not_last"

    _run_threads(work)
