//! Webhook endpoint sets: which URLs receive which events, under a cap.
//!
//! InPlayer lets a merchant create any number of webhooks, each with a URL and
//! the event types it wants, but "you cannot send webhooks to more than 10 URLs
//! at the same time". [`EndpointSet`] is that bookkeeping: it holds the
//! webhooks, refuses any add or enable that would make more distinct URLs
//! receive than its cap (changing nothing), and answers which URLs an event
//! goes to, each URL once. It never sends anything: no IO, no clock, no retry
//! policy — the embedding server does the delivery.
//!
//! ```
//! use herald_core::endpoints::{EndpointSet, Webhook};
//!
//! let mut set = EndpointSet::new();
//! set.add(Webhook::new(1, "https://shop.example/hooks", &["payment.#"])?)?;
//! set.add(Webhook::new(2, "https://shop.example/hooks", &["payment.card.success"])?)?;
//! set.add(Webhook::new(3, "https://crm.example/in", &["customer.*"])?)?;
//!
//! let deliveries = set.deliveries("payment.card.success")?;
//! assert_eq!(deliveries.len(), 1);
//! assert_eq!(deliveries[0].url, "https://shop.example/hooks");
//! assert_eq!(deliveries[0].webhooks, [1, 2]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use crate::limits::Limits;
use crate::pattern::{Pattern, PatternError};
use crate::router::{Router, RouterError};
use crate::topic::SyntaxError;

/// InPlayer's cap on distinct URLs receiving webhooks at the same time.
pub const DEFAULT_MAX_URLS: usize = 10;

/// One webhook: where to send, what to send, and whether it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Identifies the webhook within its set.
    pub id: u64,
    /// Where deliveries go. Several webhooks may share a URL.
    pub url: String,
    /// Selected event types: exact names (patterns without wildcards) or patterns.
    pub events: Vec<Pattern>,
    /// Only enabled webhooks receive, and only their URLs count towards the cap.
    pub enabled: bool,
}

impl Webhook {
    /// An enabled webhook; each entry of `events` is an exact event name or a pattern.
    ///
    /// ```
    /// use herald_core::endpoints::Webhook;
    /// let hook = Webhook::new(1, "https://a.example", &["subscribe.#", "customer.registered"])?;
    /// assert!(hook.enabled);
    /// assert_eq!(Webhook::new(2, "https://a.example", &["pay*"]).unwrap_err().code(),
    ///            "wildcard_inside_segment");
    /// # Ok::<(), herald_core::PatternError>(())
    /// ```
    pub fn new(id: u64, url: impl Into<String>, events: &[&str]) -> Result<Webhook, PatternError> {
        Ok(Webhook {
            id,
            url: url.into(),
            events: events
                .iter()
                .map(|event| Pattern::parse(event))
                .collect::<Result<_, _>>()?,
            enabled: true,
        })
    }
}

/// One URL an event must be delivered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery<'a> {
    /// The receiving URL.
    pub url: &'a str,
    /// The enabled webhooks with this URL that selected the event, ascending.
    pub webhooks: Vec<u64>,
}

/// Webhooks with a cap on distinct receiving URLs.
///
/// Every refused operation returns an [`EndpointError`] and leaves the set as
/// it was.
#[derive(Debug, Clone)]
pub struct EndpointSet {
    webhooks: BTreeMap<u64, Webhook>,
    /// Receiving URL → how many enabled webhooks use it.
    receiving: BTreeMap<String, usize>,
    /// Event patterns → webhook ids, enabled or not; [`deliveries`](Self::deliveries)
    /// filters, so enabling never touches the router and cannot fail there.
    router: Router,
    max_urls: usize,
}

impl Default for EndpointSet {
    fn default() -> Self {
        EndpointSet::new()
    }
}

impl EndpointSet {
    /// An empty set with InPlayer's cap of [`DEFAULT_MAX_URLS`].
    pub fn new() -> Self {
        EndpointSet::with_max_urls(DEFAULT_MAX_URLS)
    }

