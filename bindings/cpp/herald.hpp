// herald.hpp: a header-only C++17 wrapper over the herald C ABI (herald.h).
//
// Ownership is RAII through two templates: detail::Owned (one owner,
// move-only: routers, endpoint sets, wire events, ...) and detail::Shared
// (reference counted, copying adds a reference: catalogues, router
// snapshots). Failures throw herald::Error carrying the C status, the stable
// error code and, where there is one, a JSON Pointer or document path. Each
// thread keeps one herald_error for all its calls, so a call that succeeds
// allocates nothing for error reporting; RouterSnapshot::match_into and
// match_cached allocate nothing at all once `ids` has room. Strings go in as
// std::string_view; views handed out (Event fields) stay valid while their
// catalogue lives.
//
// Thread safety follows the C objects: Catalogue and RouterSnapshot may be
// used from any number of threads at once; Router, EndpointSet, RealmKeys,
// RealmHub, MatchCache and Limits (while being set) from one thread at a
// time; a WireEvent may be read and encoded from any number of threads.
// A KeySet (once filled) and a BrokerPlanner may be shared by any number of
// threads; a ReplayGuard and PlanOptions (while being set) one at a time.
// Reports and plans are plain values.
#ifndef HERALD_HPP
#define HERALD_HPP

#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "herald.h"

namespace herald {

/// The C status codes as a scoped enum.
enum class Status : std::int32_t {
    Ok = HERALD_STATUS_OK,
    NullArgument = HERALD_STATUS_NULL_ARGUMENT,
    InvalidUtf8 = HERALD_STATUS_INVALID_UTF8,
    BufferTooSmall = HERALD_STATUS_BUFFER_TOO_SMALL,
    InvalidArgument = HERALD_STATUS_INVALID_ARGUMENT,
    Panic = HERALD_STATUS_PANIC,
    Poisoned = HERALD_STATUS_POISONED,
    OutOfRange = HERALD_STATUS_OUT_OF_RANGE,
    InvalidTopic = HERALD_STATUS_INVALID_TOPIC,
    InvalidPattern = HERALD_STATUS_INVALID_PATTERN,
    InvalidCatalogue = HERALD_STATUS_INVALID_CATALOGUE,
    UnknownSource = HERALD_STATUS_UNKNOWN_SOURCE,
    UnknownEvent = HERALD_STATUS_UNKNOWN_EVENT,
    UnknownSchema = HERALD_STATUS_UNKNOWN_SCHEMA,
    NoSchema = HERALD_STATUS_NO_SCHEMA,
    TooManyPatterns = HERALD_STATUS_TOO_MANY_PATTERNS,
    DuplicateWebhook = HERALD_STATUS_DUPLICATE_WEBHOOK,
    UnknownWebhook = HERALD_STATUS_UNKNOWN_WEBHOOK,
    InvalidUrl = HERALD_STATUS_INVALID_URL,
    TooManyUrls = HERALD_STATUS_TOO_MANY_URLS,
    InvalidWire = HERALD_STATUS_INVALID_WIRE,
    UnknownSession = HERALD_STATUS_UNKNOWN_SESSION,
    SignatureRejected = HERALD_STATUS_SIGNATURE_REJECTED,
    InvalidSecret = HERALD_STATUS_INVALID_SECRET,
    DuplicateMessage = HERALD_STATUS_DUPLICATE_MESSAGE,
    ReplayGuardFull = HERALD_STATUS_REPLAY_GUARD_FULL,
    CannotSign = HERALD_STATUS_CANNOT_SIGN,
    InvalidPlanOptions = HERALD_STATUS_INVALID_PLAN_OPTIONS,
    Untranslatable = HERALD_STATUS_UNTRANSLATABLE,
};

/// A static description of a status.
inline std::string_view status_text(Status status) noexcept {
    return herald_status_str(static_cast<std::int32_t>(status));
}

/// A failed call: the status, the stable code (e.g. "empty_segment"), the
/// message, and the location (JSON Pointer or document path), if any.
class Error : public std::runtime_error {
  public:
    Error(Status status, std::string code, const std::string &message, std::string pointer)
        : std::runtime_error(message), status_(status), code_(std::move(code)), pointer_(std::move(pointer)) {}

    Status status() const noexcept { return status_; }
    const std::string &code() const noexcept { return code_; }
    const std::string &pointer() const noexcept { return pointer_; }

