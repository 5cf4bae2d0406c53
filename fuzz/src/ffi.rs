//! The C ABI under random call sequences: each step picks an exported
//! function from the call table and calls it with handles from a pool of
//! live objects (or NULL), text and bytes from the input or a dictionary of
//! names the library knows (or NULL, with any length, or a shorter length
//! than the buffer), outputs present or NULL, extensible structs with too
//! small, exact or larger `size`.
//!
//! Properties: no call panics (libFuzzer's panic hook aborts on any panic,
//! even one the boundary catches) or reports `HERALD_STATUS_PANIC` /
//! `POISONED`; a NULL required argument is refused; outputs are written only
//! on success; a failure fills the error object with the status and a code,
//! a success leaves it alone; every view returned is readable and text views
//! are UTF-8; id arrays come back ascending within their capacity. At the
//! end every object is freed (LeakSanitizer, in ASan builds, reports leaks).
//!
//! To cover a new export, write one `fn` below and add its row to `CALLS`.
use std::os::raw::c_char;
use std::ptr;

use super::input::Cursor;
use herald::broker::*;
use herald::catalogue::*;
use herald::endpoints::*;
use herald::error::*;
use herald::output::*;
use herald::router::*;
use herald::signature::*;
use herald::status::*;
use herald::text::{herald_bytes, herald_str};
use herald::topic::*;
use herald::validate::*;
use herald::version::*;
use herald::wire::*;

/// Names, patterns, topics, documents and frames the library knows, so
/// that calls get past the lookups.
const WORDS: &[&str] = &[
    "inplayer-notifications",
    "inplayer-webhooks",
    "orangepill-stream",
    "accelbyte-wallet",
    "payment.card.success",
    "sms.message.sent",
    "{channel}.message.sent",
    "walletBalanceChanged",
    "asset.access.granted",
    "access.granted",
    "orangepill-subscribe",
    "inplayer-flag",
    "payment.#",
    "#.failed",
    "*.message.*",
    "a.>",
    "a.b",
    "https://example.invalid/hook",
    "k1",
    r#"{"type":"subscribe","realm":"k1"}"#,
    r#"{"type":"unsubscribe","realm":"k1"}"#,
    r#"{"type":"notification","event":"sms.message.sent","data":"6396","timestamp":"162553625262"}"#,
    r#"{"type":"access.revoked","timestamp":1546612267,"resource":{"item_id":41224}}"#,
    "id=1&created=2&type=payment.card.failed&resource[code]=422&resource[message]=Declined",
    r#"{"format":"orangepill","name":"user.created","payload":{"type":"notification","event":"user.created","data":"1","timestamp":1}}"#,
    r#"{"format":"herald-catalogue/1","sources":[{"id":"shop","vendor":"V","title":"T","transport":"HTTP","description":"D","events":[{"name":"order.paid","category":"payment","description":"Paid.","schema":{"type":"object","fields":{"id":{"type":"string"}}},"examples":[{"id":"o-1"}]}]}]}"#,
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_not base64!",
    "merchant-api-secret",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "X-InPlayer-Signature",
    "X-Orangepill-Signature",
    "X-Orangepill-Timestamp",
    "Stripe-Signature",
    "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "1614265330",
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    "sha256=0000",
    "t=1614265330,v1=00",
    "a.#.b",
    "$SYS.x",
    "",
];

/// Every live object the calls may use, and the bytes their pointers point into.
#[derive(Default)]
struct Pool {
    catalogues: Vec<*const herald_catalogue>,
    routers: Vec<*mut herald_router>,
    snapshots: Vec<*const herald_router_snapshot>,
    caches: Vec<*mut herald_match_cache>,
    endpoints: Vec<*mut herald_endpoints>,
    limits: Vec<*mut herald_limits>,
    reports: Vec<*mut herald_report>,
    events: Vec<*mut herald_wire_event>,
    keys: Vec<*mut herald_realm_keys>,
    hubs: Vec<*mut herald_realm_hub>,
    buffers: Vec<*mut herald_buffer>,
    lists: Vec<*mut herald_list>,
    errors: Vec<*mut herald_error>,
    key_sets: Vec<*mut herald_key_set>,
    replay_guards: Vec<*mut herald_replay_guard>,
    plan_options: Vec<*mut herald_plan_options>,
    planners: Vec<*mut herald_broker_planner>,
    plans: Vec<*mut herald_broker_plan>,
    fleets: Vec<*mut herald_broker_fleet>,
    fleet_plans: Vec<*mut herald_broker_fleet_plan>,
    /// Owned byte strings; pushing moves only the `Vec`, never its heap bytes,
    /// so pointers handed out stay valid until the pool is dropped.
    texts: Vec<Vec<u8>>,
}

/// A pointer-and-length argument: `null` says the pointer is NULL.
#[derive(Clone, Copy)]
struct Text {
    ptr: *const u8,
    len: usize,
    null: bool,
}

impl Text {
    fn chars(self) -> *const c_char {
        self.ptr.cast()
    }
}

/// A handle from a pool: NULL one time in eight, and whenever the pool is empty.
fn pick<T>(pool: &[*mut T], input: &mut Cursor<'_>) -> *mut T {
    let choice = input.byte();
    if pool.is_empty() || choice.is_multiple_of(8) {
        return ptr::null_mut();
    }
    pool[usize::from(choice) % pool.len()]
}

fn pick_const<T>(pool: &[*const T], input: &mut Cursor<'_>) -> *const T {
    let choice = input.byte();
    if pool.is_empty() || choice.is_multiple_of(8) {
        return ptr::null();
    }
    pool[usize::from(choice) % pool.len()]
}

/// Takes a handle out of its pool to free it (NULL when the pool is empty
/// or one time in eight: `_free(NULL)` is a no-op).
fn take<T>(pool: &mut Vec<T>, input: &mut Cursor<'_>) -> Option<T> {
    let choice = input.byte();
    if pool.is_empty() || choice.is_multiple_of(8) {
        return None;
    }
    let at = usize::from(choice) % pool.len();
    Some(pool.swap_remove(at))
}

impl Pool {
    fn text(&mut self, input: &mut Cursor<'_>) -> Text {
        let choice = input.byte();
        let bytes: Vec<u8> = match choice % 8 {
            0 => {
                return Text {
                    ptr: ptr::null(),
                    len: usize::from(input.byte() % 3),
                    null: true,
                };
            }
            1..=4 => input.pick(WORDS).as_bytes().to_vec(),
            _ => input.chunk().to_vec(),
        };
        // Sometimes fewer bytes than the buffer holds: never more.
        let len = match input.byte() % 4 {
            0 => bytes.len() / 2,
            _ => bytes.len(),
        };
        let ptr = bytes.as_ptr();
        self.texts.push(bytes);
        Text {
            ptr,
            len,
            null: false,
        }
    }

    fn error(&mut self, input: &mut Cursor<'_>) -> *mut herald_error {
        pick(&self.errors, input)
    }

    fn free_all(&mut self) {
        // SAFETY: every pointer in the pool is a live object of its type,
        // owned by the pool, and freed exactly once here.
        unsafe {
            self.catalogues
                .drain(..)
                .for_each(|h| herald_catalogue_free(h));
            self.routers.drain(..).for_each(|h| herald_router_free(h));
            self.snapshots
                .drain(..)
                .for_each(|h| herald_router_snapshot_free(h));
            self.caches
                .drain(..)
                .for_each(|h| herald_match_cache_free(h));
            self.endpoints
                .drain(..)
                .for_each(|h| herald_endpoints_free(h));
            self.limits.drain(..).for_each(|h| herald_limits_free(h));
            self.reports.drain(..).for_each(|h| herald_report_free(h));
            self.events
                .drain(..)
                .for_each(|h| herald_wire_event_free(h));
            self.keys.drain(..).for_each(|h| herald_realm_keys_free(h));
            self.hubs.drain(..).for_each(|h| herald_realm_hub_free(h));
            self.buffers.drain(..).for_each(|h| herald_buffer_free(h));
            self.lists.drain(..).for_each(|h| herald_list_free(h));
            self.errors.drain(..).for_each(|h| herald_error_free(h));
            self.key_sets.drain(..).for_each(|h| herald_key_set_free(h));
            self.replay_guards
                .drain(..)
                .for_each(|h| herald_replay_guard_free(h));
            self.plan_options
                .drain(..)
                .for_each(|h| herald_plan_options_free(h));
            self.planners
                .drain(..)
                .for_each(|h| herald_broker_planner_free(h));
            self.plans
                .drain(..)
                .for_each(|h| herald_broker_plan_free(h));
            self.fleets
                .drain(..)
                .for_each(|h| herald_broker_fleet_free(h));
            self.fleet_plans
                .drain(..)
                .for_each(|h| herald_broker_fleet_plan_free(h));
        }
    }
}

