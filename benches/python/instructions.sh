#!/usr/bin/env bash
# Instructions per call of the hot validation paths, herald now against the
# package before (HERALD_BENCH_BEFORE, as run.sh exports it) and
# fastjsonschema, counted by valgrind's callgrind (benches/python/instructions.py).
# Deterministic, unlike clocks on a shared machine; instructions are not time
# (the interpreter and the library run at different instructions per cycle),
# so use it to judge a change, and run.sh for the figures.
#
#   benches/python/run.sh --quick        # first: makes the venv and the "before" package
#   benches/python/instructions.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python="$root/target/python-bench-venv/bin/python"
before="$root/target/python-bench-before"
[ -x "$python" ] || { echo "run benches/python/run.sh --quick first (it makes the venv)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
export HERALD_LIBRARY PYTHONHASHSEED=0 PYTHONPATH="$before"
HERALD_LIBRARY=$("$python" -I -c "import herald; print(herald.library_path())")
calls=2000

count() { # package operation passes -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$python" "$root/benches/python/instructions.py" \
        "$1" "$2" "$calls" "$3" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_call() {
    "$python" "$root/benches/python/instructions.py" "$1" "$2" 10 1 # compiles and checks first
    local one three
    one=$(count "$1" "$2" 1)
    three=$(count "$1" "$2" 3)
    echo $(((three - one) / (2 * calls)))
}

echo "| operation (AccelByte walletBalanceChanged) | herald | before | before ÷ herald |"
echo "|---|---|---|---|"
"$python" -c "import sys; sys.path.insert(0, '$root/benches/python'); import instructions; print('\n'.join(instructions.OPERATIONS))" |
while read -r operation; do
    now=$(per_call herald "$operation")
    if [[ $operation == fastjsonschema* ]]; then
        echo "| $operation | $now | | |"
        continue
    fi
    old=""
    if [ -d "$before/herald_before" ] && [[ $operation != *validate_many* ]]; then
        old=$(per_call herald_before "$operation" 2>/dev/null) || old=""
    fi
    if [ -n "$old" ]; then
        echo "| $operation | $now | $old | $(awk "BEGIN {printf \"%.2f×\", $old / $now}") |"
    else
        echo "| $operation | $now | | |"
    fi
done