    /// An empty set that lets at most `max_urls` distinct URLs receive at once.
    ///
    /// ```
    /// use herald_core::endpoints::{EndpointSet, Webhook};
    /// let mut set = EndpointSet::with_max_urls(1);
    /// set.add(Webhook::new(1, "https://a.example", &["#"])?)?;
    /// let error = set.add(Webhook::new(2, "https://b.example", &["#"])?).unwrap_err();
    /// assert_eq!(error.code(), "too_many_urls");
    /// assert_eq!(set.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_max_urls(max_urls: usize) -> Self {
        EndpointSet::with_limits(max_urls, Limits::default())
    }

    /// An empty set with a URL cap and the [`Limits`] its event names and
    /// event patterns are held to.
    ///
    /// ```
    /// use herald_core::endpoints::{EndpointSet, Webhook};
    /// use herald_core::Limits;
    /// let limits = Limits { max_patterns: 1, ..Limits::default() };
    /// let mut set = EndpointSet::with_limits(10, limits);
    /// let error = set.add(Webhook::new(1, "https://a.example", &["a", "b"])?).unwrap_err();
    /// assert_eq!(error.code(), "too_many_patterns");
    /// assert!(set.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_limits(max_urls: usize, limits: Limits) -> Self {
        EndpointSet {
            webhooks: BTreeMap::new(),
            receiving: BTreeMap::new(),
            router: Router::with_limits(limits),
            max_urls,
        }
    }

    /// The cap on distinct receiving URLs.
    pub fn max_urls(&self) -> usize {
        self.max_urls
    }

    /// Adds a webhook. Refused if the id is taken, the URL is invalid, or the
    /// webhook is enabled and its URL would be one receiving URL too many.
    pub fn add(&mut self, webhook: Webhook) -> Result<(), EndpointError> {
        let id = webhook.id;
        if self.webhooks.contains_key(&id) {
            return Err(EndpointError::DuplicateWebhook { id });
        }
        check_url(&webhook)?;
        if webhook.enabled {
            self.check_room_for(&webhook)?;
        }
        self.subscribe_all(&webhook)?;
        if webhook.enabled {
            *self.receiving.entry(webhook.url.clone()).or_default() += 1;
        }
        self.webhooks.insert(id, webhook);
        Ok(())
    }

    /// Removes a webhook and returns it.
    ///
    /// ```
    /// use herald_core::endpoints::{EndpointSet, Webhook};
    /// let mut set = EndpointSet::new();
    /// set.add(Webhook::new(1, "https://a.example", &["#"])?)?;
    /// assert_eq!(set.remove(1)?.url, "https://a.example");
    /// assert_eq!(set.receiving_urls().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(&mut self, id: u64) -> Result<Webhook, EndpointError> {
        let webhook = self
            .webhooks
            .remove(&id)
            .ok_or(EndpointError::UnknownWebhook { id })?;
        for pattern in &webhook.events {
            self.router.unsubscribe(pattern, id);
        }
        if webhook.enabled {
            self.release_url(&webhook.url);
        }
        Ok(webhook)
    }

    /// Enables a webhook; `Ok(true)` if it was disabled. Refused, changing
    /// nothing, if its URL would be one receiving URL too many.
    ///
    /// ```
    /// use herald_core::endpoints::{EndpointSet, Webhook};
    /// let mut set = EndpointSet::with_max_urls(1);
    /// set.add(Webhook::new(1, "https://a.example", &["#"])?)?;
    /// let mut second = Webhook::new(2, "https://b.example", &["#"])?;
    /// second.enabled = false;
    /// set.add(second)?;
    /// assert_eq!(set.enable(2).unwrap_err().code(), "too_many_urls");
    /// set.disable(1)?;
    /// assert!(set.enable(2)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enable(&mut self, id: u64) -> Result<bool, EndpointError> {
        let webhook = self
            .webhooks
            .get(&id)
            .ok_or(EndpointError::UnknownWebhook { id })?;
        if webhook.enabled {
            return Ok(false);
        }
        self.check_room_for(webhook)?;
        *self.receiving.entry(webhook.url.clone()).or_default() += 1;
        if let Some(webhook) = self.webhooks.get_mut(&id) {
            webhook.enabled = true;
        }
        Ok(true)
    }

    /// Disables a webhook; `Ok(true)` if it was enabled.
    pub fn disable(&mut self, id: u64) -> Result<bool, EndpointError> {
        let webhook = self
            .webhooks
            .get_mut(&id)
            .ok_or(EndpointError::UnknownWebhook { id })?;
        if !webhook.enabled {
            return Ok(false);
        }
        webhook.enabled = false;
        let url = webhook.url.clone();
        self.release_url(&url);
        Ok(true)
    }

    /// The webhook with this id.
    pub fn get(&self, id: u64) -> Option<&Webhook> {
        self.webhooks.get(&id)
    }

    /// All webhooks, by ascending id.
    pub fn webhooks(&self) -> impl Iterator<Item = &Webhook> {
        self.webhooks.values()
    }

    /// How many webhooks the set holds, enabled or not.
    pub fn len(&self) -> usize {
        self.webhooks.len()
    }

    /// Whether the set holds no webhooks.
    pub fn is_empty(&self) -> bool {
        self.webhooks.is_empty()
    }

    /// The distinct URLs of enabled webhooks, sorted; never more than
    /// [`max_urls`](Self::max_urls).
    pub fn receiving_urls(&self) -> impl Iterator<Item = &str> {
        self.receiving.keys().map(String::as_str)
    }

    /// The URLs that `event_name` must be delivered to: one [`Delivery`] per
    /// URL, sorted by URL, listing the enabled webhooks that selected the event.
    ///
    /// An invalid event name is an error, never an empty list.
    pub fn deliveries(&self, event_name: &str) -> Result<Vec<Delivery<'_>>, EndpointError> {
        let mut ids = Vec::new();
        self.router
            .match_into(event_name, &mut ids)
            .map_err(|error| match error {
                RouterError::Topic(error) => EndpointError::EventName(error),
                // Matching fails only on the topic; keep any future cause visible.
                other => EndpointError::Router {
                    id: 0,
                    source: other,
                },
            })?;
        let mut by_url: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for webhook in ids.iter().filter_map(|id| self.webhooks.get(id)) {
            if webhook.enabled {
                by_url.entry(&webhook.url).or_default().push(webhook.id);
            }
        }
        Ok(by_url
            .into_iter()
            .map(|(url, webhooks)| Delivery { url, webhooks })
            .collect())
    }

    fn check_room_for(&self, webhook: &Webhook) -> Result<(), EndpointError> {
        if self.receiving.contains_key(&webhook.url) || self.receiving.len() < self.max_urls {
            return Ok(());
        }
        Err(EndpointError::TooManyUrls {
            id: webhook.id,
            url: webhook.url.clone(),
            max: self.max_urls,
        })
    }

    /// Subscribes every event pattern of `webhook`, or none of them.
    fn subscribe_all(&mut self, webhook: &Webhook) -> Result<(), EndpointError> {
        for (done, pattern) in webhook.events.iter().enumerate() {
            if let Err(source) = self.router.subscribe(pattern, webhook.id) {
                // The id was unused, so every pattern before this one was new.
                for undo in &webhook.events[..done] {
                    self.router.unsubscribe(undo, webhook.id);
                }
                return Err(EndpointError::Router {
                    id: webhook.id,
                    source,
                });
            }
        }
        Ok(())
    }

    fn release_url(&mut self, url: &str) {
        if let Some(count) = self.receiving.get_mut(url) {
            *count -= 1;
            if *count == 0 {
                self.receiving.remove(url);
            }
        }
    }
}

