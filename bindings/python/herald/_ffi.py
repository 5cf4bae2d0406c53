"""Loading libherald and declaring its C functions for ctypes.

This module owns every ctypes signature of the package and nothing else: the
plain-data structs of ``include/herald.h``, one opaque type per handle, and
``FUNCTIONS``, the ``restype`` and ``argtypes`` of each C function. A test
checks the table against the header in both directions, argument by
argument. It must never hold state beyond the loaded library.

The library is found in this order:

1. the ``HERALD_LIBRARY`` environment variable (a path, for development);
   when set it is the only candidate, so a typo fails loudly instead of
   silently loading another copy;
2. the copy shipped inside this package (built by ``pip install``);
3. the system loader (``libherald.so.2``, found like any shared library).

At import the library's ``herald_abi_version()`` must equal ``ABI_VERSION``;
otherwise importing ``herald`` raises ``ImportError`` naming both versions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, TypeVar

#: The C ABI version this package was written for (``HERALD_ABI_VERSION``).
ABI_VERSION = 2

#: ``HERALD_DEFAULT_MAX_URLS``: InPlayer's cap on distinct receiving URLs.
DEFAULT_MAX_URLS = 10

#: ``HERALD_EVENT_FLAG_*`` bits of ``herald_event.flags``.
EVENT_FLAG_INFOBIP_EXTENSION = 1
EVENT_FLAG_SUPPLEMENTARY = 2

#: ``herald_severity`` values.
SEVERITY_ERROR = 0
SEVERITY_WARNING = 1

#: The ``herald_status`` values the package acts on.
STATUS_OK = 0
STATUS_INVALID_UTF8 = 2
STATUS_BUFFER_TOO_SMALL = 3
STATUS_UNKNOWN_SOURCE = 201


class HeraldStr(ctypes.Structure):
    """``herald_str``: a view of UTF-8 text owned by the library."""

    _fields_ = [("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    def text(self) -> str:
        """Copies the viewed text into a Python ``str``."""
        if not self.len:
            return ""
        return ctypes.string_at(self.ptr, self.len).decode("utf-8")

    def optional_text(self) -> Optional[str]:
        """Like :meth:`text`, with ``None`` for an empty view."""
        return self.text() if self.len else None


class _Extensible(ctypes.Structure):
    """A struct that starts with ``size`` (the library fills as much as it says)."""

    size: int

    @classmethod
    def sized(cls: Type[ExtensibleT]) -> ExtensibleT:
        """An empty struct with ``size`` set, ready to be filled by a call."""
        value = cls()
        value.size = ctypes.sizeof(cls)
        return value


ExtensibleT = TypeVar("ExtensibleT", bound=_Extensible)


class HeraldEvent(_Extensible):
    """``herald_event``: plain-data description of one catalogue event."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("source", HeraldStr),
        ("name", HeraldStr),
        ("category", HeraldStr),
        ("description", HeraldStr),
        ("flags", ctypes.c_uint32),
        ("template_parameter", HeraldStr),
        ("bound_value", HeraldStr),
        ("deprecated", ctypes.c_bool),
        ("alias_count", ctypes.c_size_t),
    ]


