#!/usr/bin/env bash
# Instructions per call of the hot validation paths, herald now against the
# package before (HERALD_BENCH_BEFORE, as run.sh exports it) and
# fastjsonschema, counted by valgrind's callgrind (benches/python/instructions.py).
# Deterministic, unlike clocks on a shared machine; instructions are not time
# (the interpreter and the library run at different instructions per cycle),
# so use it to judge a change, and run.sh for the figures.
#
# For the batch path it also counts the instructions spent in the library,
# which run with the GIL released: the rest is the Python share s that
# threads cannot share, and min(2, 1 / s) the most two threads can give
# (the GIL-held parts run one at a time, but each overlaps the other
# thread's C call; an upper bound: instructions are not time, and the
# interpreter runs fewer of them per cycle than the library).
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
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # package operation passes -> "total library" instructions
    local file="$out/callgrind.out"
    valgrind --tool=callgrind --callgrind-out-file="$file" "$python" "$root/benches/python/instructions.py" \
        "$1" "$2" "$calls" "$3" >/dev/null 2>&1
    local total library
    total=$(callgrind_annotate "$file" 2>/dev/null | sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
    # Every exported call runs inside the library's one panic boundary.
    library=$(callgrind_annotate --inclusive=yes "$file" 2>/dev/null | awk '/boundary::guarded \[/ && !seen {print $1; seen = 1}' | tr -d ,)
    echo "$total ${library:-0}"
}
per_call() { # package operation -> "total library" instructions per call
    "$python" "$root/benches/python/instructions.py" "$1" "$2" 10 1 # compiles and checks first
    local one three
    read -r -a one < <(count "$1" "$2" 1)
    read -r -a three < <(count "$1" "$2" 3)
    echo "$(((three[0] - one[0]) / (2 * calls))) $(((three[1] - one[1]) / (2 * calls)))"
}

echo "| operation (AccelByte walletBalanceChanged) | herald | before | before ÷ herald | of which in the library, GIL released | 2 threads ÷ 1 at most (min(2, 1 / Python share)) |"
echo "|---|---|---|---|---|---|"
"$python" -c "import sys; sys.path.insert(0, '$root/benches/python'); import instructions; print('\n'.join(instructions.OPERATIONS))" |
while read -r operation; do
    read -r now library < <(per_call herald "$operation")
    released="" bound=""
    if [[ $operation == *validate_many* && $library -gt 0 ]]; then
        released=$library
        bound=$(awk "BEGIN {s = ($now - $library) / $now; b = (s > 0) ? 1 / s : 2; if (b > 2) b = 2; printf \"%.2f×\", b}")
    fi
    if [[ $operation == fastjsonschema* ]]; then
        echo "| $operation | $now | | | | |"
        continue
    fi
    old=""
    if [ -d "$before/herald_before" ] && [[ $operation != *validate_many* ]]; then
        read -r old _ < <(per_call herald_before "$operation" 2>/dev/null) || old=""
    fi
    if [ -n "$old" ]; then
        echo "| $operation | $now | $old | $(awk "BEGIN {printf \"%.2f×\", $old / $now}") | $released | $bound |"
    else
        echo "| $operation | $now | | | $released | $bound |"
    fi
done
