"""Call machinery between the public classes and ``_ffi``.

It owns: turning Python inputs into the bytes the library reads, the
``herald_error`` every call reports into, turning a failed status into the
exception of ``_errors``, copying owned results (``herald_buffer``,
``herald_list``) out and freeing them, the id-array protocol
(``HERALD_STATUS_BUFFER_TOO_SMALL`` and ``*out_len``), the scratch objects
the hot calls of ``validation`` and ``routing`` reuse, and native handles
with deterministic release. It never interprets what the library returns
beyond that.

How a native object is kept alive without a lock on the read path: the
handle a public object holds is an *owning pointer*, a ctypes pointer whose
``__del__`` calls the library's ``_free``. A call reads the handle into a
local variable (or passes it as an argument) and so holds a Python reference
to it for as long as the call runs. ``close()`` only drops the public
object's reference: CPython frees the native object at once when no call is
using it, and otherwise when the last call in progress returns. A closed
object raises ``ValueError`` on its next call; nothing is ever freed under a
running call, and no ``threading`` primitive is taken to read an immutable
object. Objects the library lets only one thread change at a time
(``EndpointSet``, ``RealmHub``, ``MatchCache``) still take a lock around
their calls.
"""

from __future__ import annotations

import ctypes
import operator
import sys
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar, Union

from . import _ffi
from ._errors import HeraldError, TextInputs, make_error

lib = _ffi.lib


class Encoded:
    """Text checked and encoded once for many calls (``Topic``, ``Pattern``):
    the text, its UTF-8 bytes and their length as a ``c_size_t``. Immutable:
    the hot calls hand ``_data`` and ``_size`` to the library as they are."""

    __slots__ = ("text", "_data", "_size")

    #: The text.
    text: str
    _data: bytes
    _size: ctypes.c_size_t

    def _encode_once(self, data: bytes) -> None:
        set_slot = object.__setattr__
        set_slot(self, "_data", data)
        set_slot(self, "_size", ctypes.c_size_t(len(data)))
        set_slot(self, "text", data.decode("utf-8"))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")


#: What text and payload arguments accept.
Text = Union[str, bytes, bytearray, memoryview, Encoded]

_U64_MAX = (1 << 64) - 1


def encode(value: Text, what: str) -> bytes:
    """The UTF-8 bytes the library reads for ``value``.

    ``str`` is encoded as UTF-8; a lone surrogate (which UTF-8 cannot carry) is
    encoded as its three raw bytes (``surrogatepass``), so the library sees
    invalid UTF-8 and answers as it does for any bytes: ``invalid_utf8``.
    ``bytes`` pass through unchanged and uncopied (ctypes hands the library a
    pointer into the object); ``bytearray`` and ``memoryview`` are copied once.
    """
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, Encoded):
        return value._data
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def unsigned64(value: int, what: str) -> int:
    """Checks that ``value`` is an integer in ``0 .. 2**64 - 1`` (ctypes would wrap it)."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int, not bool")
    number = operator.index(value)
    if not 0 <= number <= _U64_MAX:
        raise ValueError(f"{what} must be between 0 and 2**64 - 1, got {number}")
    return number


def size(value: int, what: str) -> int:
    """Checks that ``value`` fits a ``size_t``."""
    number = operator.index(value)
    if not 0 <= number <= sys.maxsize * 2 + 1:
        raise ValueError(f"{what} must be a non-negative size, got {number}")
    return number


# Owning pointers ----------------------------------------------------------

_OWNING_TYPES: Dict[Tuple[type, int], Any] = {}


def _owning_type(pointer_type: type, free: Callable[[Any], None]) -> Any:
    """The subclass of ``pointer_type`` whose instances free their object when collected."""
    # ctypes functions are not hashable; the class made here keeps `free`
    # alive, so its id cannot be reused for another function.
    key = (pointer_type, id(free))
    owning = _OWNING_TYPES.get(key)
    if owning is None:

        def __del__(self: Any, _finalizing: Callable[[], bool] = sys.is_finalizing) -> None:
            # At interpreter shutdown the process is about to release everything.
            if self and not _finalizing():
                free(self)

        target = getattr(pointer_type, "_type_")
        # A pointer subclass must name its target type again: without
        # `_type_` ctypes passes it to C as something else than the pointer.
        namespace = {"_type_": target, "__slots__": (), "__del__": __del__}
        owning = _OWNING_TYPES.setdefault(key, type("Owned" + target.__name__, (pointer_type,), namespace))
    return owning


def own(pointer: Any, free: Callable[[Any], None]) -> Any:
    """An owning copy of ``pointer`` (a ctypes pointer the library returned):
    it stays a pointer of the same type, usable in every call, and calls
    ``free`` on itself when the last Python reference to it goes."""
    return _owning_type(type(pointer), free).from_buffer_copy(pointer)


# Errors -------------------------------------------------------------------


def _new_error() -> Any:
    error = lib.herald_error_new()
    if not error:
        raise MemoryError("libherald could not allocate an error object")
    return own(error, lib.herald_error_free)


class _PerThread(threading.local):
    error: Any = None
    ids: Any = None
    ids_capacity: int = 0


_thread = _PerThread()


def error_slot() -> Any:
    """This thread's ``herald_error``; pass it as the last argument of a call."""
    error = _thread.error
    if error is None:
        error = _thread.error = _new_error()
    return error


