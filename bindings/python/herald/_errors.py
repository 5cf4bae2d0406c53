"""Statuses and exceptions: the one place that maps a C status to a Python class.

Every failure carries the library's ``status``, its stable ``code`` (such as
``"empty_segment"``), a message naming what was wrong and where, and a
``pointer`` (a JSON Pointer into a payload or a path inside a catalogue
document) or ``None``. This module never calls the library.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Sequence, Tuple, Type, Union


class Status(enum.IntEnum):
    """``herald_status``: the result of a C call. Numbers are stable."""

    OK = 0
    NULL_ARGUMENT = 1
    INVALID_UTF8 = 2
    BUFFER_TOO_SMALL = 3
    INVALID_ARGUMENT = 4
    PANIC = 5
    POISONED = 6
    OUT_OF_RANGE = 7
    INVALID_TOPIC = 100
    INVALID_PATTERN = 101
    INVALID_CATALOGUE = 200
    UNKNOWN_SOURCE = 201
    UNKNOWN_EVENT = 202
    UNKNOWN_SCHEMA = 203
    NO_SCHEMA = 204
    TOO_MANY_PATTERNS = 300
    DUPLICATE_WEBHOOK = 400
    UNKNOWN_WEBHOOK = 401
    INVALID_URL = 402
    TOO_MANY_URLS = 403
    INVALID_WIRE = 500
    UNKNOWN_SESSION = 501
    SIGNATURE_REJECTED = 600
    INVALID_SECRET = 601
    DUPLICATE_MESSAGE = 602
    REPLAY_GUARD_FULL = 603
    CANNOT_SIGN = 604
    INVALID_PLAN_OPTIONS = 700
    UNTRANSLATABLE = 701


def as_status(value: int) -> Union[Status, int]:
    """``value`` as a :class:`Status`, or the plain int for a status this package does not know."""
    try:
        return Status(value)
    except ValueError:
        return value


class HeraldError(Exception):
    """A call into libherald failed.

    Attributes:
        status: the C status (a :class:`Status`, or an int for a newer one).
        code: the stable machine-readable code, e.g. ``"empty_segment"``.
        message: what was wrong and where, for people.
        pointer: a JSON Pointer into a payload or a path inside a catalogue
            document, or ``None`` when the failure has no location.
    """

    def __init__(self, status: int, code: str, message: str, pointer: Optional[str] = None) -> None:
        super().__init__(status, code, message, pointer)
        self.status = as_status(status)
        self.code = code
        self.message = message
        self.pointer = pointer

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={int(self.status)}, code={self.code!r}, "
            f"message={self.message!r}, pointer={self.pointer!r})"
        )


class ArgumentError(HeraldError, ValueError):
    """An argument the library refused: out of its domain or not valid UTF-8."""


class InternalError(HeraldError, RuntimeError):
    """The library caught an internal panic (``Status.PANIC``); the object involved is now poisoned."""


class PoisonedError(InternalError):
    """The object saw an internal panic earlier (``Status.POISONED``); close it and make a new one."""


class TopicError(HeraldError, ValueError):
    """A topic (event name) breaks the topic syntax."""


class PatternError(HeraldError, ValueError):
    """A subscription pattern breaks the pattern syntax."""


class CatalogueError(HeraldError, ValueError):
    """A catalogue document could not be loaded, or a catalogue lookup failed."""


class UnknownSourceError(CatalogueError, LookupError):
    """The catalogue has no source with this id."""


class UnknownEventError(CatalogueError, LookupError):
    """The source has no event with this name."""


class UnknownSchemaError(CatalogueError, LookupError):
    """The catalogue's ``schemas`` table has no schema with this name."""


class NoSchemaError(CatalogueError):
    """The event has no payload schema to validate against."""


class RouterError(HeraldError):
    """A router refused a change."""


class TooManyPatternsError(RouterError):
    """The router holds as many distinct patterns as its limit allows."""


class EndpointError(HeraldError, ValueError):
    """A webhook endpoint set refused a change; the set is as it was."""


class DuplicateWebhookError(EndpointError):
    """A webhook with this id is already in the set."""


class UnknownWebhookError(EndpointError, LookupError):
    """The set has no webhook with this id."""


class InvalidUrlError(EndpointError):
    """A webhook URL is empty or contains whitespace or control characters."""


class WireError(HeraldError, ValueError):
    """Wire bytes or an event document could not be decoded or encoded (``Status.INVALID_WIRE``)."""