// ------------------------------------------------------------ the checks

/// What an error object says, to compare before and after a call.
fn error_state(error: *mut herald_error) -> Option<(herald_status, Vec<u8>)> {
    if error.is_null() {
        return None;
    }
    // SAFETY: a live error object from the pool.
    unsafe {
        let code = read_str(herald_error_code(error));
        read_str(herald_error_message(error));
        read_str(herald_error_pointer(error));
        Some((herald_error_status(error), code))
    }
}

/// Runs one fallible call and checks the status against the error object
/// and the arguments: `required_null` says a required argument was NULL.
fn checked(
    error: *mut herald_error,
    required_null: bool,
    call: impl FnOnce() -> herald_status,
) -> herald_status {
    let before = error_state(error);
    let status = call();
    assert!(
        !matches!(status, herald_status::Panic | herald_status::Poisoned),
        "{status:?}"
    );
    if required_null {
        assert_ne!(
            status,
            herald_status::Ok,
            "a NULL required argument was accepted"
        );
    }
    match (error_state(error), status) {
        (None, _) => {}
        (after, herald_status::Ok) => assert_eq!(after, before, "a success touched the error"),
        (Some((recorded, code)), _) => {
            assert_eq!(recorded, status);
            assert!(!code.is_empty(), "a failure without a code");
        }
    }
    status
}

/// Reads every byte of a text view; it must be UTF-8.
fn read_str(view: herald_str) -> Vec<u8> {
    assert!(!view.ptr.is_null(), "a NULL view");
    // SAFETY: the library promises `len` readable bytes at `ptr` while the
    // object it came from lives, and the caller reads it right away.
    let bytes = unsafe { std::slice::from_raw_parts(view.ptr.cast::<u8>(), view.len) }.to_vec();
    assert!(
        std::str::from_utf8(&bytes).is_ok(),
        "a text view is not UTF-8"
    );
    bytes
}

fn read_bytes(view: herald_bytes) -> Vec<u8> {
    assert!(!view.ptr.is_null(), "a NULL view");
    // SAFETY: as in `read_str`.
    unsafe { std::slice::from_raw_parts(view.ptr, view.len) }.to_vec()
}

/// An extensible struct with room after it, so a caller can claim a larger
/// `size` (a newer header) without the library writing past the memory.
#[repr(C)]
struct Padded<T> {
    value: T,
    tail: [u8; 32],
}

/// A zeroed extensible struct whose `size` is too small, exact or larger.
fn sized<T>(input: &mut Cursor<'_>, set_size: impl FnOnce(&mut T, usize)) -> Padded<T> {
    // SAFETY: the extensible structs hold only integers, booleans and raw
    // pointers, for which all-zero bytes are valid.
    let mut padded: Padded<T> = unsafe { std::mem::zeroed() };
    let exact = std::mem::size_of::<T>();
    let size = match input.byte() % 8 {
        0 => exact / 2,
        1 => exact + 32,
        2 => 0,
        _ => exact,
    };
    set_size(&mut padded.value, size);
    padded
}

/// An output handle location: `Some` to pass a pointer to it, `None` for NULL.
fn out_location(input: &mut Cursor<'_>) -> bool {
    !input.byte().is_multiple_of(8)
}

/// Checks an output handle after the call and keeps it.
fn keep<T>(pool: &mut Vec<*mut T>, status: herald_status, given: bool, out: *mut T) {
    if status == herald_status::Ok && given {
        assert!(!out.is_null(), "success without the output");
        pool.push(out);
    } else {
        assert!(out.is_null(), "an output written on failure");
    }
}

fn keep_const<T>(pool: &mut Vec<*const T>, status: herald_status, given: bool, out: *const T) {
    if status == herald_status::Ok && given {
        assert!(!out.is_null(), "success without the output");
        pool.push(out);
    } else {
        assert!(out.is_null(), "an output written on failure");
    }
}

fn out_ptr<T>(given: bool, location: &mut T) -> *mut T {
    if given { location } else { ptr::null_mut() }
}

/// An id array: capacity 0–7, sometimes NULL, filled with a sentinel.
struct Ids {
    ids: Vec<u64>,
    null: bool,
    len: usize,
    len_given: bool,
}

const SENTINEL: u64 = 0xDEAD_BEEF;
const LEN_SENTINEL: usize = usize::MAX;

impl Ids {
    fn new(input: &mut Cursor<'_>) -> Ids {
        let choice = input.byte();
        Ids {
            ids: vec![SENTINEL; usize::from(choice % 8)],
            null: choice >= 240,
            len: LEN_SENTINEL,
            len_given: !input.byte().is_multiple_of(8),
        }
    }

    fn ptr(&mut self) -> *mut u64 {
        if self.null {
            ptr::null_mut()
        } else {
            self.ids.as_mut_ptr()
        }
    }

    fn capacity(&self) -> usize {
        self.ids.len()
    }

    fn len_ptr(&mut self) -> *mut usize {
        out_ptr(self.len_given, &mut self.len)
    }

    /// A NULL array with room claimed, or no `out_len`, must be refused.
    fn refused(&self) -> bool {
        (self.null && self.capacity() > 0) || !self.len_given
    }

    fn check(&self, status: herald_status) {
        match status {
            herald_status::Ok => {
                assert!(self.len <= self.capacity());
                let found = &self.ids[..self.len];
                assert!(found.windows(2).all(|pair| pair[0] < pair[1]), "{found:?}");
                assert!(self.ids[self.len..].iter().all(|id| *id == SENTINEL));
            }
            herald_status::BufferTooSmall => assert!(self.len > self.capacity()),
            _ => assert_eq!(self.len, LEN_SENTINEL, "out_len written on failure"),
        }
    }
}

// ------------------------------------------------------------ the calls
//
// Every `unsafe` call below passes only: handles from the pool (live, of
// the right type) or NULL; pointers into `Pool::texts` with at most their
// length, or NULL; output locations on the stack, or NULL. That is the
// contract each export's `# Safety` section states.

