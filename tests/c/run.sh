#!/usr/bin/env bash
# Builds libherald (with the test-only `testing` feature) and runs every C
# suite in tests/c three ways: plain, under AddressSanitizer+UBSan, and under
# valgrind; the C++ wrapper suites likewise. Suites that start threads also
# run under ThreadSanitizer, against a libherald that is itself instrumented,
# and a deliberately racy program must be reported. Also compiles the headers
# alone (C99, C11, C++17) and links one suite statically. Each suite prints
# "N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$root/target/c-tests"
lib="$out/lib"
mkdir -p "$lib"

cargo build --locked -p herald-ffi --features testing
# The shared library's SONAME is libherald.so.<ABI>; lay it out as an install would.
abi=$(sed -n 's/^pub const HERALD_ABI_VERSION: u32 = \([0-9]*\);/\1/p' "$root/crates/herald-ffi/src/version.rs")
soname="libherald.so.$abi"
rm -f "$lib"/libherald.so.*
cp -f "$root/target/debug/libherald.so" "$lib/$soname"
ln -sf "$soname" "$lib/libherald.so"
cp -f "$root/target/debug/libherald.a" "$lib/libherald.a"

echo "-- exported symbols equal the header's functions, all prefixed herald_"
exported=$(nm -D --defined-only "$lib/$soname" | awk '$2 == "T" {print $3}' | sort)
declared=$(grep -oE '\bherald_[a-z0-9_]+\(' "$root/include/herald.h" | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
    echo "exported symbols and header functions differ:"
    diff <(echo "$exported") <(echo "$declared") || true
    exit 1
fi
if nm -D --defined-only "$lib/$soname" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^herald_'; then
    echo "the library exports symbols without the herald_ prefix"
    exit 1
fi
echo "$(echo "$exported" | wc -l) symbols"
readelf -d "$lib/$soname" | grep -q "SONAME.*\[$soname\]" || { echo "SONAME is not $soname"; exit 1; }

# libherald built with ThreadSanitizer, in a target directory of its own.
# Stable Rust accepts -Zsanitizer under RUSTC_BOOTSTRAP=1 and ships the
# runtime (librustc-stable_rt.tsan.a); its std is not instrumented, hence
# -Cunsafe-allow-abi-mismatch. The explicit --target keeps the flags off
# build scripts and proc macros. Herald's own code and every generic it
# uses (Arc, Vec, hashbrown) are instrumented: TSan sees the library's reads
# and writes, not only the libc calls it makes.
host=$(rustc -vV | sed -n 's/^host: //p')
tsan_target="$root/target/tsan"
tsan_started=$SECONDS
RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=thread -Cunsafe-allow-abi-mismatch=sanitizer" \
    CARGO_TARGET_DIR="$tsan_target" cargo build --locked --target "$host" -p herald-ffi --features testing
echo "libherald with ThreadSanitizer built in $((SECONDS - tsan_started))s"
tsan_lib="$out/tsan-lib"
mkdir -p "$tsan_lib"
rm -f "$tsan_lib"/libherald.so.*
cp -f "$tsan_target/$host/debug/libherald.so" "$tsan_lib/$soname"
ln -sf "$soname" "$tsan_lib/libherald.so"
# The TSan runtime must live in the executable and match the library's
# instrumentation (LLVM's, newer than gcc's libtsan: gcc's lacks
# __tsan_memcpy), so the C programs are compiled with gcc's -fsanitize=thread
# but linked against Rust's runtime instead of gcc's.
tsan_runtime="$(rustc --print sysroot)/lib/rustlib/$host/lib/librustc-stable_rt.tsan.a"
tsan_link=(-Wl,--whole-archive "$tsan_runtime" -Wl,--no-whole-archive
    -L"$tsan_lib" -lherald -Wl,-rpath,"$tsan_lib" -lpthread -ldl -lm -lrt)
tsan_options="halt_on_error=1 suppressions=$root/tests/c/tsan.supp"

warnings=(-Wall -Wextra -Werror -pedantic)
cflags=(-std=c99 "${warnings[@]}" -g -I"$root/include" -DHERALD_TESTING)
link=(-L"$lib" -lherald -Wl,-rpath,"$lib" -lpthread)
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

echo "-- header compiles alone (C99, C11, C++17), included twice"
gcc -std=c99 "${warnings[@]}" -I"$root/include" -c "$root/tests/c/header_twice.c" -o "$out/header_c99.o"
gcc -std=c11 "${warnings[@]}" -I"$root/include" -c "$root/tests/c/header_twice.c" -o "$out/header_c11.o"
g++ -std=c++17 "${warnings[@]}" -I"$root/include" -x c++ -c "$root/tests/c/header_twice.c" -o "$out/header_cxx17.o"

if ! command -v valgrind >/dev/null 2>&1; then
    echo "-- installing valgrind"
    apt-get install -y valgrind >/dev/null || { apt-get update >/dev/null && apt-get install -y valgrind >/dev/null; }
fi

# test_signature reads the shared signature vectors as TSV (it has no JSON reader).
python3 "$root/tests/c/signature_vectors.py" >"$out/signatures.tsv"
export HERALD_SIGNATURE_VECTORS="$out/signatures.tsv"

for source in "$root"/tests/c/test_*.c; do
    name=$(basename "$source" .c)
    extra=()
    # Suites that start threads are also built with ThreadSanitizer.
    if grep -q pthread_create "$source"; then extra=(threads); fi

    echo "-- $name (plain)"
    gcc "${cflags[@]}" "$source" -o "$out/$name" "${link[@]}"
    (cd "$root" && "$out/$name")

    echo "-- $name (address + undefined behaviour sanitizers)"
    gcc "${cflags[@]}" "${sanitize[@]}" "$source" -o "$out/$name-asan" "${link[@]}"
    (cd "$root" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 "$out/$name-asan")

    echo "-- $name (valgrind)"
    (cd "$root" && valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=1 "$out/$name")

    if [ "${extra[*]:-}" = threads ]; then
        echo "-- $name (thread sanitizer, libherald instrumented too)"
        gcc "${cflags[@]}" -fsanitize=thread -c "$source" -o "$out/$name-tsan.o"
        gcc "$out/$name-tsan.o" -o "$out/$name-tsan" "${tsan_link[@]}"
        (cd "$root" && TSAN_OPTIONS="$tsan_options" "$out/$name-tsan")
    fi
done

# The expected failure: two threads change one router without a lock. TSan
# must stop it (non-zero exit) with a data race inside the library, through
# the same suppressions as above.
echo "-- race_unlocked_router (thread sanitizer): the race must be reported"
gcc "${cflags[@]}" -fsanitize=thread -c "$root/tests/c/race_unlocked_router.c" -o "$out/race_unlocked_router.o"
gcc "$out/race_unlocked_router.o" -o "$out/race_unlocked_router" "${tsan_link[@]}"
if (cd "$root" && TSAN_OPTIONS="$tsan_options" "$out/race_unlocked_router") >"$out/race_unlocked_router.txt" 2>&1; then
    cat "$out/race_unlocked_router.txt"
    echo "race_unlocked_router exited 0: ThreadSanitizer did not report the race"
    exit 1
fi
if ! grep -q '^WARNING: ThreadSanitizer: data race' "$out/race_unlocked_router.txt" ||
    ! grep -q 'herald_core::router::Router>::subscribe' "$out/race_unlocked_router.txt"; then
    cat "$out/race_unlocked_router.txt"
    echo "race_unlocked_router failed without a data race reported inside herald_core"
    exit 1
fi
grep -m1 '^SUMMARY' "$out/race_unlocked_router.txt"
echo "race_unlocked_router: 1 passed, 0 failed"

cxxflags=(-std=c++17 "${warnings[@]}" -g -I"$root/include" -I"$root/bindings/cpp")
for source in "$root"/tests/cpp/test_*.cpp; do
    name=$(basename "$source" .cpp)
    units=("$source" "$root/tests/cpp/second_unit.cpp")

    echo "-- $name (C++17, plain)"
    g++ "${cxxflags[@]}" "${units[@]}" -o "$out/$name" "${link[@]}"
    (cd "$root" && "$out/$name")

    echo "-- $name (C++17, address + undefined behaviour sanitizers)"
    g++ "${cxxflags[@]}" "${sanitize[@]}" "${units[@]}" -o "$out/$name-asan" "${link[@]}"
    (cd "$root" && ASAN_OPTIONS=detect_leaks=1 "$out/$name-asan")

    echo "-- $name (C++17, valgrind)"
    # nouserintercepts: valgrind keeps the program's own operator new (which
    # test_no_alloc counts) and tracks the malloc underneath it.
    (cd "$root" && valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
        --soname-synonyms=somalloc=nouserintercepts "$out/$name")
done

echo "-- the README's C++ snippet compiles and runs (tests/cpp/readme_harness.cpp)"
python3 - "$root/README.md" >"$out/readme_snippet.inc" <<'PY'
import re, sys
block = re.findall(r"```cpp\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), flags=re.S)[0]
print(block.replace('#include "herald.hpp"\n', "", 1))
PY
g++ "${cxxflags[@]}" "${sanitize[@]}" -I"$out" "$root/tests/cpp/readme_harness.cpp" -o "$out/readme_harness" "${link[@]}"
(cd "$root" && ASAN_OPTIONS=detect_leaks=1 "$out/readme_harness")

echo "-- the C fragments of docs/c.md, signatures.md and scale-out.md compile and run (tests/c/docs_harness.c)"
# docs/c.md's blocks share main's scope; each block of the other pages is a scope of its own.
# Whole programs (with a main) are examples/c files, built below and checked verbatim.
python3 - "$root/docs/c.md" "$root/docs/signatures.md" "$root/docs/scale-out.md" >"$out/docs_fragments.inc" <<'PY'
import re, sys
for index, path in enumerate(sys.argv[1:]):
    blocks = re.findall(r"^ *```c\n(.*?)^ *```", open(path, encoding="utf-8").read(), flags=re.S | re.M)
    blocks = [block for block in blocks if "int main(" not in block]
    assert blocks, f"{path} has no C blocks"
    print("\n".join(blocks) if index == 0 else "\n".join("{\n" + block + "}" for block in blocks))
PY
gcc "${cflags[@]}" "${sanitize[@]}" -I"$out" "$root/tests/c/docs_harness.c" -o "$out/docs_harness" "${link[@]}"
(cd "$root" && ASAN_OPTIONS=detect_leaks=1 "$out/docs_harness" >"$out/docs_harness.txt")
# What the signature and broker fragments print.
for line in "verified with key 0, id msg_p5jXN8AQM9LWM0D4loKWxJek" "replayed: duplicate" \
    "subscribe payment.>" "refused: reserved_prefix" "docs/c.md fragments: ok"; do
    grep -qF "$line" "$out/docs_harness.txt" || { echo "the docs fragments did not print: $line"; exit 1; }
done

echo "-- herald.hpp compiles alone, included twice"
printf '#include "herald.hpp"\n#include "herald.hpp"\nint main() { return 0; }\n' |
    g++ "${cxxflags[@]}" -x c++ - -o "$out/hpp_twice" "${link[@]}"

echo "-- examples: the C programs of the README and docs (plain and valgrind) and the C++ game server"
# Each C example with a line its output must contain.
declare -A expect=(
    [quickstart]="subscribers: 1 2"
    [route]="subscribers: 1 2"
    [wire]="accelbyte-wallet walletStatusChanged: valid, subscriber 4"
)
for example in "${!expect[@]}"; do
    gcc "${cflags[@]}" "$root/examples/c/$example.c" -o "$out/$example" "${link[@]}"
    "$out/$example" | tee "$out/$example.txt"
    grep -qF "${expect[$example]}" "$out/$example.txt"
    valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=1 "$out/$example" >/dev/null
done
g++ -std=c++17 -O2 "${warnings[@]}" -I"$root/include" -I"$root/bindings/cpp" "$root/examples/cpp/game_server.cpp" \
    -o "$out/game_server" "${link[@]}"
"$out/game_server" | tee "$out/game_server.txt"
grep -q "events/s" "$out/game_server.txt"

echo "-- the README or a docs page shows each examples/c program verbatim, and each is built above"
python3 - "$root" "${!expect[@]}" <<'PY'
import pathlib, re, sys
root = pathlib.Path(sys.argv[1])
pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
blocks = [block for page in pages
          for block in re.findall(r"```c\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)]
for example in sorted((root / "examples" / "c").glob("*.c")):
    if example.read_text(encoding="utf-8") not in blocks:
        sys.exit(f"examples/c/{example.name} must be shown verbatim in a ```c block of README.md or docs/")
    if example.stem not in sys.argv[2:]:
        sys.exit(f"examples/c/{example.name} is not built and run by tests/c/run.sh (add it to expect)")
PY

echo "-- test_core linked statically against libherald.a"
gcc "${cflags[@]}" "$root/tests/c/test_core.c" -o "$out/test_core-static" "$lib/libherald.a" -lpthread -ldl -lm
(cd "$root" && "$out/test_core-static")
