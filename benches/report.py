#!/usr/bin/env python3
"""The benchmark tables of one `scripts/bench --full` run.

Reads criterion's estimates (target/criterion/**/new/), the criterion log
(the answer checks, hit rates and work counts the benchmarks print) and
route-bench's table, and prints Markdown: `--part readme` the few headline
lines the README shows (each with its key ratios, pointing to the figures),
`--part details` every figure (docs/benchmarks.md: the tables, the targets,
the answer checks and every criterion benchmark). With `--into FILE` the
part replaces what lies between FILE's `<!-- bench:begin -->` and
`<!-- bench:end -->` lines instead. The methods are in docs/benchmarking.md,
written by hand.

Every time is a criterion median with its noise: the median absolute
deviation (MAD) of the samples. A target is judged over that noise: a ratio
is computed at both ends of its inputs' ranges (median ± MAD); "met" when
the whole range meets the target, "not met" when the whole range misses it,
and "≈" when the target lies inside the range. route-bench's figures are
wall-clock and from one pass: their noise is how far route-bench's mean
over a stream lies from criterion's CPU-time median of the same stream
(what other jobs added in this run), at least that median's MAD.
"""

import argparse
import json
import pathlib
import re
import sys

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


class Missing(Exception):
    """A figure the tables need is not in this run."""


def load_criterion(root):
    """{(group, function, value): estimate} for every benchmark of the run."""
    results = {}
    for benchmark in root.glob("**/new/benchmark.json"):
        meta = json.loads(benchmark.read_text(encoding="utf-8"))
        estimates = json.loads((benchmark.parent / "estimates.json").read_text(encoding="utf-8"))
        elements = (meta.get("throughput") or {}).get("Elements") or 1
        median = estimates["median"]["point_estimate"]
        mad = estimates["median_abs_dev"]["point_estimate"]
        key = (meta["group_id"], meta.get("function_id") or "", meta.get("value_str") or "")
        results[key] = {
            "ns": median / elements,
            "mad": mad / elements,
            "elements": elements,
            "id": meta["full_id"],
        }
    if not results:
        raise Missing(f"no criterion estimates under {root}: did the run happen?")
    return results


def find(results, group, function, value=""):
    key = (group, function, value)
    if key not in results:
        known = sorted(f"{f} / {v}" if v else f for g, f, v in results if g == group)
        raise Missing(
            f"benchmark {group}/{function}{'/' + value if value else ''} is not in this run "
            f"(group {group!r} has: {', '.join(known) or 'nothing'}); keep benches/report.py "
            "in step with the benchmark ids"
        )
    return results[key]


def ns(value):
    if value >= 10_000:
        return f"{value / 1000:,.1f} µs"
    if value >= 100:
        return f"{value:,.0f} ns"
    return f"{value:,.1f} ns"


def with_noise(figure):
    return f"{ns(figure['ns'])} ± {figure['mad'] / figure['ns'] * 100:.1f} %"


def relative(figure):
    return figure["mad"] / figure["ns"]


def ratio_range(top, top_noise, bottom, bottom_noise):
    """(low, point, high) of top / bottom with each input ± its noise."""
    point = top / bottom
    low = top * (1 - top_noise) / (bottom * (1 + bottom_noise))
    high = top * (1 + top_noise) / (bottom * max(1 - bottom_noise, 1e-9))
    return low, point, high


def verdict(low, high, target, direction):
    """`direction` is ">=" or "<=": what the figure must be against the target."""
    if direction == ">=":
        if low >= target:
            return "met"
        if high < target:
            return "not met"
    else:
        if high <= target:
            return "met"
        if low > target:
            return "not met"
    return "≈"


def parse_rate(text):
    text = text.strip()
    if text.endswith("M"):
        return float(text[:-1]) * 1e6
    if text.endswith("k"):
        return float(text[:-1]) * 1e3
    return float(text)