type Step = fn(&mut Pool, &mut Cursor<'_>);

fn catalogue_builtin(pool: &mut Pool, _: &mut Cursor<'_>) {
    let catalogue = herald_catalogue_builtin();
    assert!(!catalogue.is_null());
    pool.catalogues.push(catalogue);
}

fn catalogue_from_json(pool: &mut Pool, input: &mut Cursor<'_>) {
    let json = pool.text(input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null();
    let status = checked(error, json.null || !given, || unsafe {
        herald_catalogue_from_json(json.ptr, json.len, out_ptr(given, &mut out), error)
    });
    keep_const(&mut pool.catalogues, status, given, out);
}

fn catalogue_clone(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let clone = unsafe { herald_catalogue_clone(catalogue) };
    assert_eq!(clone, catalogue);
    if !clone.is_null() {
        pool.catalogues.push(clone);
    }
}

fn catalogue_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = take(&mut pool.catalogues, input).unwrap_or(ptr::null());
    unsafe { herald_catalogue_free(catalogue) };
}

fn catalogue_counts(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let (sources, events) = unsafe {
        (
            herald_catalogue_source_count(catalogue),
            herald_catalogue_event_count(catalogue),
        )
    };
    if catalogue.is_null() {
        assert_eq!((sources, events), (0, 0));
    }
}

fn catalogue_source_at(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let index = usize::from(input.byte() % 8);
    let error = pool.error(input);
    let given = out_location(input);
    let mut id = herald_str {
        ptr: ptr::null(),
        len: 0,
    };
    let status = checked(error, catalogue.is_null() || !given, || unsafe {
        herald_catalogue_source_at(catalogue, index, out_ptr(given, &mut id), error)
    });
    if status == herald_status::Ok {
        assert!(index < unsafe { herald_catalogue_source_count(catalogue) });
        read_str(id);
    } else {
        assert!(id.ptr.is_null());
    }
}

fn read_event(event: &herald_event) {
    for view in [
        event.source,
        event.name,
        event.category,
        event.description,
        event.template_parameter,
        event.bound_value,
    ] {
        read_str(view);
    }
}

fn event_out(input: &mut Cursor<'_>) -> (Padded<herald_event>, bool) {
    let padded = sized(input, |event: &mut herald_event, size| event.size = size);
    (padded, out_location(input))
}

fn check_event(status: herald_status, padded: &Padded<herald_event>, given: bool, asked: usize) {
    if status == herald_status::Ok {
        assert!(given);
        assert!(padded.value.size <= asked.max(padded.value.size));
        assert!(
            padded.tail.iter().all(|byte| *byte == 0),
            "wrote past the struct"
        );
        read_event(&padded.value);
    } else {
        assert_eq!(padded.value.size, asked, "an output written on failure");
    }
}

fn catalogue_event_at(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let index = usize::from(input.byte());
    let error = pool.error(input);
    let (mut padded, given) = event_out(input);
    let asked = padded.value.size;
    let status = checked(error, catalogue.is_null() || !given, || unsafe {
        herald_catalogue_event_at(catalogue, index, out_ptr(given, &mut padded.value), error)
    });
    check_event(status, &padded, given, asked);
}

fn catalogue_get(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let (source, name) = (pool.text(input), pool.text(input));
    let alias = input.byte().is_multiple_of(2);
    let index = usize::from(input.byte() % 4);
    let error = pool.error(input);
    let (mut padded, given) = event_out(input);
    let asked = padded.value.size;
    let null = catalogue.is_null() || source.null || name.null || !given;
    let status = checked(error, null, || unsafe {
        let out = out_ptr(given, &mut padded.value);
        if alias {
            herald_catalogue_alias_at(
                catalogue,
                source.chars(),
                source.len,
                name.chars(),
                name.len,
                index,
                out,
                error,
            )
        } else {
            herald_catalogue_get(
                catalogue,
                source.chars(),
                source.len,
                name.chars(),
                name.len,
                out,
                error,
            )
        }
    });
    check_event(status, &padded, given, asked);
}

fn buffer_output(
    pool: &mut Pool,
    input: &mut Cursor<'_>,
    required_null: bool,
    call: impl FnOnce(*mut *mut herald_buffer, *mut herald_error) -> herald_status,
) {
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(error, required_null || !given, || {
        call(out_ptr(given, &mut out), error)
    });
    keep(&mut pool.buffers, status, given, out);
}

fn catalogue_to_json(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    buffer_output(pool, input, catalogue.is_null(), |out, error| unsafe {
        herald_catalogue_to_json(catalogue, out, error)
    });
}

fn catalogue_json_schema(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let (source, name) = (pool.text(input), pool.text(input));
    let null = catalogue.is_null() || source.null || name.null;
    buffer_output(pool, input, null, |out, error| unsafe {
        herald_catalogue_json_schema(
            catalogue,
            source.chars(),
            source.len,
            name.chars(),
            name.len,
            out,
            error,
        )
    });
}

fn catalogue_asyncapi(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let source = pool.text(input);
    let null = catalogue.is_null() || source.null;
    buffer_output(pool, input, null, |out, error| unsafe {
        herald_catalogue_asyncapi(catalogue, source.chars(), source.len, out, error)
    });
}

fn endpoints_new(pool: &mut Pool, input: &mut Cursor<'_>) {
    let endpoints = herald_endpoints_new(usize::from(input.byte() % 4));
    assert!(!endpoints.is_null());
    pool.endpoints.push(endpoints);
}

fn endpoints_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let endpoints = take(&mut pool.endpoints, input).unwrap_or(ptr::null_mut());
    unsafe { herald_endpoints_free(endpoints) };
}

fn endpoints_add(pool: &mut Pool, input: &mut Cursor<'_>) {
    let endpoints = pick(&pool.endpoints, input);
    let id = u64::from(input.byte() % 4);
    let url = pool.text(input);
    let views: Vec<herald_str> = (0..input.below(3))
        .map(|_| {
            let text = pool.text(input);
            herald_str {
                ptr: text.chars(),
                len: text.len,
            }
        })
        .collect();
    let (events, count) = match input.byte() % 8 {
        0 => (ptr::null(), 0),
        _ => (views.as_ptr(), views.len()),
    };
    let enabled = input.byte().is_multiple_of(2);
    let error = pool.error(input);
    checked(error, endpoints.is_null() || url.null, || unsafe {
        herald_endpoints_add(
            endpoints,
            id,
            url.chars(),
            url.len,
            events,
            count,
            enabled,
            error,
        )
    });
}

fn endpoints_change(pool: &mut Pool, input: &mut Cursor<'_>) {
    let endpoints = pick(&pool.endpoints, input);
    let id = u64::from(input.byte() % 4);
    let what = input.byte() % 3;
    let error = pool.error(input);
    let given = out_location(input);
    let mut changed = false;
    checked(error, endpoints.is_null(), || unsafe {
        let out = out_ptr(given, &mut changed);
        match what {
            0 => herald_endpoints_remove(endpoints, id, error),
            1 => herald_endpoints_enable(endpoints, id, out, error),
            _ => herald_endpoints_disable(endpoints, id, out, error),
        }
    });
    let (len, receiving) = unsafe {
        (
            herald_endpoints_len(endpoints),
            herald_endpoints_receiving_count(endpoints),
        )
    };
    if endpoints.is_null() {
        assert_eq!((len, receiving), (0, 0));
    }
}

fn endpoints_deliveries(pool: &mut Pool, input: &mut Cursor<'_>) {
    let endpoints = pick(&pool.endpoints, input);
    let event = pool.text(input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(
        error,
        endpoints.is_null() || event.null || !given,
        || unsafe {
            herald_endpoints_deliveries(
                endpoints,
                event.chars(),
                event.len,
                out_ptr(given, &mut out),
                error,
            )
        },
    );
    keep(&mut pool.lists, status, given, out);
}

fn error_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let error = herald_error_new();
    assert!(!error.is_null());
    pool.errors.push(error);
}

fn error_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let error = take(&mut pool.errors, input).unwrap_or(ptr::null_mut());
    unsafe { herald_error_free(error) };
}

fn error_read(pool: &mut Pool, input: &mut Cursor<'_>) {
    let error = pool.error(input);
    match error_state(error) {
        Some(_) => {}
        // NULL reads as documented, never a crash.
        None => unsafe {
            assert_eq!(herald_error_status(error), herald_status::NullArgument);
            assert!(read_str(herald_error_code(error)).is_empty());
        },
    }
}

fn buffer_read(pool: &mut Pool, input: &mut Cursor<'_>) {
    let buffer = pick(&pool.buffers, input);
    unsafe {
        let (data, len) = (herald_buffer_data(buffer), herald_buffer_len(buffer));
        assert!(!data.is_null());
        let bytes = std::slice::from_raw_parts(data, len + 1);
        assert_eq!(bytes[len], 0, "a buffer ends with NUL");
    }
}

fn buffer_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let buffer = take(&mut pool.buffers, input).unwrap_or(ptr::null_mut());
    unsafe { herald_buffer_free(buffer) };
}

fn list_read(pool: &mut Pool, input: &mut Cursor<'_>) {
    let list = pick(&pool.lists, input);
    let count = unsafe { herald_list_count(list) };
    let index = usize::from(input.byte() % 4);
    let error = pool.error(input);
    let given = out_location(input);
    let mut view = herald_bytes {
        ptr: ptr::null(),
        len: 0,
    };
    let status = checked(error, list.is_null() || !given, || unsafe {
        herald_list_at(list, index, out_ptr(given, &mut view), error)
    });
    if status == herald_status::Ok {
        assert!(index < count);
        read_bytes(view);
    } else {
        assert!(view.ptr.is_null());
    }
}

fn list_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let list = take(&mut pool.lists, input).unwrap_or(ptr::null_mut());
    unsafe { herald_list_free(list) };
}

fn router_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let router = herald_router_new();
    assert!(!router.is_null());
    pool.routers.push(router);
}

fn router_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let router = take(&mut pool.routers, input).unwrap_or(ptr::null_mut());
    unsafe { herald_router_free(router) };
}

