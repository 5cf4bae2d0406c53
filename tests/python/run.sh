#!/usr/bin/env bash
# Runs the Python suite (tests/python) from a fresh venv, the way a new user
# installs the package: target/python-venv is deleted and recreated, then
# `pip install ./bindings/python pytest`, run on a fresh copy of the sources,
# builds libherald with cargo (release) and ships it inside the package as
# data (a py3-none-<platform> wheel); `cryptography` is installed for the
# signature vectors' ed25519 cross-check. Two pytest passes:
#   1. the installed package with its own copy of the library;
#   2. HERALD_LIBRARY pointing at a debug build with the `testing` feature,
#      which adds the panic path.
# Tests that need one kind of library carry a marker (tests/python/conftest.py)
# and are selected with -m in the pass that has it; nothing is skipped.
# test_broker.py runs the debug `herald` CLI (built here, HERALD_CLI).
# Needs python3 (3.9+) with the venv module, cargo, and the package registry.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv="$root/target/python-venv"
python=${PYTHON:-python3}

echo "-- fresh venv at $venv ($("$python" --version))"
rm -rf "$venv"
"$python" -m venv "$venv"

# Install from a fresh copy of the sources, as from a new clone: only the
# files git knows of (tracked, or new and not ignored), so no build/ or
# egg-info directory and no library from an earlier build can be picked up.
# Cargo keeps using this workspace's target directory, so nothing is rebuilt
# needlessly.
clone="$root/target/python-fresh-clone"
echo "-- a fresh copy of the sources at $clone"
rm -rf "$clone"
mkdir -p "$clone"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
    tar --null --files-from=- --ignore-failed-read -cf -) | tar -xf - -C "$clone"

echo "-- pip install ./bindings/python pytest mypy cryptography (builds libherald in release)"
CARGO_TARGET_DIR="$target" PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet \
    --progress-bar off "$clone/bindings/python" "pytest>=7" "mypy>=1.8" "cryptography>=42"
# The copy goes at once. Cargo names a path package's build by its place in
# the workspace, so the copy's build and this workspace's share their
# artifacts; when the copy's build recompiled them, cargo recorded the
# copy's files as their sources, and with the copy left in place a later
# build here would take them as up to date after this workspace's sources
# changed. With the copy gone, such a build sees them missing and rebuilds.
rm -rf "$clone"

echo "-- mypy --strict on the package (it ships py.typed)"
(cd "$root/bindings/python" && "$venv/bin/python" -m mypy --strict --cache-dir=/dev/null herald)

# test_broker compares the bindings' plans with the `herald broker` CLI's.
cargo build --locked -q -p herald-cli
export HERALD_CLI="$target/debug/herald"

# pytest runs from the repository root on the installed package: nothing puts
# bindings/python on sys.path. Its tmp_path directories go under target/:
# pytest empties --basetemp at the start of each pass, where the default
# (/tmp/pytest-of-USER) keeps the last three runs'.
cd "$root"
pytest=("$venv/bin/python" -I -m pytest -p no:cacheprovider -q --strict-markers -rs
    --basetemp="$root/target/pytest-tmp" tests/python)

echo "-- pytest, pass 1: the installed package and its own libherald"
env -u HERALD_LIBRARY "${pytest[@]}" -m "not needs_testing_feature"

echo "-- pytest, pass 2: a debug libherald with the testing feature (panic path)"
cargo build --locked -q -p herald-ffi --features testing
case "$(uname -s)" in
    Darwin) library="$target/debug/libherald.dylib" ;;
    *) library="$target/debug/libherald.so" ;;
esac
HERALD_LIBRARY="$library" "${pytest[@]}" -m "not needs_installed_copy and not needs_release_build"
