//! Documents for other tools, rendered from a catalogue: the JSON Schema
//! (draft 2020-12) of an event's payload or of a named schema, and one
//! AsyncAPI 3.0 document per source.
//!
//! This module owns the translation from herald's schema model into those
//! vocabularies, and nothing else: it reads a [`Catalogue`] without changing
//! it, returns plain `serde_json::Value`s and does no IO. A source, event or
//! schema the catalogue does not hold is a [`LookupError`], as for
//! validation.
//!
//! ```
//! use herald_core::{export, Catalogue};
//!
//! let catalogue = Catalogue::builtin();
//! let schema = export::json_schema(catalogue, "inplayer-webhooks", "asset.access.revoked")?;
//! assert_eq!(schema["$schema"], export::DIALECT);
//! let document = export::asyncapi(catalogue, "accelbyte-wallet")?;
//! assert_eq!(document["asyncapi"], export::ASYNCAPI_VERSION);
//! let error = export::asyncapi(catalogue, "nowhere").unwrap_err();
//! assert_eq!(error.code(), "unknown_source");
//! # Ok::<(), herald_core::LookupError>(())
//! ```
//!
//! [`Catalogue`]: crate::Catalogue
//! [`LookupError`]: crate::LookupError

mod asyncapi;
mod json_schema;

pub use asyncapi::{ASYNCAPI_VERSION, asyncapi};
pub use json_schema::{DIALECT, json_schema, named_json_schema};