  private:
    Status status_;
    std::string code_;
    std::string pointer_;
};

namespace detail {

inline std::string_view view(herald_str text) noexcept { return std::string_view(text.ptr, text.len); }

inline const std::uint8_t *bytes(std::string_view text) noexcept {
    return reinterpret_cast<const std::uint8_t *>(text.data());
}

/// One owned C handle, freed by `Free` when this object goes. Move-only.
template <typename T, void (*Free)(T *)> class Owned {
  public:
    Owned() noexcept = default;
    /// Takes ownership of `raw` (NULL allowed: an empty handle).
    explicit Owned(T *raw) noexcept : raw_(raw) {}
    Owned(const Owned &) = delete;
    Owned &operator=(const Owned &) = delete;
    Owned(Owned &&other) noexcept : raw_(std::exchange(other.raw_, nullptr)) {}
    Owned &operator=(Owned &&other) noexcept {
        std::swap(raw_, other.raw_);
        return *this;
    }
    ~Owned() { Free(raw_); }

    /// Takes ownership of what a constructor returned; throws std::bad_alloc for NULL.
    static Owned made(T *raw) {
        if (raw == nullptr) {
            throw std::bad_alloc();
        }
        return Owned(raw);
    }

    T *get() const noexcept { return raw_; }

  private:
    T *raw_ = nullptr;
};

/// One reference to a reference-counted C handle: copying adds a reference
/// (`Clone`), destruction drops one (`Free`).
template <typename T, T *(*Clone)(T *), void (*Free)(T *)> class Shared {
  public:
    Shared() noexcept = default;
    /// Takes over the reference `raw` (NULL allowed: an empty handle).
    explicit Shared(T *raw) noexcept : raw_(raw) {}
    Shared(const Shared &other) noexcept : raw_(Clone(other.raw_)) {}
    Shared &operator=(const Shared &other) noexcept {
        Shared copy(other);
        std::swap(raw_, copy.raw_);
        return *this;
    }
    Shared(Shared &&other) noexcept : raw_(std::exchange(other.raw_, nullptr)) {}
    Shared &operator=(Shared &&other) noexcept {
        std::swap(raw_, other.raw_);
        return *this;
    }
    ~Shared() { Free(raw_); }

    /// Takes over what a constructor returned; throws std::bad_alloc for NULL.
    static Shared made(T *raw) {
        if (raw == nullptr) {
            throw std::bad_alloc();
        }
        return Shared(raw);
    }

    T *get() const noexcept { return raw_; }

  private:
    T *raw_ = nullptr;
};

using ErrorHandle = Owned<herald_error, herald_error_free>;
using Buffer = Owned<herald_buffer, herald_buffer_free>;
using List = Owned<herald_list, herald_list_free>;

/// This thread's error object, made on its first call and kept until the
/// thread ends: every call reports into it, and only a failure reads it.
inline herald_error *error() {
    thread_local ErrorHandle slot = ErrorHandle::made(herald_error_new());
    return slot.get();
}

/// Throws the herald::Error this thread's error object recorded for `status`.
[[noreturn]] inline void raise(herald_status status) {
    herald_error *recorded = error();
    throw Error(static_cast<Status>(status), std::string(view(herald_error_code(recorded))),
                std::string(view(herald_error_message(recorded))), std::string(view(herald_error_pointer(recorded))));
}

inline void check(herald_status status) {
    if (status != HERALD_STATUS_OK) {
        raise(status);
    }
}

/// An extensible output struct with its `size` set.
template <typename T> T sized() noexcept {
    T value{};
    value.size = sizeof value;
    return value;
}

/// Copies a buffer the library made into a std::string and frees it.
inline std::string take(herald_buffer *raw) {
    Buffer buffer(raw);
    return std::string(reinterpret_cast<const char *>(herald_buffer_data(buffer.get())), herald_buffer_len(buffer.get()));
}

/// Copies a list the library made into strings and frees it.
inline std::vector<std::string> take(herald_list *raw) {
    List list(raw);
    std::vector<std::string> items;
    items.reserve(herald_list_count(list.get()));
    for (std::size_t index = 0; index < herald_list_count(list.get()); index++) {
        herald_bytes item;
        check(herald_list_at(list.get(), index, &item, error()));
        items.emplace_back(reinterpret_cast<const char *>(item.ptr), item.len);
    }
    return items;
}

/// Calls `fill(ids, capacity, &len, error)` into `ids`' storage: the
/// caller-array protocol of the id calls. Allocates only when `ids` has less
/// room than there are ids (then grows it to fit and asks again).
template <typename Fill> void fill_ids(std::vector<std::uint64_t> &ids, Fill fill) {
    if (ids.capacity() == 0) {
        ids.reserve(16);
    }
    ids.resize(ids.capacity());
    for (;;) {
        std::size_t len = 0;
        herald_status status = fill(ids.data(), ids.size(), &len, error());
        if (status == HERALD_STATUS_OK) {
            ids.resize(len);
            return;
        }
        if (status != HERALD_STATUS_BUFFER_TOO_SMALL || len <= ids.size()) {
            ids.clear();
            raise(status);
        }
        ids.resize(len);
    }
}

} // namespace detail

/// The C ABI version of the loaded library; compare with HERALD_ABI_VERSION.
inline std::uint32_t abi_version() noexcept { return herald_abi_version(); }

/// The library version, e.g. "0.1.0".
inline std::string_view version() noexcept { return herald_version(); }

/// Throws herald::Error (Status::InvalidTopic) unless `topic` is a valid event name.
inline void validate_topic(std::string_view topic) {
    detail::check(herald_topic_validate(topic.data(), topic.size(), detail::error()));
}

/// Throws herald::Error (Status::InvalidPattern) unless `pattern` is a valid pattern.
inline void validate_pattern(std::string_view pattern) {
    detail::check(herald_pattern_validate(pattern.data(), pattern.size(), detail::error()));
}

/// Whether `topic` matches `pattern`; throws on an invalid pattern or topic.
inline bool matches(std::string_view pattern, std::string_view topic) {
    bool result = false;
    detail::check(herald_pattern_matches(pattern.data(), pattern.size(), topic.data(), topic.size(), &result,
                                         detail::error()));
    return result;
}

/// One catalogue event. The views borrow from the catalogue (bound_value
/// from the name passed to Catalogue::find).
struct Event {
    std::string_view source;
    std::string_view name;
    std::string_view category;
    std::string_view description;
    std::uint32_t flags = 0;
    std::string_view template_parameter;
    std::string_view bound_value;
    bool deprecated = false;
    std::size_t alias_count = 0;

    bool infobip_extension() const noexcept { return (flags & HERALD_EVENT_FLAG_INFOBIP_EXTENSION) != 0; }
    bool supplementary() const noexcept { return (flags & HERALD_EVENT_FLAG_SUPPLEMENTARY) != 0; }

    static Event from(const herald_event &event) {
        return Event{detail::view(event.source),
                     detail::view(event.name),
                     detail::view(event.category),
                     detail::view(event.description),
                     event.flags,
                     detail::view(event.template_parameter),
                     detail::view(event.bound_value),
                     event.deprecated,
                     event.alias_count};
    }
};

/// One problem found in a payload: a stable code, a JSON Pointer, a message.
struct Issue {
    std::string code;
    std::string pointer;
    std::string message;
};

/// The outcome of validating one payload; errors make it invalid, warnings
/// do not. Both lists are in document order.
struct Report {
    std::vector<Issue> errors;
    std::vector<Issue> warnings;
    bool truncated = false;

    bool ok() const noexcept { return errors.empty(); }
};

/// Limits on untrusted input (payload size, nesting depth, errors per
/// report, ...), starting from the defaults. Move-only.
class Limits {
  public:
    Limits() : handle_(Handle::made(herald_limits_new())) {}

    std::size_t max_topic_bytes() const noexcept { return herald_limits_max_topic_bytes(handle_.get()); }
    std::size_t max_segments() const noexcept { return herald_limits_max_segments(handle_.get()); }
    std::size_t max_payload_bytes() const noexcept { return herald_limits_max_payload_bytes(handle_.get()); }
    std::size_t max_depth() const noexcept { return herald_limits_max_depth(handle_.get()); }
    std::size_t max_errors() const noexcept { return herald_limits_max_errors(handle_.get()); }
    std::size_t max_patterns() const noexcept { return herald_limits_max_patterns(handle_.get()); }

