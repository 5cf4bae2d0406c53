//! Scale-out: herald patterns and topics on NATS, MQTT, RabbitMQ and Redis.
//!
//! A [`Planner`] translates a herald [`Pattern`] into a [`Plan`] for one
//! [`Broker`]: the broker subscriptions to make and how exactly they carry
//! herald's meaning ([`Exactness`]), translates a [`Topic`] into the name to
//! publish under, and plans a whole fleet of subscribers ([`FleetPlan`]). This
//! module only computes: it never opens a connection and knows no client
//! library.
//!
//! | herald | NATS | MQTT | AMQP topic exchange | Redis `PSUBSCRIBE` |
//! |---|---|---|---|---|
//! | `a.b` | `a.b` | `a/b` | `a.b` | `a.b` |
//! | `a.*` | `a.*` | `a/+` | `a.*` | `a.*` (superset) |
//! | `a.>` | `a.>` | `a/+/#` | `a.*.#` | `a.*` |
//! | `a.#` | `a` `a.>` (split) | `a/#` | `a.#` | `a` `a.*` (split) |
//! | `#` | `>` | `#` | `#` | `*` |
//! | `a.#.b` | `a.>` (superset) | `a/+/#` (superset) | `a.#.b` | `a.b` `a.*.b` (split) |
//!
//! Exactness is judged over the topics the broker can carry, that is, the
//! topics [`Planner::topic`] accepts.
//!
//! ```
//! use herald_core::broker::{Broker, Exactness, PlanOptions, Planner};
//! use herald_core::{Pattern, Topic};
//!
//! let nats = Planner::new(Broker::Nats, &PlanOptions::default())?;
//! let plan = nats.plan(&Pattern::parse("payment.#")?);
//! assert_eq!(plan.exactness(), Exactness::Split);
//! assert_eq!(plan.subscriptions(), ["payment", "payment.>"]);
//!
//! let mqtt = Planner::new(Broker::Mqtt, &PlanOptions::default())?;
//! assert_eq!(mqtt.topic(&Topic::parse("payment.card.success")?)?, "payment/card/success");
//! assert_eq!(mqtt.topic(&Topic::parse("$SYS.load")?).unwrap_err().code(), "reserved_prefix");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod fleet;
mod form;
mod translate;

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::limits::Limits;
use crate::pattern::Pattern;
use crate::topic::Topic;

pub use fleet::{FleetPlan, SubscriberPlan};

use form::Form;

/// The most subscriptions a depth-bounded expansion may produce for one
/// pattern, whatever the caller asks for.
pub const MAX_EXPANSION: usize = 256;

/// A message broker whose subscription syntax herald translates into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Broker {
    /// NATS subjects: `.`-separated, `*` one token, `>` one or more at the end.
    Nats,
    /// MQTT 3.1.1 and 5 topics: `/`-separated, `+` one level, `#` zero or
    /// more at the end (the parent level included).
    Mqtt,
    /// An AMQP 0-9-1 topic exchange (RabbitMQ): `.`-separated, `*` one word,
    /// `#` zero or more anywhere; keys of at most 255 bytes.
    Amqp,
    /// Redis `PSUBSCRIBE`: a byte glob over the whole channel name.
    Redis,
}

impl Broker {
    /// Every broker, in a stable order.
    pub const ALL: [Broker; 4] = [Broker::Nats, Broker::Mqtt, Broker::Amqp, Broker::Redis];

    /// The broker's id: `nats`, `mqtt`, `amqp` or `redis`.
    pub fn id(self) -> &'static str {
        match self {
            Broker::Nats => "nats",
            Broker::Mqtt => "mqtt",
            Broker::Amqp => "amqp",
            Broker::Redis => "redis",
        }
    }
}

impl fmt::Display for Broker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Broker {
    type Err = BrokerError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Broker::ALL
            .into_iter()
            .find(|broker| broker.id() == name)
            .ok_or_else(|| BrokerError::UnknownBroker { name: name.into() })
    }
}

