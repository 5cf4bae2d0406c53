"""A game-server fleet on NATS with herald's semantics.

Two roles, each a process:

``fleet.py ingest``
    reads vendor messages of all four wire formats (the shared vectors in
    tests/vectors/wire), decodes and validates each with herald, and
    publishes every valid event to its NATS subject (herald's topic
    translation). Invalid messages are counted and published nowhere.

``fleet.py subscribe``
    one fleet member with herald patterns: asks herald for its plan
    (``herald.broker.Planner.fleet``), subscribes the planned subjects, and keeps a
    message when the plan says so — deduplicated by message id when the plan
    may deliver twice, re-checked with herald's Router when the plan is a
    superset (a ``#`` in the middle of a pattern, which NATS cannot say).

Messages carry ``{"seq": n, "name": event name, "format": wire format}``;
``seq`` is the ingest's sequence number of the input message, so a received
``seq`` identifies the vendor message it came from.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import nats

import herald
from herald import broker

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "wire"
END = "_fleet.end"


def vendor_messages() -> List[Tuple[str, bytes]]:
    """Every (wire format, bytes) of the shared wire vectors, valid or not."""
    index = json.loads((VECTORS / "index.json").read_text(encoding="utf-8"))
    messages = []
    for case in index["cases"]:
        if "options" in case:
            continue  # decoded with non-default options: not what an ingest sees
        if "file" in case:
            data = (VECTORS / case["file"]).read_bytes()
        elif "wire_base64" in case:
            data = base64.b64decode(case["wire_base64"])
        else:
            data = case["wire"].encode("utf-8")
        messages.append((case["wire_format"], data))
    return messages


async def ingest(args: argparse.Namespace) -> None:
    messages = vendor_messages()
    connection = await nats.connect(f"nats://127.0.0.1:{args.port}")
    published: List[Dict[str, object]] = []
    rejected: List[int] = []
    nats_names = broker.Planner("nats")
    names: Dict[str, str] = {}
    seq = 0
    started = time.time()
    for _ in range(args.rounds):
        for wire_format, data in messages:
            seq += 1
            try:
                decoded = herald.decode(wire_format, data)
            except herald.WireError:
                rejected.append(seq)
                continue
            with decoded.event as event:
                if not decoded.report.ok:
                    rejected.append(seq)
                    continue
                name = event.name
            if name not in names:
                # Raises herald.UntranslatableError for a name NATS cannot carry.
                names[name] = nats_names.topic(name)
            body = {"seq": seq, "name": name, "format": wire_format}
            await connection.publish(names[name], json.dumps(body).encode())
            published.append(body)
    await connection.flush()
    finished = time.time()
    await connection.publish(END, b"")
    await connection.flush()
    await connection.close()
    report = {"published": published, "rejected": rejected, "started": started, "finished": finished}
    Path(args.out).write_text(json.dumps(report), encoding="utf-8")


async def subscribe(args: argparse.Namespace) -> None:
    plan = broker.fleet("nats", [(pattern, args.id) for pattern in args.patterns])[args.id]
    assert not plan.untranslatable, plan.untranslatable
    router = herald.Router()
    for pattern in plan.filter:
        router.subscribe(pattern, args.id)
    kept: List[Dict[str, object]] = []
    seen = set()
    deliveries = 0
    done = asyncio.Event()
    connection = await nats.connect(f"nats://127.0.0.1:{args.port}")

    async def on_message(msg: nats.aio.msg.Msg) -> None:
        nonlocal deliveries
        if msg.subject == END:
            done.set()
            return
        deliveries += 1
        body = json.loads(msg.data)
        if plan.may_duplicate:
            if body["seq"] in seen:
                return
            seen.add(body["seq"])
        if plan.filter and not router.match(body["name"]):
            return
        body["at"] = time.time()
        kept.append(body)

    subs = [await connection.subscribe(subject, cb=on_message) for subject in plan.subscriptions]
    # The end marker comes last from the ingest, on one connection: after it
    # every event is in. A plan whose subjects already cover it gets it twice.
    await connection.subscribe(END, cb=on_message)
    await connection.flush()
    print("ready", flush=True)
    await asyncio.wait_for(done.wait(), args.timeout)
    # Each subscription runs its callbacks in a task of its own: drain them.
    while any(sub.pending_msgs for sub in subs):
        await asyncio.sleep(0.005)
    await connection.close()
    report = {
        "id": args.id,
        "patterns": args.patterns,
        "plan": {"exactness": plan.exactness.value, "subscriptions": list(plan.subscriptions),
                 "dedup": plan.may_duplicate, "filter": list(plan.filter)},
        "deliveries": deliveries,
        "kept": kept,
    }
    Path(args.out).write_text(json.dumps(report), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    roles = parser.add_subparsers(dest="role", required=True)
    ingest_args = roles.add_parser("ingest", help="decode, validate and publish the vendor messages")
    ingest_args.add_argument("--rounds", type=int, default=1, help="how many times to send every message")
    subscribe_args = roles.add_parser("subscribe", help="one fleet member")
    subscribe_args.add_argument("--id", type=int, required=True)
    subscribe_args.add_argument("--timeout", type=float, default=60.0)
    subscribe_args.add_argument("patterns", nargs="+")
    for role in (ingest_args, subscribe_args):
        role.add_argument("--port", type=int, required=True, help="the NATS server's port on 127.0.0.1")
        role.add_argument("--out", required=True, help="where to write the JSON report")
    args = parser.parse_args()
    asyncio.run(ingest(args) if args.role == "ingest" else subscribe(args))


if __name__ == "__main__":
    sys.exit(main())