    Limits &set_max_topic_bytes(std::size_t value) { return set(herald_limits_set_max_topic_bytes, value); }
    Limits &set_max_segments(std::size_t value) { return set(herald_limits_set_max_segments, value); }
    Limits &set_max_payload_bytes(std::size_t value) { return set(herald_limits_set_max_payload_bytes, value); }
    Limits &set_max_depth(std::size_t value) { return set(herald_limits_set_max_depth, value); }
    Limits &set_max_errors(std::size_t value) { return set(herald_limits_set_max_errors, value); }
    Limits &set_max_patterns(std::size_t value) { return set(herald_limits_set_max_patterns, value); }

    const herald_limits *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_limits, herald_limits_free>;

    Limits &set(herald_status (*setter)(herald_limits *, std::size_t), std::size_t value) {
        herald_status status = setter(handle_.get(), value);
        if (status != HERALD_STATUS_OK) {
            throw Error(static_cast<Status>(status), "", status_text(static_cast<Status>(status)).data(), "");
        }
        return *this;
    }

    Handle handle_;
};

/// The default limits.
inline Limits default_limits() { return Limits(); }

namespace detail {

using ReportHandle = Owned<herald_report, herald_report_free>;

inline std::vector<Issue> issues(const herald_report *report, herald_severity severity) {
    std::vector<Issue> list;
    std::size_t count = herald_report_count(report, severity);
    list.reserve(count);
    herald_issue issue = sized<herald_issue>();
    for (std::size_t index = 0; index < count; index++) {
        check(herald_report_issue(report, severity, index, &issue, error()));
        list.push_back(Issue{std::string(view(issue.code)), std::string(view(issue.pointer)),
                             std::string(view(issue.message))});
    }
    return list;
}

inline Report take_report(herald_report *raw) {
    ReportHandle report(raw);
    return Report{issues(report.get(), HERALD_SEVERITY_ERROR), issues(report.get(), HERALD_SEVERITY_WARNING),
                  herald_report_truncated(report.get())};
}

} // namespace detail

/// A payload check prepared once for one event or named schema, with its
/// limits (Catalogue::validator, Catalogue::named_validator): each validate
/// passes only the payload. It keeps its catalogue alive. Copies share one
/// validator; any number of threads may validate with it at once.
class Validator {
  public:
    /// Validates payload bytes. A clean payload costs one call and no allocation.
    Report validate(std::string_view payload) const {
        herald_report *report = nullptr;
        detail::check(herald_validator_validate(get(), detail::bytes(payload), payload.size(), nullptr, nullptr,
                                                &report, detail::error()));
        return report == nullptr ? Report{} : detail::take_report(report);
    }

    /// Whether the payload has no errors (warnings allowed); no report is made.
    bool is_valid(std::string_view payload) const {
        std::size_t errors = 0;
        detail::check(herald_validator_validate(get(), detail::bytes(payload), payload.size(), &errors, nullptr,
                                                nullptr, detail::error()));
        return errors == 0;
    }

    /// The underlying C handle (still owned by this object).
    const herald_validator *get() const noexcept { return handle_.get(); }

  private:
    friend class Catalogue;
    using Handle = detail::Shared<const herald_validator, herald_validator_clone, herald_validator_free>;
    explicit Validator(Handle handle) noexcept : handle_(std::move(handle)) {}
    Handle handle_;
};

/// An immutable, shared event catalogue. Copies share one catalogue.
class Catalogue {
  public:
    /// The built-in catalogue of every seed event.
    static Catalogue builtin() { return Catalogue(Handle::made(herald_catalogue_builtin())); }

    /// Loads a herald-catalogue/1 JSON document.
    static Catalogue from_json(std::string_view json) {
        const herald_catalogue *raw = nullptr;
        detail::check(herald_catalogue_from_json(detail::bytes(json), json.size(), &raw, detail::error()));
        return Catalogue(Handle(raw));
    }

    /// Number of events (templates count once).
    std::size_t size() const noexcept { return herald_catalogue_event_count(get()); }

    /// The source ids, in document order.
    std::vector<std::string_view> sources() const {
        std::vector<std::string_view> ids;
        std::size_t count = herald_catalogue_source_count(get());
        for (std::size_t index = 0; index < count; index++) {
            herald_str id;
            detail::check(herald_catalogue_source_at(get(), index, &id, detail::error()));
            ids.push_back(detail::view(id));
        }
        return ids;
    }

    /// Event number `index` (throws Status::OutOfRange past the end).
    Event at(std::size_t index) const {
        herald_event event = detail::sized<herald_event>();
        detail::check(herald_catalogue_event_at(get(), index, &event, detail::error()));
        return Event::from(event);
    }

    /// Every event, source by source.
    std::vector<Event> events() const {
        std::vector<Event> all;
        all.reserve(size());
        for (std::size_t index = 0; index < size(); index++) {
            all.push_back(at(index));
        }
        return all;
    }

    /// The event (source, name) stands for, resolving templates; nullopt if
    /// the source or event is unknown. `name` must outlive bound_value.
    std::optional<Event> find(std::string_view source, std::string_view name) const {
        herald_event event = detail::sized<herald_event>();
        herald_status status = herald_catalogue_get(get(), source.data(), source.size(), name.data(), name.size(),
                                                    &event, detail::error());
        if (status == HERALD_STATUS_UNKNOWN_SOURCE || status == HERALD_STATUS_UNKNOWN_EVENT) {
            return std::nullopt;
        }
        detail::check(status);
        return Event::from(event);
    }

    /// Events in other sources that report the same business event.
    std::vector<Event> aliases(std::string_view source, std::string_view name) const {
        std::vector<Event> found;
        std::optional<Event> event = find(source, name);
        if (!event) {
            return found;
        }
        for (std::size_t index = 0; index < event->alias_count; index++) {
            herald_event alias = detail::sized<herald_event>();
            detail::check(herald_catalogue_alias_at(get(), source.data(), source.size(), name.data(), name.size(),
                                                    index, &alias, detail::error()));
            found.push_back(Event::from(alias));
        }
        return found;
    }

    /// The catalogue as a herald-catalogue/1 document.
    std::string to_json() const {
        herald_buffer *document = nullptr;
        detail::check(herald_catalogue_to_json(get(), &document, detail::error()));
        return detail::take(document);
    }

    /// Validates payload bytes against the event (source, name); templated
    /// names resolve. Payload problems are report items; an unknown source,
    /// event or schema throws.
    Report validate(std::string_view source, std::string_view name, std::string_view payload,
                    const Limits *limits = nullptr) const {
        herald_report *report = nullptr;
        detail::check(herald_catalogue_validate(get(), source.data(), source.size(), name.data(), name.size(),
                                                detail::bytes(payload), payload.size(),
                                                limits ? limits->get() : nullptr, &report, detail::error()));
        return detail::take_report(report);
    }

