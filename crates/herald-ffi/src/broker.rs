//! Scale-out from C: broker plans for herald patterns, the names herald
//! topics are published under, and fleet plans.
//!
//! This module converts arguments and results; every translation and every
//! verdict lives in `herald_core::broker`. It opens no connection and knows
//! no client library.

use std::os::raw::c_char;

use herald_core::broker::{
    Broker, Exactness, FleetPlan, Plan, PlanOptions, Planner, Profile, SubscriberPlan,
};
use herald_core::{Pattern, Topic};

use crate::boundary::{
    Extensible, Failure, free, get_or, guard, try_mut, try_opt_ref, try_out, try_ref,
    try_sized_out, try_str, write_optional,
};
use crate::error::herald_error;
use crate::handle::{self, Castable, Opaque, Owned};
use crate::output::{herald_buffer, herald_list, into_buffer, into_list};
use crate::status::herald_status;
use crate::text::herald_str;
use crate::topic::{parse_pattern, topic_failure};

/// A message broker, passed from C as an `int32_t` and checked.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_broker {
    /// NATS subjects: `.`-separated, `*` one token, `>` one or more at the end.
    Nats = 0,
    /// MQTT 3.1.1 and 5 topic filters: `/`-separated, `+` one level, `#` zero
    /// or more at the end.
    Mqtt = 1,
    /// An AMQP 0-9-1 topic exchange (RabbitMQ): `*` one word, `#` zero or more.
    Amqp = 2,
    /// Redis `PSUBSCRIBE` byte globs.
    Redis = 3,
}

impl TryFrom<i32> for herald_broker {
    /// The value that is not a broker.
    type Error = i32;

    fn try_from(value: i32) -> Result<Self, i32> {
        match value {
            0 => Ok(herald_broker::Nats),
            1 => Ok(herald_broker::Mqtt),
            2 => Ok(herald_broker::Amqp),
            3 => Ok(herald_broker::Redis),
            other => Err(other),
        }
    }
}

impl From<herald_broker> for Broker {
    fn from(broker: herald_broker) -> Broker {
        match broker {
            herald_broker::Nats => Broker::Nats,
            herald_broker::Mqtt => Broker::Mqtt,
            herald_broker::Amqp => Broker::Amqp,
            herald_broker::Redis => Broker::Redis,
        }
    }
}

impl From<Broker> for herald_broker {
    fn from(broker: Broker) -> herald_broker {
        match broker {
            Broker::Nats => herald_broker::Nats,
            Broker::Mqtt => herald_broker::Mqtt,
            Broker::Amqp => herald_broker::Amqp,
            Broker::Redis => herald_broker::Redis,
        }
    }
}

/// A hosted service's limits on top of its protocol's, passed from C as an
/// `int32_t` and checked.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_broker_profile {
    /// No profile: the protocol's own limits.
    None = 0,
    /// AWS IoT Core's MQTT broker: at most 8 levels, topics of at most 256
    /// bytes, at most 8 filters per `SUBSCRIBE`.
    AwsIot = 1,
}

impl TryFrom<i32> for herald_broker_profile {
    /// The value that is not a profile.
    type Error = i32;

    fn try_from(value: i32) -> Result<Self, i32> {
        match value {
            0 => Ok(herald_broker_profile::None),
            1 => Ok(herald_broker_profile::AwsIot),
            other => Err(other),
        }
    }
}

fn profile_to_c(profile: Option<Profile>) -> herald_broker_profile {
    match profile {
        None => herald_broker_profile::None,
        Some(Profile::AwsIot) => herald_broker_profile::AwsIot,
    }
}

