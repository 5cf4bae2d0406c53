"""Topics, patterns and routers: who receives an event.

A *topic* is an event name: ``.``-separated UTF-8 segments such as
``payment.card.success``. A *pattern* adds three whole-segment wildcards:
``*`` (exactly one segment), ``#`` (zero or more, at most two per pattern) and
``>`` (one or more, last position only). Matching is byte-exact and
case-sensitive; an invalid topic or pattern always raises, never matches.
"""

from __future__ import annotations

import ctypes
from typing import List

from . import _ffi, _native
from ._errors import PatternError, TopicError
from ._native import NativeObject, Text

lib = _native.lib


def validate_topic(topic: Text) -> None:
    """Raises :class:`TopicError` unless ``topic`` is a valid event name.

    >>> validate_topic("payment.card.success")
    >>> validate_topic("payment..success")
    Traceback (most recent call last):
    ...
    herald.TopicError: invalid topic: empty segment 1 at byte 8: `.` must separate non-empty segments
    """
    data = _native.encode(topic, "topic")
    _native.check(lib.herald_topic_validate(data, len(data), _native.error_slot()), ((data, TopicError),))


def validate_pattern(pattern: Text) -> None:
    """Raises :class:`PatternError` unless ``pattern`` is a valid subscription pattern."""
    data = _native.encode(pattern, "pattern")
    _native.check(lib.herald_pattern_validate(data, len(data), _native.error_slot()), ((data, PatternError),))


def matches(pattern: Text, topic: Text) -> bool:
    """Whether ``topic`` matches ``pattern``.

    Raises :class:`PatternError` or :class:`TopicError` if either is invalid.

    >>> matches("payment.#", "payment.card.success")
    True
    """
    pattern_data = _native.encode(pattern, "pattern")
    topic_data = _native.encode(topic, "topic")
    result = ctypes.c_bool(False)
    status = lib.herald_pattern_matches(
        pattern_data, len(pattern_data), topic_data, len(topic_data), ctypes.byref(result), _native.error_slot()
    )
    _native.check(status, ((pattern_data, PatternError), (topic_data, TopicError)))
    return bool(result.value)


class Router(NativeObject):
    """A mutable set of (pattern, subscriber id) subscriptions.

    Subscriber ids are integers from 0 to 2**64 - 1. ``match`` returns every
    subscriber whose pattern matches, each once, in ascending order.

    Thread safety: a router may be shared between threads. Changes
    (``subscribe``, ``unsubscribe``, ``close``) take an internal lock alone;
    ``match``, ``len`` and ``snapshot`` run in parallel with each other (the
    GIL is released during the C call) but wait for changes. To match on many
    threads while subscriptions keep changing, match against snapshots.

    >>> with Router() as router:
    ...     router.subscribe("payment.#", 2)
    ...     router.subscribe("*.card.success", 1)
    ...     router.match("payment.card.success")
    True
    True
    [1, 2]
    """

    def __init__(self) -> None:
        self._attach(lib.herald_router_new(), lib.herald_router_free, "Router")

    def subscribe(self, pattern: Text, subscriber: int) -> bool:
        """Subscribes ``subscriber`` to ``pattern``; True if the pair is new.

        Raises :class:`PatternError` for an invalid pattern and
        :class:`TooManyPatternsError` when the router is full.
        """
        data = _native.encode(pattern, "pattern")
        subscriber = _native.unsigned64(subscriber, "subscriber")
        added = ctypes.c_bool(False)
        with self._exclusive() as router:
            status = lib.herald_router_subscribe(
                router, data, len(data), subscriber, ctypes.byref(added), _native.error_slot()
            )
            _native.check(status, ((data, PatternError),))
        return bool(added.value)

    def unsubscribe(self, pattern: Text, subscriber: int) -> bool:
        """Removes the pair (``pattern``, ``subscriber``); True if it existed."""
        data = _native.encode(pattern, "pattern")
        subscriber = _native.unsigned64(subscriber, "subscriber")
        removed = ctypes.c_bool(False)
        with self._exclusive() as router:
            status = lib.herald_router_unsubscribe(
                router, data, len(data), subscriber, ctypes.byref(removed), _native.error_slot()
            )
            _native.check(status, ((data, PatternError),))
        return bool(removed.value)

    def match(self, topic: Text) -> List[int]:
        """The subscribers of ``topic``, each once, ascending.

        Raises :class:`TopicError` for an invalid topic (never an empty list).
        """
        data = _native.encode(topic, "topic")
        with self._shared() as router:
            return _native.read_ids(lib.herald_router_match, router, data, ((data, TopicError),))

    def snapshot(self) -> RouterSnapshot:
        """An immutable copy of the current subscriptions, taken in O(1)."""
        return RouterSnapshot(self)

    def __len__(self) -> int:
        """The number of (pattern, subscriber) pairs."""
        with self._shared() as router:
            return int(lib.herald_router_len(router))

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.Router closed>"
        return f"<herald.Router subscriptions={len(self)}>"

    def _debug_panic(self) -> None:
        """Test hook: makes the library panic while using this router, which poisons it.

        Only libraries built with the ``testing`` cargo feature have it.
        """
        if not _ffi.has("herald_debug_panic_router"):
            raise NotImplementedError("this libherald was built without the `testing` feature")
        with self._exclusive() as router:
            _native.check(lib.herald_debug_panic_router(router, _native.error_slot()))