    /// Validates against a named schema, e.g. "orangepill-subscribe".
    Report validate_named(std::string_view schema, std::string_view payload, const Limits *limits = nullptr) const {
        herald_report *report = nullptr;
        detail::check(herald_catalogue_validate_named(get(), schema.data(), schema.size(), detail::bytes(payload),
                                                      payload.size(), limits ? limits->get() : nullptr, &report,
                                                      detail::error()));
        return detail::take_report(report);
    }

    /// A Validator for the event (source, name); the names are checked now
    /// (an unknown source, event or schema throws) and the limits copied.
    Validator validator(std::string_view source, std::string_view name, const Limits *limits = nullptr) const {
        const herald_validator *raw = nullptr;
        detail::check(herald_catalogue_validator(get(), source.data(), source.size(), name.data(), name.size(),
                                                 limits ? limits->get() : nullptr, &raw, detail::error()));
        return Validator(Validator::Handle(raw));
    }

    /// A Validator for a named schema, e.g. "orangepill-subscribe".
    Validator named_validator(std::string_view schema, const Limits *limits = nullptr) const {
        const herald_validator *raw = nullptr;
        detail::check(herald_catalogue_named_validator(get(), schema.data(), schema.size(),
                                                       limits ? limits->get() : nullptr, &raw, detail::error()));
        return Validator(Validator::Handle(raw));
    }

    /// The JSON Schema (draft 2020-12) of an event's payload.
    std::string json_schema(std::string_view source, std::string_view name) const {
        herald_buffer *document = nullptr;
        detail::check(herald_catalogue_json_schema(get(), source.data(), source.size(), name.data(), name.size(),
                                                   &document, detail::error()));
        return detail::take(document);
    }

    /// An AsyncAPI 3.0 document for one source.
    std::string asyncapi(std::string_view source) const {
        herald_buffer *document = nullptr;
        detail::check(herald_catalogue_asyncapi(get(), source.data(), source.size(), &document, detail::error()));
        return detail::take(document);
    }

    /// The underlying C handle (still owned by this object).
    const herald_catalogue *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Shared<const herald_catalogue, herald_catalogue_clone, herald_catalogue_free>;
    explicit Catalogue(Handle handle) noexcept : handle_(std::move(handle)) {}
    Handle handle_;
};

/// Recent answers of one snapshot, for one thread: repeated topics are
/// answered with a hash lookup instead of a trie walk. Never answers for an
/// older snapshot. Move-only.
class MatchCache {
  public:
    explicit MatchCache(std::size_t capacity = 4096) : handle_(Handle::made(herald_match_cache_new(capacity))) {}

    herald_match_cache *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_match_cache, herald_match_cache_free>;
    Handle handle_;
};

/// An immutable copy of a router's subscriptions; copies share it and any
/// number of threads may match against it.
class RouterSnapshot {
  public:
    /// Matching subscriber ids, each once, ascending.
    std::vector<std::uint64_t> match(std::string_view topic) const {
        std::vector<std::uint64_t> ids;
        match_into(topic, ids);
        return ids;
    }

    /// Like match(), reusing `ids`' storage (no allocation once it is big enough).
    void match_into(std::string_view topic, std::vector<std::uint64_t> &ids) const {
        detail::fill_ids(ids, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len, herald_error *error) {
            return herald_router_snapshot_match(get(), topic.data(), topic.size(), out, capacity, len, error);
        });
    }

    /// Like match_into(), answering repeated topics from `cache` (one per
    /// thread); see MatchCache. No allocation once `ids` is big enough.
    void match_cached(std::string_view topic, MatchCache &cache, std::vector<std::uint64_t> &ids) const {
        detail::fill_ids(ids, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len, herald_error *error) {
            return herald_router_snapshot_match_cached(get(), cache.get(), topic.data(), topic.size(), out, capacity,
                                                       len, error);
        });
    }

    /// Number of (pattern, subscriber) pairs.
    std::size_t size() const noexcept { return herald_router_snapshot_len(get()); }

    const herald_router_snapshot *get() const noexcept { return handle_.get(); }

  private:
    friend class Router;
    using Handle = detail::Shared<const herald_router_snapshot, herald_router_snapshot_clone,
                                  herald_router_snapshot_free>;
    explicit RouterSnapshot(Handle handle) noexcept : handle_(std::move(handle)) {}
    Handle handle_;
};

/// A mutable set of (pattern, subscriber id) subscriptions. Move-only.
class Router {
  public:
    Router() : handle_(Handle::made(herald_router_new())) {}

    /// Subscribes; true if the pair is new.
    bool subscribe(std::string_view pattern, std::uint64_t subscriber) {
        bool added = false;
        detail::check(herald_router_subscribe(get(), pattern.data(), pattern.size(), subscriber, &added,
                                              detail::error()));
        return added;
    }

    /// Unsubscribes; true if the pair existed.
    bool unsubscribe(std::string_view pattern, std::uint64_t subscriber) {
        bool removed = false;
        detail::check(herald_router_unsubscribe(get(), pattern.data(), pattern.size(), subscriber, &removed,
                                                detail::error()));
        return removed;
    }

    /// Matching subscriber ids, each once, ascending; throws on an invalid topic.
    std::vector<std::uint64_t> match(std::string_view topic) const {
        std::vector<std::uint64_t> ids;
        match_into(topic, ids);
        return ids;
    }

    /// Like match(), reusing `ids`' storage (no allocation once it is big enough).
    void match_into(std::string_view topic, std::vector<std::uint64_t> &ids) const {
        detail::fill_ids(ids, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len, herald_error *error) {
            return herald_router_match(get(), topic.data(), topic.size(), out, capacity, len, error);
        });
    }

    /// Number of (pattern, subscriber) pairs.
    std::size_t size() const noexcept { return herald_router_len(get()); }

    /// An immutable copy of the current subscriptions, in O(1).
    RouterSnapshot snapshot() const {
        const herald_router_snapshot *raw = nullptr;
        detail::check(herald_router_snapshot_new(get(), &raw, detail::error()));
        return RouterSnapshot(RouterSnapshot::Handle(raw));
    }

    herald_router *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_router, herald_router_free>;
    Handle handle_;
};

/// Webhooks with a cap on distinct receiving URLs (InPlayer: 10). Move-only.
class EndpointSet {
  public:
    explicit EndpointSet(std::size_t max_urls = HERALD_DEFAULT_MAX_URLS)
        : handle_(Handle::made(herald_endpoints_new(max_urls))) {}

