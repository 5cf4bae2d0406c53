//! herald-core: know, check and route the events that payment, identity and
//! wallet platforms send.
//!
//! ```
//! use herald_core::{Catalogue, Topic};
//!
//! let catalogue = Catalogue::builtin();
//! let event = catalogue.get("inplayer-webhooks", "asset.access.granted").unwrap();
//! assert_eq!(event.category, "access");
//! assert!(Topic::parse("asset.access.granted").is_ok());
//! ```
//!
//! Vendor wire formats (InPlayer notifications and webhooks, Orangepill's realm
//! stream and subscription protocol, AccelByte lobby frames) decode into
//! normalised events and encode back in [`wire`].
//!
//! The modules, each using only those before it in its line (the
//! repository's `docs/architecture.md` draws the layering, and a test keeps
//! it):
//!
//! - shared: [`limits`] (bounds on untrusted input), [`topic`] (event names
//!   and their syntax);
//! - events: [`schema`] (the payload type model) ← [`validate`] (compiled
//!   schemas, reports) ← [`catalogue`] (events, lookup, templates, aliases)
//!   ← [`export`] (JSON Schema, AsyncAPI) and [`wire`] (vendor formats and
//!   sessions), all reading JSON with one private byte reader;
//! - routing: [`topic`] ← [`pattern`] ← [`matcher`] ← [`router`] ←
//!   [`endpoints`].
//!
//! Webhook signatures (InPlayer, Orangepill, Standard Webhooks, Stripe-style)
//! are verified and signed in [`signature`], behind the default-on cargo
//! feature `signatures`, which brings in the crypto crates.
//!
//! The crate does no IO: no files, sockets, clocks or threads. Everything it reads
//! arrives as bytes or strings from the caller.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod broker;
pub mod catalogue;
pub mod endpoints;
pub mod export;
mod hashing;
mod index;
mod json;
pub mod limits;
pub mod matcher;
pub mod pattern;
pub mod router;
pub mod schema;
#[cfg(feature = "signatures")]
pub mod signature;
pub mod topic;
pub mod validate;
pub mod wire;

pub use catalogue::{Catalogue, CatalogueError, EventDef, LookupError};
pub use endpoints::EndpointError;
pub use limits::Limits;
pub use matcher::{MatchScratch, MatchStats};
pub use pattern::{Pattern, PatternError};
pub use router::{MatchCache, RouteTable, Router, RouterError, RouterSnapshot};
pub use topic::{SyntaxError, Topic};
pub use validate::{Issue, IssueCode, ValidationReport, Validator};
pub use wire::{WireError, WireErrorKind};

/// The old name of [`LookupError`], from when only validation looked names up.
#[deprecated(note = "renamed to `LookupError`: exporters report the same lookups")]
pub type ValidateError = LookupError;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

/// The design notes' Rust tour, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/design.md")]
pub struct DesignExamples;

/// The examples of `docs/routing.md`, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/routing.md")]
pub struct RoutingGuideExamples;

/// The validation guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/validation.md")]
pub struct ValidationGuideExamples;

/// The signature guide's Rust examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "signatures"))]
#[doc = include_str!("../../../docs/signatures.md")]
pub struct SignatureGuideExamples;

/// The scale-out guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/scale-out.md")]
pub struct ScaleOutGuideExamples;

/// The wire guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/wire.md")]
pub struct WireGuideExamples;
