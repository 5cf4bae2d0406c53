"""Webhook authenticity: verify (and sign) the signatures InPlayer, Orangepill,
Standard Webhooks (Svix) and Stripe-style senders put on a webhook, and refuse
replays.

A :class:`KeySet` holds the secrets a receiver accepts for one scheme (more
than one during a rotation); :func:`verify` checks a request's headers and its
raw body against them and returns which key matched, or raises
:class:`~herald.SignatureError` with a stable ``code``;
:func:`verify_then_decode` decodes the body only after it verified;
:class:`ReplayGuard` refuses a second delivery of a message id. The checks
themselves live in the library; this module converts arguments and results.

>>> keys = KeySet("standard-webhooks", ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
>>> headers = {
...     "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
...     "webhook-timestamp": "1614265330",
...     "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
... }
>>> verify(keys, headers, b'{"test": 2432232314}', now=1614265400, tolerance=300)
Verified(key=0, id='msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp=1614265330)
>>> verify(keys, headers, b'{"test": 2432232315}', now=1614265400, tolerance=300)
Traceback (most recent call last):
    ...
herald.SignatureError: no signature in webhook-signature matches a key
"""

from __future__ import annotations

import ctypes
import enum
import time
from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from . import _ffi, _native
from ._errors import SignatureError
from ._native import NativeObject, Text
from .catalogue import Catalogue
from .validation import Report, take_report
from .wire import WireEvent, WireFormat, _wire_format

lib = _native.lib

#: The stable outcome codes, in their stable order (``herald_signature_code``);
#: :attr:`SignatureError.code <herald.HeraldError.code>` is one of them.
SIGNATURE_CODES: Tuple[str, ...] = (
    "missing_header",
    "malformed_header",
    "malformed_timestamp",
    "timestamp_too_old",
    "timestamp_too_new",
    "no_supported_signature",
    "no_matching_signature",
    "invalid_secret",
    "duplicate",
    "replay_guard_full",
)

#: Five minutes: the tolerance of the Standard Webhooks reference libraries,
#: and the default of :func:`verify`.
REFERENCE_TOLERANCE = 300

_TOLERANCE_NO_CHECK = -1
_INT64_MAX = (1 << 63) - 1


class Scheme(str, enum.Enum):
    """The signature schemes, by their stable ids."""

    INPLAYER = "inplayer"
    ORANGEPILL = "orangepill"
    STANDARD_WEBHOOKS = "standard-webhooks"
    STRIPE = "stripe"

    @property
    def code(self) -> int:
        """The ``herald_scheme`` value."""
        return list(Scheme).index(self)


class Tolerance(enum.Enum):
    """How to turn the timestamp check off: ``tolerance=Tolerance.NO_CHECK``.

    A tolerance is otherwise seconds (an ``int``). ``None`` is refused, so
    that a missing setting never turns the check off by accident.
    """

    NO_CHECK = "no-check"


#: What a ``tolerance`` argument takes.
ToleranceArg = Union[int, Tolerance]

#: Received headers: a mapping (``dict``, a framework's header object with
#: ``.items()``) or an iterable of ``(name, value)`` pairs; names and values
#: are ``str`` (UTF-8) or ``bytes``. Pairs keep repeated headers, which the
#: library refuses as malformed (either value could be the signed one).
Headers = Union[Mapping[Any, Any], Iterable[Tuple[Text, Text]]]


def _scheme(scheme: Union[Scheme, str]) -> Scheme:
    try:
        return Scheme(scheme)
    except ValueError:
        names = ", ".join(repr(known.value) for known in Scheme)
        raise ValueError(f"unknown signature scheme {scheme!r}; the schemes are {names}") from None


