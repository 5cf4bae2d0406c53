"""Builds libherald with cargo and ships it inside the package as data.

The package is pure Python over ctypes; the shared library is not a Python
extension module, so the wheel is tagged ``py3-none-<platform>``: any Python 3
on that platform can use it. ``pip install ./bindings/python`` runs cargo
(release) on the workspace this directory belongs to.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Tuple

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
MANIFEST = HERE.parent.parent / "crates" / "herald-ffi" / "Cargo.toml"


def _library_name() -> str:
    if sys.platform == "darwin":
        return "libherald.dylib"
    if sys.platform == "win32":
        return "herald.dll"
    return "libherald.so"


def build_libherald() -> Path:
    """Runs cargo and returns the path of the shared library it built."""
    if not MANIFEST.is_file():
        raise RuntimeError(f"cannot build libherald: {MANIFEST} is missing (build from a herald checkout)")
    command = [
        "cargo", "build", "--release", "--locked", "-p", "herald-ffi",
        "--manifest-path", str(MANIFEST), "--message-format=json-render-diagnostics",
    ]
    try:
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    except FileNotFoundError as error:
        raise RuntimeError("cannot build libherald: cargo is not on PATH (install Rust from rustup.rs)") from error
    wanted = _library_name()
    for line in output.splitlines():
        message = json.loads(line)
        if message.get("reason") != "compiler-artifact" or "cdylib" not in message["target"]["kind"]:
            continue
        for filename in message["filenames"]:
            if Path(filename).name == wanted:
                return Path(filename)
    raise RuntimeError(f"cargo built no {wanted}")


class BuildPyWithLibrary(build_py):
    """build_py, plus libherald copied into the package."""

    def run(self) -> None:
        super().run()
        library = build_libherald()
        target = Path(self.build_lib) / "herald" / library.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, target)


class PlatformWheel(bdist_wheel):
    """A wheel for one platform but any Python 3: ``py3-none-<platform>``."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> Tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel})