fn router_change(pool: &mut Pool, input: &mut Cursor<'_>) {
    let router = pick(&pool.routers, input);
    let pattern = pool.text(input);
    let id = u64::from(input.byte() % 4);
    let subscribe = !input.byte().is_multiple_of(3);
    let error = pool.error(input);
    let given = out_location(input);
    let mut changed = false;
    let before = unsafe { herald_router_len(router) };
    let status = checked(error, router.is_null() || pattern.null, || unsafe {
        let out = out_ptr(given, &mut changed);
        if subscribe {
            herald_router_subscribe(router, pattern.chars(), pattern.len, id, out, error)
        } else {
            herald_router_unsubscribe(router, pattern.chars(), pattern.len, id, out, error)
        }
    });
    let after = unsafe { herald_router_len(router) };
    if status == herald_status::Ok && given {
        let expected = match (changed, subscribe) {
            (false, _) => before,
            (true, true) => before + 1,
            (true, false) => before - 1,
        };
        assert_eq!(after, expected);
    } else if status != herald_status::Ok {
        assert_eq!(after, before, "a refused change changed the router");
    }
}

fn router_match(pool: &mut Pool, input: &mut Cursor<'_>) {
    let which = input.byte() % 3;
    let topic = pool.text(input);
    let mut ids = Ids::new(input);
    let error = pool.error(input);
    let refused = ids.refused() || topic.null;
    let status = match which {
        0 => {
            let router = pick(&pool.routers, input);
            checked(error, refused || router.is_null(), || unsafe {
                herald_router_match(
                    router,
                    topic.chars(),
                    topic.len,
                    ids.ptr(),
                    ids.capacity(),
                    ids.len_ptr(),
                    error,
                )
            })
        }
        1 => {
            let snapshot = pick_const(&pool.snapshots, input);
            checked(error, refused || snapshot.is_null(), || unsafe {
                herald_router_snapshot_match(
                    snapshot,
                    topic.chars(),
                    topic.len,
                    ids.ptr(),
                    ids.capacity(),
                    ids.len_ptr(),
                    error,
                )
            })
        }
        _ => {
            let snapshot = pick_const(&pool.snapshots, input);
            let cache = pick(&pool.caches, input);
            checked(
                error,
                refused || snapshot.is_null() || cache.is_null(),
                || unsafe {
                    herald_router_snapshot_match_cached(
                        snapshot,
                        cache,
                        topic.chars(),
                        topic.len,
                        ids.ptr(),
                        ids.capacity(),
                        ids.len_ptr(),
                        error,
                    )
                },
            )
        }
    };
    ids.check(status);
}

fn snapshot_new(pool: &mut Pool, input: &mut Cursor<'_>) {
    let router = pick(&pool.routers, input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null();
    let status = checked(error, router.is_null() || !given, || unsafe {
        herald_router_snapshot_new(router, out_ptr(given, &mut out), error)
    });
    if status == herald_status::Ok {
        assert_eq!(unsafe { herald_router_snapshot_len(out) }, unsafe {
            herald_router_len(router)
        });
    }
    keep_const(&mut pool.snapshots, status, given, out);
}

fn snapshot_clone(pool: &mut Pool, input: &mut Cursor<'_>) {
    let snapshot = pick_const(&pool.snapshots, input);
    let clone = unsafe { herald_router_snapshot_clone(snapshot) };
    assert_eq!(clone, snapshot);
    if !clone.is_null() {
        pool.snapshots.push(clone);
    }
}

fn snapshot_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let snapshot = take(&mut pool.snapshots, input).unwrap_or(ptr::null());
    unsafe { herald_router_snapshot_free(snapshot) };
}

fn match_cache_new(pool: &mut Pool, input: &mut Cursor<'_>) {
    let cache = herald_match_cache_new(usize::from(input.byte() % 4));
    assert!(!cache.is_null());
    pool.caches.push(cache);
}

fn match_cache_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let cache = take(&mut pool.caches, input).unwrap_or(ptr::null_mut());
    unsafe { herald_match_cache_free(cache) };
}

fn status_str(_: &mut Pool, input: &mut Cursor<'_>) {
    let status = i32::from(input.byte()) * 3 - 10;
    let text = herald_status_str(status);
    assert!(!text.is_null());
    // SAFETY: a static NUL-terminated string.
    let text = unsafe { std::ffi::CStr::from_ptr(text) };
    assert!(!text.to_bytes().is_empty());
}

fn syntax(pool: &mut Pool, input: &mut Cursor<'_>) {
    let what = input.byte() % 3;
    let (pattern, topic) = (pool.text(input), pool.text(input));
    let error = pool.error(input);
    let given = out_location(input);
    let mut matched = false;
    match what {
        0 => checked(error, topic.null, || unsafe {
            herald_topic_validate(topic.chars(), topic.len, error)
        }),
        1 => checked(error, pattern.null, || unsafe {
            herald_pattern_validate(pattern.chars(), pattern.len, error)
        }),
        _ => checked(error, pattern.null || topic.null || !given, || unsafe {
            herald_pattern_matches(
                pattern.chars(),
                pattern.len,
                topic.chars(),
                topic.len,
                out_ptr(given, &mut matched),
                error,
            )
        }),
    };
}

fn limits_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let limits = herald_limits_new();
    assert!(!limits.is_null());
    pool.limits.push(limits);
}

fn limits_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let limits = take(&mut pool.limits, input).unwrap_or(ptr::null_mut());
    unsafe { herald_limits_free(limits) };
}

fn limits_set(pool: &mut Pool, input: &mut Cursor<'_>) {
    let limits = pick(&pool.limits, input);
    let which = input.byte() % 6;
    let value = match input.byte() % 4 {
        0 => 0,
        1 => usize::MAX,
        _ => usize::from(input.byte()),
    };
    let (set, get): (
        unsafe extern "C" fn(*mut herald_limits, usize) -> herald_status,
        unsafe extern "C" fn(*const herald_limits) -> usize,
    ) = match which {
        0 => (
            herald_limits_set_max_topic_bytes,
            herald_limits_max_topic_bytes,
        ),
        1 => (herald_limits_set_max_segments, herald_limits_max_segments),
        2 => (
            herald_limits_set_max_payload_bytes,
            herald_limits_max_payload_bytes,
        ),
        3 => (herald_limits_set_max_depth, herald_limits_max_depth),
        4 => (herald_limits_set_max_errors, herald_limits_max_errors),
        _ => (herald_limits_set_max_patterns, herald_limits_max_patterns),
    };
    let status = checked(ptr::null_mut(), limits.is_null(), || unsafe {
        set(limits, value)
    });
    let now = unsafe { get(limits) };
    if status == herald_status::Ok {
        assert_eq!(now, value);
    }
    if limits.is_null() {
        assert_eq!(now, 0);
    }
}

fn validate(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let named = input.byte().is_multiple_of(3);
    let (source, name, payload) = (pool.text(input), pool.text(input), pool.text(input));
    let limits = pick(&pool.limits, input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = if named {
        checked(
            error,
            catalogue.is_null() || name.null || payload.null || !given,
            || unsafe {
                herald_catalogue_validate_named(
                    catalogue,
                    name.chars(),
                    name.len,
                    payload.ptr,
                    payload.len,
                    limits,
                    out_ptr(given, &mut out),
                    error,
                )
            },
        )
    } else {
        let null = catalogue.is_null() || source.null || name.null || payload.null || !given;
        checked(error, null, || unsafe {
            herald_catalogue_validate(
                catalogue,
                source.chars(),
                source.len,
                name.chars(),
                name.len,
                payload.ptr,
                payload.len,
                limits,
                out_ptr(given, &mut out),
                error,
            )
        })
    };
    keep(&mut pool.reports, status, given, out);
}

fn report_read(pool: &mut Pool, input: &mut Cursor<'_>) {
    let report = pick(&pool.reports, input);
    let severity = i32::from(input.byte() % 3) - i32::from(input.byte() % 2);
    let index = usize::from(input.byte() % 4);
    let error = pool.error(input);
    let mut padded = sized(input, |issue: &mut herald_issue, size| issue.size = size);
    let asked = padded.value.size;
    let given = out_location(input);
    let count = unsafe {
        herald_report_is_ok(report);
        herald_report_truncated(report);
        herald_report_count(report, severity)
    };
    let status = checked(error, report.is_null() || !given, || unsafe {
        herald_report_issue(
            report,
            severity,
            index,
            out_ptr(given, &mut padded.value),
            error,
        )
    });
    if status == herald_status::Ok {
        assert!(index < count);
        assert!(
            padded.tail.iter().all(|byte| *byte == 0),
            "wrote past the struct"
        );
        let issue = &padded.value;
        assert!(!read_str(issue.code).is_empty());
        read_str(issue.pointer);
        read_str(issue.message);
    } else {
        assert_eq!(padded.value.size, asked, "an output written on failure");
    }
}

fn report_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let report = take(&mut pool.reports, input).unwrap_or(ptr::null_mut());
    unsafe { herald_report_free(report) };
}