/// How exactly a plan's subscriptions carry a pattern, from the best to the
/// worst; returned to C as an `int32_t`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum herald_exactness {
    /// One subscription that receives exactly the matching topics.
    Exact = 0,
    /// Several subscriptions that never match the same topic: each message once.
    Split = 1,
    /// Several subscriptions whose union is exact, but a message can arrive
    /// once per matching subscription: deduplicate by message id.
    Overlapping = 2,
    /// The subscriptions receive more than the pattern matches: re-check each
    /// topic with herald (and deduplicate when the plan may duplicate).
    Superset = 3,
    /// The broker cannot carry the pattern; the refusal says why.
    Untranslatable = 4,
}

fn exactness_to_c(exactness: Exactness) -> herald_exactness {
    match exactness {
        Exactness::Exact => herald_exactness::Exact,
        Exactness::Split => herald_exactness::Split,
        Exactness::Overlapping => herald_exactness::Overlapping,
        Exactness::Superset => herald_exactness::Superset,
        Exactness::Untranslatable => herald_exactness::Untranslatable,
    }
}

/// How a planner may translate: an opaque object with setters, so new
/// options never change a layout. `herald_plan_options_new` starts with
/// nothing set (the defaults); pass it to `herald_broker_planner_new`.
///
/// Thread safety: one thread at a time while setting; then any number of
/// calls may read it.
#[derive(Debug)]
pub struct herald_plan_options {
    _opaque: Opaque,
}

impl Castable for herald_plan_options {
    type Ownership = Owned;
    type Value = PlanOptions;
}

/// Creates an options object with nothing set. Free it with
/// `herald_plan_options_free`. Returns NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_plan_options_new() -> *mut herald_plan_options {
    handle::create_owned(PlanOptions::default)
}

/// Frees an options object. NULL is a no-op.
///
/// # Safety
/// `options` is NULL or came from `herald_plan_options_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_plan_options_free(options: *mut herald_plan_options) {
    free!(options)
}

/// Allows a `#` that NATS or MQTT cannot express (one in the middle of a
/// pattern) to be expanded into one subscription per depth when that takes
/// at most `value` subscriptions (otherwise the plan is a superset). 0 turns
/// expansion off. Unset: no expansion, except under a profile, which expands
/// up to its filter limit. The planner refuses more than
/// `HERALD_BROKER_MAX_EXPANSION` (or the profile's filter limit).
/// `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_plan_options_set_max_expansion(
    options: *mut herald_plan_options,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, options)?.max_expansion = Some(value);
        Ok(())
    })
}

/// Sets the most segments a published topic has; deeper topics are refused
/// by `herald_broker_planner_topic`, which is what makes an expansion exact.
/// Unset: the profile's depth, else 128. The planner refuses 0 (and more
/// than the profile's depth). `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_plan_options_set_max_depth(
    options: *mut herald_plan_options,
    value: usize,
) -> herald_status {
    guard!(|call| {
        try_mut!(call, options)?.max_depth = Some(value);
        Ok(())
    })
}

/// Sets the hosted-service profile (a `herald_broker_profile`;
/// `HERALD_BROKER_PROFILE_NONE` clears it). `HERALD_STATUS_INVALID_ARGUMENT`
/// for a value that is not a profile, `HERALD_STATUS_NULL_ARGUMENT` for NULL.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_plan_options_set_profile(
    options: *mut herald_plan_options,
    profile: i32,
) -> herald_status {
    guard!(|call| {
        let options = try_mut!(call, options)?;
        options.profile = match herald_broker_profile::try_from(profile) {
            Ok(herald_broker_profile::None) => None,
            Ok(herald_broker_profile::AwsIot) => Some(Profile::AwsIot),
            Err(other) => {
                return Err(Failure::invalid_argument(format!(
                    "{other} is not a herald_broker_profile"
                )));
            }
        };
        Ok(())
    })
}

/// Translates herald patterns and topics for one broker.
///
/// Thread safety: immutable; any number of threads may plan with it at once.
#[derive(Debug)]
pub struct herald_broker_planner {
    _opaque: Opaque,
}

impl Castable for herald_broker_planner {
    type Ownership = Owned;
    type Value = Planner;
}

