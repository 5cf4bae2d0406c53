"""Webhook endpoint sets: webhooks (id, URL, selected events, enabled) with a
cap on how many distinct URLs may receive at the same time (InPlayer: 10).

Every refused change raises an :class:`EndpointError` (or a
:class:`PatternError` for a bad event pattern) and leaves the set as it was.
"""

from __future__ import annotations

import ctypes
from typing import Iterable, List

from . import _ffi, _native
from ._errors import InvalidUrlError, PatternError, TopicError
from ._native import NativeObject, Text

lib = _native.lib

#: InPlayer's cap: at most 10 distinct URLs receive webhooks at the same time.
DEFAULT_MAX_URLS = _ffi.DEFAULT_MAX_URLS


class EndpointSet(NativeObject):
    """A set of webhooks sharing a cap on distinct receiving URLs.

    Thread safety: may be shared between threads; changes take an internal
    lock alone, ``deliveries`` and the counts run in parallel with each other.

    >>> with EndpointSet() as hooks:
    ...     hooks.add(1, "https://hooks.example/a", ["subscribe.#"])
    ...     hooks.deliveries("subscribe.expired")
    ['https://hooks.example/a']
    """

    def __init__(self, max_urls: int = DEFAULT_MAX_URLS) -> None:
        self._max_urls = _native.size(max_urls, "max_urls")
        self._attach(lib.herald_endpoints_new(self._max_urls), lib.herald_endpoints_free, "EndpointSet")

    @property
    def max_urls(self) -> int:
        """The most distinct URLs that may receive at once."""
        return self._max_urls

    def add(self, id: int, url: Text, events: Iterable[Text], enabled: bool = True) -> None:
        """Adds webhook ``id`` sending to ``url`` the events selected by ``events``
        (exact names or patterns such as ``subscribe.#``).

        Raises :class:`DuplicateWebhookError`, :class:`InvalidUrlError`,
        :class:`PatternError`, or :class:`TooManyUrlsError` when an enabled
        webhook's URL would exceed the cap (added disabled, it fits).
        """
        webhook = _native.unsigned64(id, "id")
        url_data = _native.encode(url, "url")
        if isinstance(events, (str, bytes, bytearray, memoryview)):
            raise TypeError("events must be a list of event names or patterns, not a single one")
        patterns = [_native.encode(event, "event") for event in events]
        views = (_ffi.HeraldStr * len(patterns))()
        for view, pattern in zip(views, patterns):
            # The views borrow `patterns`, which outlives the call.
            view.ptr = ctypes.cast(ctypes.c_char_p(pattern), ctypes.c_void_p).value
            view.len = len(pattern)
        texts = [(url_data, InvalidUrlError)] + [(pattern, PatternError) for pattern in patterns]
        with self._exclusive() as endpoints:
            status = lib.herald_endpoints_add(
                endpoints,
                webhook,
                url_data,
                len(url_data),
                views if patterns else None,
                len(patterns),
                bool(enabled),
                _native.error_slot(),
            )
            _native.check(status, texts)

    def remove(self, id: int) -> None:
        """Removes webhook ``id``; :class:`UnknownWebhookError` if there is none."""
        webhook = _native.unsigned64(id, "id")
        with self._exclusive() as endpoints:
            _native.check(lib.herald_endpoints_remove(endpoints, webhook, _native.error_slot()))

    def enable(self, id: int) -> bool:
        """Enables webhook ``id``; True if it was disabled.

        Raises :class:`TooManyUrlsError` (nothing changed) if its URL would
        exceed the cap, :class:`UnknownWebhookError` if there is no such webhook.
        """
        webhook = _native.unsigned64(id, "id")
        changed = ctypes.c_bool(False)
        with self._exclusive() as endpoints:
            status = lib.herald_endpoints_enable(endpoints, webhook, ctypes.byref(changed), _native.error_slot())
            _native.check(status)
        return bool(changed.value)

    def disable(self, id: int) -> bool:
        """Disables webhook ``id``; True if it was enabled."""
        webhook = _native.unsigned64(id, "id")
        changed = ctypes.c_bool(False)
        with self._exclusive() as endpoints:
            status = lib.herald_endpoints_disable(endpoints, webhook, ctypes.byref(changed), _native.error_slot())
            _native.check(status)
        return bool(changed.value)

    def __len__(self) -> int:
        """The number of webhooks, enabled or not."""
        with self._shared() as endpoints:
            return int(lib.herald_endpoints_len(endpoints))

    def receiving_count(self) -> int:
        """The number of distinct URLs of enabled webhooks (never above ``max_urls``)."""
        with self._shared() as endpoints:
            return int(lib.herald_endpoints_receiving_count(endpoints))

    def deliveries(self, event: Text) -> List[str]:
        """The URLs ``event`` must be delivered to: sorted, each once, enabled
        webhooks that selected it. :class:`TopicError` for an invalid event name."""
        data = _native.encode(event, "event")
        out = _ffi.list_p()
        with self._shared() as endpoints:
            status = lib.herald_endpoints_deliveries(endpoints, data, len(data), ctypes.byref(out), _native.error_slot())
        _native.check(status, ((data, TopicError),))
        return [url.decode("utf-8") for url in _native.take_list(out)]

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.EndpointSet closed>"
        return f"<herald.EndpointSet webhooks={len(self)} receiving={self.receiving_count()} max_urls={self.max_urls}>"