def _seconds(value: object, what: str) -> int:
    """A unix time in seconds that fits an ``int64_t``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int (unix seconds), not {type(value).__name__}")
    if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
        raise ValueError(f"{what} {value} does not fit in 64 bits")
    return value


def _now(now: Optional[int]) -> int:
    """``now``, or the system clock when it is ``None``."""
    return int(time.time()) if now is None else _seconds(now, "now")


def _tolerance(tolerance: object) -> int:
    """The ``tolerance`` argument of ``herald_verify``."""
    if tolerance is Tolerance.NO_CHECK:
        return _TOLERANCE_NO_CHECK
    if tolerance is None:
        raise TypeError(
            "tolerance must be seconds (an int) or herald.Tolerance.NO_CHECK; None is refused so that the "
            "timestamp check is never turned off by accident"
        )
    if isinstance(tolerance, bool) or not isinstance(tolerance, int):
        raise TypeError(f"tolerance must be seconds (an int) or herald.Tolerance.NO_CHECK, not {tolerance!r}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be 0 seconds or more, got {tolerance}")
    return min(tolerance, _INT64_MAX)


class _HeaderArray:
    """The caller's headers as a ``herald_header`` array (which keeps the bytes alive)."""

    def __init__(self, headers: Headers) -> None:
        # Mappings, and header objects that are not Mappings but have `.items()`.
        items_of = getattr(headers, "items", None)
        items: Iterable[Tuple[Any, Any]] = items_of() if callable(items_of) else headers
        pairs = [(_native.encode(name, "header name"), _native.encode(value, "header value")) for name, value in items]
        self.count = len(pairs)
        self.array = (_ffi.HeraldHeader * max(self.count, 1))()
        for slot, (name, value) in zip(self.array, pairs):
            slot.name = name
            slot.name_len = len(name)
            slot.value = value
            slot.value_len = len(value)


class KeySet(NativeObject):
    """The keys a receiver accepts for one scheme, in order.

    Secrets are parsed once, when added: InPlayer, Orangepill and Stripe use
    the secret as given (a Stripe ``whsec_`` prefix is part of the key);
    Standard Webhooks reads ``whsec_`` + base64 (HMAC, ``v1``) and ``whpk_`` /
    ``whsk_`` ed25519 keys (``v1a``). During a rotation the set holds the old
    and the new secret; :attr:`Verified.key` says which one matched.

    >>> keys = KeySet(Scheme.STRIPE, ["whsec_old"])
    >>> keys.add("whsec_new")
    1
    >>> keys.remove(0)
    >>> len(keys), keys.scheme
    (1, <Scheme.STRIPE: 'stripe'>)

    Thread safety: adding and removing take the set alone; any number of
    threads may verify with it at once.
    """

    def __init__(self, scheme: Union[Scheme, str], secrets: Iterable[Text] = ()) -> None:
        chosen = _scheme(scheme)
        out = _ffi.key_set_p()
        _native.check(lib.herald_key_set_new(chosen.code, ctypes.byref(out), _native.error_slot()))
        self._attach(out, lib.herald_key_set_free, "KeySet")
        self._scheme = chosen
        for secret in secrets:
            self.add(secret)

    @property
    def scheme(self) -> Scheme:
        """The scheme the keys are for."""
        return self._scheme

    def add(self, secret: Text) -> int:
        """Parses ``secret`` and appends it; returns its index.

        Raises :class:`~herald.InvalidSecretError` (code ``invalid_secret``)
        for an empty secret or one that does not decode for the scheme; the
        set is then unchanged, and the message never repeats the secret.
        """
        data = _native.encode(secret, "secret")
        index = ctypes.c_size_t(0)
        with self._exclusive() as keys:
            status = lib.herald_key_set_add(keys, data, len(data), ctypes.byref(index), _native.error_slot())
        _native.check(status)
        return int(index.value)

    def remove(self, index: int) -> None:
        """Removes the key at ``index`` (the keys after it move down by one).

        Raises ``IndexError`` when there is none.
        """
        position = _native.size(index, "index")
        with self._exclusive() as keys:
            if position >= lib.herald_key_set_len(keys):
                raise IndexError(f"the key set has no key {position}")
            status = lib.herald_key_set_remove(keys, position, _native.error_slot())
        _native.check(status)

    def __len__(self) -> int:
        with self._shared() as keys:
            return int(lib.herald_key_set_len(keys))

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.KeySet closed>"
        return f"<herald.KeySet {self._scheme.value}, {len(self)} keys>"


@dataclass(frozen=True)
class Verified:
    """What a verified message's signature vouched for.

    ``key`` is the index in the :class:`KeySet` of the key that matched (the
    first one, when several do); ``id`` the signed message id (Standard
    Webhooks' ``webhook-id``) and ``timestamp`` the signed unix time, each
    ``None`` when the scheme did not sign one. Give ``id`` and ``timestamp``
    to :meth:`ReplayGuard.admit`.
    """

    key: int
    id: Optional[str]
    timestamp: Optional[int]


