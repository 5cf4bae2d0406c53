"""Vendor wire formats and the Orangepill realm protocol, sans-IO.

:func:`decode` turns a vendor's bytes (InPlayer notification JSON, an InPlayer
webhook form body, an Orangepill stream frame, an AccelByte lobby frame) into
a normalised :class:`WireEvent` plus the validation :class:`Report` of its
payload; :meth:`WireEvent.encode` gives the vendor's exact wire form back.
:class:`RealmHub` runs the realm subscription protocol for many client
connections: frames in, reply frames out, and who receives a realm's events.
Nothing here does IO or reads a clock: the caller passes the time.
"""

from __future__ import annotations

import ctypes
import enum
from dataclasses import dataclass
from typing import List, Mapping, Optional, Union

from . import _ffi, _native
from ._errors import WireError
from ._native import NativeObject, Text
from .catalogue import Catalogue
from .validation import Report, take_report

lib = _native.lib


class WireFormat(str, enum.Enum):
    """The wire formats, by their stable ids."""

    INPLAYER_NOTIFICATION = "inplayer-notification"
    INPLAYER_WEBHOOK = "inplayer-webhook"
    ORANGEPILL = "orangepill"
    ACCELBYTE_LOBBY = "accelbyte-lobby"

    @property
    def code(self) -> int:
        """The ``herald_wire_format`` value."""
        return list(WireFormat).index(self)


class RealmOutcome(enum.IntEnum):
    """``herald_realm_outcome``: what a realm client frame did."""

    SUBSCRIBED = 0
    ALREADY_SUBSCRIBED = 1
    UNSUBSCRIBED = 2
    NOT_SUBSCRIBED = 3
    INVALID_KEY = 4
    MALFORMED = 5

    @property
    def success(self) -> bool:
        """Whether the reply was the success pair (``info`` with the realm id, then the echo)."""
        return self not in (RealmOutcome.INVALID_KEY, RealmOutcome.MALFORMED)


_TIMESTAMP_UNIX = 1
_TIMESTAMP_TEXT = 2


class WireEvent(NativeObject):
    """A normalised event: format, name, id, timestamp (as sent) and payload.

    Made by :func:`decode` or :meth:`from_json`. The attributes are plain
    Python values copied when the event is made; :meth:`encode` and
    :meth:`to_json` use the native event.
    """

    format: WireFormat
    source: str
    name: str
    template_value: Optional[str]
    id: Optional[str]
    timestamp: Union[int, str, None]
    payload: bytes

    _lock_free = True

    def _adopt(self, pointer: object) -> None:
        self._attach(pointer, lib.herald_wire_event_free, "WireEvent")
        info = _ffi.HeraldWireEventInfo.sized()
        with self._shared() as event:
            _native.check(lib.herald_wire_event_describe(event, ctypes.byref(info), _native.error_slot()))
            self.format = list(WireFormat)[info.format]
            self.source = info.source.text()
            self.name = info.name.text()
            self.template_value = info.template_value.optional_text()
            self.id = info.id.text() if info.has_id else None
            if info.timestamp_kind == _TIMESTAMP_UNIX:
                self.timestamp = int(info.timestamp_unix)
            elif info.timestamp_kind == _TIMESTAMP_TEXT:
                self.timestamp = info.timestamp_text.text()
            else:
                self.timestamp = None
            self.payload = info.payload.data()

    @classmethod
    def from_json(cls, document: Text) -> WireEvent:
        """Reads an event from its JSON document (what :meth:`to_json` writes).

        Raises :class:`WireError` if the document is not one.
        """
        data = _native.encode(document, "document")
        out = _ffi.wire_event_p()
        _native.check(lib.herald_wire_event_from_json(data, len(data), ctypes.byref(out), _native.error_slot()))
        event = cls.__new__(cls)
        event._adopt(out)
        return event

    def encode(self) -> bytes:
        """The event in its format's exact wire form."""
        out = _ffi.buffer_p()
        with self._shared() as event:
            _native.check(lib.herald_wire_encode(event, ctypes.byref(out), _native.error_slot()))
        return _native.take_buffer(out)

    def to_json(self) -> str:
        """The event as a JSON document (format, name, id, timestamp, payload, envelope)."""
        out = _ffi.buffer_p()
        with self._shared() as event:
            _native.check(lib.herald_wire_event_to_json(event, ctypes.byref(out), _native.error_slot()))
        return _native.take_buffer(out).decode("utf-8")

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.WireEvent closed>"
        return f"<herald.WireEvent {self.format.value} {self.source} {self.name}>"


@dataclass(frozen=True)
class Decoded:
    """A decoded event and the validation report of its payload."""

    event: WireEvent
    report: Report


def _wire_format(format: Union[WireFormat, str]) -> WireFormat:
    """The format named by ``format``; a ValueError that lists the names otherwise."""
    try:
        return WireFormat(format)
    except ValueError:
        names = ", ".join(repr(known.value) for known in WireFormat)
        raise ValueError(f"unknown wire format {format!r}; the formats are {names}") from None


