"""Event catalogues: what events exist, what they mean, and their payloads.

An event is identified by (source, name): the same name can exist in several
sources with different payloads. Templated names such as
``{channel}.message.sent`` resolve with their parameter bound
(``sms.message.sent``). Aliases link events of different sources that report
the same business event.
"""

from __future__ import annotations

import ctypes
import enum
import json
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from . import _ffi, _native
from ._errors import CatalogueError, Status, UnknownEventError, UnknownSourceError, make_error
from ._native import NativeObject, Text
from .validation import Limits, Report, Validator, limits_pointer

lib = _native.lib


class EventFlags(enum.IntFlag):
    """``HERALD_EVENT_FLAG_*`` bits of :attr:`Event.flags`."""

    NONE = 0
    #: Sent only with Orangepill's Infobip extension.
    INFOBIP_EXTENSION = _ffi.EVENT_FLAG_INFOBIP_EXTENSION
    #: Documented by the vendor outside its event list.
    SUPPLEMENTARY = _ffi.EVENT_FLAG_SUPPLEMENTARY


@dataclass(frozen=True)
class Event:
    """One catalogue event, copied out of the catalogue (it never dangles)."""

    #: Source id, e.g. ``inplayer-webhooks``.
    source: str
    #: Event name as declared; templated events keep their ``{parameter}`` segment.
    name: str
    #: Business category, e.g. ``payment``.
    category: str
    #: What the event means.
    description: str
    #: Flag bits.
    flags: EventFlags = EventFlags.NONE
    #: Template parameter name (``channel``), or None for plain events.
    template_parameter: Optional[str] = None
    #: The parameter value taken from the looked-up name (``sms``), or None.
    bound_value: Optional[str] = None
    #: Whether the vendor deprecated the event.
    deprecated: bool = False
    #: How many events in other sources report the same business event.
    alias_count: int = 0

    @property
    def infobip_extension(self) -> bool:
        """Sent only with Orangepill's Infobip extension."""
        return bool(self.flags & EventFlags.INFOBIP_EXTENSION)

    @property
    def supplementary(self) -> bool:
        """Documented by the vendor outside its event list."""
        return bool(self.flags & EventFlags.SUPPLEMENTARY)

    @property
    def is_template(self) -> bool:
        """Whether the name has a ``{parameter}`` segment."""
        return self.template_parameter is not None

    @classmethod
    def _from_c(cls, event: _ffi.HeraldEvent) -> Event:
        return cls(
            source=event.source.text(),
            name=event.name.text(),
            category=event.category.text(),
            description=event.description.text(),
            flags=EventFlags(event.flags),
            template_parameter=event.template_parameter.optional_text(),
            bound_value=event.bound_value.optional_text(),
            deprecated=bool(event.deprecated),
            alias_count=int(event.alias_count),
        )


def _names(source: bytes, name: bytes) -> Any:
    return ((source, CatalogueError), (name, CatalogueError))


def _text(data: bytes) -> str:
    # Names the library accepted are UTF-8.
    return data.decode("utf-8", "replace")


#: Marks the named schemas among the validators a catalogue keeps.
_NAMED = object()

#: How many prepared validators a catalogue keeps for `validate`.
_MAX_CACHED_VALIDATORS = 256


