"""herald: event catalogue, payload validation and topic routing for payment,
identity and wallet platform events.

Pure ctypes over libherald (the C ABI of the herald Rust library), which the
package ships. Quick tour::

    import herald

    herald.matches("payment.#", "payment.card.success")          # True

    with herald.Router() as router:
        router.subscribe("payment.#", 2)
        router.subscribe("*.card.success", 1)
        router.match("payment.card.success")                      # [1, 2]

    catalogue = herald.Catalogue.builtin()
    report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload_bytes)
    report.ok, [(issue.code, issue.pointer) for issue in report.errors]

Text arguments take ``str`` (encoded as UTF-8) or ``bytes`` (passed as they
are, so invalid UTF-8 reaches the library and comes back as its
``invalid_utf8`` error or report item).

Threads: the C calls release the GIL. :class:`Catalogue`, :class:`Validator`
and :class:`RouterSnapshot` may be used by any number of threads at once,
with no lock. :class:`Router` may be shared too: changes take an internal
lock, matches read the snapshot published after the last change.
:class:`EndpointSet` changes take a lock alone, its reads run in parallel
with each other. Closing an object never frees it under a call in progress
on another thread.
"""

from __future__ import annotations

from . import _ffi
from ._errors import (
    ArgumentError,
    CatalogueError,
    DuplicateWebhookError,
    EndpointError,
    HeraldError,
    InternalError,
    InvalidUrlError,
    NoSchemaError,
    PatternError,
    PoisonedError,
    RouterError,
    Status,
    TooManyPatternsError,
    TooManyUrlsError,
    TopicError,
    UnknownEventError,
    UnknownSchemaError,
    UnknownSourceError,
    UnknownSessionError,
    UnknownWebhookError,
    WireError,
    SignatureError,
    InvalidSecretError,
    ReplayError,
    DuplicateMessageError,
    ReplayGuardFullError,
    SigningError,
    BrokerError,
    PlanOptionsError,
    UntranslatableError,
)
from .catalogue import Catalogue, Event, EventFlags
from .endpoints import DEFAULT_MAX_URLS, EndpointSet
from .routing import MatchCache, Pattern, Router, RouterSnapshot, Topic, matches, validate_pattern, validate_topic
from .validation import Issue, Limits, Report, Validator
from .wire import Decoded, RealmHub, RealmOutcome, RealmReply, WireEvent, WireFormat, decode
from .signature import (
    REFERENCE_TOLERANCE,
    SIGNATURE_CODES,
    Authentic,
    KeySet,
    ReplayGuard,
    Scheme,
    Tolerance,
    Verified,
    sign,
    verify,
    verify_then_decode,
)
from . import broker

#: The version of this package.
__version__ = "0.1.0"

#: The C ABI version this package speaks (``HERALD_ABI_VERSION``).
ABI_VERSION: int = _ffi.ABI_VERSION


def library_version() -> str:
    """The version of the loaded libherald, e.g. ``"0.1.0"``."""
    return _ffi.version()


def library_path() -> str:
    """Where the loaded libherald came from."""
    return _ffi.library_path


def status_text(status: int) -> str:
    """The library's description of a status (``"unknown status"`` for unknown values)."""
    raw = _ffi.lib.herald_status_str(int(status))
    return raw.decode("utf-8") if raw else ""


def _public_module() -> None:
    # Public classes report `herald` as their module (tracebacks, pickles, docs).
    for name in __all__:
        value = globals()[name]
        if isinstance(value, type):
            value.__module__ = __name__


__all__ = [
    "ABI_VERSION",
    "DEFAULT_MAX_URLS",
    "Decoded",
    "ArgumentError",
    "Catalogue",
    "CatalogueError",
    "DuplicateWebhookError",
    "EndpointError",
    "EndpointSet",
    "Event",
    "EventFlags",
    "HeraldError",
    "InternalError",
    "InvalidUrlError",
    "Issue",
    "Limits",
    "MatchCache",
    "NoSchemaError",
    "Pattern",
    "PatternError",
    "PoisonedError",
    "RealmHub",
    "RealmOutcome",
    "RealmReply",
    "Report",
    "Router",
    "RouterError",
    "RouterSnapshot",
    "Status",
    "TooManyPatternsError",
    "TooManyUrlsError",
    "Topic",
    "TopicError",
    "UnknownEventError",
    "UnknownSchemaError",
    "UnknownSessionError",
    "UnknownSourceError",
    "UnknownWebhookError",
    "Validator",
    "WireError",
    "WireEvent",
    "WireFormat",
    "__version__",
    "decode",
    "library_path",
    "library_version",
    "matches",
    "status_text",
    "validate_pattern",
    "validate_topic",
    "REFERENCE_TOLERANCE",
    "SIGNATURE_CODES",
    "Authentic",
    "BrokerError",
    "DuplicateMessageError",
    "InvalidSecretError",
    "KeySet",
    "PlanOptionsError",
    "ReplayError",
    "ReplayGuard",
    "ReplayGuardFullError",
    "Scheme",
    "SignatureError",
    "SigningError",
    "Tolerance",
    "UntranslatableError",
    "Verified",
    "broker",
    "sign",
    "verify",
    "verify_then_decode",
]

_public_module()
