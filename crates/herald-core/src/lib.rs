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
//! The crate does no IO: no files, sockets, clocks or threads. Everything it reads
//! arrives as bytes or strings from the caller.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod broker;
pub mod catalogue;
pub mod endpoints;
pub mod error;
pub mod limits;
pub mod matcher;
pub mod pattern;
pub mod router;
pub mod schema;
pub mod topic;
pub mod validate;
pub mod wire;

pub use catalogue::{Catalogue, EventDef};
pub use error::{
    CatalogueError, EndpointError, PatternError, RouterError, SyntaxError, ValidateError, WireError,
};
pub use limits::Limits;
pub use pattern::Pattern;
pub use router::{Router, RouterSnapshot};
pub use topic::Topic;
pub use validate::{Issue, IssueCode, ValidationReport, Validator};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

/// The examples of `docs/routing.md`, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/routing.md")]
pub struct RoutingGuideExamples;

/// The validation guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/validation.md")]
pub struct ValidationGuideExamples;

/// The scale-out guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/scale-out.md")]
pub struct ScaleOutGuideExamples;

/// The wire guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/wire.md")]
pub struct WireGuideExamples;