/// The most subscriptions a depth-bounded expansion may produce for one
/// pattern, whatever the options ask for (`herald_core::broker::MAX_EXPANSION`;
/// a test keeps them equal).
pub const HERALD_BROKER_MAX_EXPANSION: usize = 256;

/// Creates a planner for `broker` (a `herald_broker`) with `options` (NULL:
/// the defaults) and writes it to `*out` (free it with
/// `herald_broker_planner_free`). `HERALD_STATUS_INVALID_ARGUMENT` for a
/// value that is not a broker; `HERALD_STATUS_INVALID_PLAN_OPTIONS` when the
/// options cannot be used (code `profile_broker`, `expansion_too_large`,
/// `zero_depth` or `depth_over_profile`).
///
/// # Safety
/// `options` is NULL or a live options object not being changed; `out` is
/// valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_new(
    broker: i32,
    options: *const herald_plan_options,
    out: *mut *mut herald_broker_planner,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let options = try_opt_ref!(call, options)?;
        let out = try_out!(out)?;
        let broker = herald_broker::try_from(broker).map_err(|other| {
            Failure::invalid_argument(format!(
                "{other} is not a herald_broker (HERALD_BROKER_NATS to HERALD_BROKER_REDIS)"
            ))
        })?;
        let planner = Planner::new(broker.into(), &options.copied().unwrap_or_default()).map_err(
            |refused| {
                Failure::new(
                    herald_status::InvalidPlanOptions,
                    refused.code(),
                    refused.to_string(),
                )
            },
        )?;
        *out = handle::into_owned(planner);
        Ok(())
    })
}

/// Frees a planner. NULL is a no-op.
///
/// # Safety
/// `planner` is NULL or came from `herald_broker_planner_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_free(planner: *mut herald_broker_planner) {
    free!(planner)
}

/// The planner's broker (a `herald_broker`), or -1 for NULL.
///
/// # Safety
/// `planner` is NULL or a live planner.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_broker(
    planner: *const herald_broker_planner,
) -> i32 {
    get_or!(planner, -1, |planner| herald_broker::from(planner.broker())
        as i32)
}

/// The planner's profile (a `herald_broker_profile`), or -1 for NULL.
///
/// # Safety
/// `planner` is NULL or a live planner.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_profile(
    planner: *const herald_broker_planner,
) -> i32 {
    get_or!(planner, -1, |planner| profile_to_c(planner.profile())
        as i32)
}

/// The most segments a topic may have (0 for NULL).
///
/// # Safety
/// `planner` is NULL or a live planner.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_max_depth(
    planner: *const herald_broker_planner,
) -> usize {
    get_or!(planner, 0, |planner| planner.max_depth())
}

/// The most subscriptions an expansion may produce (0: never expands; 0 for NULL).
///
/// # Safety
/// `planner` is NULL or a live planner.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_max_expansion(
    planner: *const herald_broker_planner,
) -> usize {
    get_or!(planner, 0, |planner| planner.max_expansion())
}

/// One pattern's plan: the broker subscriptions to make and what a receiver
/// must do with what they deliver.
///
/// Thread safety: immutable; any number of threads may read it.
#[derive(Debug)]
pub struct herald_broker_plan {
    _opaque: Opaque,
}

/// A plan and the text its refusal views borrow.
#[derive(Debug)]
pub(crate) struct PlanRecord {
    plan: Plan,
    reason: String,
}

impl Castable for herald_broker_plan {
    type Ownership = Owned;
    type Value = PlanRecord;
}