fn version(_: &mut Pool, _: &mut Cursor<'_>) {
    assert_eq!(herald_abi_version(), 2);
    // SAFETY: a static NUL-terminated string.
    assert!(
        !unsafe { std::ffi::CStr::from_ptr(herald_version()) }
            .to_bytes()
            .is_empty()
    );
}

fn wire_decode(pool: &mut Pool, input: &mut Cursor<'_>) {
    let catalogue = pick_const(&pool.catalogues, input);
    let format = i32::from(input.byte() % 6) - 1;
    let bytes = pool.text(input);
    let from_json = input.byte().is_multiple_of(4);
    let error = pool.error(input);
    let (event_given, report_given) = (out_location(input), out_location(input));
    let (mut event, mut report) = (ptr::null_mut(), ptr::null_mut());
    let status = if from_json {
        checked(error, bytes.null || !event_given, || unsafe {
            herald_wire_event_from_json(
                bytes.ptr,
                bytes.len,
                out_ptr(event_given, &mut event),
                error,
            )
        })
    } else {
        checked(
            error,
            catalogue.is_null() || bytes.null || !event_given,
            || unsafe {
                herald_wire_decode(
                    catalogue,
                    format,
                    bytes.ptr,
                    bytes.len,
                    out_ptr(event_given, &mut event),
                    out_ptr(report_given, &mut report),
                    error,
                )
            },
        )
    };
    keep(&mut pool.events, status, event_given, event);
    if from_json {
        assert!(report.is_null());
    } else {
        keep(&mut pool.reports, status, report_given, report);
    }
}

fn wire_event_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let event = take(&mut pool.events, input).unwrap_or(ptr::null_mut());
    unsafe { herald_wire_event_free(event) };
}

fn wire_event_use(pool: &mut Pool, input: &mut Cursor<'_>) {
    let event = pick(&pool.events, input);
    match input.byte() % 3 {
        0 => {
            let error = pool.error(input);
            let mut padded = sized(input, |info: &mut herald_wire_event_info, size| {
                info.size = size
            });
            let asked = padded.value.size;
            let given = out_location(input);
            let status = checked(error, event.is_null() || !given, || unsafe {
                herald_wire_event_describe(event, out_ptr(given, &mut padded.value), error)
            });
            if status == herald_status::Ok {
                assert!(
                    padded.tail.iter().all(|byte| *byte == 0),
                    "wrote past the struct"
                );
                let info = &padded.value;
                for view in [
                    info.source,
                    info.name,
                    info.template_value,
                    info.id,
                    info.timestamp_text,
                ] {
                    read_str(view);
                }
                read_bytes(info.payload);
            } else {
                assert_eq!(padded.value.size, asked, "an output written on failure");
            }
        }
        1 => buffer_output(pool, input, event.is_null(), |out, error| unsafe {
            herald_wire_encode(event, out, error)
        }),
        _ => buffer_output(pool, input, event.is_null(), |out, error| unsafe {
            herald_wire_event_to_json(event, out, error)
        }),
    }
}

fn realm_keys_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let keys = herald_realm_keys_new();
    assert!(!keys.is_null());
    pool.keys.push(keys);
}

fn realm_keys_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = take(&mut pool.keys, input).unwrap_or(ptr::null_mut());
    unsafe { herald_realm_keys_free(keys) };
}

fn realm_keys_add(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = pick(&pool.keys, input);
    let (key, realm) = (pool.text(input), pool.text(input));
    let error = pool.error(input);
    checked(error, keys.is_null() || key.null || realm.null, || unsafe {
        herald_realm_keys_add(keys, key.chars(), key.len, realm.chars(), realm.len, error)
    });
}

fn realm_hub_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let hub = herald_realm_hub_new();
    assert!(!hub.is_null());
    pool.hubs.push(hub);
}

fn realm_hub_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let hub = take(&mut pool.hubs, input).unwrap_or(ptr::null_mut());
    unsafe { herald_realm_hub_free(hub) };
}

fn realm_hub_sessions(pool: &mut Pool, input: &mut Cursor<'_>) {
    let hub = pick(&pool.hubs, input);
    let session = u64::from(input.byte() % 4);
    let error = pool.error(input);
    if input.byte().is_multiple_of(2) {
        let given = out_location(input);
        let mut id = 0;
        let status = checked(error, hub.is_null() || !given, || unsafe {
            herald_realm_hub_open(hub, out_ptr(given, &mut id), error)
        });
        assert_eq!(status == herald_status::Ok, id != 0);
    } else {
        checked(error, hub.is_null(), || unsafe {
            herald_realm_hub_close(hub, session, error)
        });
    }
}

fn realm_hub_handle(pool: &mut Pool, input: &mut Cursor<'_>) {
    let hub = pick(&pool.hubs, input);
    let session = u64::from(input.byte() % 4);
    let frame = pool.text(input);
    let now = i64::from(input.byte()) - 10;
    let keys = pick(&pool.keys, input);
    let error = pool.error(input);
    let (frames_given, outcome_given) = (out_location(input), out_location(input));
    let mut frames = ptr::null_mut();
    let mut outcome = -77;
    let status = checked(
        error,
        hub.is_null() || frame.null || !frames_given,
        || unsafe {
            herald_realm_hub_handle(
                hub,
                session,
                frame.ptr,
                frame.len,
                now,
                keys,
                out_ptr(frames_given, &mut frames),
                out_ptr(outcome_given, &mut outcome),
                error,
            )
        },
    );
    if status == herald_status::Ok {
        assert_eq!(
            unsafe { herald_list_count(frames) },
            2,
            "a reply is two frames"
        );
    } else {
        assert_eq!(outcome, -77, "an output written on failure");
    }
    keep(&mut pool.lists, status, frames_given, frames);
}

fn realm_hub_recipients(pool: &mut Pool, input: &mut Cursor<'_>) {
    let hub = pick(&pool.hubs, input);
    let realm = pool.text(input);
    let mut ids = Ids::new(input);
    let error = pool.error(input);
    let status = checked(
        error,
        hub.is_null() || realm.null || ids.refused(),
        || unsafe {
            herald_realm_hub_recipients(
                hub,
                realm.chars(),
                realm.len,
                ids.ptr(),
                ids.capacity(),
                ids.len_ptr(),
                error,
            )
        },
    );
    ids.check(status);
}

// ------------------------------------------------------------ signatures

/// A unix time: the vectors' era, zero or an extreme.
fn clock(input: &mut Cursor<'_>) -> i64 {
    match input.byte() % 8 {
        0 => 0,
        1 => i64::MIN,
        2 => i64::MAX,
        _ => 1_614_265_330 + i64::from(input.byte()) - 128,
    }
}

/// Received headers: 0–3 pairs from the input or the dictionary (a field is
/// NULL when its text is), the array itself sometimes NULL.
struct Headers {
    headers: Vec<herald_header>,
    null_array: bool,
    null_field: bool,
}

impl Headers {
    fn ptr(&self) -> *const herald_header {
        if self.null_array {
            ptr::null()
        } else {
            self.headers.as_ptr()
        }
    }

    /// A NULL array of some headers, or a NULL field, must be refused.
    fn refused(&self) -> bool {
        (self.null_array && !self.headers.is_empty()) || self.null_field
    }
}

