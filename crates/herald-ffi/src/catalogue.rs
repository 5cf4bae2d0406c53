//! Catalogues: the built-in one and loaded ones, shared and immutable.

use std::os::raw::c_char;

use herald_core::catalogue::{EventDef, EventFlag, Resolved};
use herald_core::{Catalogue, CatalogueError};

use crate::boundary::{
    Extensible, Failure, add_ref, free, get_or, guard, try_bytes, try_out, try_ref, try_sized_out,
    try_str,
};
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Shared};
use crate::output::{herald_buffer, into_buffer};
use crate::status::herald_status;
use crate::text::herald_str;

/// Bit in `herald_event.flags`: sent only with Orangepill's Infobip extension.
pub const HERALD_EVENT_FLAG_INFOBIP_EXTENSION: u32 = 1;
/// Bit in `herald_event.flags`: documented by the vendor outside its event list.
pub const HERALD_EVENT_FLAG_SUPPLEMENTARY: u32 = 2;

/// An immutable event catalogue.
///
/// Reference counted: `herald_catalogue_clone` adds a reference,
/// `herald_catalogue_free` drops one. Thread safety: any number of threads may
/// use the same catalogue at once.
#[derive(Debug)]
pub struct herald_catalogue {
    _opaque: Opaque,
}

impl Castable for herald_catalogue {
    type Ownership = Shared;
    type Value = CatalogueRef;
}

/// The catalogue behind a `herald_catalogue`: the built-in one is shared by
/// every handle (each with its own poisoned flag), loaded ones are owned.
#[derive(Debug)]
pub(crate) enum CatalogueRef {
    Builtin(&'static Catalogue),
    Loaded(Box<Catalogue>),
}

impl std::ops::Deref for CatalogueRef {
    type Target = Catalogue;

    fn deref(&self) -> &Catalogue {
        match self {
            CatalogueRef::Builtin(catalogue) => catalogue,
            CatalogueRef::Loaded(catalogue) => catalogue,
        }
    }
}

/// Plain-data description of one event. Every view borrows from the catalogue
/// and stays valid while the catalogue is alive, except `bound_value`, which
/// points into the name the caller passed to `herald_catalogue_get`.
///
/// Extensible: set `size` to `sizeof(herald_event)` before passing it in.
/// Later ABI 2 releases may add fields at the end; the library fills as many
/// bytes as `size` allows and writes back in `size` how many it filled.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_event {
    /// The size of this struct as the caller knows it; see above.
    pub size: usize,
    /// Source id, e.g. `inplayer-webhooks`.
    pub source: herald_str,
    /// Event name as declared; templated events keep their `{parameter}` segment.
    pub name: herald_str,
    /// Business category, e.g. `payment`.
    pub category: herald_str,
    /// What the event means.
    pub description: herald_str,
    /// `HERALD_EVENT_FLAG_*` bits.
    pub flags: u32,
    /// Template parameter name, empty for plain events.
    pub template_parameter: herald_str,
    /// The parameter value taken from the looked-up name (e.g. `sms`), or empty.
    pub bound_value: herald_str,
    /// Whether the vendor deprecated the event.
    pub deprecated: bool,
    /// How many events in other sources report the same business event.
    pub alias_count: usize,
}

// SAFETY: `#[repr(C)]` plain data starting with `size: usize`; `SIZE_V2` is
// the end of its last field.
unsafe impl Extensible for herald_event {
    const SIZE_V2: usize = std::mem::offset_of!(herald_event, alias_count) + size_of::<usize>();
}

