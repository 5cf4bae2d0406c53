"""The hot calls: the functions bound without argtypes are declared ones
with the declared result, handles own their native objects (freed when the
last Python reference goes, never under a call), and the scratch objects of
the hot calls are not shared by calls that overlap."""

from __future__ import annotations

import ctypes
import gc
import threading
from typing import Any, List

import pytest

import herald
from herald import _ffi, _native


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