def _verified(raw: _ffi.HeraldVerified) -> Verified:
    return Verified(
        int(raw.key),
        raw.id.text() if raw.has_id else None,
        int(raw.timestamp) if raw.has_timestamp else None,
    )


def verify(
    keys: KeySet,
    headers: Headers,
    body: Text,
    now: Optional[int] = None,
    tolerance: ToleranceArg = REFERENCE_TOLERANCE,
) -> Verified:
    """Verifies a webhook against ``keys``.

    ``headers`` are the request's headers (names in any letter case);
    ``body`` is the raw body exactly as received (``bytes``; a ``str`` is
    encoded as UTF-8, which is only right if that is how it arrived). ``now``
    is unix seconds, the system clock when ``None``. ``tolerance`` is how many
    seconds a signed timestamp may be from ``now`` either way (default
    :data:`REFERENCE_TOLERANCE`, 300); :attr:`Tolerance.NO_CHECK` turns the
    check off, ``None`` is refused.

    Returns a :class:`Verified`. Raises :class:`~herald.SignatureError` whose
    ``code`` is the stable outcome (``missing_header``, ``malformed_header``,
    ``malformed_timestamp``, ``timestamp_too_old``, ``timestamp_too_new``,
    ``no_supported_signature``, ``no_matching_signature``).
    """
    data = _native.encode(body, "body")
    at = _now(now)
    window = _tolerance(tolerance)
    received = _HeaderArray(headers)
    out = _ffi.HeraldVerified.sized()
    with keys._shared() as handle:
        status = lib.herald_verify(
            handle, received.array, received.count, data, len(data), at, window, ctypes.byref(out),
            _native.error_slot(),
        )
    _native.check(status)
    return _verified(out)


def sign(
    keys: KeySet,
    body: Text,
    *,
    id: Optional[Text] = None,
    timestamp: Optional[int] = None,
) -> List[Tuple[str, str]]:
    """The headers to send with ``body``, signed with every key of ``keys``,
    as ``(name, value)`` pairs in the scheme's order.

    What each scheme signs: ``inplayer`` the body only; ``orangepill`` the
    body and optionally a ``timestamp``; ``standard-webhooks`` an ``id`` and a
    ``timestamp``; ``stripe`` a ``timestamp``. A field the scheme does not
    sign raises :class:`~herald.SigningError` (code ``not_signed``) rather
    than being dropped; so do a missing one and an empty key set.

    >>> keys = KeySet("standard-webhooks", ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
    >>> sign(keys, b'{"test": 2432232314}', id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330)[2]
    ('webhook-signature', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
    """
    data = _native.encode(body, "body")
    id_data = None if id is None else _native.encode(id, "id")
    has_timestamp = timestamp is not None
    stamp = 0 if timestamp is None else _seconds(timestamp, "timestamp")
    lines = _ffi.list_p()
    with keys._shared() as handle:
        status = lib.herald_sign(
            handle, id_data, 0 if id_data is None else len(id_data), has_timestamp, stamp, data, len(data),
            ctypes.byref(lines), _native.error_slot(),
        )
    _native.check(status)
    sent: List[Tuple[str, str]] = []
    for line in _native.take_list(lines):
        name, _, value = line.decode("utf-8").partition(": ")
        sent.append((name, value))
    return sent