class RouterSnapshot(NativeObject):
    """An immutable copy of a router's subscriptions.

    ``RouterSnapshot(router)`` is ``router.snapshot()``. Later changes to the
    router do not affect it, and it outlives its router.

    Thread safety: any number of threads may match against one snapshot at
    once; nothing changes it but ``close``.
    """

    def __init__(self, router: Router) -> None:
        if not isinstance(router, Router):
            raise TypeError(f"RouterSnapshot needs a Router, not {type(router).__name__}")
        out = _ffi.snapshot_p()
        with router._shared() as handle:
            _native.check(lib.herald_router_snapshot_new(handle, ctypes.byref(out), _native.error_slot()))
        self._attach(out, lib.herald_router_snapshot_free, "RouterSnapshot")

    def match(self, topic: Text) -> List[int]:
        """The subscribers of ``topic``, each once, ascending (see :meth:`Router.match`)."""
        data = _native.encode(topic, "topic")
        with self._shared() as snapshot:
            return _native.read_ids(lib.herald_router_snapshot_match, snapshot, data, ((data, TopicError),))

    def match_cached(self, topic: Text, cache: MatchCache) -> List[int]:
        """Like :meth:`match`, answering repeated topics from ``cache``.

        The cache answers only for the snapshot it was filled from; used with
        another snapshot it starts over.

        >>> router = Router()
        >>> router.subscribe("payment.#", 1)
        True
        >>> snapshot, cache = router.snapshot(), MatchCache()
        >>> snapshot.match_cached("payment.card.success", cache)
        [1]
        >>> snapshot.match_cached("payment.card.success", cache)  # one lookup
        [1]
        """
        data = _native.encode(topic, "topic")
        if not isinstance(cache, MatchCache):
            raise TypeError(f"match_cached needs a MatchCache, not {type(cache).__name__}")
        with self._shared() as snapshot, cache._exclusive() as cache_handle:

            def match(handle: object, *rest: object) -> int:
                return int(lib.herald_router_snapshot_match_cached(handle, cache_handle, *rest))

            return _native.read_ids(match, snapshot, data, ((data, TopicError),))

    def copy(self) -> RouterSnapshot:
        """Another reference to the same snapshot, closed independently."""
        with self._shared() as snapshot:
            clone = lib.herald_router_snapshot_clone(snapshot)
        copy = RouterSnapshot.__new__(RouterSnapshot)
        copy._attach(clone, lib.herald_router_snapshot_free, "RouterSnapshot")
        return copy

    __copy__ = copy

    def __deepcopy__(self, memo: object) -> RouterSnapshot:
        return self.copy()

    def __len__(self) -> int:
        """The number of (pattern, subscriber) pairs."""
        with self._shared() as snapshot:
            return int(lib.herald_router_snapshot_len(snapshot))

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.RouterSnapshot closed>"
        return f"<herald.RouterSnapshot subscriptions={len(self)}>"


class MatchCache(NativeObject):
    """Recent answers of one :class:`RouterSnapshot`: repeated topics are
    answered with one hash lookup instead of a trie walk.

    Event names come from a small catalogue, so the same topics recur. A
    cache never answers for an older snapshot: used with another snapshot it
    starts over. At most ``capacity`` topics are kept (0 keeps none).

    Thread safety: one thread at a time (calls through one cache are
    serialised); give each thread its own cache and share the snapshot.
    """

    def __init__(self, capacity: int = 4096) -> None:
        if not isinstance(capacity, int) or capacity < 0:
            raise ValueError(f"capacity must be a non-negative int, not {capacity!r}")
        handle = lib.herald_match_cache_new(capacity)
        if not handle:
            raise MemoryError("herald_match_cache_new failed")
        self._attach(handle, lib.herald_match_cache_free, "MatchCache")

    def __repr__(self) -> str:
        return "<herald.MatchCache closed>" if self.closed else "<herald.MatchCache>"