fn check_url(webhook: &Webhook) -> Result<(), EndpointError> {
    let url = &webhook.url;
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EndpointError::InvalidUrl {
            id: webhook.id,
            url: url.clone(),
        });
    }
    Ok(())
}

/// A webhook endpoint set refused an operation; the set is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// A webhook with this id is already in the set.
    #[error("webhook {id} already exists")]
    DuplicateWebhook {
        /// The webhook id.
        id: u64,
    },
    /// No webhook has this id.
    #[error("no webhook has id {id}")]
    UnknownWebhook {
        /// The webhook id.
        id: u64,
    },
    /// The URL is empty or holds whitespace or a control character.
    #[error(
        "webhook {id} has an invalid URL {url:?}: it must be non-empty, without whitespace or control characters"
    )]
    InvalidUrl {
        /// The webhook id.
        id: u64,
        /// The URL as given.
        url: String,
    },
    /// Enabling the webhook would make more distinct URLs receive at the same time
    /// than the set allows.
    #[error(
        "webhook {id} would add {url:?} as receiving URL number {}: at most {max} distinct URLs may receive at the same time",
        max + 1
    )]
    TooManyUrls {
        /// The webhook that was being added or enabled.
        id: u64,
        /// Its URL, which is not yet receiving.
        url: String,
        /// The cap on distinct receiving URLs.
        max: usize,
    },
    /// The event name given to [`EndpointSet::deliveries`](crate::endpoints::EndpointSet::deliveries)
    /// is not a valid topic.
    #[error("invalid event name: {0}")]
    EventName(SyntaxError),
    /// The set's router refused a webhook's event pattern.
    #[error("webhook {id}: {source}")]
    Router {
        /// The webhook id.
        id: u64,
        /// Why the router refused.
        source: RouterError,
    },
}

impl EndpointError {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// use herald_core::endpoints::EndpointSet;
    /// let mut set = EndpointSet::new();
    /// assert_eq!(set.enable(7).unwrap_err().code(), "unknown_webhook");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            EndpointError::DuplicateWebhook { .. } => "duplicate_webhook",
            EndpointError::UnknownWebhook { .. } => "unknown_webhook",
            EndpointError::InvalidUrl { .. } => "invalid_url",
            EndpointError::TooManyUrls { .. } => "too_many_urls",
            EndpointError::EventName(error) => error.code(),
            EndpointError::Router { source, .. } => source.code(),
        }
    }
}
