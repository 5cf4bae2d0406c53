"""Call machinery between the public classes and ``_ffi``.

It owns: turning Python inputs into the bytes the library reads, the
per-thread ``herald_error`` every call reports into, turning a failed status
into the exception of ``_errors``, copying owned results (``herald_buffer``,
``herald_list``) out and freeing them, the id-array protocol of the hot
calls (``HERALD_STATUS_BUFFER_TOO_SMALL`` and ``*out_len``), and native
handles with deterministic release. It never interprets what the library
returns beyond that.
"""

from __future__ import annotations

import ctypes
import operator
import sys
import threading
from typing import Any, Callable, List, Optional, TypeVar, Union

from . import _ffi
from ._errors import HeraldError, TextInputs, make_error

lib = _ffi.lib

#: What text and payload arguments accept.
Text = Union[str, bytes, bytearray, memoryview]

_U64_MAX = (1 << 64) - 1


def encode(value: Text, what: str) -> bytes:
    """The UTF-8 bytes the library reads for ``value``.

    ``str`` is encoded as UTF-8; a lone surrogate (which UTF-8 cannot carry) is
    encoded as its three raw bytes (``surrogatepass``), so the library sees
    invalid UTF-8 and answers as it does for any bytes: ``invalid_utf8``.
    ``bytes``, ``bytearray`` and ``memoryview`` pass through unchanged.
    """
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
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


class _ErrorObject:
    """One ``herald_error`` for the calls of one thread (error objects are single-threaded)."""

    def __init__(self) -> None:
        self.pointer = lib.herald_error_new()
        if not self.pointer:
            raise MemoryError("libherald could not allocate an error object")
        self._free = lib.herald_error_free

    def __del__(self) -> None:
        pointer, self.pointer = self.pointer, None
        # At interpreter shutdown the process is about to release everything.
        if pointer and sys is not None and not sys.is_finalizing():
            self._free(pointer)


class _PerThread(threading.local):
    error: Optional[_ErrorObject] = None
    ids: Any = None
    ids_capacity: int = 0


_thread = _PerThread()


def error_slot() -> Any:
    """This thread's ``herald_error``; pass it as the last argument of a call."""
    error = _thread.error
    if error is None:
        error = _thread.error = _ErrorObject()
    return error.pointer


def failure(status: int, texts: TextInputs = ()) -> HeraldError:
    """The exception for ``status``, with the details this thread's error object recorded."""
    slot = error_slot()
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
    """Calls an id function (``herald_router_match``, ``herald_realm_hub_recipients``,
    ...: handle, key, ids, capacity, out_len, error) into this thread's reusable
    id array, growing it once when the library reports it too small."""
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


class Handle:
    """One owned reference to a library object and the lock that guards it.

    Calls borrow the pointer through :meth:`shared` (several threads at once)
    or :meth:`exclusive` (alone); :meth:`close` waits for both, so a thread
    closing an object never frees it under another thread's call.
    """

    __slots__ = ("pointer", "kind", "_free", "_lock")

    def __init__(self, pointer: Any, free: Callable[[Any], None], kind: str) -> None:
        if not pointer:
            raise MemoryError(f"libherald could not create a {kind}")
        self.pointer = pointer
        self.kind = kind
        self._free = free
        self._lock = _SharedLock()

    def shared(self) -> "_Lease":
        """``with handle.shared() as pointer:`` for calls that only read."""
        return _Lease(self, False)

    def exclusive(self) -> "_Lease":
        """``with handle.exclusive() as pointer:`` for calls that change the object."""
        return _Lease(self, True)

    def close(self) -> None:
        """Frees the object once; later calls do nothing."""
        self._lock.acquire_exclusive()
        try:
            self.release_now()
        finally:
            self._lock.release_exclusive()

    def release_now(self) -> None:
        """Frees without locking: for the collector, when no call can be running."""
        pointer, self.pointer = self.pointer, None
        if pointer:
            self._free(pointer)


class _Lease:
    __slots__ = ("_handle", "_exclusive")

    def __init__(self, handle: Handle, exclusive: bool) -> None:
        self._handle = handle
        self._exclusive = exclusive

    def __enter__(self) -> Any:
        handle = self._handle
        if self._exclusive:
            handle._lock.acquire_exclusive()
        else:
            handle._lock.acquire_shared()
        pointer = handle.pointer
        if pointer is None:
            self.__exit__(None, None, None)
            raise ValueError(f"this {handle.kind} is closed")
        return pointer

    def __exit__(self, *_: object) -> None:
        if self._exclusive:
            self._handle._lock.release_exclusive()
        else:
            self._handle._lock.release_shared()


NativeSelf = TypeVar("NativeSelf", bound="NativeObject")


class NativeObject:
    """Base of the public classes that own a library object.

    ``close()`` frees it (idempotent); ``with`` closes it on exit; the garbage
    collector frees it as a fallback. Using a closed object raises
    ``ValueError``.
    """

    _handle: Optional[Handle] = None

    def _attach(self, pointer: Any, free: Callable[[Any], None], kind: str) -> None:
        self._handle = Handle(pointer, free, kind)

    def _shared(self) -> _Lease:
        handle = self._handle
        if handle is None:
            raise ValueError(f"this {type(self).__name__} was not initialised")
        return handle.shared()

    def _exclusive(self) -> _Lease:
        handle = self._handle
        if handle is None:
            raise ValueError(f"this {type(self).__name__} was not initialised")
        return handle.exclusive()

    def close(self) -> None:
        """Frees the native object now. Safe to call more than once."""
        if self._handle is not None:
            self._handle.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._handle is None or self._handle.pointer is None

    def __enter__(self: NativeSelf) -> NativeSelf:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __del__(self) -> None:
        handle = self._handle
        # At interpreter shutdown the process is about to release everything.
        if handle is None or sys is None or sys.is_finalizing():
            return
        try:
            handle.release_now()
        except Exception:  # pragma: no cover - nothing useful to do in a finaliser
            pass
