"""The ctypes layer: the declarations match include/herald.h argument by
argument, the loaded library exports them, the library is found where the
docs say, and a library of another ABI is refused at import."""

from __future__ import annotations

import ast
import ctypes
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import herald
from herald import _ffi, wire

from conftest import HEADER

P = ctypes.POINTER


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _split_testing(text: str) -> Tuple[str, str]:
    """(declarations outside, inside) the `#if defined(HERALD_TESTING)` blocks."""
    testing_blocks = re.findall(r"#if defined\(HERALD_TESTING\)(.*?)#endif", text, flags=re.S)
    rest = re.sub(r"#if defined\(HERALD_TESTING\).*?#endif", " ", text, flags=re.S)
    return rest, "\n".join(testing_blocks)


Prototype = Tuple[str, List[str]]


def _prototypes(text: str) -> Dict[str, Prototype]:
    """name -> (return type, parameter types), names of parameters removed."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    found: Dict[str, Prototype] = {}
    for returns, name, params in re.findall(r"([^;{}()]*?)\b(herald_[a-z0-9_]+)\s*\(([^()]*)\)\s*;", text):
        parameters = [] if params.strip() in ("", "void") else [p.strip() for p in params.split(",")]
        found[name] = (_normalise(returns), [_normalise(re.sub(r"\w+$", "", p)) for p in parameters])
    return found


def _normalise(c_type: str) -> str:
    words = [word for word in re.findall(r"\w+|\*", c_type) if word not in ("const", "struct")]
    base = [word for word in words if word != "*"]
    stars = words.count("*")
    return " ".join(base) + (" " + "*" * stars if stars else "")


def _header() -> Tuple[Dict[str, Prototype], Dict[str, Prototype]]:
    text = _strip_comments(HEADER.read_text(encoding="utf-8"))
    rest, testing = _split_testing(text)
    return _prototypes(rest), _prototypes(testing)


def _expected_ctypes() -> Dict[str, object]:
    expected: Dict[str, object] = {
        "void": None,
        "bool": ctypes.c_bool,
        "bool *": P(ctypes.c_bool),
        "size_t": ctypes.c_size_t,
        "size_t *": P(ctypes.c_size_t),
        "int32_t": ctypes.c_int32,
        "uint32_t": ctypes.c_uint32,
        "uint64_t": ctypes.c_uint64,
        "uint64_t *": P(ctypes.c_uint64),
        "int32_t *": P(ctypes.c_int32),
        "int64_t": ctypes.c_int64,
        "char *": ctypes.c_char_p,
        "uint8_t *": ctypes.c_char_p,
        "herald_status": ctypes.c_int32,
        "herald_str": _ffi.HeraldStr,
        "herald_str *": P(_ffi.HeraldStr),
        "herald_event *": P(_ffi.HeraldEvent),
        "herald_issue *": P(_ffi.HeraldIssue),
        "herald_bytes *": P(_ffi.HeraldBytes),
        "herald_wire_event_info *": P(_ffi.HeraldWireEventInfo),
        "herald_header *": P(_ffi.HeraldHeader),
        "herald_verified *": P(_ffi.HeraldVerified),
        "herald_subscriber_plan *": P(_ffi.HeraldSubscriberPlan),
    }
    for name, opaque in _ffi.OPAQUE_TYPES.items():
        expected[f"{name} *"] = P(opaque)
        expected[f"{name} **"] = P(P(opaque))
    return expected


def test_header_parser_sees_every_function_the_c_suite_greps_for() -> None:
    # tests/c/run.sh compares `nm -D` with this grep; the parser must agree with it.
    grepped = set(re.findall(r"\b(herald_[a-z0-9_]+)\(", HEADER.read_text(encoding="utf-8")))
    declared, testing = _header()
    assert grepped == set(declared) | set(testing)
    assert len(declared) >= 50
    assert set(testing) == {"herald_debug_panic_catalogue", "herald_debug_panic_router"}


def test_every_header_function_is_declared_for_ctypes_and_nothing_else() -> None:
    declared, testing = _header()
    assert sorted(set(declared) - set(_ffi.FUNCTIONS)) == [], "declare these in _ffi.FUNCTIONS"
    assert sorted(set(_ffi.FUNCTIONS) - set(declared)) == [], "_ffi.FUNCTIONS has functions the header lacks"
    assert sorted(set(testing) - set(_ffi.OPTIONAL_FUNCTIONS)) == [], "declare these in _ffi.OPTIONAL_FUNCTIONS"
    assert sorted(set(_ffi.OPTIONAL_FUNCTIONS) - set(testing)) == []


def test_restype_and_argtypes_match_the_header_argument_by_argument() -> None:
    declared, testing = _header()
    expected = _expected_ctypes()
    # A returned byte pointer (herald_buffer_data) is read with its length,
    # never as a NUL-terminated c_char_p, which would stop at the first 0.
    expected_returns = {**expected, "uint8_t *": ctypes.c_void_p}
    table = {**_ffi.FUNCTIONS, **_ffi.OPTIONAL_FUNCTIONS}
    for name, (returns, params) in {**declared, **testing}.items():
        restype, argtypes = table[name]
        assert returns in expected_returns, f"{name}: no ctypes mapping for return type {returns!r}"
        assert restype is expected_returns[returns], f"{name}: restype {restype} but the header returns {returns}"
        assert len(argtypes) == len(params), f"{name}: {len(argtypes)} argtypes for {len(params)} parameters"
        for index, (argtype, param) in enumerate(zip(argtypes, params)):
            assert param in expected, f"{name}: no ctypes mapping for parameter type {param!r}"
            assert argtype is expected[param], f"{name} argument {index}: {argtype} but the header says {param}"


def test_loaded_functions_carry_the_declared_signatures() -> None:
    for name, (restype, argtypes) in _ffi.FUNCTIONS.items():
        function = getattr(_ffi.lib, name)
        assert function.restype is restype, name
        assert list(function.argtypes) == list(argtypes), name


def test_structs_match_the_header_fields() -> None:
    text = _strip_comments(HEADER.read_text(encoding="utf-8"))
    structs = {
        "herald_str": _ffi.HeraldStr,
        "herald_event": _ffi.HeraldEvent,
        "herald_issue": _ffi.HeraldIssue,
        "herald_bytes": _ffi.HeraldBytes,
        "herald_wire_event_info": _ffi.HeraldWireEventInfo,
        "herald_header": _ffi.HeraldHeader,
        "herald_verified": _ffi.HeraldVerified,
        "herald_subscriber_plan": _ffi.HeraldSubscriberPlan,
    }
    for name, struct in structs.items():
        body = re.search(r"typedef struct %s \{(.*?)\}" % name, text, flags=re.S)
        assert body, name
        fields = re.findall(r"(\w+);", body.group(1))
        assert fields == [field for field, _ in struct._fields_], name


def test_constants_match_the_header_defines() -> None:
    text = HEADER.read_text(encoding="utf-8")
    defines = dict(re.findall(r"#define HERALD_(\w+) (\d+)", text))
    assert int(defines["ABI_VERSION"]) == herald.ABI_VERSION == _ffi.ABI_VERSION
    assert int(defines["DEFAULT_MAX_URLS"]) == herald.DEFAULT_MAX_URLS
    assert int(defines["EVENT_FLAG_INFOBIP_EXTENSION"]) == herald.EventFlags.INFOBIP_EXTENSION
    assert int(defines["EVENT_FLAG_SUPPLEMENTARY"]) == herald.EventFlags.SUPPLEMENTARY
    severities = dict(re.findall(r"HERALD_SEVERITY_(\w+) = (\d+)", text))
    assert int(severities["ERROR"]) == _ffi.SEVERITY_ERROR
    assert int(severities["WARNING"]) == _ffi.SEVERITY_WARNING
    formats = {name: int(value) for name, value in re.findall(r"HERALD_WIRE_FORMAT_(\w+) = (\d+)", text)}
    assert formats == {fmt.name: fmt.code for fmt in herald.WireFormat}
    outcomes = {name: int(value) for name, value in re.findall(r"HERALD_REALM_OUTCOME_(\w+) = (\d+)", text)}
    assert outcomes == {outcome.name: int(outcome) for outcome in herald.RealmOutcome}
    kinds = dict(re.findall(r"HERALD_TIMESTAMP_KIND_(\w+) = (\d+)", text))
    assert (int(kinds["UNIX"]), int(kinds["TEXT"])) == (wire._TIMESTAMP_UNIX, wire._TIMESTAMP_TEXT)


def test_status_enum_mirrors_herald_status() -> None:
    statuses = {name: int(value) for name, value in re.findall(r"HERALD_STATUS_(\w+) = (\d+)", HEADER.read_text())}
    assert {status.name: int(status) for status in herald.Status} == statuses


def test_loaded_library_exports_every_declared_function() -> None:
    for name in _ffi.FUNCTIONS:
        assert _ffi.has(name), name
    nm = shutil.which("nm")
    assert nm is not None, "nm (binutils) is needed to list the library's exports"
    listing = subprocess.run(
        [nm, "-D", "--defined-only", herald.library_path()], capture_output=True, text=True, check=True
    ).stdout
    exported = {line.split()[-1] for line in listing.splitlines() if " T " in line}
    assert set(_ffi.FUNCTIONS) <= exported
    for name in _ffi.OPTIONAL_FUNCTIONS:
        assert (name in exported) == _ffi.has(name)
    assert all(name.startswith("herald_") for name in exported)


def test_versions() -> None:
    assert isinstance(herald.__version__, str)
    assert herald.__version__ == herald.library_version()
    assert isinstance(herald.ABI_VERSION, int) and herald.ABI_VERSION == 2
    assert _ffi.lib.herald_abi_version() == herald.ABI_VERSION
    pyproject = (Path(__file__).resolve().parents[2] / "bindings" / "python" / "pyproject.toml").read_text()
    assert f'version = "{herald.__version__}"' in pyproject


def test_check_abi_accepts_our_version_and_refuses_others() -> None:
    _ffi.check_abi(_ffi.ABI_VERSION, "/some/libherald.so")
    with pytest.raises(ImportError) as raised:
        _ffi.check_abi(999, "/some/libherald.so")
    message = str(raised.value)
    assert "/some/libherald.so" in message
    assert "ABI version 999" in message
    assert f"needs ABI version {_ffi.ABI_VERSION}" in message


def _fake_library(cc: str, directory: Path, body: str) -> Path:
    source = directory / "fake.c"
    source.write_text(body)
    library = directory / "libfake.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


def _import_with(library: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HERALD_LIBRARY=library)
    return subprocess.run([sys.executable, "-c", "import herald"], env=env, capture_output=True, text=True)


def test_import_refuses_a_library_of_another_abi(cc: str, tmp_path: Path) -> None:
    library = _fake_library(cc, tmp_path, "unsigned herald_abi_version(void) { return 999; }\n")
    result = _import_with(str(library))
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert f"libherald at {library} has C ABI version 999" in result.stderr
    assert f"needs ABI version {herald.ABI_VERSION}" in result.stderr


def test_import_refuses_a_library_without_herald_abi_version(cc: str, tmp_path: Path) -> None:
    library = _fake_library(cc, tmp_path, "int something_else(void) { return 1; }\n")
    result = _import_with(str(library))
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "is not libherald" in result.stderr


def test_import_refuses_a_library_missing_functions(cc: str, tmp_path: Path) -> None:
    library = _fake_library(cc, tmp_path, f"unsigned herald_abi_version(void) {{ return {herald.ABI_VERSION}; }}\n")
    result = _import_with(str(library))
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "does not export herald_" in result.stderr


def test_a_herald_library_path_that_does_not_load_fails_loudly(tmp_path: Path) -> None:
    result = _import_with(str(tmp_path / "missing" / "libherald.so"))
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "cannot load libherald" in result.stderr


def test_herald_library_overrides_every_other_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERALD_LIBRARY", "/dev/libherald-for-development.so")
    assert _ffi.library_candidates() == ["/dev/libherald-for-development.so"]
    monkeypatch.setenv("HERALD_LIBRARY", "")
    monkeypatch.setattr(_ffi, "_shipped_libraries", lambda: [Path("/site/herald/herald.cpython.so")])
    candidates = _ffi.library_candidates()
    assert candidates[0] == "/site/herald/herald.cpython.so", "the packaged copy comes first"
    if sys.platform.startswith("linux"):
        assert candidates[-1] == f"libherald.so.{_ffi.ABI_VERSION}", "then the system loader"


@pytest.mark.needs_installed_copy
def test_installed_package_loads_its_own_copy_of_the_library() -> None:
    assert not os.environ.get("HERALD_LIBRARY"), "HERALD_LIBRARY points at a development build"
    assert Path(herald.library_path()).parent == Path(herald.__file__).resolve().parent


def test_the_wheel_is_for_any_python_3_on_one_platform() -> None:
    # libherald is not an extension module, so the wheel is py3-none-<platform>, not cp311-cp311-...
    wheel = importlib.metadata.distribution("herald").read_text("WHEEL") or ""
    tags = re.findall(r"^Tag: (\S+)$", wheel, flags=re.M)
    assert len(tags) == 1, wheel
    assert re.fullmatch(r"py3-none-(?!any)\w+", tags[0]), tags[0]
    assert "Root-Is-Purelib: false" in wheel


def test_the_package_ships_libherald_as_package_data_not_as_an_extension_module() -> None:
    package = Path(herald.__file__).resolve().parent
    shipped = [name for name in _ffi.SHIPPED_NAMES if (package / name).is_file()]
    assert len(shipped) == 1, f"expected one of {_ffi.SHIPPED_NAMES} in {package}"
    assert not [path.name for path in package.iterdir() if ".cpython-" in path.name or ".abi3." in path.name]
    files = importlib.metadata.distribution("herald").files or []
    assert f"herald/{shipped[0]}" in {str(file) for file in files}, "the library is recorded in the wheel"


def test_package_is_typed_and_pure_python() -> None:
    package = Path(herald.__file__).resolve().parent
    assert (package / "py.typed").is_file()
    for module in package.glob("*.py"):
        # Python 3.9 syntax throughout (the package promises requires-python >= 3.9).
        tree = ast.parse(module.read_text(encoding="utf-8"), feature_version=(3, 9))
        first = tree.body[1] if isinstance(tree.body[0], ast.Expr) else tree.body[0]
        assert isinstance(first, ast.ImportFrom) and first.module == "__future__", module.name


def test_public_names() -> None:
    for name in herald.__all__:
        assert hasattr(herald, name), name
    for name in (
        "validate_topic",
        "validate_pattern",
        "matches",
        "Router",
        "RouterSnapshot",
        "Catalogue",
        "Event",
        "Report",
        "Issue",
        "Limits",
        "EndpointSet",
        "Status",
        "HeraldError",
        "TopicError",
        "PatternError",
        "CatalogueError",
        "EndpointError",
        "UnknownEventError",
    ):
        assert name in herald.__all__, name


def test_status_text_comes_from_the_library() -> None:
    assert herald.status_text(herald.Status.OK) == "ok"
    assert "too small" in herald.status_text(herald.Status.BUFFER_TOO_SMALL)
    assert herald.status_text(99999) == "unknown status"
    assert herald.status_text(-1) == "unknown status"