/// A hosted service's limits on top of its protocol's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// AWS IoT Core's MQTT broker (which carries InPlayer's client
    /// notifications): at most 8 levels, topics and filters of at most 256
    /// bytes, at most 8 filters per `SUBSCRIBE`.
    AwsIot,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 1] = [Profile::AwsIot];

    /// The profile's id: `aws-iot`.
    pub fn id(self) -> &'static str {
        match self {
            Profile::AwsIot => "aws-iot",
        }
    }

    /// The broker the profile applies to.
    pub fn broker(self) -> Broker {
        match self {
            Profile::AwsIot => Broker::Mqtt,
        }
    }

    /// The most levels a topic may have.
    pub fn max_depth(self) -> usize {
        match self {
            Profile::AwsIot => 8,
        }
    }

    /// The longest topic or filter, in bytes.
    pub fn max_topic_bytes(self) -> usize {
        match self {
            Profile::AwsIot => 256,
        }
    }

    /// The most filters one `SUBSCRIBE` packet may carry; also the default
    /// and the ceiling of the expansion cap.
    pub fn max_filters(self) -> usize {
        match self {
            Profile::AwsIot => 8,
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Profile {
    type Err = BrokerError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|profile| profile.id() == name)
            .ok_or_else(|| BrokerError::UnknownProfile { name: name.into() })
    }
}

/// How a [`Planner`] may translate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Expand a `#` that NATS or MQTT cannot express (one in the middle of a
    /// pattern) into one subscription per depth, up to the deepest topic, when
    /// that takes at most this many subscriptions; otherwise the plan is a
    /// superset. `None`: no expansion, except under a profile, which expands
    /// up to its filter limit. `Some(0)` turns expansion off. At most
    /// [`MAX_EXPANSION`].
    pub max_expansion: Option<usize>,
    /// The most segments a published topic has. Topics deeper than this are
    /// refused by [`Planner::topic`], which is what makes an expansion exact.
    /// `None`: the profile's depth, else [`Limits::DEFAULT`]'s `max_segments`.
    pub max_depth: Option<usize>,
    /// A hosted service's extra limits.
    pub profile: Option<Profile>,
}

/// Why a pattern or a topic cannot be carried by a broker.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Refusal {
    /// MQTT: a segment contains `/`, the level separator; MQTT has no escaping.
    #[error("segment {index} contains `/`, MQTT's level separator, and MQTT has no escaping")]
    SeparatorInSegment {
        /// Index of the segment.
        index: usize,
    },
    /// MQTT: a segment contains `+` or `#`, which MQTT reads as wildcards.
    #[error("segment {index} contains {character:?}, an MQTT wildcard, and MQTT has no escaping")]
    WildcardInSegment {
        /// Index of the segment.
        index: usize,
        /// The wildcard character.
        character: char,
    },
    /// MQTT: the topic starts with `$`; brokers reserve such topics and MQTT's
    /// wildcards never match them.
    #[error(
        "the first segment starts with `$`: MQTT brokers reserve such topics and wildcards never match them"
    )]
    ReservedPrefix,
    /// MQTT: a Unicode non-character, which MQTT forbids in topics.
    #[error("segment {index} contains the Unicode non-character {character:?}, which MQTT forbids")]
    NonCharacter {
        /// Index of the segment.
        index: usize,
        /// The character.
        character: char,
    },
    /// The broker's form is longer than the broker accepts.
    #[error("the {what} would be {len} bytes, over the limit of {max}")]
    TooLong {
        /// What is too long, e.g. `AMQP routing key`.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The topic has more segments than the planner's depth.
    #[error("{levels} segments is over the limit of {max}")]
    TooDeep {
        /// The topic's segments.
        levels: usize,
        /// The limit.
        max: usize,
    },
    /// Every topic the pattern matches is one the broker cannot carry.
    #[error("every topic it matches is refused: {because}")]
    NothingToCarry {
        /// Why the topics are refused.
        because: Box<Refusal>,
    },
}