fn describe(catalogue: &Catalogue, resolved: Resolved<'_, '_>) -> herald_event {
    let event = resolved.event;
    let flags = event.flags.iter().fold(0, |bits, flag| {
        bits | match flag {
            EventFlag::InfobipExtension => HERALD_EVENT_FLAG_INFOBIP_EXTENSION,
            EventFlag::Supplementary => HERALD_EVENT_FLAG_SUPPLEMENTARY,
            _ => 0,
        }
    });
    herald_event {
        size: size_of::<herald_event>(),
        source: herald_str::borrow(&event.source),
        name: herald_str::borrow(&event.name),
        category: herald_str::borrow(&event.category),
        description: herald_str::borrow(&event.description),
        flags,
        template_parameter: event
            .template
            .as_ref()
            .map_or_else(herald_str::empty, |template| {
                herald_str::borrow(&template.parameter)
            }),
        bound_value: resolved.binding.map_or_else(herald_str::empty, |binding| {
            herald_str::borrow(binding.value)
        }),
        deprecated: event.deprecated.is_some(),
        alias_count: catalogue.aliases_of(event).count(),
    }
}

fn plain(catalogue: &Catalogue, event: &EventDef) -> herald_event {
    describe(
        catalogue,
        Resolved {
            event,
            binding: None,
        },
    )
}

fn load_failure(error: &CatalogueError) -> Failure {
    let at = match error {
        CatalogueError::Malformed { line, column, .. }
        | CatalogueError::UnknownField { line, column, .. } => {
            format!("line {line}, column {column}")
        }
        _ => String::new(),
    };
    Failure::new(
        herald_status::InvalidCatalogue,
        error.code(),
        error.to_string(),
    )
    .at(at)
}

/// Resolves (source, name) in `catalogue`: exact names first, then templates.
pub(crate) fn resolve<'c, 'n>(
    catalogue: &'c Catalogue,
    source: &str,
    name: &'n str,
) -> Result<Resolved<'c, 'n>, Failure> {
    if catalogue.source(source).is_none() {
        return Err(Failure::new(
            herald_status::UnknownSource,
            "unknown_source",
            format!("unknown source {source:?}"),
        ));
    }
    catalogue.resolve(source, name).ok_or_else(|| {
        Failure::new(
            herald_status::UnknownEvent,
            "unknown_event",
            format!("unknown event {name:?} in source {source:?}"),
        )
    })
}

/// A new reference to the built-in catalogue (every event of the InPlayer,
/// Orangepill and AccelByte seed documents). Free it with
/// `herald_catalogue_free`. Returns NULL only on an internal error.
///
/// Thread safety: may be called from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn herald_catalogue_builtin() -> *const herald_catalogue {
    handle::create_shared(|| CatalogueRef::Builtin(Catalogue::builtin()))
}

/// Loads a catalogue document (format `herald-catalogue/1`) from `json_len`
/// bytes at `json`. On success writes a new catalogue to `*out`; free it with
/// `herald_catalogue_free`. On failure returns
/// `HERALD_STATUS_INVALID_CATALOGUE` with the rule in the error code and the
/// place in the message and pointer.
///
/// Thread safety: may be called from any thread.
///
/// # Safety
/// `json` is valid for reading `json_len` bytes; `out` is valid for writing;
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_from_json(
    json: *const u8,
    json_len: usize,
    out: *mut *const herald_catalogue,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |_call| {
        let out = try_out!(out)?;
        let json = try_bytes!(json, json_len)?;
        let catalogue = Catalogue::from_json(json).map_err(|error| load_failure(&error))?;
        *out = handle::into_shared(CatalogueRef::Loaded(Box::new(catalogue)));
        Ok(())
    })
}

/// Adds a reference to `catalogue` and returns it (NULL for NULL).
///
/// Thread safety: any thread.
///
/// # Safety
/// `catalogue` is NULL or a live catalogue.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_clone(
    catalogue: *const herald_catalogue,
) -> *const herald_catalogue {
    add_ref!(catalogue)
}

/// Drops one reference to `catalogue`; the last one frees it. NULL is a no-op.
///
/// Thread safety: any thread; views obtained from the catalogue must not be
/// used after the last reference is gone.
///
/// # Safety
/// `catalogue` is NULL or a reference obtained from this library and not yet
/// freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_free(catalogue: *const herald_catalogue) {
    free!(catalogue)
}

/// Number of sources (0 for NULL or a poisoned catalogue).
///
/// # Safety
/// `catalogue` is NULL or a live catalogue.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_source_count(
    catalogue: *const herald_catalogue,
) -> usize {
    get_or!(catalogue, 0, |catalogue| catalogue.sources().len())
}