    /// Adds a webhook selecting `events` (exact names or patterns).
    void add(std::uint64_t id, std::string_view url, const std::vector<std::string_view> &events,
             bool enabled = true) {
        std::vector<herald_str> views;
        views.reserve(events.size());
        for (std::string_view event : events) {
            views.push_back(herald_str{event.data(), event.size()});
        }
        detail::check(herald_endpoints_add(get(), id, url.data(), url.size(), views.empty() ? nullptr : views.data(),
                                           views.size(), enabled, detail::error()));
    }

    void remove(std::uint64_t id) { detail::check(herald_endpoints_remove(get(), id, detail::error())); }

    /// Enables a webhook; true if it was disabled. Throws Status::TooManyUrls
    /// (nothing changed) if its URL would exceed the cap.
    bool enable(std::uint64_t id) {
        bool changed = false;
        detail::check(herald_endpoints_enable(get(), id, &changed, detail::error()));
        return changed;
    }

    /// Disables a webhook; true if it was enabled.
    bool disable(std::uint64_t id) {
        bool changed = false;
        detail::check(herald_endpoints_disable(get(), id, &changed, detail::error()));
        return changed;
    }

    std::size_t size() const noexcept { return herald_endpoints_len(get()); }
    std::size_t receiving_count() const noexcept { return herald_endpoints_receiving_count(get()); }

    /// The URLs `event` must be delivered to, sorted, each once.
    std::vector<std::string> deliveries(std::string_view event) const {
        herald_list *urls = nullptr;
        detail::check(herald_endpoints_deliveries(get(), event.data(), event.size(), &urls, detail::error()));
        return detail::take(urls);
    }

    herald_endpoints *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_endpoints, herald_endpoints_free>;
    Handle handle_;
};

/// The vendor wire formats.
enum class WireFormat : std::int32_t {
    /// InPlayer client notifications: JSON `{type, timestamp, resource}`.
    InplayerNotification = HERALD_WIRE_FORMAT_INPLAYER_NOTIFICATION,
    /// InPlayer merchant webhooks: an `application/x-www-form-urlencoded` body.
    InplayerWebhook = HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK,
    /// Orangepill's realm stream: JSON notification frames.
    Orangepill = HERALD_WIRE_FORMAT_ORANGEPILL,
    /// AccelByte lobby `messageNotif` frames carrying wallet notifications.
    AccelbyteLobby = HERALD_WIRE_FORMAT_ACCELBYTE_LOBBY,
};

/// A timestamp as the vendor sent it: none, Unix seconds, or text.
using Timestamp = std::variant<std::monostate, std::int64_t, std::string_view>;

/// A normalised event: what decode() produces and encode() writes back.
/// Move-only; the views it hands out stay valid while it lives.
class WireEvent {
  public:
    /// Takes ownership of a handle from herald_wire_decode or herald_wire_event_from_json.
    explicit WireEvent(herald_wire_event *handle) noexcept : handle_(handle) {}

    /// Reads an event from its JSON document (as to_json() writes it).
    static WireEvent from_json(std::string_view json) {
        herald_wire_event *raw = nullptr;
        detail::check(herald_wire_event_from_json(detail::bytes(json), json.size(), &raw, detail::error()));
        return WireEvent(raw);
    }

    WireFormat format() const { return static_cast<WireFormat>(info().format); }
    /// The catalogue source, e.g. "orangepill-stream".
    std::string_view source() const { return detail::view(info().source); }
    /// The event name as sent (the topic to route), e.g. "sms.message.sent".
    std::string_view name() const { return detail::view(info().name); }
    /// The template parameter's value ("sms"), empty if the name is no template instance.
    std::string_view template_value() const { return detail::view(info().template_value); }
    /// The event id (webhook `id`, lobby `id`), if the format carries one.
    std::optional<std::string_view> id() const {
        herald_wire_event_info described = info();
        return described.has_id ? std::optional<std::string_view>(detail::view(described.id)) : std::nullopt;
    }
    Timestamp timestamp() const {
        herald_wire_event_info described = info();
        switch (described.timestamp_kind) {
        case HERALD_TIMESTAMP_KIND_UNIX:
            return described.timestamp_unix;
        case HERALD_TIMESTAMP_KIND_TEXT:
            return detail::view(described.timestamp_text);
        default:
            return std::monostate{};
        }
    }
    /// The payload the catalogue's schema describes (usually JSON).
    std::string_view payload() const {
        herald_bytes bytes = info().payload;
        return std::string_view(reinterpret_cast<const char *>(bytes.ptr), bytes.len);
    }

    /// The vendor's exact wire form.
    std::string encode() const {
        herald_buffer *wire = nullptr;
        detail::check(herald_wire_encode(get(), &wire, detail::error()));
        return detail::take(wire);
    }

    /// The event's JSON document (format, name, id, timestamp, payload, envelope).
    std::string to_json() const {
        herald_buffer *document = nullptr;
        detail::check(herald_wire_event_to_json(get(), &document, detail::error()));
        return detail::take(document);
    }

    const herald_wire_event *get() const noexcept { return handle_.get(); }

  private:
    herald_wire_event_info info() const {
        herald_wire_event_info described = detail::sized<herald_wire_event_info>();
        detail::check(herald_wire_event_describe(get(), &described, detail::error()));
        return described;
    }

    detail::Owned<herald_wire_event, herald_wire_event_free> handle_;
};

/// A decoded event and its validation report.
struct Decoded {
    WireEvent event;
    Report report;
};

/// Decodes wire bytes into a normalised event, resolved in `catalogue` and
/// validated. Payload problems are report items; bytes that cannot be
/// decoded (malformed JSON, escapes, brackets, an unknown event) throw
/// Status::InvalidWire with the rule in code().
inline Decoded decode(const Catalogue &catalogue, WireFormat format, std::string_view bytes) {
    herald_wire_event *event = nullptr;
    herald_report *report = nullptr;
    detail::check(herald_wire_decode(catalogue.get(), static_cast<std::int32_t>(format), detail::bytes(bytes),
                                     bytes.size(), &event, &report, detail::error()));
    WireEvent owned(event);
    return Decoded{std::move(owned), detail::take_report(report)};
}

/// What a realm client frame did.
enum class RealmOutcome : std::int32_t {
    Subscribed = HERALD_REALM_OUTCOME_SUBSCRIBED,
    AlreadySubscribed = HERALD_REALM_OUTCOME_ALREADY_SUBSCRIBED,
    Unsubscribed = HERALD_REALM_OUTCOME_UNSUBSCRIBED,
    NotSubscribed = HERALD_REALM_OUTCOME_NOT_SUBSCRIBED,
    InvalidKey = HERALD_REALM_OUTCOME_INVALID_KEY,
    Malformed = HERALD_REALM_OUTCOME_MALFORMED,
};