/// Plans `pattern` (`pattern_len` bytes of UTF-8) and writes the plan to
/// `*out` (free it with `herald_broker_plan_free`). A pattern the broker
/// cannot carry is not a failure: its plan is `HERALD_EXACTNESS_UNTRANSLATABLE`
/// with the refusal's code and reason. `HERALD_STATUS_INVALID_PATTERN` for a
/// pattern that breaks herald's syntax.
///
/// # Safety
/// `planner` is a live planner; `pattern` is valid for reading `pattern_len`
/// bytes; `out` is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_plan(
    planner: *const herald_broker_planner,
    pattern: *const c_char,
    pattern_len: usize,
    out: *mut *mut herald_broker_plan,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let planner = try_ref!(call, planner)?;
        let out = try_out!(out)?;
        let pattern = parse_pattern(try_str!(pattern, pattern_len)?)?;
        let plan = planner.plan(&pattern);
        let reason = plan.refusal().map(ToString::to_string).unwrap_or_default();
        *out = handle::into_owned(PlanRecord { plan, reason });
        Ok(())
    })
}

/// Frees a plan. NULL is a no-op.
///
/// # Safety
/// `plan` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_free(plan: *mut herald_broker_plan) {
    free!(plan)
}

/// How exactly the subscriptions carry the pattern (a `herald_exactness`),
/// or -1 for NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_exactness(plan: *const herald_broker_plan) -> i32 {
    get_or!(plan, -1, |record| exactness_to_c(record.plan.exactness())
        as i32)
}

/// Whether the receiver must re-check each topic with herald (a superset
/// plan); false for NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_needs_filter(plan: *const herald_broker_plan) -> bool {
    get_or!(plan, false, |record| record.plan.needs_filter())
}

/// Whether one message can arrive more than once, so the receiver must
/// deduplicate by message id; false for NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_may_duplicate(plan: *const herald_broker_plan) -> bool {
    get_or!(plan, false, |record| record.plan.may_duplicate())
}

/// Writes the subscriptions to make, in the broker's syntax (NATS subjects,
/// MQTT topic filters, AMQP binding keys or Redis glob patterns), to `*out`
/// as a new list (free it with `herald_list_free`); empty when the plan is
/// untranslatable.
///
/// # Safety
/// `plan` is a live plan; `out` is valid for writing; `error` is NULL or a
/// live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_subscriptions(
    plan: *const herald_broker_plan,
    out: *mut *mut herald_list,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let record = try_ref!(call, plan)?;
        let out = try_out!(out)?;
        *out = into_list(text_items(record.plan.subscriptions()));
        Ok(())
    })
}

/// The stable code of why the broker cannot carry the pattern
/// (`separator_in_segment`, `wildcard_in_segment`, `reserved_prefix`,
/// `non_character`, `too_long`, `too_deep`, `nothing_to_carry`); empty when
/// it can, or for NULL. Valid while the plan lives.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_refusal_code(
    plan: *const herald_broker_plan,
) -> herald_str {
    get_or!(plan, herald_str::empty(), |record| record
        .plan
        .refusal()
        .map_or_else(herald_str::empty, |refusal| herald_str::borrow(
            refusal.code()
        )))
}

/// Why the broker cannot carry the pattern, for people; empty when it can,
/// or for NULL. Valid while the plan lives.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_plan_refusal_reason(
    plan: *const herald_broker_plan,
) -> herald_str {
    get_or!(plan, herald_str::empty(), |record| herald_str::borrow(
        &record.reason
    ))
}

/// Writes the name to publish `topic` under (the NATS subject, MQTT topic,
/// AMQP routing key or Redis channel) to `*out` as a new buffer (free it
/// with `herald_buffer_free`). `HERALD_STATUS_INVALID_TOPIC` for a topic
/// that breaks herald's syntax; `HERALD_STATUS_UNTRANSLATABLE` for one the
/// broker cannot carry, with the refusal's code (`reserved_prefix`,
/// `separator_in_segment`, `wildcard_in_segment`, `non_character`,
/// `too_long`, `too_deep`) and reason.
///
/// # Safety
/// `planner` is a live planner; `topic` is valid for reading `topic_len`
/// bytes; `out` is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_topic(
    planner: *const herald_broker_planner,
    topic: *const c_char,
    topic_len: usize,
    out: *mut *mut herald_buffer,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let planner = try_ref!(call, planner)?;
        let out = try_out!(out)?;
        let text = try_str!(topic, topic_len)?;
        let topic = Topic::parse(text).map_err(|error| topic_failure(&error))?;
        let name = planner.topic(&topic).map_err(|refusal| {
            Failure::new(
                herald_status::Untranslatable,
                refusal.code(),
                format!(
                    "{} cannot carry the topic {text:?}: {refusal}",
                    planner.broker()
                ),
            )
        })?;
        *out = into_buffer(name);
        Ok(())
    })
}