/// Writes the id of source number `index` to `*out_id` (a view valid while
/// the catalogue lives). `HERALD_STATUS_OUT_OF_RANGE` past the end.
///
/// # Safety
/// `catalogue` is a live catalogue; `out_id` is valid for writing; `error` is
/// NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_source_at(
    catalogue: *const herald_catalogue,
    index: usize,
    out_id: *mut herald_str,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out_id = try_out!(out_id)?;
        let source = catalogue
            .sources()
            .get(index)
            .ok_or_else(|| Failure::out_of_range(index))?;
        *out_id = herald_str::borrow(&source.id);
        Ok(())
    })
}

/// Number of events across all sources; templates count once (0 for NULL or
/// a poisoned catalogue).
///
/// # Safety
/// `catalogue` is NULL or a live catalogue.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_event_count(catalogue: *const herald_catalogue) -> usize {
    get_or!(catalogue, 0, |catalogue| catalogue.len())
}

/// Describes event number `index` (source by source, in document order).
/// `HERALD_STATUS_OUT_OF_RANGE` past the end.
///
/// # Safety
/// `catalogue` is a live catalogue; `out` points at a `herald_event` whose
/// `size` is set (see `herald_event`), valid for writing that many bytes;
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_event_at(
    catalogue: *const herald_catalogue,
    index: usize,
    out: *mut herald_event,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_sized_out!(out)?;
        let event = catalogue
            .event_at(index)
            .ok_or_else(|| Failure::out_of_range(index))?;
        out.write(plain(catalogue, event));
        Ok(())
    })
}

/// Looks up an event by source id and name. Templated names resolve:
/// `sms.message.sent` in `orangepill-stream` gives `{channel}.message.sent`
/// with `bound_value` = `sms`. Fails with `HERALD_STATUS_UNKNOWN_SOURCE` or
/// `HERALD_STATUS_UNKNOWN_EVENT`.
///
/// # Safety
/// `catalogue` is a live catalogue; `source` and `name` are valid for reading
/// their lengths; `out` points at a `herald_event` whose `size` is set,
/// valid for writing that many bytes; `error` is NULL or a live error object.
/// `out->bound_value` points into `name`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_get(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    name: *const c_char,
    name_len: usize,
    out: *mut herald_event,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_sized_out!(out)?;
        let source = try_str!(source, source_len)?;
        let name = try_str!(name, name_len)?;
        let resolved = resolve(catalogue, source, name)?;
        out.write(describe(catalogue, resolved));
        Ok(())
    })
}

/// Describes alias number `index` of the event (source, name): an event in
/// another source that reports the same business event.
/// `HERALD_STATUS_OUT_OF_RANGE` when `index >= alias_count`.
///
/// # Safety
/// As for `herald_catalogue_get`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_alias_at(
    catalogue: *const herald_catalogue,
    source: *const c_char,
    source_len: usize,
    name: *const c_char,
    name_len: usize,
    index: usize,
    out: *mut herald_event,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_sized_out!(out)?;
        let source = try_str!(source, source_len)?;
        let name = try_str!(name, name_len)?;
        let event = resolve(catalogue, source, name)?.event;
        let alias = catalogue
            .aliases_of(event)
            .nth(index)
            .ok_or_else(|| Failure::out_of_range(index))?;
        out.write(plain(catalogue, alias));
        Ok(())
    })
}

/// Renders the catalogue as a `herald-catalogue/1` JSON document and writes
/// it to `*out` as a new buffer (free it with `herald_buffer_free`).
///
/// # Safety
/// `catalogue` is a live catalogue; `out` is valid for writing; `error` is
/// NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_catalogue_to_json(
    catalogue: *const herald_catalogue,
    out: *mut *mut herald_buffer,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let catalogue = try_ref!(call, catalogue)?;
        let out = try_out!(out)?;
        *out = into_buffer(catalogue.to_json());
        Ok(())
    })
}