impl Pool {
    fn headers(&mut self, input: &mut Cursor<'_>) -> Headers {
        let mut headers = Vec::new();
        let mut null_field = false;
        for _ in 0..input.below(4) {
            let (name, value) = (self.text(input), self.text(input));
            null_field |= name.null || value.null;
            headers.push(herald_header {
                name: name.ptr,
                name_len: name.len,
                value: value.ptr,
                value_len: value.len,
            });
        }
        Headers {
            headers,
            null_array: input.byte() >= 240,
            null_field,
        }
    }
}

/// A `herald_verified` output: NULL (allowed) or a sized struct.
fn verified_out(input: &mut Cursor<'_>) -> (Padded<herald_verified>, bool) {
    let padded = sized(input, |verified: &mut herald_verified, size| {
        verified.size = size;
    });
    (padded, out_location(input))
}

fn check_verified(
    status: herald_status,
    padded: &Padded<herald_verified>,
    given: bool,
    asked: usize,
    keys: *const herald_key_set,
) {
    if status == herald_status::Ok && given {
        assert!(
            padded.tail.iter().all(|byte| *byte == 0),
            "wrote past the struct"
        );
        if asked >= std::mem::size_of::<herald_verified>() {
            let verified = &padded.value;
            assert!(verified.key < unsafe { herald_key_set_len(keys) });
            if verified.has_id {
                read_str(verified.id);
            }
        }
    } else {
        assert_eq!(padded.value.size, asked, "an output written on failure");
    }
}

fn key_set_new(pool: &mut Pool, input: &mut Cursor<'_>) {
    let scheme = i32::from(input.byte() % 6) - 1;
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(error, !given, || unsafe {
        herald_key_set_new(scheme, out_ptr(given, &mut out), error)
    });
    if given {
        assert_eq!(status == herald_status::Ok, (0..4).contains(&scheme));
    }
    if status == herald_status::Ok {
        unsafe {
            assert_eq!(herald_key_set_scheme(out), scheme);
            assert_eq!(herald_key_set_len(out), 0);
        }
    }
    keep(&mut pool.key_sets, status, given, out);
}

fn key_set_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = take(&mut pool.key_sets, input).unwrap_or(ptr::null_mut());
    unsafe { herald_key_set_free(keys) };
}

