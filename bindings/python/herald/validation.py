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
import collections
import ctypes
import dataclasses
import itertools
import operator
import sys
import threading
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
    closed. The reports of :meth:`Validator.validate_many` are of private
    classes (see ``_BatchReport``) that behave as this one; every payload of
    a batch with no issue gets one shared, immutable report.
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
        # of the very same class, and a batch's reports are of private
        # classes that only say they are Reports (`_BatchReport`).
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


class _BatchReport:
    """A report :meth:`Validator.validate_many` made: to a user it is a
    :class:`Report` (``isinstance``, ``==``, ``repr``, pickling, ``copy``,
    ``dataclasses.asdict`` and ``replace`` all see one; its ``__class__``
    says ``Report``), but it is not made by the dataclass's ``__init__``.

    A batch makes one per payload with issues (the clean ones share one,
    :class:`_CleanReport`), and that is the part of a batch that holds the
    GIL, so that threads cannot share it: it must cost as little as Python
    allows. So each kind of report is its own class, with ``ok`` a class
    attribute, slots rather than a ``__dict__``, and the ``__init__`` of
    ``object``: the batch makes its reports by calling the class with no
    argument in a C loop (``itertools.starmap``), which allocates the
    object and nothing else. ``errors``, ``warnings`` and ``truncated`` are
    read the first time one of them is used, then kept.
    """

    __slots__ = ("_read", "__weakref__")

    __init__ = object.__init__

    ok: bool
    _read: Tuple[List[Issue], List[Issue], bool]

    if not TYPE_CHECKING:
        # What it is, to `isinstance`, `dataclasses.replace`, `copy` and the
        # dataclass's `repr`: a Report.
        __class__ = property(lambda self: Report)

    def _load(self) -> Tuple[List[Issue], List[Issue], bool]:
        raise NotImplementedError

    def _fields(self) -> Tuple[List[Issue], List[Issue], bool]:
        try:
            read: Tuple[List[Issue], List[Issue], bool] = self._read
        except AttributeError:
            loaded = self._load()
            # Two threads may read at once: the first to store wins, and
            # both see what it stored (the lists are mutable, as in any
            # Report, so there must be one of each).
            with _FIRST_READ:
                try:
                    read = self._read
                except AttributeError:
                    _set_slot(self, "_read", loaded)
                    read = loaded
        return read

    @property
    def errors(self) -> List[Issue]:
        """The errors, in document order."""
        return self._fields()[0]

    @property
    def warnings(self) -> List[Issue]:
        """The warnings, in document order."""
        return self._fields()[1]

    @property
    def truncated(self) -> bool:
        """Whether issues were dropped at ``Limits.max_errors``."""
        return self._fields()[2]

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    __eq__ = Report.__eq__
    __hash__ = Report.__hash__
    __repr__ = Report.__repr__
    __reduce__ = Report.__reduce__
    if not TYPE_CHECKING:
        __dataclass_fields__ = Report.__dataclass_fields__
        __dataclass_params__ = Report.__dataclass_params__
        if hasattr(Report, "__match_args__"):  # Python 3.10 on
            __match_args__ = Report.__match_args__


_set_slot = object.__setattr__
_FIRST_READ = threading.Lock()


