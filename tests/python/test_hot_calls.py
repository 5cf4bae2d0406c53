"""The hot calls: the functions bound without argtypes are declared ones
with the declared result, handles own their native objects (freed when the
last Python reference goes, never under a call), and the scratch objects of
the hot calls are not shared by calls that overlap."""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
from typing import Any, Callable, List

import pytest

import herald
from herald import _ffi, _native, validation


def test_unchecked_functions_are_declared_functions_without_argtypes() -> None:
    assert _ffi.UNCHECKED
    for name in _ffi.UNCHECKED:
        restype, _ = _ffi.FUNCTIONS[name]
        function = _ffi.unchecked(name)
        assert function.restype is restype and function.argtypes is None
        # The declared binding keeps its argtypes.
        assert getattr(_ffi.lib, name).argtypes is not None
    with pytest.raises(ValueError, match="not one of the unchecked"):
        _ffi.unchecked("herald_catalogue_builtin")


def test_owned_handles_are_pointers_of_the_declared_type() -> None:
    with herald.Catalogue.builtin() as catalogue:
        handle = catalogue._live()
        assert isinstance(handle, _ffi.catalogue_p) and type(handle)._type_ is _ffi.HeraldCatalogue
        # Usable with the declared functions, which check the type.
        assert _ffi.lib.herald_catalogue_event_count(handle) == len(catalogue)
        validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
        assert isinstance(validator._live(), _ffi.validator_p)
        with pytest.raises(ctypes.ArgumentError):
            _ffi.lib.herald_catalogue_event_count(validator._live())


def test_a_handle_is_freed_when_the_last_reference_goes() -> None:
    freed: List[int] = []

    def free(pointer: Any) -> None:
        freed.append(ctypes.cast(pointer, ctypes.c_void_p).value or 0)
        _ffi.lib.herald_router_free(pointer)

    raw = _ffi.lib.herald_router_new()
    address = ctypes.cast(raw, ctypes.c_void_p).value
    owned = _native.own(raw, free)
    in_flight = owned  # what a running call holds
    del owned
    assert freed == []
    del in_flight
    assert freed == [address]
    empty = _native.own(_ffi.router_p(), free)
    del empty  # NULL: nothing to free
    gc.collect()
    assert freed == [address]


def test_close_during_calls_on_other_threads_frees_only_after_them() -> None:
    catalogue = herald.Catalogue.builtin()
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    payload = b'{"type":"walletBalanceChanged","payload":{"action":"bulkCredit","data":{"namespace":"ns",' + (
        b'"userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}'
    )
    started = threading.Barrier(5)
    outcomes: List[str] = []

    def work() -> None:
        started.wait()
        while True:
            try:
                assert validator.validate(payload).ok
                assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", payload).ok
            except ValueError as error:
                outcomes.append(str(error))
                return

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    catalogue.close()
    validator.close()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert set(outcomes) <= {"this Catalogue is closed", "this Validator is closed"} and len(outcomes) == 4


def test_a_call_made_while_another_holds_a_scratch_gets_its_own() -> None:
    first = _native.take_scratch()
    second = _native.take_scratch()
    assert first is not second and first.error is not second.error and first.ids is not second.ids
    _native.give_scratch(first)
    _native.give_scratch(second)
    assert _native.take_scratch() is second and _native.take_scratch() is first


def _holds_the_gil(function: Any) -> bool:
    return bool(function._flags_ & ctypes._FUNCFLAG_PYTHONAPI)  # type: ignore[attr-defined]


def test_short_calls_keep_the_gil_and_calls_that_scale_release_it() -> None:
    assert set(_ffi.GIL_HELD) <= set(_ffi.FUNCTIONS)
    for name in _ffi.GIL_HELD:
        assert _holds_the_gil(getattr(_ffi.lib, name)), name
    for name in ("herald_validator_validate", "herald_validator_validate_many", "herald_catalogue_validate",
                 "herald_router_snapshot_match", "herald_wire_decode", "herald_verify", "herald_catalogue_free"):
        assert not _holds_the_gil(getattr(_ffi.lib, name)), name
        if name in _ffi.UNCHECKED:
            assert not _holds_the_gil(_ffi.unchecked(name))
            assert _holds_the_gil(_ffi.unchecked(name, hold_gil=True))


def _another_thread_ran_during(call: Callable[[], Any]) -> bool:
    """Whether a thread waiting for the GIL got it while ``call`` ran: with
    no forced switches (a long switch interval), it can only get it if the
    call releases the GIL."""
    in_call = [False]
    seen: List[bool] = []
    gate = threading.Lock()
    gate.acquire()

    def wait_then_look() -> None:
        gate.acquire()  # then waits for the GIL
        seen.append(in_call[0])

    interval = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        other = threading.Thread(target=wait_then_look)
        other.start()
        # It wakes and waits for the GIL, which this thread keeps.
        gate.release()
        in_call[0] = True
        call()
        in_call[0] = False
    finally:
        sys.setswitchinterval(interval)
    other.join()
    return seen == [True]


def test_a_long_validation_lets_other_threads_run_and_a_short_one_does_not() -> None:
    size = 8 << 20
    payload = b"[" + b"1," * (size // 2 - 1) + b"1]"
    assert len(payload) >= validation.RELEASE_GIL_FROM
    catalogue = herald.Catalogue.builtin()
    validator = catalogue.named_validator("orangepill-subscribe", herald.Limits(max_payload_bytes=size + 16))
    for call in (lambda: validator.validate(payload), lambda: validator.validate_many([payload])):
        # A loaded machine may wake the other thread late: a few tries.
        assert any(_another_thread_ran_during(call) for _ in range(5))
    small = b"[1]"
    assert len(small) < validation.RELEASE_GIL_FROM
    assert not _another_thread_ran_during(lambda: [validator.validate(small) for _ in range(1000)])
