"""Scale-out: herald patterns as NATS, MQTT, RabbitMQ (AMQP) and Redis
subscriptions, and herald topics as the names to publish under.

A :class:`Planner` translates for one broker. :meth:`Planner.plan` gives the
subscriptions for a pattern and how exactly they carry herald's meaning
(:class:`Exactness`): ``exact`` and ``split`` plans deliver exactly the
matching topics, once; ``overlapping`` ones may deliver a message twice (the
receiver deduplicates by message id); ``superset`` ones deliver more (the
receiver re-checks each topic with a :class:`~herald.Router`);
``untranslatable`` ones say why the broker cannot carry the pattern.
:meth:`Planner.topic` names a topic on the broker or raises
:class:`~herald.UntranslatableError`, and :meth:`Planner.fleet` plans many
subscribers at once. Nothing here opens a connection.

>>> nats = Planner("nats")
>>> nats.plan("payment.#")
Plan(pattern='payment.#', broker=<Broker.NATS: 'nats'>, exactness=<Exactness.SPLIT: 'split'>, \
subscriptions=('payment', 'payment.>'), needs_filter=False, may_duplicate=False, refusal=None)
>>> topic("mqtt", "payment.card.success")
'payment/card/success'
"""

from __future__ import annotations

import ctypes
import enum
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple, Union

from . import _ffi, _native
from ._errors import PatternError, TopicError
from ._native import NativeObject, Text

lib = _native.lib

#: The most subscriptions a depth-bounded expansion may produce for one
#: pattern (``HERALD_BROKER_MAX_EXPANSION``).
MAX_EXPANSION = 256


class Broker(str, enum.Enum):
    """The brokers herald translates for, by their ids."""

    NATS = "nats"
    MQTT = "mqtt"
    AMQP = "amqp"
    REDIS = "redis"

    @property
    def code(self) -> int:
        """The ``herald_broker`` value."""
        return list(Broker).index(self)


class Profile(str, enum.Enum):
    """A hosted service's limits on top of its protocol's."""

    #: AWS IoT Core's MQTT broker: 8 levels, 256-byte topics, 8 filters per SUBSCRIBE.
    AWS_IOT = "aws-iot"

    @property
    def code(self) -> int:
        """The ``herald_broker_profile`` value (0 is no profile)."""
        return list(Profile).index(self) + 1


class Exactness(str, enum.Enum):
    """How exactly a plan's subscriptions carry a pattern, from the best to the worst."""

    EXACT = "exact"
    SPLIT = "split"
    OVERLAPPING = "overlapping"
    SUPERSET = "superset"
    UNTRANSLATABLE = "untranslatable"


def _exactness(code: int) -> Exactness:
    return list(Exactness)[code]


def _broker(value: Union[Broker, str]) -> Broker:
    try:
        return Broker(value)
    except ValueError:
        names = ", ".join(repr(known.value) for known in Broker)
        raise ValueError(f"unknown broker {value!r}; the brokers are {names}") from None


def _profile(value: Union[Profile, str]) -> Profile:
    try:
        return Profile(value)
    except ValueError:
        names = ", ".join(repr(known.value) for known in Profile)
        raise ValueError(f"unknown broker profile {value!r}; the profiles are {names}") from None


@dataclass(frozen=True)
class Refusal:
    """Why a broker cannot carry a pattern: a stable ``code``
    (``separator_in_segment``, ``wildcard_in_segment``, ``reserved_prefix``,
    ``non_character``, ``too_long``, ``too_deep``, ``nothing_to_carry``) and
    a ``reason`` for people."""

    code: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """One pattern's plan: the subscriptions to make, in the broker's syntax
    (NATS subjects, MQTT topic filters, AMQP binding keys, Redis globs), and
    what the receiver must do with what they deliver."""

    pattern: str
    broker: Broker
    exactness: Exactness
    subscriptions: Tuple[str, ...]
    #: Whether the receiver must re-check each topic with herald (a superset).
    needs_filter: bool
    #: Whether one message can arrive more than once (deduplicate by message id).
    may_duplicate: bool
    #: Why the broker cannot carry the pattern, when it cannot.
    refusal: Optional[Refusal] = None

    @property
    def reason(self) -> Optional[str]:
        """The refusal's reason, as ``herald broker plan --json`` prints it."""
        return self.refusal.reason if self.refusal is not None else None


@dataclass(frozen=True)
class SubscriberPlan:
    """One fleet subscriber's merged subscriptions and post-filter."""

    subscriber: int
    #: How exactly the subscriptions carry the union of its translatable patterns.
    exactness: Exactness
    #: No repeats, and none that another one covers.
    subscriptions: Tuple[str, ...]
    needs_filter: bool
    may_duplicate: bool
    #: The patterns a received topic must match (any of them) when ``needs_filter``.
    filter: Tuple[str, ...]
    #: Its patterns the broker cannot carry, each with its refusal.
    untranslatable: Tuple[Tuple[str, Refusal], ...]