/// A set of (pattern, subscriber) pairs to plan together with
/// `herald_broker_planner_fleet`.
///
/// Thread safety: one thread at a time while adding; then any number of
/// planners may read it.
#[derive(Debug)]
pub struct herald_broker_fleet {
    _opaque: Opaque,
}

impl Castable for herald_broker_fleet {
    type Ownership = Owned;
    type Value = Vec<(Pattern, u64)>;
}

/// Creates an empty fleet. Free it with `herald_broker_fleet_free`. Returns
/// NULL only on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn herald_broker_fleet_new() -> *mut herald_broker_fleet {
    handle::create_owned(Vec::new)
}

/// Frees a fleet. NULL is a no-op.
///
/// # Safety
/// `fleet` is NULL or came from `herald_broker_fleet_new` and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_free(fleet: *mut herald_broker_fleet) {
    free!(fleet)
}

/// Adds `pattern` for `subscriber` (a process or connection of the fleet).
/// `HERALD_STATUS_INVALID_PATTERN` for a pattern that breaks herald's
/// syntax; the fleet is then unchanged. A pair given twice counts once.
///
/// # Safety
/// `fleet` is a live fleet used by no other thread; `pattern` is valid for
/// reading `pattern_len` bytes; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_add(
    fleet: *mut herald_broker_fleet,
    pattern: *const c_char,
    pattern_len: usize,
    subscriber: u64,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let fleet = try_mut!(call, fleet)?;
        let pattern = parse_pattern(try_str!(pattern, pattern_len)?)?;
        fleet.push((pattern, subscriber));
        Ok(())
    })
}

/// The number of pairs added (0 for NULL).
///
/// # Safety
/// `fleet` is NULL or a live fleet not being changed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_len(fleet: *const herald_broker_fleet) -> usize {
    get_or!(fleet, 0, |fleet| fleet.len())
}

/// The plan of a whole fleet: one entry per subscriber, by ascending id.
///
/// Thread safety: immutable; any number of threads may read it.
#[derive(Debug)]
pub struct herald_broker_fleet_plan {
    _opaque: Opaque,
}

/// A fleet plan and the text its views borrow.
#[derive(Debug)]
pub(crate) struct FleetRecord {
    plan: FleetPlan,
    /// Per subscriber, index for index: its filter patterns as text.
    filters: Vec<Vec<String>>,
    /// Per subscriber: each untranslatable pattern's text and reason.
    refused: Vec<Vec<(String, String)>>,
}

impl FleetRecord {
    fn subscriber(&self, index: usize) -> Result<&SubscriberPlan, Failure> {
        self.plan
            .subscribers()
            .get(index)
            .ok_or_else(|| Failure::out_of_range(index))
    }
}

impl Castable for herald_broker_fleet_plan {
    type Ownership = Owned;
    type Value = FleetRecord;
}

/// One subscriber's plan, described by `herald_broker_fleet_plan_subscriber`.
///
/// Extensible: set `size` to `sizeof(herald_subscriber_plan)` before passing
/// it in (as for `herald_event`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct herald_subscriber_plan {
    /// The size of this struct as the caller knows it; see `herald_event`.
    pub size: usize,
    /// The subscriber id.
    pub subscriber: u64,
    /// How many of its patterns the broker cannot carry (see
    /// `herald_broker_fleet_plan_untranslatable_at`).
    pub untranslatable_count: usize,
    /// How exactly the merged subscriptions carry the union of its
    /// translatable patterns (a `herald_exactness`); untranslatable only when
    /// none of them is.
    pub exactness: i32,
    /// Whether the receiver must re-check each topic against the filter
    /// patterns (`herald_broker_fleet_plan_filter`).
    pub needs_filter: bool,
    /// Whether one message can arrive more than once, so the receiver must
    /// deduplicate by message id.
    pub may_duplicate: bool,
}