class ReplayGuard(NativeObject):
    """Remembers the ids of verified messages for ``window`` seconds (use the
    verification tolerance) and refuses a second delivery of one; holds at
    most ``capacity`` ids.

    >>> guard = ReplayGuard(300, 10_000)
    >>> guard.admit("msg_1", signed_at=1000, now=1000)
    >>> guard.admit("msg_1", signed_at=1000, now=1200)
    Traceback (most recent call last):
        ...
    herald.DuplicateMessageError: this message id was already accepted within the replay window
    >>> guard.admit("msg_1", signed_at=1000, now=1301)  # forgotten after the window

    Thread safety: calls take the guard alone.
    """

    def __init__(self, window: int, capacity: int) -> None:
        self._window = _native.unsigned64(window, "window")
        self._capacity = _native.size(capacity, "capacity")
        self._attach(lib.herald_replay_guard_new(self._window, self._capacity), lib.herald_replay_guard_free,
                     "ReplayGuard")

    @property
    def window(self) -> int:
        """How long, in seconds, an id is remembered."""
        return self._window

    @property
    def capacity(self) -> int:
        """The most ids the guard holds."""
        return self._capacity

    def admit(self, id: Text, signed_at: Optional[int] = None, now: Optional[int] = None) -> None:
        """Admits the message ``id`` at ``now`` (the system clock when ``None``).

        ``signed_at`` is the message's verified timestamp (:attr:`Verified.timestamp`);
        the id is remembered until ``max(now, signed_at) + window``. Raises
        :class:`~herald.DuplicateMessageError` (code ``duplicate``) for an id
        admitted within its window, and :class:`~herald.ReplayGuardFullError`
        (code ``replay_guard_full``) when the guard holds ``capacity`` live
        ids: it refuses rather than forget one. A refused id is not recorded.
        Give it only ids a signature vouched for.
        """
        data = _native.encode(id, "id")
        stamp = 0 if signed_at is None else _seconds(signed_at, "signed_at")
        at = _now(now)
        with self._exclusive() as guard:
            status = lib.herald_replay_guard_admit(
                guard, data, len(data), signed_at is not None, stamp, at, _native.error_slot()
            )
        _native.check(status)

    def forget_expired(self, now: Optional[int] = None) -> None:
        """Forgets every id whose window ended before ``now`` (:meth:`admit` does this itself)."""
        at = _now(now)
        with self._exclusive() as guard:
            _native.check(lib.herald_replay_guard_forget_expired(guard, at, _native.error_slot()))

    def __len__(self) -> int:
        with self._shared() as guard:
            return int(lib.herald_replay_guard_len(guard))

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.ReplayGuard closed>"
        return f"<herald.ReplayGuard window={self._window}s, {len(self)} of {self._capacity} ids>"


@dataclass(frozen=True)
class Authentic:
    """A verified and decoded webhook: what the signature vouched for, the
    event the verified bytes decode to, and its validation report."""

    verified: Verified
    event: WireEvent
    report: Report

    @property
    def message_id(self) -> Optional[str]:
        """The id for the :class:`ReplayGuard`: the signed header id (Standard
        Webhooks), else the body's own id (InPlayer's ``id``, which the
        signature covers too)."""
        return self.verified.id if self.verified.id is not None else self.event.id


def verify_then_decode(
    keys: KeySet,
    headers: Headers,
    body: Text,
    format: Union[WireFormat, str],
    now: Optional[int] = None,
    tolerance: ToleranceArg = REFERENCE_TOLERANCE,
    catalogue: Optional[Catalogue] = None,
) -> Authentic:
    """Verifies as :func:`verify` does, and only then decodes the same raw
    bytes as :func:`~herald.decode` does (in ``catalogue``, the built-in one
    by default). A body that does not verify is never decoded.

    The natural pairs: ``inplayer`` with ``inplayer-webhook`` (the raw form
    body); ``orangepill`` and ``standard-webhooks`` bodies are JSON events
    (``orangepill``, ``inplayer-notification``). Raises
    :class:`~herald.SignatureError` (nothing decoded) or, after a successful
    verification, :class:`~herald.WireError`.
    """
    wire_format = _wire_format(format)
    data = _native.encode(body, "body")
    at = _now(now)
    window = _tolerance(tolerance)
    received = _HeaderArray(headers)
    owner = catalogue if catalogue is not None else Catalogue.builtin()
    out = _ffi.HeraldVerified.sized()
    out_event = _ffi.wire_event_p()
    out_report = _ffi.report_p()
    with keys._shared() as handle, owner._shared() as catalogue_handle:
        status = lib.herald_verify_then_decode(
            handle, received.array, received.count, data, len(data), at, window, catalogue_handle,
            wire_format.code, ctypes.byref(out), ctypes.byref(out_event), ctypes.byref(out_report),
            _native.error_slot(),
        )
    _native.check(status)
    verified = _verified(out)
    event = WireEvent.__new__(WireEvent)
    event._adopt(out_event)
    return Authentic(verified, event, take_report(out_report))


__all__ = [
    "REFERENCE_TOLERANCE",
    "SIGNATURE_CODES",
    "Authentic",
    "Headers",
    "KeySet",
    "ReplayGuard",
    "Scheme",
    "SignatureError",
    "Tolerance",
    "Verified",
    "sign",
    "verify",
    "verify_then_decode",
]