class Planner(NativeObject):
    """Translates herald patterns and topics for one broker.

    ``max_expansion`` lets a ``#`` that NATS or MQTT cannot express (one in
    the middle) become one subscription per depth when that takes at most so
    many (0: never; at most :data:`MAX_EXPANSION`); ``max_depth`` is the
    deepest topic published (deeper ones are refused, which is what makes an
    expansion exact); ``profile`` adds a hosted service's limits
    (:attr:`Profile.AWS_IOT`, MQTT only). ``None`` leaves each at its default.
    Options that cannot be used together raise :class:`~herald.PlanOptionsError`.

    Thread safety: immutable; any number of threads may use one planner, and
    its calls take no lock.
    """

    _lock_free = True

    def __init__(
        self,
        broker: Union[Broker, str],
        *,
        max_expansion: Optional[int] = None,
        max_depth: Optional[int] = None,
        profile: Union[Profile, str, None] = None,
    ) -> None:
        chosen = _broker(broker)
        options = lib.herald_plan_options_new()
        if not options:
            raise MemoryError("libherald could not create plan options")
        out = _ffi.planner_p()
        try:
            if max_expansion is not None:
                _native.check(lib.herald_plan_options_set_max_expansion(
                    options, _native.size(max_expansion, "max_expansion")))
            if max_depth is not None:
                _native.check(lib.herald_plan_options_set_max_depth(options, _native.size(max_depth, "max_depth")))
            if profile is not None:
                _native.check(lib.herald_plan_options_set_profile(options, _profile(profile).code))
            _native.check(lib.herald_broker_planner_new(chosen.code, options, ctypes.byref(out), _native.error_slot()))
        finally:
            lib.herald_plan_options_free(options)
        self._attach(out, lib.herald_broker_planner_free, "Planner")
        self._broker = chosen

    @property
    def broker(self) -> Broker:
        """The broker."""
        return self._broker

    @property
    def profile(self) -> Optional[Profile]:
        """The hosted-service profile, if any."""
        with self._shared() as planner:
            code = int(lib.herald_broker_planner_profile(planner))
        return None if code <= 0 else list(Profile)[code - 1]

    @property
    def max_depth(self) -> int:
        """The most segments a topic may have."""
        with self._shared() as planner:
            return int(lib.herald_broker_planner_max_depth(planner))

    @property
    def max_expansion(self) -> int:
        """The most subscriptions an expansion may produce (0: never expands)."""
        with self._shared() as planner:
            return int(lib.herald_broker_planner_max_expansion(planner))

    def plan(self, pattern: Text) -> Plan:
        """The plan for ``pattern``. A pattern the broker cannot carry is an
        ``untranslatable`` plan with its :class:`Refusal`, not an exception;
        a pattern that breaks herald's syntax raises :class:`~herald.PatternError`."""
        data = _native.encode(pattern, "pattern")
        out = _ffi.plan_p()
        with self._shared() as planner:
            status = lib.herald_broker_planner_plan(planner, data, len(data), ctypes.byref(out), _native.error_slot())
        _native.check(status, [(data, PatternError)])
        try:
            subscriptions = _ffi.list_p()
            _native.check(lib.herald_broker_plan_subscriptions(out, ctypes.byref(subscriptions), _native.error_slot()))
            code = lib.herald_broker_plan_refusal_code(out).text()
            refusal = Refusal(code, lib.herald_broker_plan_refusal_reason(out).text()) if code else None
            return Plan(
                pattern=data.decode("utf-8"),
                broker=self._broker,
                exactness=_exactness(lib.herald_broker_plan_exactness(out)),
                subscriptions=tuple(item.decode("utf-8") for item in _native.take_list(subscriptions)),
                needs_filter=bool(lib.herald_broker_plan_needs_filter(out)),
                may_duplicate=bool(lib.herald_broker_plan_may_duplicate(out)),
                refusal=refusal,
            )
        finally:
            lib.herald_broker_plan_free(out)

    def topic(self, topic: Text) -> str:
        """The name to publish ``topic`` under: the NATS subject, MQTT topic,
        AMQP routing key or Redis channel.

        Raises :class:`~herald.TopicError` for a topic that breaks herald's
        syntax and :class:`~herald.UntranslatableError` (``code`` such as
        ``reserved_prefix``) for one the broker cannot carry.
        """
        data = _native.encode(topic, "topic")
        out = _ffi.buffer_p()
        with self._shared() as planner:
            status = lib.herald_broker_planner_topic(planner, data, len(data), ctypes.byref(out), _native.error_slot())
        _native.check(status, [(data, TopicError)])
        return _native.take_buffer(out).decode("utf-8")

    def fleet(self, pairs: Iterable[Tuple[Text, int]]) -> Dict[int, SubscriberPlan]:
        """Plans ``(pattern, subscriber)`` pairs together: per subscriber (by
        ascending id), the union of its patterns' subscriptions with repeats
        and covered ones merged, and its post-filter. Subscribers are never
        merged with each other. Raises :class:`~herald.PatternError`."""
        fleet = lib.herald_broker_fleet_new()
        if not fleet:
            raise MemoryError("libherald could not create a fleet")
        try:
            for pattern, subscriber in pairs:
                data = _native.encode(pattern, "pattern")
                status = lib.herald_broker_fleet_add(
                    fleet, data, len(data), _native.unsigned64(subscriber, "subscriber"), _native.error_slot()
                )
                _native.check(status, [(data, PatternError)])
            out = _ffi.fleet_plan_p()
            with self._shared() as planner:
                status = lib.herald_broker_planner_fleet(planner, fleet, ctypes.byref(out), _native.error_slot())
            _native.check(status)
        finally:
            lib.herald_broker_fleet_free(fleet)
        try:
            return {plan.subscriber: plan for plan in _subscriber_plans(out)}
        finally:
            lib.herald_broker_fleet_plan_free(out)

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.broker.Planner closed>"
        return f"<herald.broker.Planner {self._broker.value}>"


