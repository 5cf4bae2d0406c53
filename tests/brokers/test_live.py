"""herald's plans on the real servers: for every pattern of the corpus, the
planned subscriptions receive, after the plan's deduplication and
post-filter, exactly the topics herald's Router routes to it; exact and split
plans receive nothing extra and nothing twice.

Each broker gets one subscribing connection holding every distinct planned
subscription once, and one publishing connection (NATS: the same one). Each delivery is recorded
against the subscription that matched (NATS: the subscription object; MQTT 5:
the subscription identifier; AMQP: one queue per binding key; Redis: the
pattern of the `pmessage`), so a pattern's deliveries are those of its own
subscriptions, as if it were a process of its own. Publishing ends with a
sentinel; the broker keeps per-connection order, so once the
sentinel is in, every earlier message is too.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Set, Tuple

import nats
import paho.mqtt.client as mqtt
import pika
import pytest
import redis
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import herald
from conftest import port
from herald import broker as brokers

# Received: subscription -> Counter of topic indices.
Received = Dict[str, Counter]
# Published: (broker name, topic index) for every topic the broker can carry.
Published = List[Tuple[str, int]]

SENTINEL = "herald-live-sentinel"
WAIT = 60.0


def collect_nats(subscriptions: List[str], published: Published) -> Received:
    async def run() -> Received:
        received: Received = defaultdict(Counter)
        done = asyncio.Event()
        # One connection subscribes and publishes, so the sentinel, published
        # last through the same buffer, is read after every earlier delivery.
        connection = await nats.connect(f"nats://127.0.0.1:{port('NATS')}")
        subs = []
        for subscription in subscriptions:

            async def on_message(msg: nats.aio.msg.Msg, subscription: str = subscription) -> None:
                if msg.subject != SENTINEL:
                    received[subscription][int(msg.data)] += 1

            subs.append(await connection.subscribe(subscription, cb=on_message))

        async def on_sentinel(msg: nats.aio.msg.Msg) -> None:
            done.set()

        await connection.subscribe(SENTINEL, cb=on_sentinel)
        await connection.flush()
        for name, index in published:
            await connection.publish(name, str(index).encode())
        await connection.publish(SENTINEL, b"")
        await connection.flush(timeout=WAIT)
        await asyncio.wait_for(done.wait(), WAIT)
        # Each subscription hands its messages to its callback in a task of
        # its own: wait until every queue is drained.
        while any(sub.pending_msgs for sub in subs):
            await asyncio.sleep(0.005)
        await asyncio.sleep(0)
        await connection.close()
        return received

    return asyncio.run(run())


def collect_mqtt(subscriptions: List[str], published: Published) -> Received:
    received: Received = defaultdict(Counter)
    done = threading.Event()
    subscribed = threading.Semaphore(0)
    sentinel_id = len(subscriptions) + 1

    def on_message(client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        if msg.topic == SENTINEL:
            done.set()
            return
        for identifier in msg.properties.SubscriptionIdentifier:
            if identifier != sentinel_id:
                received[subscriptions[identifier - 1]][int(msg.payload)] += 1

    def on_subscribe(*args: object) -> None:
        subscribed.release()

    subscriber = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="herald-live-sub", protocol=mqtt.MQTTv5)
    subscriber.on_message = on_message
    subscriber.on_subscribe = on_subscribe
    subscriber.connect("127.0.0.1", port("MQTT"))
    subscriber.loop_start()
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="herald-live-pub", protocol=mqtt.MQTTv5)
    publisher.connect("127.0.0.1", port("MQTT"))
    publisher.loop_start()
    try:
        # One SUBSCRIBE per filter, each with its own identifier.
        for identifier, topic_filter in enumerate([*subscriptions, SENTINEL], 1):
            properties = Properties(PacketTypes.SUBSCRIBE)
            properties.SubscriptionIdentifier = identifier
            subscriber.subscribe(topic_filter, qos=1, properties=properties)
        for _ in range(sentinel_id):
            assert subscribed.acquire(timeout=WAIT), "SUBACK missing"
        for name, index in published:
            publisher.publish(name, str(index), qos=1)
        publisher.publish(SENTINEL, b"", qos=1)
        assert done.wait(WAIT), "the MQTT sentinel never arrived"
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        subscriber.loop_stop()
        subscriber.disconnect()
    return received


def collect_amqp(subscriptions: List[str], published: Published) -> Received:
    received: Received = defaultdict(Counter)
    connection = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port("AMQP")))
    try:
        channel = connection.channel()
        channel.exchange_declare("herald-live", "topic", auto_delete=True)
        channel.exchange_declare("herald-live-sentinel", "fanout", auto_delete=True)
        finished: Set[int] = set()
        for number, binding in enumerate(subscriptions):
            queue = channel.queue_declare("", exclusive=True).method.queue
            channel.queue_bind(queue, "herald-live", routing_key=binding)
            channel.queue_bind(queue, "herald-live-sentinel")

            def on_message(ch: object, method: object, props: pika.BasicProperties, body: bytes,
                           number: int = number, binding: str = binding) -> None:
                if props.type == "sentinel":
                    finished.add(number)
                else:
                    received[binding][int(body)] += 1

            channel.basic_consume(queue, on_message, auto_ack=True)
        for name, index in published:
            channel.basic_publish("herald-live", name, str(index).encode())
        channel.basic_publish("herald-live-sentinel", "", b"", pika.BasicProperties(type="sentinel"))
        deadline = time.monotonic() + WAIT
        while len(finished) < len(subscriptions):
            assert time.monotonic() < deadline, "the AMQP sentinel did not reach every queue"
            connection.process_data_events(time_limit=0.05)
    finally:
        connection.close()
    return received


def collect_redis(subscriptions: List[str], published: Published) -> Received:
    received: Received = defaultdict(Counter)
    client = redis.Redis(port=port("REDIS"))
    pubsub = client.pubsub()
    try:
        for start in range(0, len(subscriptions), 200):
            pubsub.psubscribe(*subscriptions[start : start + 200])
        pubsub.subscribe(SENTINEL)
        # Wait for the confirmations so that no publication precedes a subscription.
        confirmations = 0
        while confirmations < len(subscriptions) + 1:
            message = pubsub.get_message(timeout=WAIT)
            assert message is not None, "Redis did not confirm the subscriptions"
            confirmations += message["type"] in ("psubscribe", "subscribe")
        pipeline = client.pipeline(transaction=False)
        for name, index in published:
            pipeline.publish(name, str(index))
        pipeline.publish(SENTINEL, "")
        pipeline.execute()
        while True:
            message = pubsub.get_message(timeout=WAIT)
            assert message is not None, "the Redis sentinel never arrived"
            if message["type"] == "message":
                break
            if message["type"] == "pmessage" and message["channel"] != SENTINEL.encode():
                received[message["pattern"].decode("utf-8")][int(message["data"])] += 1
    finally:
        pubsub.close()
        client.close()
    return received


def topic_name(planner: brokers.Planner, topic: str) -> Optional[str]:
    """The broker's name for `topic`, or None when the broker cannot carry it."""
    try:
        return planner.topic(topic)
    except herald.UntranslatableError:
        return None


