"""Validation results and limits: plain Python values, no native handles.

A report lists every problem of a payload in document order, each with a
stable code, a JSON Pointer to the value and a message. Payload problems
(bad JSON, invalid UTF-8, wrong types, out-of-range integers, too large, too
deep) are report items, never exceptions.
"""

from __future__ import annotations

import ctypes
import dataclasses
import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from . import _ffi, _native

lib = _native.lib


def _defaults() -> Dict[str, int]:
    limits = lib.herald_limits_new()
    if not limits:
        raise MemoryError("libherald could not create a limits object")
    try:
        return {name: int(getattr(lib, f"herald_limits_{name}")(limits)) for name in _ffi.LIMIT_NAMES}
    finally:
        lib.herald_limits_free(limits)


_DEFAULTS = _defaults()


class _NativeLimits:
    """A ``herald_limits`` object holding one :class:`Limits`' values. It is
    only read by calls (any number of threads at once), never changed."""

    __slots__ = ("pointer",)

    def __init__(self, limits: Limits) -> None:
        pointer = lib.herald_limits_new()
        if not pointer:
            raise MemoryError("libherald could not create a limits object")
        self.pointer = pointer
        for name in _ffi.LIMIT_NAMES:
            _native.check(getattr(lib, f"herald_limits_set_{name}")(pointer, getattr(limits, name)))

    def __del__(self) -> None:
        pointer, self.pointer = self.pointer, None
        # At interpreter shutdown the process is about to release everything.
        if pointer and sys is not None and not sys.is_finalizing():
            lib.herald_limits_free(pointer)


@dataclass(frozen=True)
class Limits:
    """Limits on untrusted input (``herald_limits``); defaults come from the library.

    >>> Limits(max_depth=16).max_depth
    16
    """

    #: Longest topic or pattern, in bytes.
    max_topic_bytes: int = _DEFAULTS["max_topic_bytes"]
    #: Most segments in a topic or pattern.
    max_segments: int = _DEFAULTS["max_segments"]
    #: Largest payload validated, in bytes.
    max_payload_bytes: int = _DEFAULTS["max_payload_bytes"]
    #: Deepest nesting of objects and arrays in a payload.
    max_depth: int = _DEFAULTS["max_depth"]
    #: Most errors reported per payload.
    max_errors: int = _DEFAULTS["max_errors"]
    #: Most distinct patterns in one router.
    max_patterns: int = _DEFAULTS["max_patterns"]

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            _native.size(getattr(self, field.name), f"Limits.{field.name}")

    def to_c(self) -> Any:
        """The ``herald_limits *`` for a call: made on first use, then kept
        with these (immutable) values and freed with them."""
        native: Optional[_NativeLimits] = self.__dict__.get("_native")
        if native is None:
            # The cache is not a field of the frozen dataclass. setdefault is
            # atomic, so when two threads race, both use the object that won
            # and the other one is freed unused.
            native = self.__dict__.setdefault("_native", _NativeLimits(self))
        return native.pointer


@dataclass(frozen=True)
class Issue:
    """One problem of a payload."""

    #: Stable code, e.g. ``missing_field``, ``out_of_range``, ``invalid_utf8``.
    code: str
    #: RFC 6901 JSON Pointer to the value (``""`` for the whole payload).
    pointer: str
    #: What is wrong, for people.
    message: str


@dataclass(frozen=True)
class Report:
    """The outcome of validating one payload.

    ``ok`` is True when there are no errors; warnings (unknown fields or enum
    values the schema tolerates) do not make a payload invalid. ``truncated``
    says issues were dropped at ``Limits.max_errors``.
    """

    ok: bool
    errors: List[Issue]
    warnings: List[Issue]
    truncated: bool = False


def _issues(report: Any, severity: int) -> List[Issue]:
    issues: List[Issue] = []
    issue = _ffi.HeraldIssue.sized()
    for index in range(lib.herald_report_count(report, severity)):
        _native.check(lib.herald_report_issue(report, severity, index, ctypes.byref(issue), _native.error_slot()))
        issues.append(Issue(issue.code.text(), issue.pointer.text(), issue.message.text()))
    return issues


def take_report(report: Any) -> Report:
    """Copies a ``herald_report`` into a :class:`Report` and frees it."""
    try:
        return Report(
            ok=bool(lib.herald_report_is_ok(report)),
            errors=_issues(report, _ffi.SEVERITY_ERROR),
            warnings=_issues(report, _ffi.SEVERITY_WARNING),
            truncated=bool(lib.herald_report_truncated(report)),
        )
    finally:
        lib.herald_report_free(report)


def limits_pointer(limits: Optional[Limits]) -> Any:
    """``NULL`` (the defaults) or the ``herald_limits *`` of ``limits``; the
    object lives as long as ``limits`` does."""
    if limits is None:
        return None
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a herald.Limits, not {type(limits).__name__}")
    return limits.to_c()