def load_route_bench(path):
    """{corpus: figures} from route-bench's table."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split(" | ")]
        if len(cells) != 10 or cells[0] == "corpus":
            continue
        old_new = lambda cell: [part.strip() for part in re.sub(r"\(.*\)", "", cell).split("/")]
        mean = old_new(cells[4])
        p50 = old_new(cells[5])
        p99 = old_new(cells[6])
        inserts = old_new(cells[7])
        churn = old_new(cells[8])
        size = old_new(cells[9])
        rows[cells[0]] = {
            "subscriptions": int(cells[1]),
            "topics": cells[2],
            "checksum": cells[3],
            "mean": (float(mean[0]), float(mean[1])),
            "p50": (float(p50[0]), float(p50[1])),
            "p99": (float(p99[0]), float(p99[1])),
            "inserts": (parse_rate(inserts[0]), parse_rate(inserts[1])),
            "churn": (parse_rate(churn[0]), parse_rate(churn[1])),
            "bytes": (float(size[0]), float(size[1])),
        }
    if not rows:
        raise Missing(f"no route-bench rows in {path}")
    return rows


def rate(value):
    return f"{value / 1e6:.2f}M" if value >= 1e6 else f"{value / 1e3:.0f}k"


class Report:
    def __init__(self, args):
        self.results = load_criterion(pathlib.Path(args.criterion))
        self.log = pathlib.Path(args.log).read_text(encoding="utf-8", errors="replace")
        self.routes = load_route_bench(pathlib.Path(args.route_bench))
        self.machine = dict(
            line.split(": ", 1)
            for line in pathlib.Path(args.machine).read_text(encoding="utf-8").splitlines()
            if ": " in line
        )
        self.targets = []

    # -- pieces ---------------------------------------------------------------

    def header(self):
        m = self.machine
        return (
            f"Measured {m.get('date', '?')} at commit `{m.get('commit', '?')}` on "
            f"{m.get('cpu', '?')}, {m.get('cores', '?')}; {m.get('rustc', '?')}; load average "
            f"{m.get('load before', '?')} before, {m.get('load after', '?')} after (other jobs "
            "may share the machine). One run of `scripts/bench --full`: criterion medians of "
            "the benchmark thread's CPU time (`--warm-up-time 1 --measurement-time 3`), ± the "
            "median absolute deviation of their samples, and `route-bench all --passes 3` "
            "(wall-clock time)."
        )

    def log_lines(self, prefix):
        return [line for line in self.log.splitlines() if line.startswith(prefix)]

    def target(self, what, measured, low, high, target, direction, noise_from, shown=None):
        """Records a target's verdict; `shown` formats the ends of the range."""
        shown = shown or (lambda value: f"{value:,.2f}")
        span = f"{shown(low)}–{shown(high)}" if high != low else shown(low)
        self.targets.append((what, measured, span, verdict(low, high, target, direction),
                             noise_from))

    def routing(self):
        out = [
            "**Routing** (`route-bench`): 100,000 distinct topics routed in order "
            "(half hits) through the old trie router (the baseline) and the shape index, "
            "after both gave the same ids on every topic and the naive oracle's on a sample. "
            "p50 and p99 time single topics; mean is one pass over all of them.",
            "",
            "| corpus | p50 trie / index | index vs trie (p50) | p99 trie / index | mean trie / index | subscribe + unsubscribe, ops/s (index) | bytes/subscription trie / index |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in self.routes.items():
            out.append(
                f"| {name} | {row['p50'][0]:,.0f} / {row['p50'][1]:,.0f} ns | "
                f"{row['p50'][0] / row['p50'][1]:.2f}× | "
                f"{row['p99'][0]:,.0f} / {row['p99'][1]:,.0f} ns | "
                f"{row['mean'][0]:,.0f} / {row['mean'][1]:,.0f} ns | {rate(row['churn'][1])} | "
                f"{row['bytes'][0]:.0f} / {row['bytes'][1]:.0f} |"
            )
        return out

    def wall_noise(self, corpus, who):
        """The noise of a route-bench (wall-clock) figure: how far its mean over
        the stream lies from criterion's CPU-time median of the same stream
        (`scaling`), which is what other jobs added; at least that median's MAD."""
        index = 1 if who == "herald" else 0
        cpu = find(self.results, "scaling", who, corpus)
        wall = self.routes[corpus]["mean"][index]
        return max(abs(wall / cpu["ns"] - 1), relative(cpu))

    def routing_targets(self):
        routes = self.routes
        k100, m1 = routes.get("event-100k"), routes.get("event-1m")
        if not (k100 and m1):
            raise Missing("route-bench rows event-100k and event-1m are needed")
        p50 = k100["p50"][1]
        noise = self.wall_noise("event-100k", "herald")
        self.target("routing: p50 ≤ 150 ns at 100k patterns (route-bench, single topics)",
                    f"{p50:,.0f} ns", p50 * (1 - noise), p50 * (1 + noise), 150, "<=",
                    "route-bench mean vs scaling/herald/event-100k",
                    shown=lambda value: f"{value:,.0f} ns")
        herald = find(self.results, "scaling", "herald", "event-100k")
        trie = find(self.results, "scaling", "trie", "event-100k")
        low, point, high = ratio_range(trie["ns"], relative(trie), herald["ns"], relative(herald))
        self.target("routing: index ≥ 4× the trie at 100k (criterion, the stream)",
                    f"{point:.2f}×", low, high, 4, ">=", "scaling/{trie,herald}/event-100k")
        large = find(self.results, "scaling", "herald", "event-1m")
        small = find(self.results, "scaling", "herald", "event-1k")
        low, point, high = ratio_range(large["ns"], relative(large), small["ns"], relative(small))
        self.target("routing: t(1M) / t(1k) ≤ 3 (criterion, the stream)", f"{point:.2f}", low,
                    high, 3, "<=", "scaling/herald/event-{1m,1k}")
        size = m1["bytes"][1]
        self.target("routing: ≤ 180 bytes per subscription at 1M", f"{size:.0f} B", size, size,
                    180, "<=", "exact (counted bytes)", shown=lambda value: f"{value:.0f} B")
        ops = m1["churn"][1]
        noise = self.wall_noise("event-1m", "herald")
        self.target("routing: subscribe + unsubscribe ≥ 1M ops/s at 1M (route-bench)", rate(ops),
                    ops * (1 - noise), ops * (1 + noise), 1e6, ">=",
                    "route-bench mean vs scaling/herald/event-1m", shown=rate)

    def compare(self):
        out = [
            "",
            "**Routing, side by side** (criterion `compare`: the same stream of distinct "
            "topics through each, ids checked equal first; the `RegexSet` peer is built "
            "with Unicode off and a 1 GiB DFA cache):",
            "",
            "| corpus | herald | trie (baseline) | `RegexSet` (peer) | linear scan (naive) |",
            "|---|---:|---:|---:|---:|",
        ]
        for corpus in ("event-1k", "event-10k"):
            cells = [with_noise(find(self.results, "compare", who, corpus))
                     for who in ("herald", "trie", "regex_set", "linear_scan")]
            out.append(f"| {corpus} | " + " | ".join(cells) + " |")
        rates = {}
        for line in self.log_lines("cached/"):
            match = re.match(r"cached/(\S+): .*hit rate ([0-9.]+) %", line)
            if match:
                rates[match.group(1)] = match.group(2)
        out += [
            "",
            "**Match cache** (criterion `cached`, a 4,096-topic `MatchCache` on event-100k; "
            "the hit rate is counted over one pass after a warm-up pass):",
            "",
            "| topics | hit rate | `match_cached` | uncached |",
            "|---|---:|---:|---:|",
        ]
        for label, shown in (("1024_repeated_topics", "1,024 repeated"),
                             ("distinct_topics", "100,000 distinct")):
            cached = find(self.results, "cached", "match_cached", label)
            plain = find(self.results, "cached", "uncached", label)
            out.append(f"| {shown} | {rates.get(label, '?')} % | {with_noise(cached)} | "
                       f"{with_noise(plain)} |")
        return out

    def validation(self):
        out = [
            "",
            "**Validation** (criterion; a valid payload and one with three errors per source; "
            "jsonschema runs herald's exported JSON Schema with formats on; the name path is "
            "`Catalogue::validate(source, name, bytes)`, lookup and report included, the prepared "
            "path a `Validator` made once):",
            "",
            "| payload | herald name path | herald prepared | jsonschema parse + validate (peer) "
            "| jsonschema validate only | `serde_json` `IgnoredAny` (floor) "
            "| peer ÷ herald (name) | herald ÷ floor (name) | peer ÷ herald (prepared) "
            "| herald ÷ floor (prepared) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        groups = sorted({g for g, _, _ in self.results if g.startswith("validate/")})
        if not groups:
            raise Missing("no validate/* groups in this run")
        for group in groups:
            label = group.split("/", 1)[1]
            by_name = find(self.results, group, "herald name path")
            prepared = find(self.results, group, "herald prepared")
            peer = find(self.results, group, "jsonschema parse+validate")
            only = find(self.results, group, "jsonschema validate only")
            floor = find(self.results, group, "serde_json IgnoredAny")
            faster = ratio_range(peer["ns"], relative(peer), by_name["ns"], relative(by_name))
            over = ratio_range(by_name["ns"], relative(by_name), floor["ns"], relative(floor))
            faster_prepared = ratio_range(peer["ns"], relative(peer), prepared["ns"],
                                          relative(prepared))
            over_prepared = ratio_range(prepared["ns"], relative(prepared), floor["ns"],
                                        relative(floor))
            out.append(
                f"| {label} | {with_noise(by_name)} | {with_noise(prepared)} | "
                f"{with_noise(peer)} | {with_noise(only)} | {with_noise(floor)} | "
                f"{faster[1]:.2f}× | {over[1]:.2f}× | {faster_prepared[1]:.2f}× | "
                f"{over_prepared[1]:.2f}× |"
            )
            if label.endswith("valid"):
                self.target(f"validation: ≥ 4× faster than jsonschema parse + validate, "
                            f"name path ({label})",
                            f"{faster[1]:.2f}×", faster[0], faster[2], 4, ">=", group)
                self.target(f"validation: ≤ 1.5× the `IgnoredAny` floor, name path ({label})",
                            f"{over[1]:.2f}×", over[0], over[2], 1.5, "<=", group)
            else:
                self.target(f"validation: ≥ 2× faster than jsonschema parse + validate, "
                            f"name path ({label})",
                            f"{faster[1]:.2f}×", faster[0], faster[2], 2, ">=", group)
        return out

    def ffi(self):
        out = [
            "",
            "**FFI overhead** (criterion: the same calls from Rust and through the symbols of "
            "`libherald.so`, loaded at run time; ids and reports checked equal first):",
            "",
            "| call | Rust direct | through `libherald.so` | ratio |",
            "|---|---:|---:|---:|",
        ]
        groups = sorted({g for g, _, _ in self.results if g.startswith("ffi/")})
        if not groups:
            raise Missing("no ffi/* groups in this run")
        for group in groups:
            rust = find(self.results, group, "rust direct")
            c = find(self.results, group, "C ABI through libherald.so")
            low, point, high = ratio_range(c["ns"], relative(c), rust["ns"], relative(rust))
            call = group.split("/", 1)[1]
            out.append(f"| {call} | {with_noise(rust)} | {with_noise(c)} | {point:.2f}× |")
            self.target(f"FFI: ≤ 1.2× the Rust call ({call})", f"{point:.2f}×", low, high, 1.2,
                        "<=", group)
        return out

    def signatures(self):
        group = "verify-standard-webhooks-1KiB"
        rows = [
            ("herald-v1", "herald, `v1` (HMAC-SHA256)"),
            ("reference-style-v1", "the reference libraries' way, same crypto crates (peer)"),
            ("herald-v1-then-replay-guard", "herald, `v1` then the replay guard"),
            ("herald-v1a", "herald, `v1a` (ed25519, strict)"),
        ]
        out = [
            "",
            "**Webhook signatures** (criterion: 256 distinct Standard Webhooks messages of "
            "1 KiB per iteration, headers looked up by name, timestamp checked; herald and "
            "the peer agree on every message and every forgery first), per message:",
            "",
            "| what | per message |",
            "|---|---:|",
        ]
        for function, label in rows:
            out.append(f"| {label} | {with_noise(find(self.results, group, function))} |")
        return out

    def targets_table(self):
        out = [
            "",
            "**Targets**, judged over the noise: each figure at its median ± MAD (a "
            "route-bench figure ± its distance from criterion's CPU time for the same stream); "
            "\"≈\": the target lies inside that range:",
            "",
            "| target | measured | range with noise | verdict | noise from |",
            "|---|---:|---:|---|---|",
        ]
        for what, measured, span, judged, source in self.targets:
            shown = f"**{judged}**" if judged != "≈" else judged
            out.append(f"| {what} | {measured} | {span} | {shown} | {source} |")
        return out

    def checks(self):
        printed = re.compile(r"^(ffi|signature|cached/\S+|adversarial/\S+): ")
        lines = [line for line in self.log.splitlines() if printed.match(line)]
        return ["", "**Answer checks and counts** printed by the benchmarks before timing:", ""] + [
            f"- `{line}`" for line in lines
        ]

    def every_group(self):
        out = ["", "## Every criterion benchmark", "",
               "| benchmark | median | ± MAD | elements per iteration |", "|---|---:|---:|---:|"]
        for key in sorted(self.results):
            figure = self.results[key]
            out.append(f"| `{figure['id']}` | {ns(figure['ns'])} | "
                       f"{relative(figure) * 100:.1f} % | {figure['elements']} |")
        return out

    # -- parts ----------------------------------------------------------------

    def tables(self):
        """Every table of the run, the targets last (docs/benchmarks.md's summary)."""
        self.targets = []
        lines = [self.header(), ""]
        lines += self.routing()
        self.routing_targets()
        lines += self.compare()
        lines += self.validation()
        lines += self.ffi()
        lines += self.signatures()
        lines += self.targets_table()
        return "\n".join(lines) + "\n"

    def readme(self):
        """The README's headlines: one line per area, from the same figures as the
        tables (which are built first, so the targets are judged once)."""
        self.tables()
        m = self.machine
        date = m.get("date", "?").split(" ")[0]
        k100 = self.routes["event-100k"]
        regex = find(self.results, "compare", "regex_set", "event-10k")
        herald = find(self.results, "compare", "herald", "event-10k")
        cached = find(self.results, "cached", "match_cached", "1024_repeated_topics")
        groups = sorted({g for g, _, _ in self.results if g.startswith("validate/")})
        valid = [g for g in groups if g.endswith("valid")]
        broken = [g for g in groups if not g.endswith("valid")]
        faster = [find(self.results, g, "jsonschema parse+validate")["ns"]
                  / find(self.results, g, "herald name path")["ns"] for g in valid]
        floor = [find(self.results, g, "herald name path")["ns"]
                 / find(self.results, g, "serde_json IgnoredAny")["ns"] for g in valid]
        faster_broken = [find(self.results, g, "jsonschema parse+validate")["ns"]
                         / find(self.results, g, "herald name path")["ns"] for g in broken]
        ffi = [find(self.results, g, "C ABI through libherald.so")["ns"]
               / find(self.results, g, "rust direct")["ns"]
               for g in sorted({g for g, _, _ in self.results if g.startswith("ffi/")})]
        group = "verify-standard-webhooks-1KiB"
        v1 = find(self.results, group, "herald-v1")
        peer = find(self.results, group, "reference-style-v1")
        verdicts = [judged for _, _, _, judged, _ in self.targets]
        spread = lambda values: f"{min(values):.2f}–{max(values):.2f}×"
        # "validate/accelbyte walletBalanceChanged valid" -> "walletBalanceChanged"
        short = lambda group: group.split(" ", 1)[1].removesuffix(" valid")
        lines = [
            f"One `scripts/bench --full` run ({date}, `{m.get('commit', '?')}`, CPU time); every "
            "figure with its noise, and each target's verdict, in "
            "[docs/benchmarks.md](docs/benchmarks.md); methods in "
            "[docs/benchmarking.md](docs/benchmarking.md).",
            "",
            f"- **Routing**: p50 {k100['p50'][1]:,.0f} ns at 100,000 patterns, "
            f"{k100['p50'][0] / k100['p50'][1]:.2f}× faster than the old trie; at 10,000, "
            f"{ns(herald['ns'])} against {ns(regex['ns'])} for a tuned `RegexSet` "
            f"({regex['ns'] / herald['ns']:.0f}×); {ns(cached['ns'])} for a cached topic.",
            "- **Validation** (by name, lookup and report included; × faster than jsonschema, "
            "× the time of `serde_json` skipping the bytes): "
            + ", ".join(f"{short(g)} {ns(find(self.results, g, 'herald name path')['ns'])} "
                        f"({x:.2f}×, {f:.2f}×)" for g, x, f in zip(valid, faster, floor))
            + f"; three errors: {spread(faster_broken)} faster.",
            f"- **C ABI**: {spread(ffi)} the Rust call. **Signatures**: {ns(v1['ns'])} per 1 KiB "
            f"Standard Webhooks message, {ns(peer['ns'])} the reference libraries' way.",
            f"- **Targets**: {verdicts.count('met')} met, {verdicts.count('not met')} not met, "
            f"{verdicts.count('≈')} within the noise.",
        ]
        return "\n".join(lines) + "\n"

    def details(self):
        summary = self.tables()
        lines = [
            "# Benchmark figures",
            "",
            "Written by `scripts/bench --full --write` from one run; do not edit by hand.",
            "The methods are in [benchmarking.md](benchmarking.md) and in",
            "[routing.md](routing.md#benchmarks), [validation.md](validation.md#benchmarks)",
            "and [signatures.md](signatures.md#cost).",
            "",
            summary.rstrip("\n"),
        ]
        lines += self.checks()
        lines += self.every_group()
        return "\n".join(lines) + "\n"


def replace_block(path, block):
    text = path.read_text(encoding="utf-8")
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise Missing(f"{path} needs one {BEGIN} line and one {END} line")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{block}{END}{tail}", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--criterion", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--route-bench", required=True)
    parser.add_argument("--machine", required=True)
    parser.add_argument("--part", choices=("readme", "details"), required=True)
    parser.add_argument("--into")
    args = parser.parse_args()
    try:
        report = Report(args)
        text = report.readme() if args.part == "readme" else report.details()
        if args.into:
            replace_block(pathlib.Path(args.into), text)
        else:
            sys.stdout.write(text)
    except Missing as missing:
        sys.exit(f"benches/report.py: {missing}")


if __name__ == "__main__":
    main()
