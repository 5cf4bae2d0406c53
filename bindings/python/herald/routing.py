"""Topics, patterns and routers: who receives an event.

A *topic* is an event name: ``.``-separated UTF-8 segments such as
``payment.card.success``. A *pattern* adds three whole-segment wildcards:
``*`` (exactly one segment), ``#`` (zero or more, at most two per pattern) and
``>`` (one or more, last position only). Matching is byte-exact and
case-sensitive; an invalid topic or pattern always raises, never matches.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any, List

from . import _ffi, _native
from ._errors import PatternError, TopicError
from ._native import Encoded, NativeObject, Text, _Lease

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


class Topic(Encoded):
    """A topic checked and encoded once, for matching many times.

    Everything that takes a topic takes a ``Topic`` too, and skips the
    encoding (and, on the hot paths, setting up the length) it would do for
    a ``str``. Raises :class:`TopicError` if ``text`` is not a valid topic.

    >>> topic = Topic("payment.card.success")
    >>> str(topic), matches("payment.#", topic)
    ('payment.card.success', True)
    """

    __slots__ = ()

    def __init__(self, text: Text) -> None:
        data = _native.encode(text, "topic")
        validate_topic(data)
        self._encode_once(data)

    def __str__(self) -> str:
        return self.text

    def __bytes__(self) -> bytes:
        return self._data

    def __repr__(self) -> str:
        return f"Topic({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is Topic and other._data == self._data

    def __hash__(self) -> int:
        return hash((Topic, self._data))


class Pattern(Encoded):
    """A subscription pattern checked and encoded once.

    Accepted wherever a pattern is (:meth:`Router.subscribe`,
    :meth:`Router.unsubscribe`, :func:`matches`, :meth:`EndpointSet.add
    <herald.EndpointSet.add>`). Raises :class:`PatternError` if ``text`` is
    not a valid pattern.

    >>> Pattern("payment.#").matches("payment.card.success")
    True
    """

    __slots__ = ()

    def __init__(self, text: Text) -> None:
        data = _native.encode(text, "pattern")
        validate_pattern(data)
        self._encode_once(data)

    def matches(self, topic: Text) -> bool:
        """Whether ``topic`` matches this pattern (see :func:`matches`)."""
        return matches(self, topic)

    def __str__(self) -> str:
        return self.text

    def __bytes__(self) -> bytes:
        return self._data

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is Pattern and other._data == self._data

    def __hash__(self) -> int:
        return hash((Pattern, self._data))


_ROUTER_MATCH = _ffi.unchecked("herald_router_match")
_SNAPSHOT_MATCH = _ffi.unchecked("herald_router_snapshot_match")


def _match(
    function: Any,
    handle: Any,
    topic: Text,
    _take: Any = _native.take_scratch,
    _give: Any = _native.give_scratch,
    _encode: Any = _native.encode,
    _too_small: int = _ffi.STATUS_BUFFER_TOO_SMALL,
) -> List[int]:
    """One match through an unchecked id function (``herald_router_match``,
    ``herald_router_snapshot_match``) into a scratch's id array: one call
    when the array is large enough, one more after growing it to the count
    the library asked for. A prepared :class:`Topic` brings its bytes and
    length. The hot path of routing: names are bound as default arguments."""
    scratch = _take()
    if type(topic) is Topic:
        data = topic._data
        size = topic._size
    else:
        data = topic if type(topic) is bytes else _encode(topic, "topic")
        size = scratch.size
        size.value = len(data)
    status = function(handle, data, size, scratch.ids, scratch.capacity, scratch.count_out, scratch.error)
    if status:
        if status == _too_small and scratch.count.value > scratch.capacity.value:
            scratch.grow_ids(scratch.count.value)
            status = function(handle, data, size, scratch.ids, scratch.capacity, scratch.count_out, scratch.error)
        if status:
            raise scratch.failure(status, ((data, TopicError),))
    found: List[int] = scratch.ids[: scratch.count.value]
    _give(scratch)
    return found


def _new_snapshot(router: Any) -> Any:
    """A snapshot of the router behind the handle ``router`` (the caller holds its lock)."""
    out = _ffi.snapshot_p()
    _native.check(lib.herald_router_snapshot_new(router, ctypes.byref(out), _native.error_slot()))
    return _native.own(out, lib.herald_router_snapshot_free)


class Router(NativeObject):
    """A mutable set of (pattern, subscriber id) subscriptions.

    Subscriber ids are integers from 0 to 2**64 - 1. ``match`` returns every
    subscriber whose pattern matches, each once, in ascending order.

    Thread safety: a router may be shared between threads. Changes
    (``subscribe``, ``unsubscribe``, ``close``) take an internal lock. A
    ``match`` reads a snapshot the router published after its last change,
    with no lock at all, so any number of threads match at once (the GIL is
    released during the C call), and a ``match`` that starts after a change
    returned always sees it. While changes keep coming, matches take the
    lock and read the router itself; the router publishes a snapshot again
    once it has answered ``16 + len(router) // 8`` matches with no change in
    between. (A change while a match is reading a published snapshot copies
    the subscriptions, which costs about as much as that many matches; a
    router that is changed often never pays it, one that is read mostly
    pays it at most once per burst of changes.)

    >>> with Router() as router:
    ...     router.subscribe("payment.#", 2)
    ...     router.subscribe("*.card.success", 1)
    ...     router.match("payment.card.success")
    True
    True
    [1, 2]
    """

    # The lock guards changes only; see `match` for the read path.
    _lock_free = True

    def __init__(self) -> None:
        self._attach(lib.herald_router_new(), lib.herald_router_free, "Router")
        self._changes = threading.Lock()
        # A snapshot of the current subscriptions, or None after a change.
        self._published: Any = None
        # Matches answered under the lock since the last change.
        self._unpublished_matches = 0
        self._subscriptions = 0

    def _shared(self) -> _Lease:
        return _Lease(self, self._changes.acquire, self._changes.release)

    _exclusive = _shared

    def _changing(self) -> Any:
        """Called with the lock held, before a change: the handle. Drops the
        published snapshot first, so the change happens in place unless a
        match is reading that snapshot right now."""
        router = self._live()
        self._published = None
        self._unpublished_matches = 0
        return router

    def subscribe(self, pattern: Text, subscriber: int) -> bool:
        """Subscribes ``subscriber`` to ``pattern``; True if the pair is new.

        Raises :class:`PatternError` for an invalid pattern and
        :class:`TooManyPatternsError` when the router is full.
        """
        data = _native.encode(pattern, "pattern")
        subscriber = _native.unsigned64(subscriber, "subscriber")
        added = ctypes.c_bool(False)
        with self._changes:
            router = self._changing()
            status = lib.herald_router_subscribe(
                router, data, len(data), subscriber, ctypes.byref(added), _native.error_slot()
            )
            _native.check(status, ((data, PatternError),))
            self._subscriptions += added.value
        return bool(added.value)

    def unsubscribe(self, pattern: Text, subscriber: int) -> bool:
        """Removes the pair (``pattern``, ``subscriber``); True if it existed."""
        data = _native.encode(pattern, "pattern")
        subscriber = _native.unsigned64(subscriber, "subscriber")
        removed = ctypes.c_bool(False)
        with self._changes:
            router = self._changing()
            status = lib.herald_router_unsubscribe(
                router, data, len(data), subscriber, ctypes.byref(removed), _native.error_slot()
            )
            _native.check(status, ((data, PatternError),))
            self._subscriptions -= removed.value
        return bool(removed.value)

    def match(self, topic: Text) -> List[int]:
        """The subscribers of ``topic``, each once, ascending.

        Raises :class:`TopicError` for an invalid topic (never an empty list).
        """
        snapshot = self._published
        if snapshot is not None:
            return _match(_SNAPSHOT_MATCH, snapshot, topic)
        return self._match_changed(topic)

    def _match_changed(self, topic: Text) -> List[int]:
        with self._changes:
            router = self._live()
            snapshot = self._published
            if snapshot is None:
                if self._unpublished_matches < 16 + self._subscriptions // 8:
                    self._unpublished_matches += 1
                    return _match(_ROUTER_MATCH, router, topic)
                snapshot = self._published = _new_snapshot(router)
        return _match(_SNAPSHOT_MATCH, snapshot, topic)

    def snapshot(self) -> RouterSnapshot:
        """An immutable copy of the current subscriptions, taken in O(1)."""
        return RouterSnapshot(self)

    def _snapshot_handle(self) -> Any:
        """A new reference to a snapshot of the current subscriptions. The
        router publishes it too: the subscriptions are shared from now on
        anyway."""
        with self._changes:
            router = self._live()
            snapshot = self._published
            if snapshot is None:
                snapshot = self._published = _new_snapshot(router)
            return _native.own(lib.herald_router_snapshot_clone(snapshot), lib.herald_router_snapshot_free)

    def close(self) -> None:
        """Releases the native router. Safe to call more than once."""
        with self._changes:
            self._handle = None
            self._published = None

    def __len__(self) -> int:
        """The number of (pattern, subscriber) pairs."""
        with self._changes:
            return int(lib.herald_router_len(self._live()))

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
        with self._changes:
            _native.check(lib.herald_debug_panic_router(self._changing(), _native.error_slot()))


class RouterSnapshot(NativeObject):
    """An immutable copy of a router's subscriptions.

    ``RouterSnapshot(router)`` is ``router.snapshot()``. Later changes to the
    router do not affect it, and it outlives its router.

    Thread safety: any number of threads may match against one snapshot at
    once, with no lock; nothing changes it but ``close``.
    """

    _lock_free = True

    def __init__(self, router: Router) -> None:
        if not isinstance(router, Router):
            raise TypeError(f"RouterSnapshot needs a Router, not {type(router).__name__}")
        self._kind = "RouterSnapshot"
        self._handle = router._snapshot_handle()

    def match(self, topic: Text) -> List[int]:
        """The subscribers of ``topic``, each once, ascending (see :meth:`Router.match`)."""
        snapshot = self._handle
        if snapshot is None:
            raise self._closed_error()
        return _match(_SNAPSHOT_MATCH, snapshot, topic)

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
        snapshot = self._live()
        copy = RouterSnapshot.__new__(RouterSnapshot)
        copy._attach(lib.herald_router_snapshot_clone(snapshot), lib.herald_router_snapshot_free, "RouterSnapshot")
        return copy

    __copy__ = copy

    def __deepcopy__(self, memo: object) -> RouterSnapshot:
        return self.copy()

    def __len__(self) -> int:
        """The number of (pattern, subscriber) pairs."""
        return int(lib.herald_router_snapshot_len(self._live()))

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