/// The frames to send back to the client, in order, and what happened.
struct RealmReply {
    std::vector<std::string> frames;
    RealmOutcome outcome;

    /// Whether the reply is the success pair (`info` with the realm id, then the echo).
    bool success() const noexcept {
        return outcome != RealmOutcome::InvalidKey && outcome != RealmOutcome::Malformed;
    }
};

/// The realm keys a hub accepts: key -> realm id. Move-only.
class RealmKeys {
  public:
    RealmKeys() : handle_(Handle::made(herald_realm_keys_new())) {}

    /// Accepts `key` for the realm `realm_id`; adding a key again replaces its realm id.
    void add(std::string_view key, std::string_view realm_id) {
        detail::check(herald_realm_keys_add(handle_.get(), key.data(), key.size(), realm_id.data(), realm_id.size(),
                                            detail::error()));
    }

    const herald_realm_keys *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_realm_keys, herald_realm_keys_free>;
    Handle handle_;
};

/// The Orangepill realm subscription protocol for many client connections,
/// sans-IO. Move-only.
class RealmHub {
  public:
    RealmHub() : handle_(Handle::made(herald_realm_hub_new())) {}

    /// Opens a session for a new connection; ids start at 1 and are never reused.
    std::uint64_t open() {
        std::uint64_t session = 0;
        detail::check(herald_realm_hub_open(get(), &session, detail::error()));
        return session;
    }

    /// Closes a session; throws Status::UnknownSession if there is none.
    void close(std::uint64_t session) { detail::check(herald_realm_hub_close(get(), session, detail::error())); }

    /// Feeds one client frame, checking keys against `keys`, stamping replies
    /// with `now` (Unix seconds). A malformed frame is not an exception: it
    /// gets the failure pair and RealmOutcome::Malformed.
    RealmReply handle(std::uint64_t session, std::string_view frame, std::int64_t now, const RealmKeys &keys) {
        herald_list *frames = nullptr;
        std::int32_t outcome = 0;
        detail::check(herald_realm_hub_handle(get(), session, detail::bytes(frame), frame.size(), now, keys.get(),
                                              &frames, &outcome, detail::error()));
        return RealmReply{detail::take(frames), static_cast<RealmOutcome>(outcome)};
    }

    /// The sessions subscribed to `realm` (a realm id), ascending.
    std::vector<std::uint64_t> recipients(std::string_view realm) const {
        std::vector<std::uint64_t> sessions;
        detail::fill_ids(sessions, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len,
                                       herald_error *error) {
            return herald_realm_hub_recipients(get(), realm.data(), realm.size(), out, capacity, len, error);
        });
        return sessions;
    }

    herald_realm_hub *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_realm_hub, herald_realm_hub_free>;
    Handle handle_;
};


/// The webhook signature schemes.
enum class Scheme : std::int32_t {
    /// InPlayer merchant webhooks: `X-InPlayer-Signature: sha256=<hex>`.
    Inplayer = HERALD_SCHEME_INPLAYER,
    /// Orangepill webhooks: `X-Orangepill-Signature` (+ optional `X-Orangepill-Timestamp`).
    Orangepill = HERALD_SCHEME_ORANGEPILL,
    /// Standard Webhooks (Svix): `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    StandardWebhooks = HERALD_SCHEME_STANDARD_WEBHOOKS,
    /// Stripe-style: `Stripe-Signature: t=<unix>,v1=<hex>...`.
    Stripe = HERALD_SCHEME_STRIPE,
};

/// How far a signed timestamp may be from `now`, either way. There is no
/// default: say seconds(n), reference() (300 s, the Standard Webhooks
/// reference libraries' window) or, to turn the check off, no_check().
class Tolerance {
  public:
    static constexpr Tolerance seconds(std::uint64_t value) noexcept {
        // Beyond INT64_MAX seconds every timestamp is within the window anyway.
        return Tolerance(value > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX
                                                                        : static_cast<std::int64_t>(value));
    }
    static constexpr Tolerance reference() noexcept { return Tolerance(HERALD_TOLERANCE_REFERENCE); }
    static constexpr Tolerance no_check() noexcept { return Tolerance(HERALD_TOLERANCE_NO_CHECK); }

    /// The `tolerance` argument of herald_verify.
    constexpr std::int64_t raw() const noexcept { return raw_; }

  private:
    constexpr explicit Tolerance(std::int64_t raw) noexcept : raw_(raw) {}
    std::int64_t raw_;
};

/// The keys a receiver accepts for one scheme, in order (several during a
/// rotation; Verified::key names the one that matched). Secrets are parsed
/// once, when added. Move-only.
class KeySet {
  public:
    explicit KeySet(Scheme scheme) {
        herald_key_set *raw = nullptr;
        detail::check(herald_key_set_new(static_cast<std::int32_t>(scheme), &raw, detail::error()));
        handle_ = Handle(raw);
    }

    /// Parses `secret` by the scheme's rules and appends it; returns its
    /// index. Throws Status::InvalidSecret (the set unchanged) for an empty
    /// or undecodable secret.
    std::size_t add(std::string_view secret) {
        std::size_t index = 0;
        detail::check(herald_key_set_add(get(), detail::bytes(secret), secret.size(), &index, detail::error()));
        return index;
    }

    /// Removes the key at `index` (later keys move down); throws Status::OutOfRange.
    void remove(std::size_t index) { detail::check(herald_key_set_remove(get(), index, detail::error())); }

    std::size_t size() const noexcept { return herald_key_set_len(get()); }
    Scheme scheme() const noexcept { return static_cast<Scheme>(herald_key_set_scheme(get())); }

    herald_key_set *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_key_set, herald_key_set_free>;
    Handle handle_;
};

/// One received HTTP header, as the HTTP parser gave it (names in any case).
struct Header {
    std::string_view name;
    std::string_view value;
};

/// What a verified message's signature vouched for. `id` views the value of
/// the header it came from, so it lives as long as that.
struct Verified {
    std::size_t key = 0;
    std::optional<std::string_view> id;
    std::optional<std::int64_t> timestamp;
};