fn key_set_add(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = pick(&pool.key_sets, input);
    let secret = pool.text(input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut index = usize::MAX;
    let before = unsafe { herald_key_set_len(keys) };
    let status = checked(error, keys.is_null() || secret.null, || unsafe {
        herald_key_set_add(
            keys,
            secret.ptr,
            secret.len,
            out_ptr(given, &mut index),
            error,
        )
    });
    let after = unsafe { herald_key_set_len(keys) };
    if status == herald_status::Ok {
        assert_eq!(after, before + 1);
        assert_eq!(index, if given { before } else { usize::MAX });
    } else {
        assert_eq!(after, before, "a refused secret was kept");
        assert_eq!(index, usize::MAX, "an output written on failure");
    }
}

fn key_set_remove(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = pick(&pool.key_sets, input);
    let index = usize::from(input.byte() % 4);
    let error = pool.error(input);
    let before = unsafe { herald_key_set_len(keys) };
    let status = checked(error, keys.is_null(), || unsafe {
        herald_key_set_remove(keys, index, error)
    });
    let after = unsafe { herald_key_set_len(keys) };
    if status == herald_status::Ok {
        assert!(index < before);
        assert_eq!(after, before - 1);
    } else {
        assert_eq!(after, before);
    }
    if keys.is_null() {
        assert_eq!(unsafe { herald_key_set_scheme(keys) }, -1);
    } else if index >= before {
        assert_eq!(status, herald_status::OutOfRange);
    }
}

fn tolerance(input: &mut Cursor<'_>) -> i64 {
    match input.byte() % 4 {
        0 => HERALD_TOLERANCE_NO_CHECK,
        1 => -2,
        2 => 0,
        _ => HERALD_TOLERANCE_REFERENCE,
    }
}

fn verify(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = pick(&pool.key_sets, input);
    let headers = pool.headers(input);
    let body = pool.text(input);
    let (now, tolerance) = (clock(input), tolerance(input));
    let error = pool.error(input);
    let (mut padded, given) = verified_out(input);
    let asked = padded.value.size;
    let out = out_ptr(given, &mut padded.value);
    let status = checked(
        error,
        keys.is_null() || headers.refused() || body.null,
        || unsafe {
            herald_verify(
                keys,
                headers.ptr(),
                headers.headers.len(),
                body.ptr,
                body.len,
                now,
                tolerance,
                out,
                error,
            )
        },
    );
    check_verified(status, &padded, given, asked, keys);
    if status == herald_status::SignatureRejected && !error.is_null() {
        // Every rejection has its stable outcome number.
        assert!(unsafe { herald_error_signature_code(error) } >= 0);
    }
}

fn verify_then_decode(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = pick(&pool.key_sets, input);
    let catalogue = pick_const(&pool.catalogues, input);
    let format = i32::from(input.byte() % 6) - 1;
    let headers = pool.headers(input);
    let body = pool.text(input);
    let (now, tolerance) = (clock(input), tolerance(input));
    let error = pool.error(input);
    let (mut padded, given) = verified_out(input);
    let asked = padded.value.size;
    let out = out_ptr(given, &mut padded.value);
    let (event_given, report_given) = (out_location(input), out_location(input));
    let (mut event, mut report) = (ptr::null_mut(), ptr::null_mut());
    let required_null = keys.is_null()
        || catalogue.is_null()
        || headers.refused()
        || body.null
        || !event_given
        || !report_given;
    let status = checked(error, required_null, || unsafe {
        herald_verify_then_decode(
            keys,
            headers.ptr(),
            headers.headers.len(),
            body.ptr,
            body.len,
            now,
            tolerance,
            catalogue,
            format,
            out,
            out_ptr(event_given, &mut event),
            out_ptr(report_given, &mut report),
            error,
        )
    });
    check_verified(status, &padded, given, asked, keys);
    keep(&mut pool.events, status, event_given, event);
    keep(&mut pool.reports, status, report_given, report);
}

/// The items of a list, copied.
fn list_items(list: *mut herald_list) -> Vec<Vec<u8>> {
    let count = unsafe { herald_list_count(list) };
    (0..count)
        .map(|index| {
            let mut view = herald_bytes {
                ptr: ptr::null(),
                len: 0,
            };
            let status = unsafe { herald_list_at(list, index, &mut view, ptr::null_mut()) };
            assert_eq!(status, herald_status::Ok);
            read_bytes(view)
        })
        .collect()
}

fn sign(pool: &mut Pool, input: &mut Cursor<'_>) {
    let keys = pick(&pool.key_sets, input);
    let id = pool.text(input);
    let (has_timestamp, timestamp) = (input.byte().is_multiple_of(2), clock(input));
    let body = pool.text(input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(error, keys.is_null() || body.null || !given, || unsafe {
        herald_sign(
            keys,
            id.ptr,
            id.len,
            has_timestamp,
            timestamp,
            body.ptr,
            body.len,
            out_ptr(given, &mut out),
            error,
        )
    });
    if status == herald_status::Ok {
        // What was signed verifies with the same keys, at the signed time.
        let lines = list_items(out);
        let pairs: Vec<(&[u8], &[u8])> = lines
            .iter()
            .map(|line| {
                let at = line
                    .windows(2)
                    .position(|pair| pair == b": ")
                    .expect("a header line is `Name: value`");
                (&line[..at], &line[at + 2..])
            })
            .collect();
        let headers: Vec<herald_header> = pairs
            .iter()
            .map(|(name, value)| herald_header {
                name: name.as_ptr(),
                name_len: name.len(),
                value: value.as_ptr(),
                value_len: value.len(),
            })
            .collect();
        let now = if has_timestamp { timestamp } else { 0 };
        let verified = unsafe {
            herald_verify(
                keys,
                headers.as_ptr(),
                headers.len(),
                body.ptr,
                body.len,
                now,
                HERALD_TOLERANCE_NO_CHECK,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        assert_eq!(
            verified,
            herald_status::Ok,
            "a signed message did not verify"
        );
    }
    keep(&mut pool.lists, status, given, out);
}

fn replay_guard_new(pool: &mut Pool, input: &mut Cursor<'_>) {
    let window = match input.byte() % 4 {
        0 => u64::MAX,
        window => u64::from(window - 1) * 300,
    };
    let capacity = usize::from(input.byte() % 4);
    let guard = herald_replay_guard_new(window, capacity);
    assert!(!guard.is_null());
    pool.replay_guards.push(guard);
}

fn replay_guard_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let guard = take(&mut pool.replay_guards, input).unwrap_or(ptr::null_mut());
    unsafe { herald_replay_guard_free(guard) };
}

fn replay_guard_admit(pool: &mut Pool, input: &mut Cursor<'_>) {
    let guard = pick(&pool.replay_guards, input);
    let id = pool.text(input);
    let (has_signed_at, signed_at) = (input.byte().is_multiple_of(2), clock(input));
    let now = clock(input);
    let error = pool.error(input);
    let before = unsafe { herald_replay_guard_len(guard) };
    let admit = || {
        checked(error, guard.is_null() || id.null, || unsafe {
            herald_replay_guard_admit(guard, id.ptr, id.len, has_signed_at, signed_at, now, error)
        })
    };
    let status = admit();
    let after = unsafe { herald_replay_guard_len(guard) };
    if status == herald_status::Ok {
        assert!(after >= 1 && after <= before + 1);
        // The same delivery again, at the same time, is a replay.
        assert_eq!(admit(), herald_status::DuplicateMessage);
    } else {
        assert!(after <= before, "a refused id was recorded");
    }
}

fn replay_guard_forget_expired(pool: &mut Pool, input: &mut Cursor<'_>) {
    let guard = pick(&pool.replay_guards, input);
    let now = clock(input);
    let error = pool.error(input);
    let before = unsafe { herald_replay_guard_len(guard) };
    checked(error, guard.is_null(), || unsafe {
        herald_replay_guard_forget_expired(guard, now, error)
    });
    assert!(unsafe { herald_replay_guard_len(guard) } <= before);
}

// ------------------------------------------------------------ broker plans

fn plan_options_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let options = herald_plan_options_new();
    assert!(!options.is_null());
    pool.plan_options.push(options);
}

fn plan_options_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let options = take(&mut pool.plan_options, input).unwrap_or(ptr::null_mut());
    unsafe { herald_plan_options_free(options) };
}

fn plan_options_set(pool: &mut Pool, input: &mut Cursor<'_>) {
    let options = pick(&pool.plan_options, input);
    let which = input.byte() % 3;
    let value = match input.byte() % 4 {
        0 => 0,
        1 => usize::MAX,
        _ => usize::from(input.byte()),
    };
    let profile = i32::from(input.byte() % 4) - 1;
    let status = checked(ptr::null_mut(), options.is_null(), || unsafe {
        match which {
            0 => herald_plan_options_set_max_expansion(options, value),
            1 => herald_plan_options_set_max_depth(options, value),
            _ => herald_plan_options_set_profile(options, profile),
        }
    });
    if !options.is_null() && which < 2 {
        assert_eq!(status, herald_status::Ok);
    }
}

fn broker_planner_new(pool: &mut Pool, input: &mut Cursor<'_>) {
    let broker = i32::from(input.byte() % 6) - 1;
    let options = pick(&pool.plan_options, input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(error, !given, || unsafe {
        herald_broker_planner_new(broker, options, out_ptr(given, &mut out), error)
    });
    if given && options.is_null() {
        // The defaults suit every broker.
        assert_eq!(status == herald_status::Ok, (0..4).contains(&broker));
    }
    if status == herald_status::Ok {
        unsafe {
            assert_eq!(herald_broker_planner_broker(out), broker);
            assert!((0..2).contains(&herald_broker_planner_profile(out)));
            assert!(herald_broker_planner_max_depth(out) > 0);
            assert!(herald_broker_planner_max_expansion(out) <= HERALD_BROKER_MAX_EXPANSION);
        }
    }
    keep(&mut pool.planners, status, given, out);
}

fn broker_planner_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let planner = take(&mut pool.planners, input).unwrap_or(ptr::null_mut());
    unsafe {
        assert_eq!(herald_broker_planner_broker(ptr::null()), -1);
        herald_broker_planner_free(planner);
    }
}

fn broker_planner_plan(pool: &mut Pool, input: &mut Cursor<'_>) {
    let planner = pick(&pool.planners, input);
    let pattern = pool.text(input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(
        error,
        planner.is_null() || pattern.null || !given,
        || unsafe {
            herald_broker_planner_plan(
                planner,
                pattern.chars(),
                pattern.len,
                out_ptr(given, &mut out),
                error,
            )
        },
    );
    keep(&mut pool.plans, status, given, out);
}

fn broker_plan_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let plan = take(&mut pool.plans, input).unwrap_or(ptr::null_mut());
    unsafe { herald_broker_plan_free(plan) };
}

fn broker_plan_read(pool: &mut Pool, input: &mut Cursor<'_>) {
    let plan = pick(&pool.plans, input);
    let exactness = unsafe { herald_broker_plan_exactness(plan) };
    let code = read_str(unsafe { herald_broker_plan_refusal_code(plan) });
    let reason = read_str(unsafe { herald_broker_plan_refusal_reason(plan) });
    unsafe {
        herald_broker_plan_needs_filter(plan);
        herald_broker_plan_may_duplicate(plan);
    }
    if plan.is_null() {
        assert_eq!(exactness, -1);
    } else {
        assert!((0..5).contains(&exactness));
        let untranslatable = exactness == herald_exactness::Untranslatable as i32;
        assert_eq!(untranslatable, !code.is_empty(), "a refusal without a code");
        assert_eq!(
            untranslatable,
            !reason.is_empty(),
            "a refusal without a reason"
        );
    }
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(error, plan.is_null() || !given, || unsafe {
        herald_broker_plan_subscriptions(plan, out_ptr(given, &mut out), error)
    });
    if status == herald_status::Ok {
        let items = list_items(out);
        if exactness == herald_exactness::Untranslatable as i32 {
            assert!(items.is_empty());
        } else {
            assert!(
                !items.is_empty(),
                "a translatable plan without subscriptions"
            );
        }
    }
    keep(&mut pool.lists, status, given, out);
}

fn broker_planner_topic(pool: &mut Pool, input: &mut Cursor<'_>) {
    let planner = pick(&pool.planners, input);
    let topic = pool.text(input);
    let null = planner.is_null() || topic.null;
    buffer_output(pool, input, null, |out, error| unsafe {
        herald_broker_planner_topic(planner, topic.chars(), topic.len, out, error)
    });
}

fn broker_fleet_new(pool: &mut Pool, _: &mut Cursor<'_>) {
    let fleet = herald_broker_fleet_new();
    assert!(!fleet.is_null());
    pool.fleets.push(fleet);
}

fn broker_fleet_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let fleet = take(&mut pool.fleets, input).unwrap_or(ptr::null_mut());
    unsafe { herald_broker_fleet_free(fleet) };
}

fn broker_fleet_add(pool: &mut Pool, input: &mut Cursor<'_>) {
    let fleet = pick(&pool.fleets, input);
    let pattern = pool.text(input);
    let subscriber = u64::from(input.byte() % 4);
    let error = pool.error(input);
    let before = unsafe { herald_broker_fleet_len(fleet) };
    let status = checked(error, fleet.is_null() || pattern.null, || unsafe {
        herald_broker_fleet_add(fleet, pattern.chars(), pattern.len, subscriber, error)
    });
    let after = unsafe { herald_broker_fleet_len(fleet) };
    let added = usize::from(status == herald_status::Ok);
    assert_eq!(after, before + added);
}

fn broker_planner_fleet(pool: &mut Pool, input: &mut Cursor<'_>) {
    let planner = pick(&pool.planners, input);
    let fleet = pick(&pool.fleets, input);
    let error = pool.error(input);
    let given = out_location(input);
    let mut out = ptr::null_mut();
    let status = checked(
        error,
        planner.is_null() || fleet.is_null() || !given,
        || unsafe { herald_broker_planner_fleet(planner, fleet, out_ptr(given, &mut out), error) },
    );
    keep(&mut pool.fleet_plans, status, given, out);
}

fn broker_fleet_plan_free(pool: &mut Pool, input: &mut Cursor<'_>) {
    let plan = take(&mut pool.fleet_plans, input).unwrap_or(ptr::null_mut());
    unsafe { herald_broker_fleet_plan_free(plan) };
}

