//! The replay guard: remembers the ids of verified messages for as long as
//! a replay of them could still pass the timestamp check, and refuses a
//! second delivery of the same id.
//!
//! It is sans-IO and bounded: the caller passes `now`, and the guard never
//! holds more than its capacity. When it is full of live ids it refuses new
//! ones ([`ReplayRejection::Full`]) rather than forget a live id, which
//! would let that message be replayed. It stores a SHA-256 digest of each
//! id, so an entry costs the same whatever the id's length. It never checks
//! signatures: give it only ids that [`verify`](super::verify) vouched for.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::Code;

/// Why the replay guard refused a message id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ReplayRejection {
    /// The id was seen within the window.
    #[error("this message id was already accepted within the replay window")]
    Duplicate,
    /// The guard holds `capacity` ids that are all still live.
    #[error(
        "the replay guard holds {capacity} live ids, its capacity; refusing rather than forgetting one"
    )]
    Full {
        /// The guard's capacity.
        capacity: usize,
    },
}

impl ReplayRejection {
    /// The stable code: [`Code::Duplicate`] or [`Code::ReplayGuardFull`].
    pub fn code(&self) -> Code {
        match self {
            ReplayRejection::Duplicate => Code::Duplicate,
            ReplayRejection::Full { .. } => Code::ReplayGuardFull,
        }
    }
}

type Digested = [u8; 32];

/// Remembers message ids for a window of seconds, up to a capacity.
///
/// An id admitted at `now` with signed timestamp `t` is remembered until
/// `max(now, t) + window`: with `window` equal to the verification
/// tolerance, that is exactly as long as a replay could pass the timestamp
/// check. Schemes without a signed timestamp pass `None`, and the id is
/// remembered for `window` seconds from `now`.
///
/// ```
/// use herald_core::signature::{ReplayGuard, ReplayRejection};
/// let mut guard = ReplayGuard::new(300, 10_000);
/// assert_eq!(guard.admit(b"msg_1", Some(1000), 1000), Ok(()));
/// assert_eq!(guard.admit(b"msg_1", Some(1000), 1200), Err(ReplayRejection::Duplicate));
/// assert_eq!(guard.admit(b"msg_1", Some(1000), 1301), Ok(()), "forgotten after the window");
/// assert_eq!(guard.admit(b"msg_1", Some(1000), 1302).unwrap_err().code().as_str(), "duplicate");
/// ```
#[derive(Debug, Clone)]
pub struct ReplayGuard {
    window: u64,
    capacity: usize,
    /// Each live id's expiry.
    expiry: BTreeMap<Digested, i64>,
    /// The same entries ordered by expiry, to forget the oldest first.
    by_expiry: BTreeSet<(i64, Digested)>,
}

impl ReplayGuard {
    /// A guard that remembers ids for `window` seconds (use the tolerance
    /// messages are verified with) and holds at most `capacity` of them.
    pub fn new(window: u64, capacity: usize) -> ReplayGuard {
        ReplayGuard {
            window,
            capacity,
            expiry: BTreeMap::new(),
            by_expiry: BTreeSet::new(),
        }
    }

    /// Admits the message `id` at `now`, or refuses it as a duplicate or
    /// because the guard is full. `signed_at` is the message's verified
    /// timestamp, if its scheme signs one. A refused id is not recorded.
    pub fn admit(
        &mut self,
        id: &[u8],
        signed_at: Option<i64>,
        now: i64,
    ) -> Result<(), ReplayRejection> {
        self.forget_expired(now);
        let digest: Digested = Sha256::digest(id).into();
        if self.expiry.contains_key(&digest) {
            return Err(ReplayRejection::Duplicate);
        }
        if self.expiry.len() >= self.capacity {
            return Err(ReplayRejection::Full {
                capacity: self.capacity,
            });
        }
        let window = i64::try_from(self.window).unwrap_or(i64::MAX);
        let until = now.max(signed_at.unwrap_or(now)).saturating_add(window);
        self.expiry.insert(digest, until);
        self.by_expiry.insert((until, digest));
        Ok(())
    }

    /// Forgets every id whose window ended before `now`. [`admit`](Self::admit)
    /// does this itself; call it to release memory between messages.
    pub fn forget_expired(&mut self, now: i64) {
        while let Some(&(until, digest)) = self.by_expiry.first() {
            if until >= now {
                break;
            }
            self.by_expiry.pop_first();
            self.expiry.remove(&digest);
        }
    }

    /// How many ids the guard remembers (some may have expired since the
    /// last call that took `now`).
    pub fn len(&self) -> usize {
        self.expiry.len()
    }

    /// Whether the guard remembers no id.
    pub fn is_empty(&self) -> bool {
        self.expiry.is_empty()
    }

    /// The most ids the guard holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long, in seconds, an id is remembered.
    pub fn window(&self) -> u64 {
        self.window
    }
}
