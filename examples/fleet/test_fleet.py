"""The fleet example end to end against a real NATS server (started by
tests/brokers/run.sh): each subscriber keeps exactly the events herald's
Router routes to it, none twice, and invalid vendor messages reach no one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import herald

HERE = Path(__file__).resolve().parent

# Three fleet members; the second's `#` sits in the middle, which NATS cannot
# express (its plan is a superset re-checked with herald), the third's `#`
# leads a pattern that also splits into two subjects.
MEMBERS: Dict[int, List[str]] = {
    1: ["payment.#", "subscribe.*"],
    2: ["external.#.success", "asset.access.>"],
    3: ["walletBalanceChanged", "*.message.*", "user.>", "#.revoked", "access.#"],
}
ROUNDS = 100


def run(role: List[str], out: Path) -> subprocess.Popen:
    port = os.environ.get("HERALD_NATS_PORT")
    assert port, "HERALD_NATS_PORT is not set: run tests/brokers/run.sh, which starts NATS"
    return subprocess.Popen(
        [sys.executable, str(HERE / "fleet.py"), *role[:1], "--port", port, "--out", str(out), *role[1:]],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_each_member_receives_what_herald_routes_and_invalid_messages_go_nowhere(tmp_path: Path) -> None:
    members = {}
    for member, patterns in MEMBERS.items():
        members[member] = run(["subscribe", "--id", str(member), *patterns], tmp_path / f"member{member}.json")
    for process in members.values():
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    ingest = run(["ingest", "--rounds", str(ROUNDS)], tmp_path / "ingest.json")
    assert ingest.wait(timeout=120) == 0
    for process in members.values():
        assert process.wait(timeout=120) == 0

    sent = json.loads((tmp_path / "ingest.json").read_text())
    published = sent["published"]
    rejected = set(sent["rejected"])
    # Every vector case that fails to decode or validate is rejected, each round.
    assert len(rejected) >= 20 * ROUNDS
    assert not rejected & {message["seq"] for message in published}

    with herald.Router() as router:
        for member, patterns in MEMBERS.items():
            for pattern in patterns:
                router.subscribe(pattern, member)
        wanted = {member: [] for member in MEMBERS}
        for message in published:
            for member in router.match(message["name"]):
                wanted[member].append(message["seq"])

    last = sent["started"]
    deliveries = 0
    plans = {}
    for member in MEMBERS:
        report = json.loads((tmp_path / f"member{member}.json").read_text())
        kept = [message["seq"] for message in report["kept"]]
        assert len(kept) == len(set(kept)), f"member {member} kept a message twice"
        assert sorted(kept) == sorted(wanted[member]), f"member {member}"
        assert not rejected & set(kept)
        assert kept, f"member {member} received nothing"
        last = max([last, *(message["at"] for message in report["kept"])])
        deliveries += report["deliveries"]
        plans[member] = report["plan"]
    assert plans[2]["exactness"] == "superset" and plans[2]["filter"]
    assert plans[1]["exactness"] in ("exact", "split")

    seconds = last - sent["started"]
    print(
        f"\nfleet: {len(published)} events published ({len(rejected)} invalid messages held back), "
        f"{deliveries} deliveries to 3 members, {sum(len(w) for w in wanted.values())} kept; "
        f"publish -> delivery {seconds:.3f} s: {len(published) / seconds:,.0f} events/s, "
        f"{deliveries / seconds:,.0f} deliveries/s"
    )