impl Refusal {
    /// A stable code for programs: `separator_in_segment`,
    /// `wildcard_in_segment`, `reserved_prefix`, `non_character`, `too_long`,
    /// `too_deep` or `nothing_to_carry`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::SeparatorInSegment { .. } => "separator_in_segment",
            Refusal::WildcardInSegment { .. } => "wildcard_in_segment",
            Refusal::ReservedPrefix => "reserved_prefix",
            Refusal::NonCharacter { .. } => "non_character",
            Refusal::TooLong { .. } => "too_long",
            Refusal::TooDeep { .. } => "too_deep",
            Refusal::NothingToCarry { .. } => "nothing_to_carry",
        }
    }
}

/// A planner that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BrokerError {
    /// No broker has this id.
    #[error("unknown broker {name:?}: expected nats, mqtt, amqp or redis")]
    UnknownBroker {
        /// The name given.
        name: String,
    },
    /// No profile has this id.
    #[error("unknown profile {name:?}: expected aws-iot")]
    UnknownProfile {
        /// The name given.
        name: String,
    },
    /// The profile is for another broker.
    #[error("the {profile} profile is for {expected}, not {broker}")]
    ProfileBroker {
        /// The profile.
        profile: Profile,
        /// The broker it applies to.
        expected: Broker,
        /// The broker asked for.
        broker: Broker,
    },
    /// The expansion cap is over [`MAX_EXPANSION`] (or the profile's filter limit).
    #[error("an expansion of {requested} subscriptions is over the limit of {max}")]
    ExpansionTooLarge {
        /// The cap asked for.
        requested: usize,
        /// The limit.
        max: usize,
    },
    /// The depth is 0.
    #[error("the depth must be at least 1 segment")]
    ZeroDepth,
    /// The depth is over the profile's.
    #[error("a depth of {requested} is over the {profile} profile's limit of {max}")]
    DepthOverProfile {
        /// The depth asked for.
        requested: usize,
        /// The profile.
        profile: Profile,
        /// Its limit.
        max: usize,
    },
}

impl BrokerError {
    /// A stable code for programs: `unknown_broker`, `unknown_profile`,
    /// `profile_broker`, `expansion_too_large`, `zero_depth` or
    /// `depth_over_profile`.
    pub fn code(&self) -> &'static str {
        match self {
            BrokerError::UnknownBroker { .. } => "unknown_broker",
            BrokerError::UnknownProfile { .. } => "unknown_profile",
            BrokerError::ProfileBroker { .. } => "profile_broker",
            BrokerError::ExpansionTooLarge { .. } => "expansion_too_large",
            BrokerError::ZeroDepth => "zero_depth",
            BrokerError::DepthOverProfile { .. } => "depth_over_profile",
        }
    }
}

/// How exactly a plan's subscriptions carry a pattern's meaning, from the
/// best to the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exactness {
    /// One subscription that receives exactly the topics the pattern matches.
    Exact,
    /// Several subscriptions that never match the same topic and together
    /// receive exactly the topics the pattern matches: each message once.
    Split,
    /// Several subscriptions that together receive exactly the topics the
    /// pattern matches, but a message can arrive once per matching
    /// subscription: the receiver deduplicates by message id.
    Overlapping,
    /// The subscriptions receive more than the pattern matches: the receiver
    /// re-checks each topic with herald (a [`Router`](crate::Router) holding the
    /// pattern), and deduplicates too when [`Plan::may_duplicate`] says so.
    Superset,
    /// The broker cannot carry the pattern; [`Plan::refusal`] says why.
    Untranslatable,
}

impl Exactness {
    /// The name: `exact`, `split`, `overlapping`, `superset` or `untranslatable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Exactness::Exact => "exact",
            Exactness::Split => "split",
            Exactness::Overlapping => "overlapping",
            Exactness::Superset => "superset",
            Exactness::Untranslatable => "untranslatable",
        }
    }
}

impl fmt::Display for Exactness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The broker subscriptions for one pattern, and what a receiver must do with
/// what they deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    broker: Broker,
    exactness: Exactness,
    subscriptions: Vec<String>,
    /// What each subscription matches, index for index.
    forms: Vec<Form>,
    may_duplicate: bool,
    refusal: Option<Refusal>,
}