class HeraldBytes(ctypes.Structure):
    """``herald_bytes``: a view of bytes owned by the library."""

    _fields_ = [("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    def data(self) -> bytes:
        """Copies the viewed bytes into Python ``bytes``."""
        return ctypes.string_at(self.ptr, self.len) if self.len else b""


class HeraldWireEventInfo(_Extensible):
    """``herald_wire_event_info``: plain-data description of a normalised event."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("format", ctypes.c_int32),
        ("source", HeraldStr),
        ("name", HeraldStr),
        ("template_value", HeraldStr),
        ("id", HeraldStr),
        ("has_id", ctypes.c_bool),
        ("timestamp_kind", ctypes.c_int32),
        ("timestamp_unix", ctypes.c_int64),
        ("timestamp_text", HeraldStr),
        ("payload", HeraldBytes),
    ]


class HeraldIssue(_Extensible):
    """``herald_issue``: one problem of a validation report."""

    _fields_ = [("size", ctypes.c_size_t), ("code", HeraldStr), ("pointer", HeraldStr), ("message", HeraldStr)]


# One opaque type per handle, so ctypes refuses a router where a catalogue is due.
class HeraldCatalogue(ctypes.Structure):
    """Opaque ``herald_catalogue``."""


class HeraldEndpoints(ctypes.Structure):
    """Opaque ``herald_endpoints``."""


class HeraldError(ctypes.Structure):
    """Opaque ``herald_error``."""


class HeraldBuffer(ctypes.Structure):
    """Opaque ``herald_buffer``."""


class HeraldLimits(ctypes.Structure):
    """Opaque ``herald_limits``."""


class HeraldList(ctypes.Structure):
    """Opaque ``herald_list``."""


class HeraldRealmHub(ctypes.Structure):
    """Opaque ``herald_realm_hub``."""


class HeraldRealmKeys(ctypes.Structure):
    """Opaque ``herald_realm_keys``."""


class HeraldWireEvent(ctypes.Structure):
    """Opaque ``herald_wire_event``."""


class HeraldMatchCache(ctypes.Structure):
    """Opaque ``herald_match_cache``."""


class HeraldReport(ctypes.Structure):
    """Opaque ``herald_report``."""


class HeraldRouter(ctypes.Structure):
    """Opaque ``herald_router``."""


class HeraldRouterSnapshot(ctypes.Structure):
    """Opaque ``herald_router_snapshot``."""


class HeraldValidator(ctypes.Structure):
    """Opaque ``herald_validator``."""


class HeraldKeySet(ctypes.Structure):
    """Opaque ``herald_key_set``."""


class HeraldReplayGuard(ctypes.Structure):
    """Opaque ``herald_replay_guard``."""


class HeraldPlanOptions(ctypes.Structure):
    """Opaque ``herald_plan_options``."""


class HeraldBrokerPlanner(ctypes.Structure):
    """Opaque ``herald_broker_planner``."""


class HeraldBrokerPlan(ctypes.Structure):
    """Opaque ``herald_broker_plan``."""


class HeraldBrokerFleet(ctypes.Structure):
    """Opaque ``herald_broker_fleet``."""


class HeraldBrokerFleetPlan(ctypes.Structure):
    """Opaque ``herald_broker_fleet_plan``."""


class HeraldHeader(ctypes.Structure):
    """``herald_header``: one received header, name and value as bytes with lengths.

    The struct keeps the bytes objects assigned to it alive.
    """

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("name_len", ctypes.c_size_t),
        ("value", ctypes.c_char_p),
        ("value_len", ctypes.c_size_t),
    ]


class HeraldVerified(_Extensible):
    """``herald_verified``: what a verified message's signature vouched for."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("key", ctypes.c_size_t),
        ("id", HeraldStr),
        ("timestamp", ctypes.c_int64),
        ("has_id", ctypes.c_bool),
        ("has_timestamp", ctypes.c_bool),
    ]


class HeraldSubscriberPlan(_Extensible):
    """``herald_subscriber_plan``: one fleet subscriber's plan."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("subscriber", ctypes.c_uint64),
        ("untranslatable_count", ctypes.c_size_t),
        ("exactness", ctypes.c_int32),
        ("needs_filter", ctypes.c_bool),
        ("may_duplicate", ctypes.c_bool),
    ]


#: Opaque struct name in the header -> its ctypes stand-in.
OPAQUE_TYPES = {
    "herald_catalogue": HeraldCatalogue,
    "herald_endpoints": HeraldEndpoints,
    "herald_error": HeraldError,
    "herald_buffer": HeraldBuffer,
    "herald_limits": HeraldLimits,
    "herald_list": HeraldList,
    "herald_realm_hub": HeraldRealmHub,
    "herald_realm_keys": HeraldRealmKeys,
    "herald_wire_event": HeraldWireEvent,
    "herald_match_cache": HeraldMatchCache,
    "herald_report": HeraldReport,
    "herald_router": HeraldRouter,
    "herald_router_snapshot": HeraldRouterSnapshot,
    "herald_validator": HeraldValidator,
    "herald_key_set": HeraldKeySet,
    "herald_replay_guard": HeraldReplayGuard,
    "herald_plan_options": HeraldPlanOptions,
    "herald_broker_planner": HeraldBrokerPlanner,
    "herald_broker_plan": HeraldBrokerPlan,
    "herald_broker_fleet": HeraldBrokerFleet,
    "herald_broker_fleet_plan": HeraldBrokerFleetPlan,
}

P = ctypes.POINTER
status_t = ctypes.c_int32
size_t = ctypes.c_size_t
# Text and byte buffers, in and out, travel as char pointers with explicit lengths.
text_p = ctypes.c_char_p
catalogue_p = P(HeraldCatalogue)
endpoints_p = P(HeraldEndpoints)
error_p = P(HeraldError)
match_cache_p = P(HeraldMatchCache)
buffer_p = P(HeraldBuffer)
limits_p = P(HeraldLimits)
list_p = P(HeraldList)
hub_p = P(HeraldRealmHub)
keys_p = P(HeraldRealmKeys)
wire_event_p = P(HeraldWireEvent)
report_p = P(HeraldReport)
router_p = P(HeraldRouter)
snapshot_p = P(HeraldRouterSnapshot)
validator_p = P(HeraldValidator)
key_set_p = P(HeraldKeySet)
replay_guard_p = P(HeraldReplayGuard)
plan_options_p = P(HeraldPlanOptions)
planner_p = P(HeraldBrokerPlanner)
plan_p = P(HeraldBrokerPlan)
fleet_p = P(HeraldBrokerFleet)
fleet_plan_p = P(HeraldBrokerFleetPlan)

Signature = Tuple[object, Sequence[object]]

#: The limits of ``herald_limits``, each with a ``herald_limits_set_<name>``
#: setter and a ``herald_limits_<name>`` getter.
LIMIT_NAMES = ("max_topic_bytes", "max_segments", "max_payload_bytes", "max_depth", "max_errors", "max_patterns")

#: name -> (restype, argtypes) for every function of include/herald.h.
FUNCTIONS: Dict[str, Signature] = {
    # versions and statuses
    "herald_abi_version": (ctypes.c_uint32, []),
    "herald_version": (ctypes.c_char_p, []),
    "herald_status_str": (ctypes.c_char_p, [ctypes.c_int32]),
    # error objects
    "herald_error_new": (error_p, []),
    "herald_error_free": (None, [error_p]),
    "herald_error_status": (status_t, [error_p]),
    "herald_error_code": (HeraldStr, [error_p]),
    "herald_error_message": (HeraldStr, [error_p]),
    "herald_error_pointer": (HeraldStr, [error_p]),
    # topics and patterns
    "herald_topic_validate": (status_t, [text_p, size_t, error_p]),
    "herald_pattern_validate": (status_t, [text_p, size_t, error_p]),
    "herald_pattern_matches": (status_t, [text_p, size_t, text_p, size_t, P(ctypes.c_bool), error_p]),
    # catalogues
    "herald_catalogue_builtin": (catalogue_p, []),
    "herald_catalogue_from_json": (status_t, [text_p, size_t, P(catalogue_p), error_p]),
    "herald_catalogue_clone": (catalogue_p, [catalogue_p]),
    "herald_catalogue_free": (None, [catalogue_p]),
    "herald_catalogue_source_count": (size_t, [catalogue_p]),
    "herald_catalogue_source_at": (status_t, [catalogue_p, size_t, P(HeraldStr), error_p]),
    "herald_catalogue_event_count": (size_t, [catalogue_p]),
    "herald_catalogue_event_at": (status_t, [catalogue_p, size_t, P(HeraldEvent), error_p]),
    "herald_catalogue_get": (
        status_t,
        [catalogue_p, text_p, size_t, text_p, size_t, P(HeraldEvent), error_p],
    ),
    "herald_catalogue_alias_at": (
        status_t,
        [catalogue_p, text_p, size_t, text_p, size_t, size_t, P(HeraldEvent), error_p],
    ),
    "herald_catalogue_to_json": (status_t, [catalogue_p, P(buffer_p), error_p]),
    "herald_catalogue_json_schema": (
        status_t,
        [catalogue_p, text_p, size_t, text_p, size_t, P(buffer_p), error_p],
    ),
    "herald_catalogue_asyncapi": (status_t, [catalogue_p, text_p, size_t, P(buffer_p), error_p]),
    # owned results
    "herald_buffer_data": (ctypes.c_void_p, [buffer_p]),
    "herald_buffer_len": (size_t, [buffer_p]),
    "herald_buffer_free": (None, [buffer_p]),
    "herald_list_count": (size_t, [list_p]),
    "herald_list_at": (status_t, [list_p, size_t, P(HeraldBytes), error_p]),
    "herald_list_free": (None, [list_p]),
    # limits
    "herald_limits_new": (limits_p, []),
    "herald_limits_free": (None, [limits_p]),
    **{
        f"herald_limits_{verb}{name}": signature
        for name in LIMIT_NAMES
        for verb, signature in (("set_", (status_t, [limits_p, size_t])), ("", (size_t, [limits_p])))
    },
    # validation
    "herald_catalogue_validate": (
        status_t,
        [catalogue_p, text_p, size_t, text_p, size_t, text_p, size_t, limits_p, P(report_p), error_p],
    ),
    "herald_catalogue_validate_named": (
        status_t,
        [catalogue_p, text_p, size_t, text_p, size_t, limits_p, P(report_p), error_p],
    ),
    "herald_report_free": (None, [report_p]),
    "herald_report_is_ok": (ctypes.c_bool, [report_p]),
    "herald_report_truncated": (ctypes.c_bool, [report_p]),
    "herald_report_count": (size_t, [report_p, ctypes.c_int32]),
    "herald_report_issue": (status_t, [report_p, ctypes.c_int32, size_t, P(HeraldIssue), error_p]),
    # prepared validators
    "herald_catalogue_validator": (
        status_t,
        [catalogue_p, text_p, size_t, text_p, size_t, limits_p, P(validator_p), error_p],
    ),
    "herald_catalogue_named_validator": (
        status_t,
        [catalogue_p, text_p, size_t, limits_p, P(validator_p), error_p],
    ),
    "herald_validator_clone": (validator_p, [validator_p]),
    "herald_validator_free": (None, [validator_p]),
    "herald_validator_validate": (
        status_t,
        [validator_p, text_p, size_t, P(size_t), P(size_t), P(report_p), error_p],
    ),
    "herald_validator_validate_many": (
        status_t,
        [validator_p, text_p, size_t, P(size_t), size_t, P(size_t), P(size_t), error_p],
    ),
    # routers and snapshots
    "herald_router_new": (router_p, []),
    "herald_router_free": (None, [router_p]),
    "herald_router_subscribe": (
        status_t,
        [router_p, text_p, size_t, ctypes.c_uint64, P(ctypes.c_bool), error_p],
    ),
    "herald_router_unsubscribe": (
        status_t,
        [router_p, text_p, size_t, ctypes.c_uint64, P(ctypes.c_bool), error_p],
    ),
    "herald_router_len": (size_t, [router_p]),
    "herald_router_match": (
        status_t,
        [router_p, text_p, size_t, P(ctypes.c_uint64), size_t, P(size_t), error_p],
    ),
    "herald_router_snapshot_new": (status_t, [router_p, P(snapshot_p), error_p]),
    "herald_router_snapshot_clone": (snapshot_p, [snapshot_p]),
    "herald_router_snapshot_free": (None, [snapshot_p]),
    "herald_router_snapshot_len": (size_t, [snapshot_p]),
    "herald_router_snapshot_match": (
        status_t,
        [snapshot_p, text_p, size_t, P(ctypes.c_uint64), size_t, P(size_t), error_p],
    ),
    "herald_match_cache_new": (match_cache_p, [size_t]),
    "herald_match_cache_free": (None, [match_cache_p]),
    "herald_router_snapshot_match_cached": (
        status_t,
        [snapshot_p, match_cache_p, text_p, size_t, P(ctypes.c_uint64), size_t, P(size_t), error_p],
    ),
    # wire formats and the realm protocol
    "herald_wire_decode": (
        status_t,
        [catalogue_p, ctypes.c_int32, text_p, size_t, P(wire_event_p), P(report_p), error_p],
    ),
    "herald_wire_event_from_json": (status_t, [text_p, size_t, P(wire_event_p), error_p]),
    "herald_wire_event_free": (None, [wire_event_p]),
    "herald_wire_event_describe": (status_t, [wire_event_p, P(HeraldWireEventInfo), error_p]),
    "herald_wire_encode": (status_t, [wire_event_p, P(buffer_p), error_p]),
    "herald_wire_event_to_json": (status_t, [wire_event_p, P(buffer_p), error_p]),
    "herald_realm_keys_new": (keys_p, []),
    "herald_realm_keys_free": (None, [keys_p]),
    "herald_realm_keys_add": (status_t, [keys_p, text_p, size_t, text_p, size_t, error_p]),
    "herald_realm_hub_new": (hub_p, []),
    "herald_realm_hub_free": (None, [hub_p]),
    "herald_realm_hub_open": (status_t, [hub_p, P(ctypes.c_uint64), error_p]),
    "herald_realm_hub_close": (status_t, [hub_p, ctypes.c_uint64, error_p]),
    "herald_realm_hub_handle": (
        status_t,
        [hub_p, ctypes.c_uint64, text_p, size_t, ctypes.c_int64, keys_p, P(list_p), P(ctypes.c_int32), error_p],
    ),
    "herald_realm_hub_recipients": (
        status_t,
        [hub_p, text_p, size_t, P(ctypes.c_uint64), size_t, P(size_t), error_p],
    ),
    # webhook endpoint sets
    "herald_endpoints_new": (endpoints_p, [size_t]),
    "herald_endpoints_free": (None, [endpoints_p]),
    "herald_endpoints_add": (
        status_t,
        [endpoints_p, ctypes.c_uint64, text_p, size_t, P(HeraldStr), size_t, ctypes.c_bool, error_p],
    ),
    "herald_endpoints_remove": (status_t, [endpoints_p, ctypes.c_uint64, error_p]),
    "herald_endpoints_enable": (status_t, [endpoints_p, ctypes.c_uint64, P(ctypes.c_bool), error_p]),
    "herald_endpoints_disable": (status_t, [endpoints_p, ctypes.c_uint64, P(ctypes.c_bool), error_p]),
    "herald_endpoints_len": (size_t, [endpoints_p]),
    "herald_endpoints_receiving_count": (size_t, [endpoints_p]),
    "herald_endpoints_deliveries": (status_t, [endpoints_p, text_p, size_t, P(list_p), error_p]),
    # webhook signatures
    "herald_error_signature_code": (ctypes.c_int32, [error_p]),
    "herald_key_set_new": (status_t, [ctypes.c_int32, P(key_set_p), error_p]),
    "herald_key_set_free": (None, [key_set_p]),
    "herald_key_set_add": (status_t, [key_set_p, text_p, size_t, P(size_t), error_p]),
    "herald_key_set_remove": (status_t, [key_set_p, size_t, error_p]),
    "herald_key_set_len": (size_t, [key_set_p]),
    "herald_key_set_scheme": (ctypes.c_int32, [key_set_p]),
    "herald_verify": (
        status_t,
        [key_set_p, P(HeraldHeader), size_t, text_p, size_t, ctypes.c_int64, ctypes.c_int64, P(HeraldVerified),
         error_p],
    ),
    "herald_verify_then_decode": (
        status_t,
        [key_set_p, P(HeraldHeader), size_t, text_p, size_t, ctypes.c_int64, ctypes.c_int64, catalogue_p,
         ctypes.c_int32, P(HeraldVerified), P(wire_event_p), P(report_p), error_p],
    ),
    "herald_sign": (
        status_t,
        [key_set_p, text_p, size_t, ctypes.c_bool, ctypes.c_int64, text_p, size_t, P(list_p), error_p],
    ),
    "herald_replay_guard_new": (replay_guard_p, [ctypes.c_uint64, size_t]),
    "herald_replay_guard_free": (None, [replay_guard_p]),
    "herald_replay_guard_admit": (
        status_t,
        [replay_guard_p, text_p, size_t, ctypes.c_bool, ctypes.c_int64, ctypes.c_int64, error_p],
    ),
    "herald_replay_guard_forget_expired": (status_t, [replay_guard_p, ctypes.c_int64, error_p]),
    "herald_replay_guard_len": (size_t, [replay_guard_p]),
    # broker plans
    "herald_plan_options_new": (plan_options_p, []),
    "herald_plan_options_free": (None, [plan_options_p]),
    "herald_plan_options_set_max_expansion": (status_t, [plan_options_p, size_t]),
    "herald_plan_options_set_max_depth": (status_t, [plan_options_p, size_t]),
    "herald_plan_options_set_profile": (status_t, [plan_options_p, ctypes.c_int32]),
    "herald_broker_planner_new": (status_t, [ctypes.c_int32, plan_options_p, P(planner_p), error_p]),
    "herald_broker_planner_free": (None, [planner_p]),
    "herald_broker_planner_broker": (ctypes.c_int32, [planner_p]),
    "herald_broker_planner_profile": (ctypes.c_int32, [planner_p]),
    "herald_broker_planner_max_depth": (size_t, [planner_p]),
    "herald_broker_planner_max_expansion": (size_t, [planner_p]),
    "herald_broker_planner_plan": (status_t, [planner_p, text_p, size_t, P(plan_p), error_p]),
    "herald_broker_plan_free": (None, [plan_p]),
    "herald_broker_plan_exactness": (ctypes.c_int32, [plan_p]),
    "herald_broker_plan_needs_filter": (ctypes.c_bool, [plan_p]),
    "herald_broker_plan_may_duplicate": (ctypes.c_bool, [plan_p]),
    "herald_broker_plan_subscriptions": (status_t, [plan_p, P(list_p), error_p]),
    "herald_broker_plan_refusal_code": (HeraldStr, [plan_p]),
    "herald_broker_plan_refusal_reason": (HeraldStr, [plan_p]),
    "herald_broker_planner_topic": (status_t, [planner_p, text_p, size_t, P(buffer_p), error_p]),
    "herald_broker_fleet_new": (fleet_p, []),
    "herald_broker_fleet_free": (None, [fleet_p]),
    "herald_broker_fleet_add": (status_t, [fleet_p, text_p, size_t, ctypes.c_uint64, error_p]),
    "herald_broker_fleet_len": (size_t, [fleet_p]),
    "herald_broker_planner_fleet": (status_t, [planner_p, fleet_p, P(fleet_plan_p), error_p]),
    "herald_broker_fleet_plan_free": (None, [fleet_plan_p]),
    "herald_broker_fleet_plan_count": (size_t, [fleet_plan_p]),
    "herald_broker_fleet_plan_subscriber": (status_t, [fleet_plan_p, size_t, P(HeraldSubscriberPlan), error_p]),
    "herald_broker_fleet_plan_subscriptions": (status_t, [fleet_plan_p, size_t, P(list_p), error_p]),
    "herald_broker_fleet_plan_filter": (status_t, [fleet_plan_p, size_t, P(list_p), error_p]),
    "herald_broker_fleet_plan_untranslatable_at": (
        status_t,
        [fleet_plan_p, size_t, size_t, P(HeraldStr), P(HeraldStr), P(HeraldStr), error_p],
    ),
}

#: The calls on hot paths, bound a second time *without* ``argtypes`` by
#: :func:`unchecked`. With ``argtypes``, ctypes calls ``from_param`` on every
#: argument, which costs about as much as the C call itself (see
#: ``benches/python``). Without, it converts each argument by its type alone,
#: so the caller must pass exactly what the header says: handle pointers of
#: the declared ``POINTER`` type, ``bytes`` for text and payloads,
#: ``c_size_t`` objects for sizes, ``byref(...)`` or arrays for outputs and
#: ``None`` for NULL, never a plain ``int`` (it would travel as a C ``int``)
#: or a ``str`` (as ``wchar_t *``). Only the hot paths of the package use
#: them; everything else goes through the declared functions of ``lib``.
UNCHECKED = (
    "herald_validator_validate",
    "herald_validator_validate_many",
    "herald_report_free",
    "herald_router_match",
    "herald_router_snapshot_match",
)

#: The calls bound through a ``ctypes.PyDLL`` handle, which keeps the GIL
#: held: getters, frees of small objects and report readers, whose work is a
#: few dozen instructions and never waits. ``ctypes.CDLL`` releases and
#: retakes the GIL around every call; for a call this short that costs more
#: than the call, and with threads it hands the GIL to another thread on
#: every getter (a convoy). Every call whose work grows with its input
#: (validate, match, decode, verify, sign, plan, exports, frees of
#: catalogues and routers) keeps releasing the GIL. PyDLL also checks for a
#: Python exception after the call, which these calls never raise.
GIL_HELD = (
    "herald_abi_version",
    "herald_version",
    "herald_status_str",
    "herald_error_new",
    "herald_error_free",
    "herald_error_status",
    "herald_error_code",
    "herald_error_message",
    "herald_error_pointer",
    "herald_error_signature_code",
    "herald_buffer_data",
    "herald_buffer_len",
    "herald_buffer_free",
    "herald_list_count",
    "herald_list_at",
    "herald_limits_new",
    "herald_limits_free",
    *(f"herald_limits_{verb}{name}" for name in LIMIT_NAMES for verb in ("set_", "")),
    "herald_report_free",
    "herald_report_is_ok",
    "herald_report_truncated",
    "herald_report_count",
    "herald_report_issue",
    "herald_catalogue_clone",
    "herald_catalogue_source_count",
    "herald_catalogue_source_at",
    "herald_catalogue_event_count",
    "herald_catalogue_event_at",
    "herald_validator_clone",
    "herald_router_len",
    "herald_router_snapshot_clone",
    "herald_router_snapshot_len",
    "herald_endpoints_len",
    "herald_endpoints_receiving_count",
    "herald_key_set_len",
    "herald_key_set_scheme",
    "herald_replay_guard_len",
    "herald_broker_planner_broker",
    "herald_broker_planner_profile",
    "herald_broker_planner_max_depth",
    "herald_broker_planner_max_expansion",
    "herald_broker_plan_exactness",
    "herald_broker_plan_needs_filter",
    "herald_broker_plan_may_duplicate",
    "herald_broker_plan_refusal_code",
    "herald_broker_plan_refusal_reason",
    "herald_broker_fleet_len",
    "herald_broker_fleet_plan_count",
    "herald_broker_fleet_plan_subscriber",
)

#: Exported only by libraries built with the ``testing`` cargo feature
#: (declared in the header under ``#if defined(HERALD_TESTING)``).
OPTIONAL_FUNCTIONS: Dict[str, Signature] = {
    "herald_debug_panic_catalogue": (status_t, [catalogue_p, error_p]),
    "herald_debug_panic_router": (status_t, [router_p, error_p]),
}


#: The names the library is shipped under inside the package (package data).
SHIPPED_NAMES = ("libherald.so", "libherald.dylib", "herald.dll")


def _shipped_libraries() -> List[Path]:
    here = Path(__file__).resolve().parent
    return [here / name for name in SHIPPED_NAMES if (here / name).is_file()]


def library_candidates() -> List[str]:
    """Where the library is looked for, in order (see the module docs)."""
    override = os.environ.get("HERALD_LIBRARY")
    if override:
        return [override]
    candidates = [str(path) for path in _shipped_libraries()]
    system = ctypes.util.find_library("herald")
    if system:
        candidates.append(system)
    if sys.platform.startswith("linux"):
        candidates.append(f"libherald.so.{ABI_VERSION}")
    return candidates


def check_abi(found: int, path: str) -> None:
    """Raises ``ImportError`` unless the library at ``path`` speaks our ABI."""
    if found != ABI_VERSION:
        raise ImportError(
            f"libherald at {path} has C ABI version {found}, but this herald package "
            f"needs ABI version {ABI_VERSION}; install matching versions "
            f"(or point HERALD_LIBRARY at a matching build)"
        )


def _load() -> Tuple[ctypes.CDLL, str]:
    errors: List[str] = []
    for candidate in library_candidates():
        try:
            return ctypes.CDLL(candidate), candidate
        except OSError as error:
            errors.append(f"{candidate}: {error}")
    tried = "; ".join(errors) or "no candidate found"
    raise ImportError(
        "cannot load libherald (set HERALD_LIBRARY to its path, or reinstall the package): " + tried
    )


def _declare(lib: ctypes.CDLL, held: ctypes.PyDLL, path: str) -> None:
    for name, (restype, argtypes) in FUNCTIONS.items():
        function = getattr(lib, name, None)
        if function is None:
            raise ImportError(f"libherald at {path} does not export {name}; it is not the library this package needs")
        if name in GIL_HELD:
            # The same C function, called without releasing the GIL; `lib`
            # caches attributes, so `lib.<name>` is this one from now on.
            function = held[name]
            setattr(lib, name, function)
        function.restype = restype
        function.argtypes = list(argtypes)
    for name, (restype, argtypes) in OPTIONAL_FUNCTIONS.items():
        function = getattr(lib, name, None)
        if function is not None:
            function.restype = restype
            function.argtypes = list(argtypes)


def _open() -> Tuple[ctypes.CDLL, ctypes.PyDLL, str]:
    lib, path = _load()
    version_function = getattr(lib, "herald_abi_version", None)
    if version_function is None:
        raise ImportError(f"{path} is not libherald (it has no herald_abi_version)")
    version_function.restype = ctypes.c_uint32
    version_function.argtypes = []
    check_abi(int(version_function()), path)
    # A second handle to the same loaded library (dlopen counts references).
    held = ctypes.PyDLL(path)
    _declare(lib, held, path)
    return lib, held, path


lib, _held, library_path = _open()


def unchecked(name: str, hold_gil: bool = False) -> Any:
    """Another function object for the ``UNCHECKED`` function ``name``, with
    its ``restype`` and no ``argtypes`` (``lib.<name>`` keeps its
    declaration). It releases the GIL around the call unless the function is
    one of ``GIL_HELD`` or ``hold_gil`` asks to keep it (for a caller that
    knows this call's input is small)."""
    if name not in UNCHECKED:
        raise ValueError(f"{name} is not one of the unchecked hot calls")
    function: Any = (_held if hold_gil or name in GIL_HELD else lib)[name]
    function.restype = FUNCTIONS[name][0]
    return function


def has(name: str) -> bool:
    """Whether the loaded library exports ``name``."""
    return getattr(lib, name, None) is not None


def version() -> str:
    """``herald_version()``: the library version, e.g. ``"0.1.0"``."""
    raw: Optional[bytes] = lib.herald_version()
    return raw.decode("ascii") if raw else ""