class Catalogue(NativeObject):
    """An immutable event catalogue: the built-in one or one loaded from JSON.

    Make one with :meth:`builtin` or :meth:`from_json`. Lookups copy what they
    return into Python values.

    Thread safety: any number of threads may use one catalogue at once, with
    no lock (lookups, validation and exports release the GIL). ``close``
    returns at once; calls already running on other threads finish first
    (the native catalogue is freed when the last of them returns).

    >>> catalogue = Catalogue.builtin()
    >>> event = catalogue.get("orangepill-stream", "sms.message.sent")
    >>> event.name, event.bound_value
    ('{channel}.message.sent', 'sms')
    """

    _lock_free = True
    _validators: Dict[Tuple[object, ...], Validator]

    def __init__(self) -> None:
        raise TypeError("use Catalogue.builtin() or Catalogue.from_json(...)")

    @classmethod
    def _wrap(cls, pointer: Any) -> Catalogue:
        catalogue = cls.__new__(cls)
        catalogue._attach(pointer, lib.herald_catalogue_free, "Catalogue")
        # The validators `validate` and `validate_named` prepared, by
        # (source or _NAMED, name, id(limits)); each holds its limits, so no
        # other Limits can have that id while it is cached.
        catalogue._validators = {}
        return catalogue

    def close(self) -> None:
        """Releases the native catalogue (at once, or when the calls in
        progress on other threads return). Safe to call more than once.
        Validators made by :meth:`validator` keep their own reference."""
        self._handle = None
        self._validators = {}

    @classmethod
    def builtin(cls) -> Catalogue:
        """The built-in catalogue: every event of InPlayer, Orangepill and AccelByte."""
        return cls._wrap(lib.herald_catalogue_builtin())

    @classmethod
    def from_json(cls, data: Text) -> Catalogue:
        """Loads a ``herald-catalogue/1`` document.

        Raises :class:`CatalogueError` with the rule broken in ``code`` and the
        place in ``pointer`` (``line 1, column 12`` or a document path).
        """
        document = _native.encode(data, "data")
        out = _ffi.catalogue_p()
        status = lib.herald_catalogue_from_json(document, len(document), ctypes.byref(out), _native.error_slot())
        _native.check(status, ((document, CatalogueError),))
        return cls._wrap(out)

    def copy(self) -> Catalogue:
        """Another reference to the same catalogue, closed independently."""
        with self._shared() as catalogue:
            return self._wrap(lib.herald_catalogue_clone(catalogue))

    __copy__ = copy

    def __deepcopy__(self, memo: object) -> Catalogue:
        return self.copy()

    def sources(self) -> List[str]:
        """The source ids, in document order."""
        with self._shared() as catalogue:
            return self._sources(catalogue)

    @staticmethod
    def _sources(catalogue: Any) -> List[str]:
        ids: List[str] = []
        view = _ffi.HeraldStr()
        for index in range(lib.herald_catalogue_source_count(catalogue)):
            _native.check(lib.herald_catalogue_source_at(catalogue, index, ctypes.byref(view), _native.error_slot()))
            ids.append(view.text())
        return ids

    def events(self, source: Optional[Text] = None) -> List[Event]:
        """Every event (templates once), source by source in document order;
        only those of ``source`` if given (:class:`UnknownSourceError` if it has none)."""
        if source is not None and not isinstance(source, str):
            # Source ids are UTF-8; bytes that are not can match no source.
            source = _native.encode(source, "source").decode("utf-8", "replace")
        with self._shared() as catalogue:
            if source is not None and source not in self._sources(catalogue):
                raise make_error(Status.UNKNOWN_SOURCE, "unknown_source", f"unknown source `{source}`")
            found: List[Event] = []
            event = _ffi.HeraldEvent.sized()
            for index in range(lib.herald_catalogue_event_count(catalogue)):
                status = lib.herald_catalogue_event_at(catalogue, index, ctypes.byref(event), _native.error_slot())
                _native.check(status)
                if source is None or event.source.text() == source:
                    found.append(Event._from_c(event))
            return found

    def __len__(self) -> int:
        """The number of events (templates count once)."""
        with self._shared() as catalogue:
            return int(lib.herald_catalogue_event_count(catalogue))

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    def _lookup(self, catalogue: Any, source: bytes, name: bytes) -> Event:
        event = _ffi.HeraldEvent.sized()
        status = lib.herald_catalogue_get(
            catalogue, source, len(source), name, len(name), ctypes.byref(event), _native.error_slot()
        )
        _native.check(status, _names(source, name))
        # bound_value points into `name`, which is alive here.
        return Event._from_c(event)

    def get(self, source: Text, name: Text) -> Optional[Event]:
        """The event (``source``, ``name``) stands for, resolving templates;
        None if the source has no such event.

        An unknown source is a mistake rather than a miss: it raises
        :class:`UnknownSourceError` (a :class:`CatalogueError`), as the CLI
        reports it.
        """
        source_data = _native.encode(source, "source")
        name_data = _native.encode(name, "name")
        with self._shared() as catalogue:
            try:
                return self._lookup(catalogue, source_data, name_data)
            except UnknownEventError:
                return None

    def find(self, name: Text) -> List[Event]:
        """The events called ``name`` in every source (templates resolve), in source order."""
        name_data = _native.encode(name, "name")
        found: List[Event] = []
        with self._shared() as catalogue:
            for source in self._sources(catalogue):
                try:
                    found.append(self._lookup(catalogue, source.encode("utf-8"), name_data))
                except UnknownEventError:
                    continue
        return found

    def aliases(self, source: Text, name: Text) -> List[Event]:
        """The events in other sources that report the same business event.

        Raises :class:`UnknownSourceError` or :class:`UnknownEventError`.
        """
        source_data = _native.encode(source, "source")
        name_data = _native.encode(name, "name")
        with self._shared() as catalogue:
            count = self._lookup(catalogue, source_data, name_data).alias_count
            aliases: List[Event] = []
            alias = _ffi.HeraldEvent.sized()
            for index in range(count):
                status = lib.herald_catalogue_alias_at(
                    catalogue,
                    source_data,
                    len(source_data),
                    name_data,
                    len(name_data),
                    index,
                    ctypes.byref(alias),
                    _native.error_slot(),
                )
                _native.check(status, _names(source_data, name_data))
                aliases.append(Event._from_c(alias))
            return aliases

    def to_json(self) -> str:
        """The catalogue as a ``herald-catalogue/1`` document; loading it gives an equal catalogue."""
        out = _ffi.buffer_p()
        with self._shared() as catalogue:
            _native.check(lib.herald_catalogue_to_json(catalogue, ctypes.byref(out), _native.error_slot()))
        return _native.take_buffer(out).decode("utf-8")

    def json_schema(self, source: Text, name: Text) -> Dict[str, Any]:
        """The JSON Schema (draft 2020-12) of the event's payload, parsed.

        Raises :class:`UnknownSourceError`, :class:`UnknownEventError` or
        :class:`NoSchemaError`.
        """
        source_data = _native.encode(source, "source")
        name_data = _native.encode(name, "name")
        out = _ffi.buffer_p()
        with self._shared() as catalogue:
            status = lib.herald_catalogue_json_schema(
                catalogue, source_data, len(source_data), name_data, len(name_data), ctypes.byref(out),
                _native.error_slot(),
            )
        _native.check(status, _names(source_data, name_data))
        schema: Dict[str, Any] = json.loads(_native.take_buffer(out))
        return schema

    def asyncapi(self, source: Text) -> Dict[str, Any]:
        """An AsyncAPI 3.0 document for ``source`` (channels, operations, messages), parsed."""
        source_data = _native.encode(source, "source")
        out = _ffi.buffer_p()
        with self._shared() as catalogue:
            status = lib.herald_catalogue_asyncapi(
                catalogue, source_data, len(source_data), ctypes.byref(out), _native.error_slot()
            )
        _native.check(status, ((source_data, CatalogueError),))
        spec: Dict[str, Any] = json.loads(_native.take_buffer(out))
        return spec

    def validator(self, source: Text, name: Text, limits: Optional[Limits] = None) -> Validator:
        """A :class:`Validator` for payloads of the event (``source``, ``name``)
        under ``limits``: the lookups and encodings are done once, here.

        Raises :class:`UnknownSourceError`, :class:`UnknownEventError` or
        :class:`NoSchemaError` now, as :meth:`validate` would.
        """
        source_data = _native.encode(source, "source")
        name_data = _native.encode(name, "name")
        limits_c = limits_pointer(limits)
        out = _ffi.validator_p()
        with self._shared() as catalogue:
            status = lib.herald_catalogue_validator(
                catalogue,
                source_data,
                len(source_data),
                name_data,
                len(name_data),
                limits_c,
                ctypes.byref(out),
                _native.error_slot(),
            )
        _native.check(status, _names(source_data, name_data))
        return Validator._adopt(out, _text(source_data), _text(name_data), limits)

    def named_validator(self, schema: Text, limits: Optional[Limits] = None) -> Validator:
        """A :class:`Validator` for a named schema of the catalogue, such as
        ``orangepill-subscribe``; :class:`UnknownSchemaError` if there is none."""
        schema_data = _native.encode(schema, "schema")
        limits_c = limits_pointer(limits)
        out = _ffi.validator_p()
        with self._shared() as catalogue:
            status = lib.herald_catalogue_named_validator(
                catalogue, schema_data, len(schema_data), limits_c, ctypes.byref(out), _native.error_slot()
            )
        _native.check(status, ((schema_data, CatalogueError),))
        return Validator._adopt(out, None, _text(schema_data), limits)

    def validate(self, source: Text, name: Text, payload: Text, limits: Optional[Limits] = None) -> Report:
        """Validates ``payload`` (JSON, read straight from the bytes) as the event (``source``, ``name``).

        Templated names resolve; the envelope's type field must name the
        event. Payload problems are items of the returned :class:`Report`;
        only an unknown source, event or missing schema raises.

        The first call for a (source, name, limits) prepares a
        :class:`Validator` and keeps it (up to a few hundred); later calls
        are one C call. Use :meth:`validator` to hold one yourself.
        """
        if self._handle is None:
            raise self._closed_error()
        try:
            validator = self._validators[(source, name, id(limits))]
        except (KeyError, TypeError):
            validator = self._prepared(source, name, limits)
        return validator.validate(payload)

    def _prepared(self, source: Text, name: Text, limits: Optional[Limits]) -> Validator:
        """The kept :class:`Validator` for (``source``, ``name``, ``limits``),
        prepared and kept on first use."""
        key = (source, name, id(limits))
        try:
            return self._validators[key]
        except KeyError:
            return self._cache(self.validator(source, name, limits), key)
        except TypeError:  # an unhashable name (bytearray): prepared for this call only
            return self.validator(source, name, limits)

    def validate_many(
        self, source: Text, name: Text, payloads: Iterable[Text], limits: Optional[Limits] = None
    ) -> List[Report]:
        """Validates each payload of ``payloads`` as the event (``source``,
        ``name``): one :class:`Report` per payload, in order, as
        :meth:`validate` gives them, from one C call over the whole batch
        (see :meth:`Validator.validate_many`)."""
        if self._handle is None:
            raise self._closed_error()
        return self._prepared(source, name, limits).validate_many(payloads)

    def validate_named(self, schema: Text, payload: Text, limits: Optional[Limits] = None) -> Report:
        """Validates ``payload`` against a named schema of the catalogue, such as
        ``orangepill-subscribe``; :class:`UnknownSchemaError` if there is none.
        Prepared validators are kept as for :meth:`validate`."""
        if self._handle is None:
            raise self._closed_error()
        try:
            validator = self._validators[(_NAMED, schema, id(limits))]
        except KeyError:
            validator = self._cache(self.named_validator(schema, limits), (_NAMED, schema, id(limits)))
        except TypeError:
            validator = self.named_validator(schema, limits)
        return validator.validate(payload)

    def _cache(self, validator: Validator, key: Tuple[object, ...]) -> Validator:
        validators = self._validators
        if len(validators) >= _MAX_CACHED_VALIDATORS:
            # Templated names can be endless; start over rather than grow.
            validators.clear()
        validators[key] = validator
        return validator

    def __repr__(self) -> str:
        if self.closed:
            return "<herald.Catalogue closed>"
        return f"<herald.Catalogue sources={len(self.sources())} events={len(self)}>"

    def _debug_panic(self) -> None:
        """Test hook: makes the library panic while using this catalogue, which poisons it
        (and every copy). Only libraries built with the ``testing`` cargo feature have it."""
        if not _ffi.has("herald_debug_panic_catalogue"):
            raise NotImplementedError("this libherald was built without the `testing` feature")
        with self._shared() as catalogue:
            _native.check(lib.herald_debug_panic_catalogue(catalogue, _native.error_slot()))