impl Plan {
    /// The broker the plan is for.
    pub fn broker(&self) -> Broker {
        self.broker
    }

    /// How exactly the subscriptions carry the pattern.
    pub fn exactness(&self) -> Exactness {
        self.exactness
    }

    /// The subscriptions to make, in the broker's syntax: NATS subjects, MQTT
    /// topic filters, AMQP binding keys or Redis glob patterns. Empty when
    /// untranslatable.
    pub fn subscriptions(&self) -> &[String] {
        &self.subscriptions
    }

    /// Why the broker cannot carry the pattern, when it cannot.
    pub fn refusal(&self) -> Option<&Refusal> {
        self.refusal.as_ref()
    }

    /// Whether the receiver must re-check each topic with herald.
    pub fn needs_filter(&self) -> bool {
        self.exactness == Exactness::Superset
    }

    /// Whether one message can arrive more than once (through several
    /// matching subscriptions), so the receiver must deduplicate.
    pub fn may_duplicate(&self) -> bool {
        self.may_duplicate
    }
}

/// Translates patterns and topics for one broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planner {
    broker: Broker,
    profile: Option<Profile>,
    max_depth: usize,
    max_expansion: usize,
}

impl Planner {
    /// A planner for `broker` with `options`.
    ///
    /// Fails when the profile is for another broker, the expansion cap is
    /// over [`MAX_EXPANSION`] (or the profile's filter limit), or the depth
    /// is 0 (or over the profile's).
    pub fn new(broker: Broker, options: &PlanOptions) -> Result<Planner, BrokerError> {
        let profile = options.profile;
        if let Some(profile) = profile
            && profile.broker() != broker
        {
            return Err(BrokerError::ProfileBroker {
                profile,
                expected: profile.broker(),
                broker,
            });
        }
        let max_depth = options
            .max_depth
            .unwrap_or(profile.map_or(Limits::DEFAULT.max_segments, Profile::max_depth));
        if max_depth == 0 {
            return Err(BrokerError::ZeroDepth);
        }
        if let Some(profile) = profile.filter(|profile| max_depth > profile.max_depth()) {
            return Err(BrokerError::DepthOverProfile {
                requested: max_depth,
                profile,
                max: profile.max_depth(),
            });
        }
        let expansion_ceiling = profile.map_or(MAX_EXPANSION, Profile::max_filters);
        let max_expansion = options
            .max_expansion
            .unwrap_or(profile.map_or(0, Profile::max_filters));
        if max_expansion > expansion_ceiling {
            return Err(BrokerError::ExpansionTooLarge {
                requested: max_expansion,
                max: expansion_ceiling,
            });
        }
        Ok(Planner {
            broker,
            profile,
            max_depth,
            max_expansion,
        })
    }

    /// The broker.
    pub fn broker(&self) -> Broker {
        self.broker
    }

    /// The profile, if any.
    pub fn profile(&self) -> Option<Profile> {
        self.profile
    }

    /// The most segments a topic may have.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The most subscriptions an expansion may produce (0: never expands).
    pub fn max_expansion(&self) -> usize {
        self.max_expansion
    }