class _NoIssues(list):  # type: ignore[type-arg]
    """The issue lists of the shared clean report (see :class:`_CleanReport`):
    empty, and they stay empty. To everything that reads them they are the
    empty list (``== []``, ``isinstance(..., list)``, ``repr``); whatever
    would change one raises ``TypeError``, as changing a tuple does."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "the issue lists of the clean report validate_many shares are immutable: "
            "copy the report (copy.copy) or the list (list(report.errors)) to change it"
        )

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


class _CleanReport(_BatchReport):
    """The report of a payload with no issue at all, from a batch. Such a
    report says nothing about its payload, so there is one, shared by every
    clean payload of every batch (:data:`_CLEAN`), as ``0`` or ``()`` are:
    a batch of clean payloads is ``[_CLEAN] * count``, which costs nothing
    per payload under the GIL. Being shared, it is immutable all through:
    frozen as every report, and its issue lists are :class:`_NoIssues`.
    Its fields are slots (``ok`` a slot rather than a class attribute, so
    that reading it is one of the interpreter's specialised slot reads);
    copying or pickling it gives a plain :class:`Report` with lists of its
    own."""

    __slots__ = ("ok", "errors", "warnings", "truncated")

    def __reduce__(self) -> Tuple[Any, Tuple[bool, List[Issue], List[Issue], bool]]:
        return (Report, (True, [], [], False))


def _shared_clean_report() -> _CleanReport:
    report: _CleanReport = _new_report(_CleanReport)
    for field, value in (("ok", True), ("errors", _NoIssues()), ("warnings", _NoIssues()), ("truncated", False)):
        _set_slot(report, field, value)
    return report


class _RecheckedReport(_BatchReport):
    """The report of a payload with issues: it keeps the bytes validated
    (``_recheck``, set by the batch), and validates them once more with its
    class's validator, asking for the issues, the first time they are read.
    The validator is a class attribute (see :class:`_Kinds`) so that the
    batch sets one slot per report, not a tuple made for each."""

    __slots__ = ("_recheck",)

    _recheck: bytes
    _validator: Any

    def _load(self) -> Tuple[List[Issue], List[Issue], bool]:
        fields = _revalidate(self._validator, self._recheck)
        return (fields["errors"], fields["warnings"], fields["truncated"])


class _ValidReport(_RecheckedReport):
    """No error, but warnings (or, under ``max_errors == 0``, maybe
    dropped issues)."""

    __slots__ = ()
    ok = True


class _InvalidReport(_RecheckedReport):
    """Errors."""

    __slots__ = ()
    ok = False


class _Kinds:
    """The report classes of one validator's batches with issues:
    subclasses of the reports with issues that hold the validator. Made on
    a validator's first batch with an issue, and dropped when it is closed
    (the reports that still hold one of its classes keep the native
    validator alive, as they need it)."""

    __slots__ = ("valid", "invalid", "by_key")

    def __init__(self, validator: Any) -> None:
        namespace = {"__slots__": (), "_validator": validator, "__qualname__": "Report"}
        self.valid = type("Report", (_ValidReport,), dict(namespace))
        self.invalid = type("Report", (_InvalidReport,), dict(namespace))
        #: The class by 2 × (has errors) + (has warnings), for a key that
        #: is not 0 (no issue: the shared clean report).
        self.by_key = (None, self.valid, self.invalid, self.invalid)


for _kind in (_BatchReport, _CleanReport, _RecheckedReport, _ValidReport, _InvalidReport):
    # Named `Report` in reprs and messages ("'Report' object has no
    # attribute ..."): to a user it is one.
    _kind.__name__ = _kind.__qualname__ = "Report"
del _kind

#: The report of every clean payload of a batch (see :class:`_CleanReport`).
_CLEAN = _shared_clean_report()


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
# work per payload is what two threads cannot share (they run it one at a
# time, each overlapping the other's C call: two threads reach at most
# min(2, 1 / s) times one thread, s its share of the time). It is therefore done in C loops wherever Python has one, and never
# one Python statement per payload: `bytes.join` takes the payloads as they
# are (and copies them, so what is validated is a snapshot of each buffer),
# `array` packs their lengths, and the counts come back in one `array` whose
# bytes are compared with zeros at memcmp speed. Every payload with no issue
# gets the one shared clean report (`_CLEAN`), so a clean batch is one list
# repetition. A report with issues is made by `itertools.starmap` calling
# its class with no argument (see `_BatchReport`) and gets its payload's
# bytes for the lazy read (the slot's own setter, `starmap`ped over the
# reports zipped with them; the validator is an attribute of the report's
# class, see `_Kinds`). A batch whose payloads all have issues of the same
# kind (all warned, or all invalid) is told by its counts at C speed too
# (the errors' bytes compared with zeros, and `_none_zero`); a mixed one
# starts from the clean list and puts each report with issues in its place
# (`list.__setitem__`, `starmap`ped over the places `itertools.compress`
# picks zipped with the reports).


def _validate_many_method() -> Callable[[Validator, Iterable[Text]], List[Report]]:
    # As `_validate_method`: closure variables, one Python frame for a batch
    # with no issue.
    call = _VALIDATE_MANY
    size_code = _SIZE_CODE
    size_bytes = _SIZE_BYTES
    make_array = array.array
    address_of = ctypes.c_void_p
    take = _native.take_scratch
    give = _native.give_scratch
    clean: List[Any] = [_CLEAN]

    def validate_many(self: Validator, payloads: Iterable[Text]) -> List[Report]:
        """Validates each payload of ``payloads`` (any iterable of what
        :meth:`validate` takes; any other contiguous byte buffer, such as an
        ``array.array("B")``, is read as its bytes too), giving one
        :class:`Report` per payload, in order, equal to what :meth:`validate`
        gives for it. Every payload with no issue at all gets the same
        report, shared and immutable (its ``errors`` and ``warnings`` are
        empty lists that cannot be changed; ``copy.copy`` gives one that
        can).

        The whole batch is one C call, which runs with the GIL released: for
        many events at hand, this is the cheaper way per event, and the one
        that lets threads validate in parallel. An item that is not a
        payload raises ``TypeError`` naming its index, before anything is
        validated.
        """
        handle = self._handle
        if handle is None:
            raise self._closed_error()
        items = payloads if type(payloads) is list else _items(payloads)
        count = len(items)
        if not count:
            return []
        try:
            # Any contiguous byte buffer, as it is: `bytes.join` reads it
            # through the buffer protocol (and refuses str and what is not a
            # buffer).
            joined = b"".join(items)
            sizes = list(map(len, items))
        except TypeError:  # a str, a memoryview that is not contiguous, or not a payload
            items = _encoded_batch(items)
            joined = b"".join(items)
            sizes = list(map(len, items))
        # The arrays reach C as plain pointers: the lengths as `bytes` (which
        # ctypes passes as a pointer to their data) and the two count arrays
        # as one `array` read by address. (`from_buffer` would cost more than
        # the rest of a small batch: ctypes records each view in a dict, under
        # a key it formats with `sprintf`. And an array made from a list is
        # quicker than one fed by `map`.)
        lengths = make_array(size_code, sizes).tobytes()
        zeros = bytes(2 * count * size_bytes)
        counts = make_array(size_code, zeros)  # the errors, then the warnings
        address = counts.buffer_info()[0]
        scratch = take()
        scratch.size.value = len(joined)
        scratch.count.value = count
        status = call(
            handle, joined, scratch.size, lengths, scratch.count,
            address_of(address), address_of(address + count * size_bytes), scratch.error,
        )
        if status:
            if sum(sizes) != len(joined):
                # The library refuses lengths that do not add up to the
                # joined bytes: the length of a memoryview counts its items,
                # which may be wider than a byte. Again, from each payload's
                # bytes. (Checked only now: such a batch is rare, and the
                # sum costs about 60 instructions a payload, a thirteenth of
                # the Python part of a batch with no issue.)
                return validate_many(self, _encoded_batch(items))
            raise scratch.failure(status)
        give(scratch)
        found = counts.tobytes()
        if found == zeros and not self._recheck_always:
            return clean * count
        return _reports_with_issues(self, handle, items, joined, sizes, counts, found)

    return validate_many


_add = operator.add
_truth = operator.truth

# Calls a class with no argument (`operator.call`, Python 3.11 on), or makes
# the object without calling it (the same, with the `__init__` of `object`).
_make: Callable[[Any], Any] = getattr(operator, "call", _new_report)

# The slot's own setter (`member_descriptor.__set__`, bound): it bypasses
# the reports' `__setattr__` (which refuses, as a frozen dataclass does) for
# half of what `object.__setattr__` costs per call. It takes its arguments
# as a tuple, so it is called by `itertools.starmap` over `zip`, which
# passes the tuple `zip` made (and reuses): `map` would make one per call.
_set_recheck = _RecheckedReport._recheck.__set__


def _none_zero(counts: Any, found: bytes, start: int, stop: int) -> bool:
    """Whether none of ``counts[start:stop]`` is zero. A zero count is all
    zero bytes, so when the first byte of every count is not zero (as for
    any count from 1 to 255), ``bytes`` slicing and ``in`` (memchr) answer
    at C speed; otherwise the counts are compared one by one."""
    size = _SIZE_BYTES
    return 0 not in found[start * size : stop * size : size] or 0 not in counts[start:stop]


def _reports_with_issues(
    owner: Validator,
    validator: Any,
    items: List[Any],
    joined: bytes,
    sizes: List[int],
    counts: Any,
    found: bytes,
    _starmap: Any = itertools.starmap,
    _repeat: Any = itertools.repeat,
    _compress: Any = itertools.compress,
    _nothing: Tuple[()] = (),
) -> List[Report]:
    """The reports of a batch in which some payload has issues (or whose
    validator drops them all, ``max_errors == 0``), from its counts
    (``counts``: ``len(items)`` errors, then as many warnings; ``found``:
    their bytes)."""
    kinds = owner._kinds
    if kinds is None:
        kinds = _Kinds(validator)
        if owner._handle is not None:  # (not closed by another thread meanwhile)
            owner._kinds = kinds
    count = len(items)
    recheck_always = owner._recheck_always
    if list(map(type, items)).count(bytes) != count:
        # The bytes validated, not the buffers, which may have changed since.
        ends = list(itertools.accumulate(sizes, initial=0))
        items = list(map(joined.__getitem__, map(slice, ends, ends[1:])))
    half = count * _SIZE_BYTES
    if found[:half] == bytes(half):  # no errors
        # (Under `recheck_always` only the native report can say whether
        # issues were dropped, so every report keeps its payload.)
        if recheck_always or _none_zero(counts, found, count, 2 * count):
            reports = list(_starmap(kinds.valid, _repeat(_nothing, count)))
            collections.deque(_starmap(_set_recheck, zip(reports, items)), 0)
            return reports
    elif _none_zero(counts, found, 0, count):
        reports = list(_starmap(kinds.invalid, _repeat(_nothing, count)))
        collections.deque(_starmap(_set_recheck, zip(reports, items)), 0)
        return reports
    # A mixed batch: each report's class by its key, 2 × (has errors) +
    # (has warnings), which is also its flag (0: no issue, the clean
    # report). (Under `recheck_always` every report keeps its payload.)
    has_errors = list(map(_truth, counts[:count]))
    twice = map(_add, has_errors, has_errors)
    keys = list(map(_add, twice, _repeat(1) if recheck_always else map(_truth, counts[count:])))
    made = list(map(_make, map(kinds.by_key.__getitem__, filter(None, keys))))
    collections.deque(_starmap(_set_recheck, zip(made, _compress(items, keys))), 0)
    mixed: List[Any] = [_CLEAN] * count
    collections.deque(_starmap(mixed.__setitem__, zip(_compress(itertools.count(), keys), made)), 0)
    return mixed


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
    #: The report classes of its batches (made on the first batch with an
    #: issue; they hold the handle, so `close` drops them).
    _kinds: Optional[_Kinds] = None

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

    validate_many = _validate_many_method()

    def close(self) -> None:
        """Releases the native validator (at once, or when the calls in
        progress and the reports that still need it are done)."""
        self._kinds = None
        super().close()

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