fn broker_fleet_plan_read(pool: &mut Pool, input: &mut Cursor<'_>) {
    let plan = pick(&pool.fleet_plans, input);
    let count = unsafe { herald_broker_fleet_plan_count(plan) };
    let index = usize::from(input.byte() % 4);
    let past_end = plan.is_null() || index >= count;
    let error = pool.error(input);

    let mut padded = sized(input, |subscriber: &mut herald_subscriber_plan, size| {
        subscriber.size = size;
    });
    let asked = padded.value.size;
    let given = out_location(input);
    let out = out_ptr(given, &mut padded.value);
    let status = checked(error, plan.is_null() || !given, || unsafe {
        herald_broker_fleet_plan_subscriber(plan, index, out, error)
    });
    if status == herald_status::Ok {
        assert!(!past_end);
        assert!(
            padded.tail.iter().all(|byte| *byte == 0),
            "wrote past the struct"
        );
    } else {
        assert_eq!(padded.value.size, asked, "an output written on failure");
    }

    for filter in [false, true] {
        let given = out_location(input);
        let mut out = ptr::null_mut();
        let status = checked(error, plan.is_null() || !given, || unsafe {
            let out = out_ptr(given, &mut out);
            if filter {
                herald_broker_fleet_plan_filter(plan, index, out, error)
            } else {
                herald_broker_fleet_plan_subscriptions(plan, index, out, error)
            }
        });
        if status == herald_status::Ok {
            assert!(!past_end);
            list_items(out);
        } else if given && !past_end {
            panic!("{status:?} for a subscriber in range");
        }
        keep(&mut pool.lists, status, given, out);
    }

    let item = usize::from(input.byte() % 3);
    let empty = || herald_str {
        ptr: ptr::null(),
        len: 0,
    };
    let mut views = [empty(), empty(), empty()];
    let given: Vec<bool> = (0..3).map(|_| out_location(input)).collect();
    let [pattern, code, reason] = &mut views;
    let status = checked(error, plan.is_null(), || unsafe {
        herald_broker_fleet_plan_untranslatable_at(
            plan,
            index,
            item,
            out_ptr(given[0], pattern),
            out_ptr(given[1], code),
            out_ptr(given[2], reason),
            error,
        )
    });
    for (view, given) in views.into_iter().zip(given) {
        if status == herald_status::Ok && given {
            read_str(view);
        } else {
            assert!(view.ptr.is_null(), "an output written on failure");
        }
    }
    if past_end {
        assert_ne!(status, herald_status::Ok);
    }
}

/// Every step the fuzzer can take: one row per export (or per group of
/// getters read together). Constructors appear twice so that pools fill.
const CALLS: &[(&str, Step)] = &[
    ("herald_catalogue_builtin", catalogue_builtin),
    ("herald_catalogue_from_json", catalogue_from_json),
    ("herald_catalogue_clone", catalogue_clone),
    ("herald_catalogue_free", catalogue_free),
    (
        "herald_catalogue_source_count, _event_count",
        catalogue_counts,
    ),
    ("herald_catalogue_source_at", catalogue_source_at),
    ("herald_catalogue_event_at", catalogue_event_at),
    ("herald_catalogue_get, _alias_at", catalogue_get),
    ("herald_catalogue_to_json", catalogue_to_json),
    ("herald_catalogue_json_schema", catalogue_json_schema),
    ("herald_catalogue_asyncapi", catalogue_asyncapi),
    ("herald_endpoints_new", endpoints_new),
    ("herald_endpoints_free", endpoints_free),
    ("herald_endpoints_add", endpoints_add),
    (
        "herald_endpoints_remove, _enable, _disable, _len, _receiving_count",
        endpoints_change,
    ),
    ("herald_endpoints_deliveries", endpoints_deliveries),
    ("herald_error_new", error_new),
    ("herald_error_free", error_free),
    ("herald_error_status, _code, _message, _pointer", error_read),
    ("herald_buffer_data, _len", buffer_read),
    ("herald_buffer_free", buffer_free),
    ("herald_list_count, _at", list_read),
    ("herald_list_free", list_free),
    ("herald_router_new", router_new),
    ("herald_router_new", router_new),
    ("herald_router_free", router_free),
    ("herald_router_subscribe, _unsubscribe, _len", router_change),
    ("herald_router_subscribe, _unsubscribe, _len", router_change),
    (
        "herald_router_match, _snapshot_match, _snapshot_match_cached",
        router_match,
    ),
    ("herald_router_snapshot_new, _len", snapshot_new),
    ("herald_router_snapshot_clone", snapshot_clone),
    ("herald_router_snapshot_free", snapshot_free),
    ("herald_match_cache_new", match_cache_new),
    ("herald_match_cache_free", match_cache_free),
    ("herald_status_str", status_str),
    (
        "herald_topic_validate, herald_pattern_validate, _matches",
        syntax,
    ),
    ("herald_limits_new", limits_new),
    ("herald_limits_free", limits_free),
    ("herald_limits_set_*, herald_limits_max_*", limits_set),
    ("herald_catalogue_validate, _validate_named", validate),
    (
        "herald_report_is_ok, _truncated, _count, _issue",
        report_read,
    ),
    ("herald_report_free", report_free),
    ("herald_abi_version, herald_version", version),
    (
        "herald_wire_decode, herald_wire_event_from_json",
        wire_decode,
    ),
    (
        "herald_wire_decode, herald_wire_event_from_json",
        wire_decode,
    ),
    ("herald_wire_event_free", wire_event_free),
    (
        "herald_wire_event_describe, herald_wire_encode, _to_json",
        wire_event_use,
    ),
    ("herald_realm_keys_new", realm_keys_new),
    ("herald_realm_keys_free", realm_keys_free),
    ("herald_realm_keys_add", realm_keys_add),
    ("herald_realm_hub_new", realm_hub_new),
    ("herald_realm_hub_free", realm_hub_free),
    ("herald_realm_hub_open, _close", realm_hub_sessions),
    ("herald_realm_hub_handle", realm_hub_handle),
    ("herald_realm_hub_recipients", realm_hub_recipients),
    ("herald_key_set_new, _scheme, _len", key_set_new),
    ("herald_key_set_free", key_set_free),
    ("herald_key_set_add", key_set_add),
    ("herald_key_set_remove", key_set_remove),
    ("herald_verify, herald_error_signature_code", verify),
    ("herald_verify_then_decode", verify_then_decode),
    ("herald_sign (then herald_verify)", sign),
    ("herald_replay_guard_new", replay_guard_new),
    ("herald_replay_guard_free", replay_guard_free),
    ("herald_replay_guard_admit, _len", replay_guard_admit),
    (
        "herald_replay_guard_forget_expired",
        replay_guard_forget_expired,
    ),
    ("herald_plan_options_new", plan_options_new),
    ("herald_plan_options_free", plan_options_free),
    ("herald_plan_options_set_*", plan_options_set),
    (
        "herald_broker_planner_new, _broker, _profile, _max_*",
        broker_planner_new,
    ),
    ("herald_broker_planner_free", broker_planner_free),
    ("herald_broker_planner_plan", broker_planner_plan),
    ("herald_broker_plan_free", broker_plan_free),
    (
        "herald_broker_plan_exactness, _needs_filter, _may_duplicate, _refusal_*, _subscriptions",
        broker_plan_read,
    ),
    ("herald_broker_planner_topic", broker_planner_topic),
    ("herald_broker_fleet_new", broker_fleet_new),
    ("herald_broker_fleet_free", broker_fleet_free),
    ("herald_broker_fleet_add, _len", broker_fleet_add),
    ("herald_broker_planner_fleet", broker_planner_fleet),
    ("herald_broker_fleet_plan_free", broker_fleet_plan_free),
    (
        "herald_broker_fleet_plan_count, _subscriber, _subscriptions, _filter, _untranslatable_at",
        broker_fleet_plan_read,
    ),
];

/// Runs one input; panics when a property fails.
pub fn run(bytes: &[u8]) {
    let mut input = Cursor::new(bytes);
    let mut pool = Pool::default();
    pool.errors.push(herald_error_new());
    for _ in 0..64 {
        if input.is_empty() {
            break;
        }
        let (_, step) = CALLS[usize::from(input.byte()) % CALLS.len()];
        step(&mut pool, &mut input);
    }
    pool.free_all();
}