    /// The plan for one pattern.
    ///
    /// ```
    /// use herald_core::broker::{Broker, Exactness, PlanOptions, Planner, Profile};
    /// use herald_core::Pattern;
    ///
    /// let pattern = Pattern::parse("#.failed")?;
    /// let mqtt = Planner::new(Broker::Mqtt, &PlanOptions::default())?;
    /// assert_eq!(mqtt.plan(&pattern).exactness(), Exactness::Superset);
    ///
    /// // AWS IoT topics have at most 8 levels: one filter per depth is exact.
    /// let options = PlanOptions { profile: Some(Profile::AwsIot), ..PlanOptions::default() };
    /// let aws = Planner::new(Broker::Mqtt, &options)?;
    /// let plan = aws.plan(&pattern);
    /// assert_eq!(plan.exactness(), Exactness::Split);
    /// assert_eq!(plan.subscriptions()[..3], ["failed", "+/failed", "+/+/failed"]);
    /// assert_eq!(plan.subscriptions().len(), 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn plan(&self, pattern: &Pattern) -> Plan {
        let wanted = Form::of_pattern(pattern);
        match translate::subscription_forms(self, &wanted) {
            Ok(forms) => self.plan_of(&[wanted], forms),
            Err(refusal) => self.untranslatable(refusal),
        }
    }

    /// The name to publish `topic` under: the NATS subject, MQTT topic, AMQP
    /// routing key or Redis channel.
    pub fn topic(&self, topic: &Topic<'_>) -> Result<String, Refusal> {
        translate::topic(self, topic)
    }

    /// The plan for a set of (pattern, subscriber) pairs: per subscriber, the
    /// union of its patterns' subscriptions with duplicates and covered ones
    /// merged, and what its receiver must do.
    ///
    /// ```
    /// use herald_core::broker::{Broker, Exactness, PlanOptions, Planner};
    /// use herald_core::Pattern;
    ///
    /// let nats = Planner::new(Broker::Nats, &PlanOptions::default())?;
    /// let patterns = [Pattern::parse("a.>")?, Pattern::parse("a.b.*")?, Pattern::parse("c")?];
    /// let fleet = nats.fleet([(&patterns[0], 1), (&patterns[1], 1), (&patterns[2], 2)]);
    /// assert_eq!(fleet.subscribers()[0].subscriptions(), ["a.>"]);
    /// assert_eq!(fleet.subscribers()[1].exactness(), Exactness::Exact);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fleet<'p>(&self, pairs: impl IntoIterator<Item = (&'p Pattern, u64)>) -> FleetPlan {
        fleet::plan(self, pairs)
    }

    fn untranslatable(&self, refusal: Refusal) -> Plan {
        Plan {
            broker: self.broker,
            exactness: Exactness::Untranslatable,
            subscriptions: Vec::new(),
            forms: Vec::new(),
            may_duplicate: false,
            refusal: Some(refusal),
        }
    }

    /// Merges `forms` (dropping repeats and forms another one covers),
    /// renders them and judges the result against the union of `wanted`:
    /// a form that no wanted form contains makes the plan a superset.
    fn plan_of(&self, wanted: &[Form], forms: Vec<Form>) -> Plan {
        let forms = merge(forms);
        let mut subscriptions = Vec::with_capacity(forms.len());
        for form in &forms {
            match translate::render(self, form) {
                Ok(text) => subscriptions.push(text),
                Err(refusal) => return self.untranslatable(refusal),
            }
        }
        let wider = forms
            .iter()
            .any(|form| !wanted.iter().any(|inner| inner.contains(form)));
        let disjoint = forms.iter().enumerate().all(|(index, form)| {
            forms[index + 1..]
                .iter()
                .all(|other| !form.may_overlap(other))
        });
        let exactness = if wider {
            Exactness::Superset
        } else if forms.len() == 1 {
            Exactness::Exact
        } else if disjoint {
            Exactness::Split
        } else {
            Exactness::Overlapping
        };
        Plan {
            broker: self.broker,
            exactness,
            subscriptions,
            may_duplicate: !disjoint,
            forms,
            refusal: None,
        }
    }
}

/// Drops repeated forms and forms another one covers, keeping the order of
/// first appearance.
fn merge(forms: Vec<Form>) -> Vec<Form> {
    let mut unique: Vec<Form> = Vec::with_capacity(forms.len());
    for form in forms {
        if !unique.contains(&form) {
            unique.push(form);
        }
    }
    // Over non-empty topics two different forms can mean the same (`#` and
    // `>`): of forms that cover each other the first one stays.
    let keep: Vec<bool> = unique
        .iter()
        .enumerate()
        .map(|(index, form)| {
            !unique.iter().enumerate().any(|(other_index, other)| {
                other_index != index
                    && other.contains(form)
                    && (other_index < index || !form.contains(other))
            })
        })
        .collect();
    unique
        .into_iter()
        .zip(keep)
        .filter_map(|(form, keep)| keep.then_some(form))
        .collect()
}
