#!/usr/bin/env bash
# The Python benchmark (benches/python/bench.py): herald against
# fastjsonschema, jsonschema, json.loads and a pure-Python router, and the
# package as it was before issue 18, in one run. Not part of the test suite.
#
#   benches/python/run.sh            # the full run (a few minutes)
#   benches/python/run.sh --quick    # a seconds-long smoke run, same checks
#
# It keeps its own venv in target/python-bench-venv, installs this package
# there (building libherald in release), fastjsonschema and jsonschema, and
# exports the package as of HERALD_BENCH_BEFORE (a git ref, default the
# commit before issue 18) as `herald_before` for the "before" columns. The
# machine should be otherwise idle: check `uptime`; the run prints the load.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv="$root/target/python-bench-venv"
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet --progress-bar off \
    "fastjsonschema>=2.20,<3" "jsonschema>=4.23,<5"
PIP_DISABLE_PIP_VERSION_CHECK=1 CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    "$venv/bin/python" -m pip install --quiet --progress-bar off --force-reinstall --no-deps "$root/bindings/python"

before_ref=${HERALD_BENCH_BEFORE:-87995a2}
before_args=()
if git -C "$root" rev-parse --verify --quiet "$before_ref^{commit}" >/dev/null; then
    before="$root/target/python-bench-before"
    rm -rf "$before"
    mkdir -p "$before"
    git -C "$root" archive "$before_ref" bindings/python/herald | tar -x -C "$before"
    mv "$before/bindings/python/herald" "$before/herald_before"
    # The old package loads the same library as the new one.
    export HERALD_LIBRARY
    HERALD_LIBRARY=$("$venv/bin/python" -I -c "import herald; print(herald.library_path())")
    before_args=(--before "$before")
else
    echo "note: $before_ref is not a commit here; no 'before' columns" >&2
fi

cd "$root"
exec "$venv/bin/python" -I "$root/benches/python/bench.py" "${before_args[@]}" "$@"