// SAFETY: `#[repr(C)]` plain data starting with `size: usize`; `SIZE_V2` is
// the end of its last field.
unsafe impl Extensible for herald_subscriber_plan {
    const SIZE_V2: usize =
        std::mem::offset_of!(herald_subscriber_plan, may_duplicate) + size_of::<bool>();
}

/// Plans every (pattern, subscriber) pair of `fleet` together and writes the
/// result to `*out` (free it with `herald_broker_fleet_plan_free`): per
/// subscriber, the union of its patterns' subscriptions with repeats and
/// covered ones merged (`a.>` covers `a.b.*`), and its post-filter.
/// Subscribers are never merged with each other.
///
/// # Safety
/// `planner` is a live planner; `fleet` is a live fleet not being changed;
/// `out` is valid for writing; `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_planner_fleet(
    planner: *const herald_broker_planner,
    fleet: *const herald_broker_fleet,
    out: *mut *mut herald_broker_fleet_plan,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let planner = try_ref!(call, planner)?;
        let fleet = try_ref!(call, fleet)?;
        let out = try_out!(out)?;
        let plan = planner.fleet(
            fleet
                .iter()
                .map(|(pattern, subscriber)| (pattern, *subscriber)),
        );
        let filters = plan
            .subscribers()
            .iter()
            .map(|subscriber| {
                subscriber
                    .filter()
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            })
            .collect();
        let refused = plan
            .subscribers()
            .iter()
            .map(|subscriber| {
                subscriber
                    .untranslatable()
                    .iter()
                    .map(|(pattern, refusal)| (pattern.to_string(), refusal.to_string()))
                    .collect()
            })
            .collect();
        *out = handle::into_owned(FleetRecord {
            plan,
            filters,
            refused,
        });
        Ok(())
    })
}

/// Frees a fleet plan. NULL is a no-op.
///
/// # Safety
/// `plan` is NULL or came from this library and was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_plan_free(plan: *mut herald_broker_fleet_plan) {
    free!(plan)
}

/// The number of subscribers (0 for NULL).
///
/// # Safety
/// `plan` is NULL or a live fleet plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_plan_count(
    plan: *const herald_broker_fleet_plan,
) -> usize {
    get_or!(plan, 0, |record| record.plan.subscribers().len())
}

/// Describes subscriber number `index` (by ascending subscriber id).
/// `HERALD_STATUS_OUT_OF_RANGE` past the end.
///
/// # Safety
/// `plan` is a live fleet plan; `out` points at a `herald_subscriber_plan`
/// whose `size` is set, valid for writing that many bytes; `error` is NULL or
/// a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_plan_subscriber(
    plan: *const herald_broker_fleet_plan,
    index: usize,
    out: *mut herald_subscriber_plan,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let record = try_ref!(call, plan)?;
        let out = try_sized_out!(out)?;
        let subscriber = record.subscriber(index)?;
        out.write(herald_subscriber_plan {
            size: size_of::<herald_subscriber_plan>(),
            subscriber: subscriber.subscriber(),
            untranslatable_count: subscriber.untranslatable().len(),
            exactness: exactness_to_c(subscriber.exactness()) as i32,
            needs_filter: subscriber.needs_filter(),
            may_duplicate: subscriber.may_duplicate(),
        });
        Ok(())
    })
}