namespace detail {

inline std::vector<herald_header> headers(const std::vector<Header> &given) {
    std::vector<herald_header> raw;
    raw.reserve(given.size());
    for (const Header &header : given) {
        raw.push_back(herald_header{bytes(header.name), header.name.size(), bytes(header.value), header.value.size()});
    }
    return raw;
}

inline Verified verified(const herald_verified &raw) {
    Verified result;
    result.key = raw.key;
    if (raw.has_id) {
        result.id = view(raw.id);
    }
    if (raw.has_timestamp) {
        result.timestamp = raw.timestamp;
    }
    return result;
}

} // namespace detail

/// Verifies a webhook: its headers, its raw body exactly as received, the
/// caller's clock `now` (unix seconds) and the tolerance. Throws
/// herald::Error with Status::SignatureRejected and the stable outcome in
/// code() ("missing_header", ..., "no_matching_signature") when it does not
/// verify.
inline Verified verify(const KeySet &keys, const std::vector<Header> &headers, std::string_view body,
                       std::int64_t now, Tolerance tolerance) {
    std::vector<herald_header> raw = detail::headers(headers);
    herald_verified out = detail::sized<herald_verified>();
    detail::check(herald_verify(keys.get(), raw.data(), raw.size(), detail::bytes(body), body.size(), now,
                                tolerance.raw(), &out, detail::error()));
    return detail::verified(out);
}

/// A verified and decoded webhook.
struct Authentic {
    Verified verified;
    WireEvent event;
    Report report;

    /// The id for the replay guard: the signed header id, else the body's own id.
    std::optional<std::string_view> message_id() const {
        return verified.id ? verified.id : event.id();
    }
};

/// Verifies as verify() does, and only then decodes the same raw bytes as
/// decode() does. A body that does not verify is never decoded.
inline Authentic verify_then_decode(const KeySet &keys, const std::vector<Header> &headers, std::string_view body,
                                    std::int64_t now, Tolerance tolerance, const Catalogue &catalogue,
                                    WireFormat format) {
    std::vector<herald_header> raw = detail::headers(headers);
    herald_verified out = detail::sized<herald_verified>();
    herald_wire_event *event = nullptr;
    herald_report *report = nullptr;
    detail::check(herald_verify_then_decode(keys.get(), raw.data(), raw.size(), detail::bytes(body), body.size(),
                                            now, tolerance.raw(), catalogue.get(), static_cast<std::int32_t>(format),
                                            &out, &event, &report, detail::error()));
    WireEvent owned(event);
    return Authentic{detail::verified(out), std::move(owned), detail::take_report(report)};
}

/// One header to send.
struct SentHeader {
    std::string name;
    std::string value;
};

/// Signs `body` with every key of `keys` and returns the headers to send, in
/// the scheme's order. `id` and `timestamp` as the scheme signs them
/// (Standard Webhooks both, Stripe a timestamp, Orangepill an optional
/// timestamp, InPlayer neither); throws Status::CannotSign otherwise.
inline std::vector<SentHeader> sign(const KeySet &keys, std::string_view body,
                                    std::optional<std::string_view> id = std::nullopt,
                                    std::optional<std::int64_t> timestamp = std::nullopt) {
    herald_list *lines = nullptr;
    detail::check(herald_sign(keys.get(), id ? detail::bytes(*id) : nullptr, id ? id->size() : 0,
                              timestamp.has_value(), timestamp.value_or(0), detail::bytes(body), body.size(), &lines,
                              detail::error()));
    std::vector<SentHeader> sent;
    for (std::string &line : detail::take(lines)) {
        std::size_t colon = line.find(": ");
        sent.push_back(SentHeader{line.substr(0, colon), colon == std::string::npos ? "" : line.substr(colon + 2)});
    }
    return sent;
}

/// Remembers the ids of verified messages for `window` seconds and refuses
/// a second delivery; holds at most `capacity` ids. Sans-IO. Move-only.
class ReplayGuard {
  public:
    ReplayGuard(std::uint64_t window, std::size_t capacity)
        : handle_(Handle::made(herald_replay_guard_new(window, capacity))) {}

    /// Admits `id` at `now`; `signed_at` is its verified timestamp, if any.
    /// Throws Status::DuplicateMessage (code "duplicate") or
    /// Status::ReplayGuardFull (code "replay_guard_full").
    void admit(std::string_view id, std::optional<std::int64_t> signed_at, std::int64_t now) {
        detail::check(herald_replay_guard_admit(get(), detail::bytes(id), id.size(), signed_at.has_value(),
                                                signed_at.value_or(0), now, detail::error()));
    }

    /// Forgets ids whose window ended before `now`.
    void forget_expired(std::int64_t now) {
        detail::check(herald_replay_guard_forget_expired(get(), now, detail::error()));
    }

    std::size_t size() const noexcept { return herald_replay_guard_len(get()); }

    herald_replay_guard *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_replay_guard, herald_replay_guard_free>;
    Handle handle_;
};

/// The brokers herald plans subscriptions for.
enum class Broker : std::int32_t {
    Nats = HERALD_BROKER_NATS,
    Mqtt = HERALD_BROKER_MQTT,
    Amqp = HERALD_BROKER_AMQP,
    Redis = HERALD_BROKER_REDIS,
};

/// A hosted service's limits on top of its protocol's.
enum class BrokerProfile : std::int32_t {
    None = HERALD_BROKER_PROFILE_NONE,
    /// AWS IoT Core (MQTT): 8 levels, 256-byte topics, 8 filters per SUBSCRIBE.
    AwsIot = HERALD_BROKER_PROFILE_AWS_IOT,
};

/// How exactly a plan carries a pattern, from the best to the worst.
enum class Exactness : std::int32_t {
    Exact = HERALD_EXACTNESS_EXACT,
    Split = HERALD_EXACTNESS_SPLIT,
    Overlapping = HERALD_EXACTNESS_OVERLAPPING,
    Superset = HERALD_EXACTNESS_SUPERSET,
    Untranslatable = HERALD_EXACTNESS_UNTRANSLATABLE,
};

/// How a planner may translate; unset options are the defaults. Move-only.
class PlanOptions {
  public:
    PlanOptions() : handle_(Handle::made(herald_plan_options_new())) {}

    /// Expand a middle `#` into at most `value` subscriptions (0: never).
    PlanOptions &set_max_expansion(std::size_t value) {
        return done(herald_plan_options_set_max_expansion(handle_.get(), value));
    }
    /// The deepest topic published; deeper ones are refused.
    PlanOptions &set_max_depth(std::size_t value) {
        return done(herald_plan_options_set_max_depth(handle_.get(), value));
    }
    PlanOptions &set_profile(BrokerProfile profile) {
        return done(herald_plan_options_set_profile(handle_.get(), static_cast<std::int32_t>(profile)));
    }