COLLECTORS = {"nats": collect_nats, "mqtt": collect_mqtt, "amqp": collect_amqp, "redis": collect_redis}


@pytest.mark.parametrize("broker", list(COLLECTORS))
def test_each_pattern_receives_exactly_what_herald_routes(
    broker: str, patterns: List[str], topics: List[str], herald_answer: Dict[int, Set[int]]
) -> None:
    started = time.monotonic()
    planner = brokers.Planner(broker)
    plans = [planner.plan(pattern) for pattern in patterns]
    names = {topic: topic_name(planner, topic) for topic in topics}
    published = [(names[topic], index) for index, topic in enumerate(topics) if names[topic] is not None]
    carried = {index for _, index in published}
    subscriptions = list(dict.fromkeys(s for plan in plans for s in plan.subscriptions))
    received = COLLECTORS[broker](subscriptions, published)

    levels = Counter(plan.exactness.value for plan in plans)
    problems: List[str] = []
    for pattern_index, plan in enumerate(plans):
        wanted = {t for t in carried if pattern_index in herald_answer[t]}
        if plan.exactness == "untranslatable":
            if wanted:
                problems.append(f"{plan.pattern}: untranslatable ({plan.reason}) yet matches carried topics")
            continue
        deliveries: Counter = Counter()
        for subscription in plan.subscriptions:
            for topic_index, count in received.get(subscription, Counter()).items():
                if count != 1:
                    problems.append(f"{subscription!r} got {topics[topic_index]!r} {count} times")
                deliveries[topic_index] += count
        got = set(deliveries)
        if plan.exactness in ("exact", "split"):
            twice = {topics[t] for t, count in deliveries.items() if count > 1}
            if got != wanted or twice:
                problems.append(
                    f"{plan.pattern} ({plan.exactness} {plan.subscriptions}): "
                    f"missing {sorted(topics[t] for t in wanted - got)[:5]}, "
                    f"extra {sorted(topics[t] for t in got - wanted)[:5]}, twice {sorted(twice)[:5]}"
                )
        else:
            # Deduplicate by message id (the topic index), then re-filter
            # superset plans with herald's own matcher.
            kept = {t for t in got if pattern_index in herald_answer[t]} if plan.needs_filter else got
            if kept != wanted:
                problems.append(
                    f"{plan.pattern} ({plan.exactness} {plan.subscriptions}): "
                    f"missing {sorted(topics[t] for t in wanted - kept)[:5]}, "
                    f"extra {sorted(topics[t] for t in kept - wanted)[:5]}"
                )
    assert not problems, f"{broker}: {len(problems)} problems:\n" + "\n".join(problems[:40])
    delivered = sum(sum(counter.values()) for counter in received.values())
    print(
        f"\n{broker}: {len(plans)} patterns ({dict(levels)}), {len(subscriptions)} subscriptions, "
        f"{len(published)}/{len(topics)} topics carried, {delivered} deliveries, "
        f"{time.monotonic() - started:.2f} s"
    )
    assert delivered > len(published)
