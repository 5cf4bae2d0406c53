//! herald-core: know, check and route the events that payment, identity and
//! wallet platforms send.
//!
//! ```
//! use herald_core::Topic;
//!
//! let topic = Topic::parse("payment.card.success")?;
//! assert_eq!(topic.segment_count(), 3);
//! # Ok::<(), herald_core::SyntaxError>(())
//! ```
//!
//! The crate does no IO: no files, sockets, clocks or threads. Everything it reads
//! arrives as bytes or strings from the caller.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod endpoints;
pub mod error;
pub mod limits;
pub mod matcher;
pub mod pattern;
pub mod router;
pub mod topic;

pub use error::{EndpointError, PatternError, RouterError, SyntaxError};
pub use limits::Limits;
pub use pattern::Pattern;
pub use router::{Router, RouterSnapshot};
pub use topic::Topic;

/// The examples of `docs/routing.md`, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/routing.md")]
pub struct RoutingGuideExamples;