    const herald_plan_options *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_plan_options, herald_plan_options_free>;

    PlanOptions &done(herald_status status) {
        if (status != HERALD_STATUS_OK) {
            throw Error(static_cast<Status>(status), "", status_text(static_cast<Status>(status)).data(), "");
        }
        return *this;
    }

    Handle handle_;
};

/// One pattern's plan: the subscriptions to make and what the receiver must
/// do with what they deliver.
struct Plan {
    Exactness exactness = Exactness::Untranslatable;
    std::vector<std::string> subscriptions;
    bool needs_filter = false;
    bool may_duplicate = false;
    /// Why the broker cannot carry the pattern (empty when it can).
    std::string refusal_code;
    std::string refusal_reason;
};

/// A pattern of a fleet subscriber that the broker cannot carry.
struct Refused {
    std::string pattern;
    std::string code;
    std::string reason;
};

/// One fleet subscriber's merged subscriptions and post-filter.
struct SubscriberPlan {
    std::uint64_t subscriber = 0;
    Exactness exactness = Exactness::Untranslatable;
    std::vector<std::string> subscriptions;
    bool needs_filter = false;
    bool may_duplicate = false;
    /// The patterns a received topic must match (any) when needs_filter.
    std::vector<std::string> filter;
    std::vector<Refused> untranslatable;
};

/// Translates herald patterns and topics for one broker. Move-only; any
/// number of threads may use one planner at once.
class BrokerPlanner {
  public:
    explicit BrokerPlanner(Broker broker, const PlanOptions *options = nullptr) {
        herald_broker_planner *raw = nullptr;
        detail::check(herald_broker_planner_new(static_cast<std::int32_t>(broker),
                                                options ? options->get() : nullptr, &raw, detail::error()));
        handle_ = Handle(raw);
    }

    Broker broker() const noexcept { return static_cast<Broker>(herald_broker_planner_broker(get())); }
    BrokerProfile profile() const noexcept {
        return static_cast<BrokerProfile>(herald_broker_planner_profile(get()));
    }
    std::size_t max_depth() const noexcept { return herald_broker_planner_max_depth(get()); }
    std::size_t max_expansion() const noexcept { return herald_broker_planner_max_expansion(get()); }

    /// The plan for `pattern`; throws Status::InvalidPattern. A pattern the
    /// broker cannot carry is an Exactness::Untranslatable plan, not an error.
    Plan plan(std::string_view pattern) const {
        herald_broker_plan *raw = nullptr;
        detail::check(herald_broker_planner_plan(get(), pattern.data(), pattern.size(), &raw, detail::error()));
        PlanHandle owned(raw);
        herald_list *subscriptions = nullptr;
        detail::check(herald_broker_plan_subscriptions(owned.get(), &subscriptions, detail::error()));
        Plan result;
        result.exactness = static_cast<Exactness>(herald_broker_plan_exactness(owned.get()));
        result.subscriptions = detail::take(subscriptions);
        result.needs_filter = herald_broker_plan_needs_filter(owned.get());
        result.may_duplicate = herald_broker_plan_may_duplicate(owned.get());
        result.refusal_code = std::string(detail::view(herald_broker_plan_refusal_code(owned.get())));
        result.refusal_reason = std::string(detail::view(herald_broker_plan_refusal_reason(owned.get())));
        return result;
    }

    /// The name to publish `topic` under; throws Status::InvalidTopic, or
    /// Status::Untranslatable with the refusal's code.
    std::string topic(std::string_view topic) const {
        herald_buffer *name = nullptr;
        detail::check(herald_broker_planner_topic(get(), topic.data(), topic.size(), &name, detail::error()));
        return detail::take(name);
    }

    /// Plans (pattern, subscriber) pairs together: one plan per subscriber,
    /// by ascending id. Throws Status::InvalidPattern.
    std::vector<SubscriberPlan> fleet(const std::vector<std::pair<std::string_view, std::uint64_t>> &pairs) const {
        FleetHandle fleet = FleetHandle::made(herald_broker_fleet_new());
        for (const auto &pair : pairs) {
            detail::check(herald_broker_fleet_add(fleet.get(), pair.first.data(), pair.first.size(), pair.second,
                                                  detail::error()));
        }
        herald_broker_fleet_plan *raw = nullptr;
        detail::check(herald_broker_planner_fleet(get(), fleet.get(), &raw, detail::error()));
        FleetPlanHandle plan(raw);
        std::vector<SubscriberPlan> plans;
        std::size_t count = herald_broker_fleet_plan_count(plan.get());
        plans.reserve(count);
        for (std::size_t index = 0; index < count; index++) {
            herald_subscriber_plan described = detail::sized<herald_subscriber_plan>();
            detail::check(herald_broker_fleet_plan_subscriber(plan.get(), index, &described, detail::error()));
            SubscriberPlan one;
            one.subscriber = described.subscriber;
            one.exactness = static_cast<Exactness>(described.exactness);
            one.needs_filter = described.needs_filter;
            one.may_duplicate = described.may_duplicate;
            herald_list *list = nullptr;
            detail::check(herald_broker_fleet_plan_subscriptions(plan.get(), index, &list, detail::error()));
            one.subscriptions = detail::take(list);
            detail::check(herald_broker_fleet_plan_filter(plan.get(), index, &list, detail::error()));
            one.filter = detail::take(list);
            for (std::size_t item = 0; item < described.untranslatable_count; item++) {
                herald_str pattern, code, reason;
                detail::check(herald_broker_fleet_plan_untranslatable_at(plan.get(), index, item, &pattern, &code,
                                                                         &reason, detail::error()));
                one.untranslatable.push_back(Refused{std::string(detail::view(pattern)),
                                                     std::string(detail::view(code)),
                                                     std::string(detail::view(reason))});
            }
            plans.push_back(std::move(one));
        }
        return plans;
    }

    const herald_broker_planner *get() const noexcept { return handle_.get(); }

  private:
    using Handle = detail::Owned<herald_broker_planner, herald_broker_planner_free>;
    using PlanHandle = detail::Owned<herald_broker_plan, herald_broker_plan_free>;
    using FleetHandle = detail::Owned<herald_broker_fleet, herald_broker_fleet_free>;
    using FleetPlanHandle = detail::Owned<herald_broker_fleet_plan, herald_broker_fleet_plan_free>;
    Handle handle_;
};

} // namespace herald

#endif // HERALD_HPP