/// Writes the merged subscriptions of subscriber number `index` to `*out` as
/// a new list (free it with `herald_list_free`). `HERALD_STATUS_OUT_OF_RANGE`
/// past the end.
///
/// # Safety
/// `plan` is a live fleet plan; `out` is valid for writing; `error` is NULL
/// or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_plan_subscriptions(
    plan: *const herald_broker_fleet_plan,
    index: usize,
    out: *mut *mut herald_list,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let record = try_ref!(call, plan)?;
        let out = try_out!(out)?;
        *out = into_list(text_items(record.subscriber(index)?.subscriptions()));
        Ok(())
    })
}

/// Writes the patterns subscriber number `index` must re-check each received
/// topic against (any of them) to `*out` as a new list (free it with
/// `herald_list_free`); empty unless its plan needs a filter.
/// `HERALD_STATUS_OUT_OF_RANGE` past the end.
///
/// # Safety
/// As for `herald_broker_fleet_plan_subscriptions`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_plan_filter(
    plan: *const herald_broker_fleet_plan,
    index: usize,
    out: *mut *mut herald_list,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let record = try_ref!(call, plan)?;
        let out = try_out!(out)?;
        record.subscriber(index)?;
        *out = into_list(text_items(&record.filters[index]));
        Ok(())
    })
}

/// The untranslatable pattern number `item` of subscriber number `index`:
/// writes the pattern, the refusal's stable code and its reason as views
/// valid while the fleet plan lives (each output may be NULL).
/// `HERALD_STATUS_OUT_OF_RANGE` when either index is past its end.
///
/// # Safety
/// `plan` is a live fleet plan; each output is NULL or valid for writing;
/// `error` is NULL or a live error object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn herald_broker_fleet_plan_untranslatable_at(
    plan: *const herald_broker_fleet_plan,
    index: usize,
    item: usize,
    out_pattern: *mut herald_str,
    out_code: *mut herald_str,
    out_reason: *mut herald_str,
    error: *mut herald_error,
) -> herald_status {
    guard!(error, |call| {
        let record = try_ref!(call, plan)?;
        let subscriber = record.subscriber(index)?;
        let (_, refusal) = subscriber
            .untranslatable()
            .get(item)
            .ok_or_else(|| Failure::out_of_range(item))?;
        let (pattern, reason) = &record.refused[index][item];
        write_optional!(out_pattern, herald_str::borrow(pattern));
        write_optional!(out_code, herald_str::borrow(refusal.code()));
        write_optional!(out_reason, herald_str::borrow(reason));
        Ok(())
    })
}

fn text_items(texts: &[String]) -> Vec<Vec<u8>> {
    texts.iter().map(|text| text.as_bytes().to_vec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_broker_converts_both_ways_and_other_numbers_are_refused() {
        for broker in Broker::ALL {
            let number = herald_broker::from(broker) as i32;
            assert_eq!(
                Broker::from(herald_broker::try_from(number).unwrap()),
                broker
            );
        }
        for refused in [-1, 4, i32::MIN, i32::MAX] {
            assert_eq!(herald_broker::try_from(refused), Err(refused));
        }
        assert_eq!(
            herald_broker_profile::try_from(1),
            Ok(herald_broker_profile::AwsIot)
        );
        for refused in [-1, 2, i32::MIN] {
            assert_eq!(herald_broker_profile::try_from(refused), Err(refused));
        }
    }

    #[test]
    fn the_expansion_ceiling_is_the_cores() {
        assert_eq!(
            HERALD_BROKER_MAX_EXPANSION,
            herald_core::broker::MAX_EXPANSION
        );
    }

    #[test]
    fn the_exactness_numbers_rank_from_the_best_to_the_worst() {
        let levels = [
            Exactness::Exact,
            Exactness::Split,
            Exactness::Overlapping,
            Exactness::Superset,
            Exactness::Untranslatable,
        ];
        for (number, level) in levels.into_iter().enumerate() {
            assert_eq!(exactness_to_c(level) as usize, number, "{level}");
        }
    }
}