class UnknownSessionError(WireError, LookupError):
    """The realm hub has no session with this id (``Status.UNKNOWN_SESSION``)."""


class TooManyUrlsError(EndpointError):
    """The change would make more distinct URLs receive than the cap allows."""


class SignatureError(HeraldError, ValueError):
    """A webhook is not authentic (``Status.SIGNATURE_REJECTED``), or a secret or
    the replay guard refused it (the subclasses).

    ``code`` is the stable outcome: ``missing_header``, ``malformed_header``,
    ``malformed_timestamp``, ``timestamp_too_old``, ``timestamp_too_new``,
    ``no_supported_signature``, ``no_matching_signature``, ``invalid_secret``,
    ``duplicate`` or ``replay_guard_full`` (see ``herald.SIGNATURE_CODES``).
    The message never says which byte of a signature differed.
    """


class InvalidSecretError(SignatureError):
    """A secret is empty or cannot be decoded for its scheme (code ``invalid_secret``)."""


class ReplayError(SignatureError):
    """The replay guard refused a message id (the subclasses say why)."""


class DuplicateMessageError(ReplayError):
    """The message id was admitted within the replay window (code ``duplicate``)."""


class ReplayGuardFullError(ReplayError):
    """The replay guard holds its capacity of live ids (code ``replay_guard_full``)."""


class SigningError(HeraldError, ValueError):
    """A message cannot be signed as given (``Status.CANNOT_SIGN``; the code says why)."""


class BrokerError(HeraldError, ValueError):
    """A broker plan could not be made (the subclasses say why)."""


class PlanOptionsError(BrokerError):
    """Plan options that cannot be used together (``Status.INVALID_PLAN_OPTIONS``)."""


class UntranslatableError(BrokerError):
    """The broker cannot carry this topic (``Status.UNTRANSLATABLE``; the code says why)."""


_CLASSES: Dict[int, Type[HeraldError]] = {
    Status.NULL_ARGUMENT: ArgumentError,
    Status.INVALID_UTF8: ArgumentError,
    Status.INVALID_ARGUMENT: ArgumentError,
    Status.PANIC: InternalError,
    Status.POISONED: PoisonedError,
    Status.INVALID_TOPIC: TopicError,
    Status.INVALID_PATTERN: PatternError,
    Status.INVALID_CATALOGUE: CatalogueError,
    Status.UNKNOWN_SOURCE: UnknownSourceError,
    Status.UNKNOWN_EVENT: UnknownEventError,
    Status.UNKNOWN_SCHEMA: UnknownSchemaError,
    Status.NO_SCHEMA: NoSchemaError,
    Status.TOO_MANY_PATTERNS: TooManyPatternsError,
    Status.DUPLICATE_WEBHOOK: DuplicateWebhookError,
    Status.UNKNOWN_WEBHOOK: UnknownWebhookError,
    Status.INVALID_URL: InvalidUrlError,
    Status.TOO_MANY_URLS: TooManyUrlsError,
    Status.INVALID_WIRE: WireError,
    Status.UNKNOWN_SESSION: UnknownSessionError,
    Status.SIGNATURE_REJECTED: SignatureError,
    Status.INVALID_SECRET: InvalidSecretError,
    Status.DUPLICATE_MESSAGE: DuplicateMessageError,
    Status.REPLAY_GUARD_FULL: ReplayGuardFullError,
    Status.CANNOT_SIGN: SigningError,
    Status.INVALID_PLAN_OPTIONS: PlanOptionsError,
    Status.UNTRANSLATABLE: UntranslatableError,
}

#: Which input a text argument is, so that bad UTF-8 in it raises that
#: input's class: a topic that is not UTF-8 is a :class:`TopicError`.
TextInputs = Sequence[Tuple[bytes, Type[HeraldError]]]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def error_class(status: int, texts: TextInputs = ()) -> Type[HeraldError]:
    """The exception class for ``status``.

    ``Status.INVALID_UTF8`` raises the class of the first text input in
    ``texts`` that is not UTF-8 (the library checks them in argument order).
    """
    if status == Status.INVALID_UTF8:
        for data, cls in texts:
            if not _is_utf8(data):
                return cls
    return _CLASSES.get(status, HeraldError)


def make_error(
    status: int,
    code: str,
    message: str,
    pointer: Optional[str] = None,
    texts: TextInputs = (),
) -> HeraldError:
    """The exception for a failed call (``pointer`` ``""`` becomes ``None``)."""
    return error_class(status, texts)(status, code, message, pointer or None)
