"""Validation: limits, reports and prepared validators.

A report lists every problem of a payload in document order, each with a
stable code, a JSON Pointer to the value and a message. Payload problems
(bad JSON, invalid UTF-8, wrong types, out-of-range integers, too large, too
deep) are report items, never exceptions. This module owns the one-call
validation path (``herald_validator_validate``), the batch path
(``herald_validator_validate_many``) and the lazy reading of a
:class:`Report`'s issues (by validating again, or from the native report a
decode made); it never looks events up (that is the catalogue's job).
"""

from __future__ import annotations

import array
import ctypes
import dataclasses
import itertools
import struct
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple

from . import _ffi, _native
from ._native import NativeObject, Text

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

    A report from the library knows ``ok`` from the validating call itself;
    ``errors``, ``warnings`` and ``truncated`` are read from the native
    report the first time one of them is used, then kept (and the native
    report freed). A clean payload has no native report at all. Either way it
    is a plain value: it stays readable after its catalogue or validator is
    closed.
    """

    ok: bool
    errors: List[Issue]
    warnings: List[Issue]
    truncated: bool = False

    if not TYPE_CHECKING:

        def __getattr__(self, name):
            # Only called for an attribute the instance does not have yet:
            # the lazy fields of a report made by the library calls.
            if name not in _LAZY_FIELDS:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            fields = self.__dict__
            recheck = fields.get("_recheck")
            if recheck is not None:
                read = _revalidate(*recheck)
            else:
                read = _read(fields.get("_native"))
            # Two threads may read at once: the first to store wins, both see it.
            for field, value in read.items():
                fields.setdefault(field, value)
            fields.pop("_native", None)
            fields.pop("_recheck", None)
            return fields[name]

    def __eq__(self, other: object) -> bool:
        # What the dataclass would make, except that it compares only reports
        # of the very same class, and a batch's clean reports are of a
        # private subclass (`_CleanReport`).
        if isinstance(other, Report):
            return (self.ok, self.errors, self.warnings, self.truncated) == (
                other.ok, other.errors, other.warnings, other.truncated
            )
        return NotImplemented

    def __reduce__(self) -> Tuple[Any, Tuple[bool, List[Issue], List[Issue], bool]]:
        return (Report, (self.ok, self.errors, self.warnings, self.truncated))


_LAZY_FIELDS = frozenset(("errors", "warnings", "truncated"))

# `truncated` is read lazily too, so its default must not be a class
# attribute (which would answer before `__getattr__` is asked); the
# dataclass keeps the default for its `__init__` and `fields()`.
del Report.truncated

_new_report = object.__new__


class _CleanReport(Report):
    """The report of a payload of a batch with no issue at all: ``ok`` is a
    class attribute, so the instance holds nothing and a batch makes them
    in C (``map(object.__new__, ...)``) rather than one Python statement at
    a time; the empty issue lists are made when first read, one per report,
    as for any report. Named ``Report`` in reprs and messages: to a user it
    is one."""

    __slots__ = ()
    ok = True


_CleanReport.__name__ = _CleanReport.__qualname__ = "Report"


def report_from_library(ok: bool, native: Any) -> Report:
    """A :class:`Report` with ``ok`` known and the rest read from ``native``
    (an owning ``herald_report`` pointer, or None for a clean payload) when
    first used."""
    report: Report = _new_report(Report)
    fields = report.__dict__
    fields["ok"] = ok
    if native is not None:
        fields["_native"] = native
    return report


def _issues(report: Any, severity: int) -> List[Issue]:
    issues: List[Issue] = []
    issue = _ffi.HeraldIssue.sized()
    for index in range(lib.herald_report_count(report, severity)):
        _native.check(lib.herald_report_issue(report, severity, index, ctypes.byref(issue), _native.error_slot()))
        issues.append(Issue(issue.code.text(), issue.pointer.text(), issue.message.text()))
    return issues


def _read(native: Any) -> Dict[str, Any]:
    """The lazy fields of a report, from a native report (None: a clean payload)."""
    if native is None:
        return {"errors": [], "warnings": [], "truncated": False}
    return {
        "errors": _issues(native, _ffi.SEVERITY_ERROR),
        "warnings": _issues(native, _ffi.SEVERITY_WARNING),
        "truncated": bool(lib.herald_report_truncated(native)),
    }


def _revalidate(validator: Any, data: bytes) -> Dict[str, Any]:
    """The lazy fields of a report made without a native report: the payload
    is validated again, this time asking for the report. Validation is a pure
    function of the validator and the bytes, so the issues are those the
    first call counted."""
    out = _ffi.report_p()
    status = lib.herald_validator_validate(
        validator, data, len(data), None, None, ctypes.byref(out), _native.error_slot()
    )
    _native.check(status)
    native = _native.own_report(out) if out else None
    return _read(native)


def take_report(report: Any) -> Report:
    """A :class:`Report` owning a ``herald_report`` the library made."""
    owned = _native.own_report(report)
    return report_from_library(bool(lib.herald_report_is_ok(owned)), owned)


_VALIDATE = _ffi.unchecked("herald_validator_validate")
_VALIDATE_HOLDING_GIL = _ffi.unchecked("herald_validator_validate", hold_gil=True)

#: Payloads from this size on are validated with the GIL released. Below it
#: the C call is short next to what handing the GIL over costs: a thread
#: that comes back from C while another holds the GIL sleeps, and waking it
#: is a futex call and a context switch (on a virtual machine, often a trip
#: through the hypervisor), then a wait for a core when other processes
#: have them. Measured on the project's 2-core VM, paired and interleaved,
#: two threads validating at once against one: on the idle machine,
#: releasing made two threads 0.7-0.9x one thread up to 4 KiB, paid a
#: little from 8 KiB (1.2-1.5x) and clearly from 16 KiB (1.6-1.7x, a call
#: of about 4 us), while keeping the GIL gives about 0.9x at every size;
#: on the same machine busy with other work, releasing paid only from
#: 64 KiB. (hashlib draws its line at 2 KiB, for a hash of a few
#: microseconds.)
RELEASE_GIL_FROM = 16 << 10

# The functions below are the hot path of validation: the names they use are
# closure variables or default arguments (read as fast as locals), and
# `report_from_library` is inlined, because every global lookup and Python
# call shows at this size.
#
# No native report is taken on the hot path. The call counts errors and
# warnings; a report with something in it keeps the validator and the
# payload's bytes, and validates once more, asking for the issues, the
# first time `errors`, `warnings` or `truncated` is read. Taking a native
# report instead would cost, on every such call, an owning pointer and a
# finaliser plus one more C call to free it: more than the C validation
# itself for a payload of a few hundred bytes.


def _validate_method() -> Callable[[Validator, Text], Report]:
    # The names the method uses are closure variables (as fast to read as
    # locals), and everything is inlined into one Python frame.
    released = _VALIDATE
    holding = _VALIDATE_HOLDING_GIL
    release_from = RELEASE_GIL_FROM
    take = _native.take_scratch
    give = _native.give_scratch
    encode = _native.encode
    new = _new_report
    report_class = Report

    def validate(self: Validator, payload: Text) -> Report:
        """Validates ``payload`` (JSON, read straight from the bytes).

        Payload problems are items of the returned :class:`Report`; nothing
        about the payload raises.
        """
        handle = self._handle
        if handle is None:
            raise self._closed_error()
        data = payload if type(payload) is bytes else encode(payload, "payload")
        scratch = take()
        size = scratch.size
        size.value = length = len(data)
        call = released if length >= release_from else holding
        status = call(handle, data, size, scratch.count_out, scratch.warnings_out, None, scratch.error)
        if status:
            raise scratch.failure(status)
        report = new(report_class)
        fields = report.__dict__
        errors = scratch.count.value
        fields["ok"] = not errors
        # `_recheck_always`: under `max_errors == 0` issues are dropped
        # with none counted, and only the report can tell (`truncated`).
        if errors or scratch.warnings.value or self._recheck_always:
            fields["_recheck"] = (handle, data)
        give(scratch)
        result: Report = report
        return result

    return validate


_VALIDATE_MANY = _ffi.unchecked("herald_validator_validate_many")

#: The `array` type code of a C `size_t`.
_SIZE_CODE = next(code for code in "LQI" if array.array(code).itemsize == ctypes.sizeof(ctypes.c_size_t))
_SIZE_BYTES = ctypes.sizeof(ctypes.c_size_t)


def _items(payloads: Iterable[Text]) -> List[Any]:
    if isinstance(payloads, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"payloads must be an iterable of payloads, not one {type(payloads).__name__}")
    try:
        return payloads if type(payloads) is list else list(payloads)
    except TypeError:
        raise TypeError(f"payloads must be an iterable of payloads, not {type(payloads).__name__}") from None


def _encoded_batch(items: List[Any], _encode: Any = _native.encode) -> List[bytes]:
    try:
        return [data if type(data) is bytes else _encode(data, "payload") for data in items]
    except TypeError:
        pass
    # Again, item by item, to name the one that is not a payload.
    batch: List[bytes] = []
    for index, data in enumerate(items):
        batch.append(_encode(data, f"payloads[{index}]"))
    return batch


# The batch path is what lets threads validate in parallel: the C call runs
# without the GIL, and everything around it holds the GIL, so the Python
# work per payload is what two threads cannot share (by Amdahl's law, two
# threads reach 1 / (s + (1 - s) / 2) times one thread, s its share of the
# time). It is therefore done in C wherever Python lets it: `bytes.join`
# takes the payloads as they are (and copies them, so what is validated is
# a snapshot of each buffer), the lengths are packed
# by `struct`, the counts come back in `array`s compared with zeros at
# memcmp speed, and a batch with no issue at all makes its reports with
# `map` (`_CleanReport` needs no per-report state): a third of the cost of
# one Python statement per report. Only reports with something in them
# take a loop, which keeps each one's payload for the lazy re-read.


def run_validator_many(
    validator: Any,
    payloads: Iterable[Text],
    recheck_always: bool = False,
    _validate_many: Any = _VALIDATE_MANY,
    _sizes: Any = ctypes.c_size_t,
    _new: Any = _new_report,
    _report: Any = Report,
    _clean: Any = _CleanReport,
    _pack: Any = struct.pack,
    _repeat: Any = itertools.repeat,
    _count: Any = itertools.count,
    _array: Any = array.array,
) -> List[Report]:
    """Validates every payload of ``payloads`` with the native ``validator``
    in one C call (which runs with the GIL released), giving one lazy
    :class:`Report` per payload, in order."""
    items = _items(payloads)
    count = len(items)
    if not count:
        return []
    try:
        # Any contiguous byte buffer, as it is: `bytes.join` reads it through
        # the buffer protocol (and refuses str and what is not a buffer).
        joined = b"".join(items)
        lengths = list(map(len, items))
        # The length of a memoryview counts its items, not its bytes.
        exact = sum(lengths) == len(joined)
    except TypeError:  # a str, a memoryview that is not contiguous, or not a payload
        exact = False
    if not exact:
        items = _encoded_batch(items)
        joined = b"".join(items)
        lengths = list(map(len, items))
    zeros = bytes(count * _SIZE_BYTES)
    errors = _array(_SIZE_CODE, zeros)
    warnings = _array(_SIZE_CODE, zeros)
    counts = _sizes * count
    scratch = _native.take_scratch()
    status = _validate_many(
        # The lengths: native `size_t`s, read straight from a bytes object.
        validator, joined, _sizes(len(joined)), _pack(f"{count}N", *lengths), _sizes(count),
        counts.from_buffer(errors), counts.from_buffer(warnings), scratch.error,
    )
    if status:
        raise scratch.failure(status)
    _native.give_scratch(scratch)
    if not recheck_always and errors.tobytes() == zeros == warnings.tobytes():
        return list(map(_new, _repeat(_clean, count)))
    reports: List[Report] = []
    add = reports.append
    ends: Optional[List[int]] = None
    for index, data, error_count, warning_count in zip(_count(), items, errors, warnings):
        if error_count or warning_count or recheck_always:
            report = _new(_report)
            fields = report.__dict__
            fields["ok"] = not error_count
            if type(data) is not bytes:
                # The bytes validated, not the buffer, which may have changed since.
                if ends is None:
                    ends = [0, *itertools.accumulate(lengths)]
                data = joined[ends[index] : ends[index + 1]]
            fields["_recheck"] = (validator, data)
            add(report)
        else:
            add(_new(_clean))
    return reports


def check_validator(
    validator: Any,
    payload: Text,
    _validate: Any = _VALIDATE,
    _validate_small: Any = _VALIDATE_HOLDING_GIL,
    _release_from: int = RELEASE_GIL_FROM,
    _take: Any = _native.take_scratch,
    _give: Any = _native.give_scratch,
    _encode: Any = _native.encode,
) -> bool:
    """Whether ``payload`` is valid for the native ``validator``: one call,
    and no report is made at all."""
    data = payload if type(payload) is bytes else _encode(payload, "payload")
    scratch = _take()
    size = scratch.size
    size.value = length = len(data)
    validate = _validate if length >= _release_from else _validate_small
    status = validate(validator, data, size, scratch.count_out, None, None, scratch.error)
    if status:
        raise scratch.failure(status)
    ok = not scratch.count.value
    _give(scratch)
    return ok


class Validator(NativeObject):
    """A payload check prepared once for one event, or one named schema, with
    its limits: the names are looked up and encoded when it is made
    (:meth:`Catalogue.validator <herald.Catalogue.validator>`,
    :meth:`Catalogue.named_validator <herald.Catalogue.named_validator>`), so
    each :meth:`validate` passes only the payload, in one C call.

    It holds its own reference to the catalogue: it keeps working after the
    catalogue is closed, until it is closed itself.

    Thread safety: immutable; any number of threads may validate with one
    validator at once, with no lock.

    >>> from herald import Catalogue
    >>> validator = Catalogue.builtin().validator("orangepill-stream", "sms.message.sent")
    >>> validator.validate(b'{"type":"notification","event":"sms.message.sent",'
    ...                    b'"data":"63967141191e9023f356df9f","timestamp":1671547687}').ok
    True
    """

    _lock_free = True
    _recheck_always = False

    #: The event's source id, or None for a named schema.
    source: Optional[str]
    #: The event name as given (templated names stay bound), or the schema name.
    name: str
    #: The limits it validates under (None: the defaults).
    limits: Optional[Limits]

    def __init__(self) -> None:
        raise TypeError("use Catalogue.validator(source, name) or Catalogue.named_validator(schema)")

    @classmethod
    def _adopt(cls, pointer: Any, source: Optional[str], name: str, limits: Optional[Limits]) -> Validator:
        validator: Validator = cls.__new__(cls)
        validator._attach(pointer, lib.herald_validator_free, "Validator")
        validator.source = source
        validator.name = name
        validator.limits = limits
        # Under `max_errors == 0` every issue is dropped uncounted: only the
        # report can say whether any was (`truncated`).
        validator._recheck_always = limits is not None and limits.max_errors == 0
        return validator

    validate = _validate_method()

    def validate_many(self, payloads: Iterable[Text]) -> List[Report]:
        """Validates each payload of ``payloads`` (any iterable of what
        :meth:`validate` takes; any other contiguous byte buffer, such as an
        ``array.array("B")``, is read as its bytes too), giving one
        :class:`Report` per payload, in order, equal to what :meth:`validate`
        gives for it.

        The whole batch is one C call, which runs with the GIL released: for
        many events at hand, this is the cheaper way per event, and the one
        that lets threads validate in parallel. An item that is not a
        payload raises ``TypeError`` naming its index, before anything is
        validated.
        """
        handle = self._handle
        if handle is None:
            raise self._closed_error()
        return run_validator_many(handle, payloads, self._recheck_always)

    def is_valid(self, payload: Text) -> bool:
        """Whether ``payload`` has no errors (warnings allowed), without
        making a report: for filtering, when the reasons do not matter."""
        handle = self._handle
        if handle is None:
            raise self._closed_error()
        return check_validator(handle, payload)

    def copy(self) -> Validator:
        """Another reference to the same validator, closed independently."""
        handle = self._live()
        return Validator._adopt(lib.herald_validator_clone(handle), self.source, self.name, self.limits)

    __copy__ = copy

    def __deepcopy__(self, memo: object) -> Validator:
        return self.copy()

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        if self.source is None:
            return f"<herald.Validator schema={self.name!r}{state}>"
        return f"<herald.Validator {self.source} {self.name}{state}>"


def limits_pointer(limits: Optional[Limits]) -> Any:
    """``NULL`` (the defaults) or the ``herald_limits *`` of ``limits``; the
    object lives as long as ``limits`` does."""
    if limits is None:
        return None
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a herald.Limits, not {type(limits).__name__}")
    return limits.to_c()