def _subscriber_plans(fleet_plan: object) -> List[SubscriberPlan]:
    plans: List[SubscriberPlan] = []
    for index in range(lib.herald_broker_fleet_plan_count(fleet_plan)):
        described = _ffi.HeraldSubscriberPlan.sized()
        _native.check(
            lib.herald_broker_fleet_plan_subscriber(fleet_plan, index, ctypes.byref(described), _native.error_slot())
        )
        subscriptions = _ffi.list_p()
        _native.check(
            lib.herald_broker_fleet_plan_subscriptions(
                fleet_plan, index, ctypes.byref(subscriptions), _native.error_slot()
            )
        )
        subscribed = tuple(item.decode("utf-8") for item in _native.take_list(subscriptions))
        patterns = _ffi.list_p()
        _native.check(lib.herald_broker_fleet_plan_filter(fleet_plan, index, ctypes.byref(patterns), _native.error_slot()))
        filtered = tuple(item.decode("utf-8") for item in _native.take_list(patterns))
        refused: List[Tuple[str, Refusal]] = []
        for item in range(described.untranslatable_count):
            pattern, code, reason = _ffi.HeraldStr(), _ffi.HeraldStr(), _ffi.HeraldStr()
            _native.check(
                lib.herald_broker_fleet_plan_untranslatable_at(
                    fleet_plan, index, item, ctypes.byref(pattern), ctypes.byref(code), ctypes.byref(reason),
                    _native.error_slot(),
                )
            )
            refused.append((pattern.text(), Refusal(code.text(), reason.text())))
        plans.append(
            SubscriberPlan(
                subscriber=int(described.subscriber),
                exactness=_exactness(described.exactness),
                subscriptions=subscribed,
                needs_filter=bool(described.needs_filter),
                may_duplicate=bool(described.may_duplicate),
                filter=filtered,
                untranslatable=tuple(refused),
            )
        )
    return plans


#: Options of :func:`plan`, :func:`topic` and :func:`fleet`, as for :class:`Planner`.
OptionalSize = Optional[int]


def plan(
    broker: Union[Broker, str],
    pattern: Text,
    *,
    max_expansion: OptionalSize = None,
    max_depth: OptionalSize = None,
    profile: Union[Profile, str, None] = None,
) -> Plan:
    """The plan of one pattern on ``broker`` (see :class:`Planner` for the options).

    >>> plan("redis", "#.a.#").exactness
    <Exactness.OVERLAPPING: 'overlapping'>
    """
    with Planner(broker, max_expansion=max_expansion, max_depth=max_depth, profile=profile) as planner:
        return planner.plan(pattern)


def topic(
    broker: Union[Broker, str],
    topic: Text,
    *,
    max_depth: OptionalSize = None,
    profile: Union[Profile, str, None] = None,
) -> str:
    """The name to publish ``topic`` under on ``broker`` (see :meth:`Planner.topic`).

    >>> topic("mqtt", "$SYS.load")
    Traceback (most recent call last):
        ...
    herald.UntranslatableError: mqtt cannot carry the topic "$SYS.load": the first segment starts with `$`: \
MQTT brokers reserve such topics and wildcards never match them
    """
    with Planner(broker, max_depth=max_depth, profile=profile) as planner:
        return planner.topic(topic)


def fleet(
    broker: Union[Broker, str],
    pairs: Iterable[Tuple[Text, int]],
    *,
    max_expansion: OptionalSize = None,
    max_depth: OptionalSize = None,
    profile: Union[Profile, str, None] = None,
) -> Dict[int, SubscriberPlan]:
    """Each subscriber's merged subscriptions and post-filter on ``broker``
    for ``(pattern, subscriber)`` pairs (see :meth:`Planner.fleet`).

    >>> plans = fleet("nats", [("a.>", 1), ("a.b.*", 1), ("c.#.d", 2)])
    >>> plans[1].subscriptions, plans[2].filter
    (('a.>',), ('c.#.d',))
    """
    with Planner(broker, max_expansion=max_expansion, max_depth=max_depth, profile=profile) as planner:
        return planner.fleet(pairs)


__all__ = [
    "MAX_EXPANSION",
    "Broker",
    "Exactness",
    "Plan",
    "Planner",
    "Profile",
    "Refusal",
    "SubscriberPlan",
    "fleet",
    "plan",
    "topic",
]