def failure(status: int, texts: TextInputs = (), error: Any = None) -> HeraldError:
    """The exception for ``status``, with the details ``error`` (by default
    this thread's error object) recorded."""
    slot = error_slot() if error is None else error
    return make_error(
        status,
        lib.herald_error_code(slot).text(),
        lib.herald_error_message(slot).text(),
        lib.herald_error_pointer(slot).text(),
        texts,
    )


def check(status: int, texts: TextInputs = ()) -> None:
    """Raises the exception for ``status`` unless it is OK.

    ``texts`` pairs each text argument with the class bad UTF-8 in it raises.
    """
    if status != _ffi.STATUS_OK:
        raise failure(status, texts)


# Owned results ------------------------------------------------------------


def take_buffer(buffer: Any) -> bytes:
    """Copies a ``herald_buffer`` the library made and frees it."""
    try:
        return ctypes.string_at(lib.herald_buffer_data(buffer), lib.herald_buffer_len(buffer))
    finally:
        lib.herald_buffer_free(buffer)


def take_list(items: Any) -> List[bytes]:
    """Copies the items of a ``herald_list`` the library made and frees it."""
    try:
        copied: List[bytes] = []
        view = _ffi.HeraldBytes()
        for index in range(lib.herald_list_count(items)):
            check(lib.herald_list_at(items, index, ctypes.byref(view), error_slot()))
            copied.append(view.data())
        return copied
    finally:
        lib.herald_list_free(items)


def read_ids(function: Callable[..., int], handle: Any, key: bytes, texts: TextInputs) -> List[int]:
    """Calls an id function (``herald_realm_hub_recipients``,
    ``herald_router_snapshot_match_cached``, ...: handle, key, ids, capacity,
    out_len, error) into this thread's reusable id array, growing it once
    when the library reports it too small."""
    ids = _thread.ids
    capacity = _thread.ids_capacity
    if ids is None:
        capacity = 32
        ids = _thread.ids = (ctypes.c_uint64 * capacity)()
        _thread.ids_capacity = capacity
    out_len = ctypes.c_size_t(0)
    while True:
        status = function(handle, key, len(key), ids, capacity, ctypes.byref(out_len), error_slot())
        if status == _ffi.STATUS_OK:
            found: List[int] = ids[: out_len.value]
            return found
        if status != _ffi.STATUS_BUFFER_TOO_SMALL or out_len.value <= capacity:
            raise failure(status, texts)
        capacity = out_len.value
        ids = _thread.ids = (ctypes.c_uint64 * capacity)()
        _thread.ids_capacity = capacity


#: Frees a ``herald_report``: reports are freed on the hot path when a
#: ``Report`` that held one is collected.
free_report = _ffi.unchecked("herald_report_free")


_OwnedReport = _owning_type(_ffi.report_p, free_report)


def own_report(report: Any) -> Any:
    """An owning copy of a ``herald_report *`` (see :func:`own`)."""
    return _OwnedReport.from_buffer_copy(report)


# Scratch objects of the hot calls -----------------------------------------

_FIRST_IDS = 32


class Scratch:
    """Everything one hot call needs besides its inputs, made once and reused:
    an error object, a ``size_t`` for the input length, two ``size_t``
    outputs (the validators' error and warning counts) and an id array (the
    array grows to the largest answer seen).

    Scratches live in a free list: a call pops one (or makes one), and puts it
    back when it is done. ``list.pop``/``append`` are atomic, so each scratch
    serves one call at a time with no lock and no thread-local lookup, and a
    call that re-enters the package on the same thread (a finaliser or a
    signal handler running between two bytecodes) takes another scratch
    rather than overwriting this one's outputs.
    """

    __slots__ = ("error", "size", "count", "count_out", "warnings", "warnings_out", "ids", "capacity")

    def __init__(self) -> None:
        self.error = _new_error()
        self.size = ctypes.c_size_t(0)
        self.count = ctypes.c_size_t(0)
        self.count_out = ctypes.byref(self.count)
        self.warnings = ctypes.c_size_t(0)
        self.warnings_out = ctypes.byref(self.warnings)
        self.ids: Any = (ctypes.c_uint64 * _FIRST_IDS)()
        self.capacity = ctypes.c_size_t(_FIRST_IDS)

    def grow_ids(self, needed: int) -> None:
        """Replaces the id array by one of ``needed`` items."""
        self.ids = (ctypes.c_uint64 * needed)()
        self.capacity = ctypes.c_size_t(needed)

    def failure(self, status: int, texts: TextInputs = ()) -> HeraldError:
        """The exception for ``status``, from this scratch's error object."""
        return failure(status, texts, self.error)


