"""Routers and snapshots: subscriptions, matching, snapshots, closing, and
the panic path (with a library built with the `testing` feature)."""

from __future__ import annotations

import copy
import gc

import pytest

import herald
from herald import _ffi
from herald import PatternError, Router, RouterSnapshot, Status, TopicError

TESTING_FEATURE_MISSING = (
    "libherald was built without the `testing` feature: run this test as tests/python/run.sh's "
    "second pass does, with HERALD_LIBRARY pointing at `cargo build -p herald-ffi --features testing`"
)


@pytest.fixture
def router() -> Router:
    with Router() as router:
        yield router


def test_subscribe_says_whether_the_pair_is_new(router: Router) -> None:
    assert router.subscribe("payment.#", 30) is True
    assert router.subscribe("payment.#", 30) is False
    assert router.subscribe("payment.#", 31) is True
    assert len(router) == 2


def test_unsubscribe_says_whether_the_pair_existed(router: Router) -> None:
    router.subscribe("payment.#", 30)
    assert router.unsubscribe("payment.#", 30) is True
    assert router.unsubscribe("payment.#", 30) is False
    assert router.unsubscribe("never.subscribed", 1) is False
    assert len(router) == 0


def test_match_returns_each_subscriber_once_ascending(router: Router) -> None:
    router.subscribe("payment.#", 30)
    router.subscribe("#.success", 10)
    router.subscribe("payment.card.success", 20)
    router.subscribe("payment.card.*", 10)
    assert len(router) == 4
    assert router.match("payment.card.success") == [10, 20, 30]
    assert router.match("payment") == [30]
    assert router.match("user.created") == []


def test_match_grows_its_buffer_for_many_subscribers(router: Router) -> None:
    for subscriber in range(1000, 0, -1):
        router.subscribe("big.#", subscriber)
    assert router.match("big.event") == list(range(1, 1001))
    assert router.match("small") == []


def test_subscriber_ids_cover_the_whole_u64_range(router: Router) -> None:
    router.subscribe("a", 0)
    router.subscribe("a", 2**64 - 1)
    assert router.match("a") == [0, 2**64 - 1]


@pytest.mark.parametrize("subscriber", [-1, 2**64])
def test_subscriber_ids_outside_u64_raise_value_error(router: Router, subscriber: int) -> None:
    with pytest.raises(ValueError, match="subscriber"):
        router.subscribe("a", subscriber)
    with pytest.raises(ValueError):
        router.unsubscribe("a", subscriber)


@pytest.mark.parametrize("subscriber", [1.0, "1", None, True])
def test_subscriber_ids_must_be_ints(router: Router, subscriber: object) -> None:
    with pytest.raises(TypeError):
        router.subscribe("a", subscriber)  # type: ignore[arg-type]


def test_invalid_patterns_and_topics_raise(router: Router) -> None:
    with pytest.raises(PatternError) as raised:
        router.subscribe("pay*", 1)
    assert raised.value.code == "wildcard_inside_segment"
    with pytest.raises(PatternError):
        router.unsubscribe("a..b", 1)
    with pytest.raises(TopicError) as topic_raised:
        router.match("payment..card")
    assert topic_raised.value.code == "empty_segment"
    with pytest.raises(TopicError) as empty:
        router.match("")
    assert empty.value.code == "empty"
    assert len(router) == 0


def test_str_and_bytes_inputs(router: Router) -> None:
    router.subscribe(b"*.message.sent", 1)
    router.subscribe("größe.#", 2)
    assert router.match(b"sms.message.sent") == [1]
    assert router.match("größe.支払い".encode()) == [2]
    assert router.unsubscribe(bytearray(b"*.message.sent"), 1) is True


def test_invalid_utf8_raises_with_code_invalid_utf8(router: Router) -> None:
    with pytest.raises(PatternError) as raised:
        router.subscribe(b"\xc0", 1)
    assert raised.value.status == Status.INVALID_UTF8 and raised.value.code == "invalid_utf8"
    with pytest.raises(TopicError) as topic_raised:
        router.match(b"\xe2\x82")
    assert topic_raised.value.code == "invalid_utf8"
    with pytest.raises(TopicError):
        router.match("sms.\udcff")


def test_snapshots_do_not_see_later_changes_and_outlive_their_router() -> None:
    router = Router()
    router.subscribe("*.message.sent", 1)
    before = router.snapshot()
    router.subscribe("sms.#", 2)
    after = RouterSnapshot(router)
    router.close()
    assert len(before) == 1 and len(after) == 2
    assert before.match("sms.message.sent") == [1]
    assert after.match("sms.message.sent") == [1, 2]
    with pytest.raises(TopicError):
        after.match("sms.*")
    before.close()
    after.close()


def test_snapshot_copies_are_closed_independently(router: Router) -> None:
    router.subscribe("a.#", 5)
    snapshot = router.snapshot()
    for other in (snapshot.copy(), copy.copy(snapshot), copy.deepcopy(snapshot)):
        assert other.match("a.b") == [5]
        other.close()
    clone = snapshot.copy()
    snapshot.close()
    assert clone.match("a.b") == [5] and len(clone) == 1
    clone.close()