def decode(format: Union[WireFormat, str], data: Text, catalogue: Optional[Catalogue] = None) -> Decoded:
    """Decodes ``data`` in ``format`` into a normalised event, resolved in
    ``catalogue`` (the built-in one by default) and validated.

    Payload problems are :class:`Report` items; input that cannot be decoded
    at all (malformed JSON, escapes or brackets, a conflicting form shape, an
    unknown event) raises :class:`WireError` naming the rule and the key.

    >>> decoded = decode("orangepill", b'{"type":"notification","event":"user.created",'
    ...                  b'"data":"63967141191e9023f356df9f","timestamp":1671547687}')
    >>> decoded.event.source, decoded.event.name, decoded.event.timestamp, decoded.report.ok
    ('orangepill-stream', 'user.created', 1671547687, True)
    """
    wire_format = _wire_format(format)
    payload = _native.encode(data, "data")
    owner = catalogue if catalogue is not None else Catalogue.builtin()
    out_event = _ffi.wire_event_p()
    out_report = _ffi.report_p()
    with owner._shared() as handle:
        status = lib.herald_wire_decode(
            handle,
            wire_format.code,
            payload,
            len(payload),
            ctypes.byref(out_event),
            ctypes.byref(out_report),
            _native.error_slot(),
        )
    _native.check(status)
    event = WireEvent.__new__(WireEvent)
    event._adopt(out_event)
    return Decoded(event, take_report(out_report))


@dataclass(frozen=True)
class RealmReply:
    """The frames to send back for one client frame (always two) and what it did."""

    frames: List[bytes]
    outcome: RealmOutcome


class RealmHub(NativeObject):
    """The Orangepill realm subscription protocol for many client connections.

    ``keys`` maps each accepted realm key to the realm id sent back in
    ``info`` replies. Open a session per connection, feed it the client's
    frames with :meth:`handle` (passing the current time), send back the
    reply frames, and ask :meth:`recipients` who receives a realm's events.

    >>> hub = RealmHub({"REALM_KEY": "c9d4744c-0eae-4457-a665-2c18b9ac132b"})
    >>> session = hub.open()
    >>> reply = hub.handle(session, b'{"type":"subscribe","realm":"REALM_KEY"}', now=1671547687)
    >>> reply.outcome, reply.frames[0]
    (<RealmOutcome.SUBSCRIBED: 0>, b'{"type":"info","realm":"c9d4744c-0eae-4457-a665-2c18b9ac132b","timestamp":1671547687}')
    >>> hub.recipients("c9d4744c-0eae-4457-a665-2c18b9ac132b") == [session]
    True

    Thread safety: calls are serialised by the hub's lock.
    """

    def __init__(self, keys: Mapping[str, str]) -> None:
        keys_handle = lib.herald_realm_keys_new()
        hub = lib.herald_realm_hub_new()
        if not keys_handle or not hub:
            lib.herald_realm_keys_free(keys_handle)
            lib.herald_realm_hub_free(hub)
            raise MemoryError("cannot create a realm hub")
        self._keys = _Keys(keys_handle)
        for key, realm in keys.items():
            self._keys.add(key, realm)
        self._attach(hub, lib.herald_realm_hub_free, "RealmHub")

    def open(self) -> int:
        """Opens a session for a new connection and returns its id (from 1, never reused)."""
        session = ctypes.c_uint64(0)
        with self._exclusive() as hub:
            _native.check(lib.herald_realm_hub_open(hub, ctypes.byref(session), _native.error_slot()))
        return int(session.value)

    def close_session(self, session: int) -> None:
        """Closes a session (its connection went away). Raises :class:`UnknownSessionError`."""
        session = _native.unsigned64(session, "session")
        with self._exclusive() as hub:
            _native.check(lib.herald_realm_hub_close(hub, session, _native.error_slot()))

    def handle(self, session: int, frame: Text, now: int) -> RealmReply:
        """Feeds one client frame of ``session``; ``now`` is Unix seconds for the replies.

        A malformed frame or a bad key is not an exception: it gets the
        failure reply, and the session stays usable.
        """
        session = _native.unsigned64(session, "session")
        data = _native.encode(frame, "frame")
        if not isinstance(now, int):
            raise TypeError(f"now must be an int (Unix seconds), not {type(now).__name__}")
        frames = _ffi.list_p()
        outcome = ctypes.c_int32(-1)
        with self._exclusive() as hub, self._keys._shared() as keys:
            status = lib.herald_realm_hub_handle(
                hub, session, data, len(data), now, keys, ctypes.byref(frames), ctypes.byref(outcome),
                _native.error_slot(),
            )
        _native.check(status)
        return RealmReply(_native.take_list(frames), RealmOutcome(outcome.value))

    def recipients(self, realm: Text) -> List[int]:
        """The sessions subscribed to ``realm`` (a realm id), ascending."""
        data = _native.encode(realm, "realm")
        with self._shared() as hub:
            return _native.read_ids(lib.herald_realm_hub_recipients, hub, data, ())

    def close(self) -> None:
        """Frees the hub and its key set. Safe to call more than once."""
        super().close()
        keys = getattr(self, "_keys", None)
        if keys is not None:
            keys.close()


class _Keys(NativeObject):
    """The hub's accepted realm keys (``herald_realm_keys``)."""

    def __init__(self, pointer: object) -> None:
        self._attach(pointer, lib.herald_realm_keys_free, "RealmKeys")

    def add(self, key: str, realm: str) -> None:
        key_data = _native.encode(key, "key")
        realm_data = _native.encode(realm, "realm")
        with self._exclusive() as keys:
            status = lib.herald_realm_keys_add(
                keys, key_data, len(key_data), realm_data, len(realm_data), _native.error_slot()
            )
        _native.check(status)


__all__ = ["Decoded", "RealmHub", "RealmOutcome", "RealmReply", "WireError", "WireEvent", "WireFormat", "decode"]