_SPARE: List[Scratch] = []


def take_scratch() -> Scratch:
    """A scratch for one call; give it back with :func:`give_scratch`. A
    scratch not given back (the call raised) is simply collected."""
    try:
        return _SPARE.pop()
    except IndexError:
        return Scratch()


give_scratch = _SPARE.append


# Locks for objects changed by one thread at a time -------------------------


class _SharedLock:
    """Many readers or one writer. Writers go first once they wait, so a
    stream of readers cannot starve them; a thread must not nest leases."""

    __slots__ = ("_condition", "_readers", "_writing", "_writers_waiting")

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    def acquire_shared(self) -> None:
        with self._condition:
            while self._writing or self._writers_waiting:
                self._condition.wait()
            self._readers += 1

    def release_shared(self) -> None:
        with self._condition:
            self._readers -= 1
            if not self._readers:
                self._condition.notify_all()

    def acquire_exclusive(self) -> None:
        with self._condition:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._condition.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True

    def release_exclusive(self) -> None:
        with self._condition:
            self._writing = False
            self._condition.notify_all()


class _Lease:
    """``with`` block lending an object's handle to calls: takes the lock (if
    any), refuses a closed object, and holds a reference to the handle until
    the block ends, so the native object outlives the calls made in it."""

    __slots__ = ("_owner", "_acquire", "_release", "_handle")

    def __init__(
        self, owner: NativeObject, acquire: Optional[Callable[[], Any]], release: Optional[Callable[[], Any]]
    ) -> None:
        self._owner = owner
        self._acquire = acquire
        self._release = release
        self._handle: Any = None

    def __enter__(self) -> Any:
        if self._acquire is not None:
            self._acquire()
        handle = self._owner._handle
        if handle is None:
            self.__exit__(None, None, None)
            raise self._owner._closed_error()
        self._handle = handle
        return handle

    def __exit__(self, *_: object) -> None:
        self._handle = None
        if self._release is not None:
            self._release()


NativeSelf = TypeVar("NativeSelf", bound="NativeObject")


class NativeObject:
    """Base of the public classes that own a library object.

    ``close()`` drops the object's handle (idempotent); ``with`` closes it on
    exit; the garbage collector frees it as a fallback. Using a closed object
    raises ``ValueError``.

    A subclass whose native object is immutable or synchronised inside the
    library sets ``_lock_free``: its calls then take no lock at all (see the
    module docs). Otherwise calls borrow the handle through :meth:`_shared`
    (several threads at once) or :meth:`_exclusive` (alone), and ``close``
    waits for both.
    """

    #: The owning pointer (see :func:`own`); None once closed.
    _handle: Any = None
    #: What the object is called in errors (``"this Router is closed"``).
    _kind: str = ""
    #: True for objects any number of threads may use at once with no lock.
    _lock_free: bool = False
    _lock: Optional[_SharedLock] = None

    def _attach(self, pointer: Any, free: Callable[[Any], None], kind: str) -> None:
        if not pointer:
            raise MemoryError(f"libherald could not create a {kind}")
        self._kind = kind
        if not self._lock_free:
            self._lock = _SharedLock()
        self._handle = own(pointer, free)

    def _closed_error(self) -> ValueError:
        return ValueError(f"this {self._kind or type(self).__name__} is closed")

    def _live(self) -> Any:
        """The handle, for a call of a lock-free object: keep it in a local
        variable (or pass it straight to the call) while the call runs."""
        handle = self._handle
        if handle is None:
            raise self._closed_error()
        return handle

    def _shared(self) -> _Lease:
        """``with self._shared() as handle:`` for calls that only read."""
        lock = self._lock
        if lock is None:
            return _Lease(self, None, None)
        return _Lease(self, lock.acquire_shared, lock.release_shared)

    def _exclusive(self) -> _Lease:
        """``with self._exclusive() as handle:`` for calls that change the object."""
        lock = self._lock
        if lock is None:
            return _Lease(self, None, None)
        return _Lease(self, lock.acquire_exclusive, lock.release_exclusive)

    def close(self) -> None:
        """Releases the native object (at once, or when the calls in progress
        on other threads return). Safe to call more than once."""
        lock = self._lock
        if lock is None:
            self._handle = None
            return
        lock.acquire_exclusive()
        try:
            self._handle = None
        finally:
            lock.release_exclusive()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._handle is None

    def __enter__(self: NativeSelf) -> NativeSelf:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