def test_match_cache_answers_repeated_topics_like_match(router: Router) -> None:
    router.subscribe("payment.#", 3)
    router.subscribe("#.success", 1)
    snapshot = router.snapshot()
    cache = herald.MatchCache()
    for _ in range(3):
        assert snapshot.match_cached("payment.card.success", cache) == snapshot.match("payment.card.success")
    with pytest.raises(TopicError) as raised:
        snapshot.match_cached("payment..x", cache)
    assert raised.value.code == "empty_segment"


def test_match_cache_never_answers_for_an_older_snapshot(router: Router) -> None:
    router.subscribe("a.b", 1)
    old = router.snapshot()
    cache = herald.MatchCache(capacity=8)
    assert old.match_cached("a.b", cache) == [1]
    router.subscribe("a.*", 2)
    assert router.snapshot().match_cached("a.b", cache) == [1, 2]
    assert old.match_cached("a.b", cache) == [1]


def test_match_cache_checks_its_arguments(router: Router) -> None:
    with pytest.raises(ValueError):
        herald.MatchCache(capacity=-1)
    with pytest.raises(TypeError):
        router.snapshot().match_cached("a", object())  # type: ignore[arg-type]
    cache = herald.MatchCache(capacity=0)
    cache.close()
    with pytest.raises(ValueError):
        router.snapshot().match_cached("a", cache)


def test_snapshot_needs_a_router() -> None:
    with pytest.raises(TypeError):
        RouterSnapshot("not a router")  # type: ignore[arg-type]


def test_close_is_idempotent_and_closed_objects_refuse_calls() -> None:
    router = Router()
    router.subscribe("a", 1)
    snapshot = router.snapshot()
    assert not router.closed
    router.close()
    router.close()
    assert router.closed
    for call in (
        lambda: router.subscribe("a", 1),
        lambda: router.unsubscribe("a", 1),
        lambda: router.match("a"),
        lambda: len(router),
        router.snapshot,
    ):
        with pytest.raises(ValueError, match="Router is closed"):
            call()
    assert "closed" in repr(router)
    snapshot.close()
    snapshot.close()
    with pytest.raises(ValueError, match="RouterSnapshot is closed"):
        snapshot.match("a")


def test_context_manager_closes(router: Router) -> None:
    with Router() as inner:
        inner.subscribe("a", 1)
        assert repr(inner) == "<herald.Router subscriptions=1>"
    assert inner.closed
    with router.snapshot() as snapshot:
        assert repr(snapshot) == "<herald.RouterSnapshot subscriptions=0>"
    assert snapshot.closed


def test_collected_objects_free_their_handles() -> None:
    # Many routers and snapshots left to the collector: no crash, no double free.
    for index in range(200):
        router = Router()
        router.subscribe("a.#", index)
        snapshot = router.snapshot()
        del router
        assert snapshot.match("a.b") == [index]
        del snapshot
    gc.collect()


@pytest.mark.needs_testing_feature
def test_panic_raises_internal_error_and_poisons_that_router_only() -> None:
    assert _ffi.has("herald_debug_panic_router"), TESTING_FEATURE_MISSING
    victim = Router()
    other = Router()
    victim.subscribe("a", 1)
    with pytest.raises(herald.InternalError) as raised:
        victim._debug_panic()
    assert raised.value.status == Status.PANIC and raised.value.code == "panic"
    assert "forced" in raised.value.message
    with pytest.raises(herald.PoisonedError) as poisoned:
        victim.match("a")
    assert poisoned.value.status == Status.POISONED and poisoned.value.code == "poisoned"
    assert isinstance(poisoned.value, herald.HeraldError)
    with pytest.raises(herald.PoisonedError):
        victim.subscribe("b", 2)
    other.subscribe("a", 1)
    assert other.match("a") == [1]
    victim.close()  # a poisoned handle can still be freed
    other.close()


@pytest.mark.needs_testing_feature
def test_catalogue_panic_poisons_that_catalogue_only(shop_json: str) -> None:
    assert _ffi.has("herald_debug_panic_catalogue"), TESTING_FEATURE_MISSING
    victim = herald.Catalogue.from_json(shop_json)
    with pytest.raises(herald.InternalError) as raised:
        victim._debug_panic()
    assert raised.value.status == Status.PANIC
    with pytest.raises(herald.PoisonedError):
        victim.to_json()
    with herald.Catalogue.builtin() as other:
        assert other.get("accelbyte-wallet", "walletBalanceChanged") is not None
    victim.close()


@pytest.mark.needs_release_build
def test_debug_hooks_say_when_the_library_lacks_them() -> None:
    assert not _ffi.has("herald_debug_panic_router"), "this libherald was built with the `testing` feature"
    with Router() as router, pytest.raises(NotImplementedError, match="testing"):
        router._debug_panic()
