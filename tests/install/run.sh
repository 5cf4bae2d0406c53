#!/usr/bin/env bash
# Installs herald into a scratch prefix with the README's install lines, runs
# docs/c.md's build-and-link lines, and builds the C quickstart the three ways
# C teams link it: a plain -I/-L/-l line, pkg-config, and CMake's find_package.
# Installs cmake with apt-get if it is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix="$root/target/install-test/prefix"
work="$root/target/install-test"
rm -rf "$work"
mkdir -p "$work"

expected="subscribers: 1 2"
check_output() {
    local output
    output=$("$@")
    echo "$output"
    grep -q "$expected" <<<"$output" || { echo "unexpected output from $*"; exit 1; }
}

echo "-- the README's install lines (scripts/install, pkg-config, rpath), run as written but for the prefix"
python3 - "$root/README.md" "$prefix" >"$work/readme-install.sh" <<'PY'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
section = readme.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
block = next(block for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S) if "pkg-config" in block)
first, rest = block.split("\n", 1)
assert first.startswith("prefix="), "the README's install lines must start by naming the prefix"
print(f"prefix={sys.argv[2]}\n{rest}")
PY
(cd "$root" && bash -euo pipefail "$work/readme-install.sh") | tee "$work/readme-install.txt"
grep -q "$expected" "$work/readme-install.txt" || { echo "the README's install lines did not run the quickstart"; exit 1; }

echo "-- the build-and-link lines of docs/c.md, run as written"
python3 - "$root/docs/c.md" >"$work/docs-link.sh" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
section = page.split("Build the library, then compile and link against it.", 1)[1]
print(re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1))
PY
(cd "$root" && bash -euo pipefail "$work/docs-link.sh") | tee "$work/docs-link.txt"
[ "$(grep -c "$expected" "$work/docs-link.txt")" -eq 2 ] || { echo "docs/c.md's lines did not run both programs"; exit 1; }

echo "-- plain compiler line"
gcc -std=c99 -Wall -Wextra -Werror -pedantic "$root/examples/c/quickstart.c" -o "$work/quickstart-plain" \
    -I"$prefix/include" -L"$prefix/lib" -lherald -Wl,-rpath,"$prefix/lib"
check_output "$work/quickstart-plain"
abi=$(sed -n 's/^pub const HERALD_ABI_VERSION: u32 = \([0-9]*\);/\1/p' "$root/crates/herald-ffi/src/version.rs")
readelf -d "$work/quickstart-plain" | grep -q "NEEDED.*\[libherald\.so\.$abi\]" ||
    { echo "not linked against the SONAME libherald.so.$abi"; exit 1; }
[ "$(readlink "$prefix/lib/libherald.so")" = "libherald.so.$abi" ] || { echo "libherald.so is not a link to the SONAME"; exit 1; }

echo "-- pkg-config"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion herald)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)" ]
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror "$root/examples/c/quickstart.c" -o "$work/quickstart-pc" \
    $(pkg-config --cflags --libs herald) -Wl,-rpath,"$prefix/lib"
check_output "$work/quickstart-pc"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror "$root/examples/c/quickstart.c" -o "$work/quickstart-pc-static" \
    $(pkg-config --cflags herald) "$prefix/lib/libherald.a" $(pkg-config --libs-only-other --static herald) \
    -lpthread -ldl -lm
check_output "$work/quickstart-pc-static"

echo "-- CMake find_package(herald)"
if ! command -v cmake >/dev/null 2>&1; then
    echo "installing cmake"
    apt-get install -y cmake >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y cmake >/dev/null; }
fi
cmake -S "$root/tests/install" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake" >/dev/null
check_output "$work/cmake/quickstart"
check_output "$work/cmake/quickstart_static"
echo "install test passed"
