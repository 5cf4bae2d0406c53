"""Loading libherald and declaring its C functions for ctypes.

Every C function the package calls is declared in ``FUNCTIONS`` with its
``restype`` and ``argtypes``; a test checks that the table covers every
function in ``include/herald.h``. Nothing else in the package touches ctypes
signatures.

The library is found in this order: the ``HERALD_LIBRARY`` environment
variable (a path, for development), the copy shipped inside this package, then
the system loader (``libherald.so.1``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

#: The C ABI version this package was written for.
ABI_VERSION = 1

c_size_p = ctypes.POINTER(ctypes.c_size_t)
# Byte buffers (in and out) travel as char pointers; lengths are always explicit.
bytes_p = ctypes.c_char_p
c_u64_p = ctypes.POINTER(ctypes.c_uint64)
status_t = ctypes.c_int32


class HeraldStr(ctypes.Structure):
    """``herald_str``: a view of UTF-8 text owned by the library."""

    _fields_ = [("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    def text(self) -> str:
        if not self.len:
            return ""
        return ctypes.string_at(self.ptr, self.len).decode("utf-8")


class HeraldEvent(ctypes.Structure):
    """``herald_event``: plain-data description of one catalogue event."""

    _fields_ = [
        ("source", HeraldStr),
        ("name", HeraldStr),
        ("category", HeraldStr),
        ("description", HeraldStr),
        ("flags", ctypes.c_uint32),
        ("template_parameter", HeraldStr),
        ("bound_value", HeraldStr),
        ("deprecated", ctypes.c_bool),
        ("alias_count", ctypes.c_size_t),
    ]


class Opaque(ctypes.Structure):
    """Stand-in for the library's opaque handle types."""


handle_p = ctypes.POINTER(Opaque)
handle_pp = ctypes.POINTER(handle_p)
text_p = ctypes.c_char_p
S = ctypes.c_size_t

#: name -> (restype, argtypes) for every function of include/herald.h.
FUNCTIONS: Dict[str, Tuple[object, Sequence[object]]] = {
    "herald_abi_version": (ctypes.c_uint32, []),
    "herald_version": (ctypes.c_char_p, []),
    "herald_status_str": (ctypes.c_char_p, [ctypes.c_int32]),
    "herald_error_new": (handle_p, []),
    "herald_error_free": (None, [handle_p]),
    "herald_error_status": (status_t, [handle_p]),
    "herald_error_code": (HeraldStr, [handle_p]),
    "herald_error_message": (HeraldStr, [handle_p]),
    "herald_error_pointer": (HeraldStr, [handle_p]),
    "herald_topic_validate": (status_t, [text_p, S, handle_p]),
    "herald_catalogue_builtin": (handle_p, []),
    "herald_catalogue_from_json": (status_t, [bytes_p, S, handle_pp, handle_p]),
    "herald_catalogue_clone": (handle_p, [handle_p]),
    "herald_catalogue_free": (None, [handle_p]),
    "herald_catalogue_source_count": (S, [handle_p]),
    "herald_catalogue_source_at": (status_t, [handle_p, S, ctypes.POINTER(HeraldStr), handle_p]),
    "herald_catalogue_event_count": (S, [handle_p]),
    "herald_catalogue_event_at": (status_t, [handle_p, S, ctypes.POINTER(HeraldEvent), handle_p]),
    "herald_catalogue_get": (status_t, [handle_p, text_p, S, text_p, S, ctypes.POINTER(HeraldEvent), handle_p]),
    "herald_catalogue_alias_at": (
        status_t,
        [handle_p, text_p, S, text_p, S, S, ctypes.POINTER(HeraldEvent), handle_p],
    ),
    "herald_catalogue_to_json": (status_t, [handle_p, bytes_p, S, c_size_p, handle_p]),
}

#: Exported only by libraries built with the `testing` feature.
OPTIONAL_FUNCTIONS: Dict[str, Tuple[object, Sequence[object]]] = {
    "herald_debug_panic_catalogue": (status_t, [handle_p, handle_p]),
}


def _shipped_libraries() -> List[Path]:
    here = Path(__file__).resolve().parent
    found: List[Path] = []
    for pattern in ("herald*.so", "libherald*.so*", "herald*.dylib", "libherald*.dylib", "herald*.dll"):
        found.extend(sorted(here.glob(pattern)))
    return found


def library_candidates() -> List[str]:
    """Where the library is looked for, in order."""
    candidates: List[str] = []
    override = os.environ.get("HERALD_LIBRARY")
    if override:
        candidates.append(override)
    candidates.extend(str(path) for path in _shipped_libraries())
    system = ctypes.util.find_library("herald")
    if system:
        candidates.append(system)
    if sys.platform.startswith("linux"):
        candidates.append(f"libherald.so.{ABI_VERSION}")
    return candidates


def check_abi(found: int, path: str) -> None:
    """Raises ImportError unless the loaded library speaks our ABI."""
    if found != ABI_VERSION:
        raise ImportError(
            f"libherald at {path} has C ABI version {found}, but this herald package "
            f"needs ABI version {ABI_VERSION}; install matching versions "
            f"(or point HERALD_LIBRARY at a matching build)"
        )


def _load() -> Tuple[ctypes.CDLL, str]:
    errors: List[str] = []
    for candidate in library_candidates():
        try:
            return ctypes.CDLL(candidate), candidate
        except OSError as error:
            errors.append(f"{candidate}: {error}")
    tried = "; ".join(errors) or "no candidate found"
    raise ImportError(
        "cannot load libherald (set HERALD_LIBRARY to its path, or reinstall the package): " + tried
    )


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in FUNCTIONS.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = list(argtypes)
    for name, (restype, argtypes) in OPTIONAL_FUNCTIONS.items():
        function = getattr(lib, name, None)
        if function is not None:
            function.restype = restype
            function.argtypes = list(argtypes)


def _open() -> Tuple[ctypes.CDLL, str]:
    lib, path = _load()
    try:
        version_function = lib.herald_abi_version
    except AttributeError as error:
        raise ImportError(f"{path} is not libherald (no herald_abi_version)") from error
    version_function.restype = ctypes.c_uint32
    version_function.argtypes = []
    check_abi(int(version_function()), path)
    _declare(lib)
    return lib, path


lib, library_path = _open()


def has(name: str) -> bool:
    """Whether the loaded library exports ``name``."""
    return getattr(lib, name, None) is not None


def version() -> str:
    raw: Optional[bytes] = lib.herald_version()
    return raw.decode("ascii") if raw else ""
