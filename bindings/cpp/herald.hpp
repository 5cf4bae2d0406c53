// herald.hpp: a header-only C++17 wrapper over the herald C ABI (herald.h).
//
// Ownership is RAII: routers and endpoint sets are move-only; catalogues and
// router snapshots are shared (copying adds a reference). Failures throw
// herald::Error carrying the C status, the stable error code and, where there
// is one, a JSON Pointer or document path. Strings go in as std::string_view;
// views handed out (Event fields) stay valid while their catalogue lives.
//
// Thread safety follows the C objects: Catalogue and RouterSnapshot may be
// used from any number of threads at once; Router, EndpointSet, RealmKeys
// and RealmHub from one thread at a time; a WireEvent may be read and
// encoded from any number of threads. Reports are plain values.
#ifndef HERALD_HPP
#define HERALD_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
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

struct ErrorFree {
    void operator()(herald_error *error) const noexcept { herald_error_free(error); }
};

/// An error object for one call; turns a failed status into herald::Error.
class ErrorSlot {
  public:
    ErrorSlot() : error_(herald_error_new()) {
        if (!error_) {
            throw std::bad_alloc();
        }
    }

    herald_error *get() const noexcept { return error_.get(); }

    [[noreturn]] void raise(herald_status status) const {
        throw Error(static_cast<Status>(status), std::string(view(herald_error_code(get()))),
                    std::string(view(herald_error_message(get()))), std::string(view(herald_error_pointer(get()))));
    }

    void check(herald_status status) const {
        if (status != HERALD_STATUS_OK) {
            raise(status);
        }
    }

  private:
    std::unique_ptr<herald_error, ErrorFree> error_;
};

/// Calls `fill(buffer, capacity, &len, error)` until the buffer is big enough.
template <typename T, typename Fill> std::vector<T> grow_and_fill(Fill fill, std::size_t first_guess) {
    ErrorSlot error;
    std::vector<T> items(first_guess);
    for (;;) {
        std::size_t len = 0;
        herald_status status = fill(items.empty() ? nullptr : items.data(), items.size(), &len, error.get());
        if (status == HERALD_STATUS_OK) {
            items.resize(len);
            return items;
        }
        if (status != HERALD_STATUS_BUFFER_TOO_SMALL || len <= items.size()) {
            error.raise(status);
        }
        items.resize(len);
    }
}

inline std::string bytes_to_string(const std::vector<std::uint8_t> &bytes) {
    return std::string(bytes.begin(), bytes.end());
}

} // namespace detail

/// The C ABI version of the loaded library; compare with HERALD_ABI_VERSION.
inline std::uint32_t abi_version() noexcept { return herald_abi_version(); }

/// The library version, e.g. "0.1.0".
inline std::string_view version() noexcept { return herald_version(); }

/// Throws herald::Error (Status::InvalidTopic) unless `topic` is a valid event name.
inline void validate_topic(std::string_view topic) {
    detail::ErrorSlot error;
    error.check(herald_topic_validate(topic.data(), topic.size(), error.get()));
}

/// Throws herald::Error (Status::InvalidPattern) unless `pattern` is a valid pattern.
inline void validate_pattern(std::string_view pattern) {
    detail::ErrorSlot error;
    error.check(herald_pattern_validate(pattern.data(), pattern.size(), error.get()));
}

/// Whether `topic` matches `pattern`; throws on an invalid pattern or topic.
inline bool matches(std::string_view pattern, std::string_view topic) {
    detail::ErrorSlot error;
    bool result = false;
    error.check(herald_pattern_matches(pattern.data(), pattern.size(), topic.data(), topic.size(), &result,
                                       error.get()));
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

/// Limits on untrusted input (payload size, nesting depth, errors per report, ...).
using Limits = herald_limits;

/// The default limits; change the fields you care about.
inline Limits default_limits() noexcept { return herald_limits_default(); }

namespace detail {

struct ReportFree {
    void operator()(herald_report *report) const noexcept { herald_report_free(report); }
};

inline std::vector<Issue> issues(const herald_report *report, herald_severity severity) {
    ErrorSlot error;
    std::vector<Issue> list;
    std::size_t count = herald_report_count(report, severity);
    list.reserve(count);
    for (std::size_t index = 0; index < count; index++) {
        herald_issue issue;
        error.check(herald_report_issue(report, severity, index, &issue, error.get()));
        list.push_back(Issue{std::string(view(issue.code)), std::string(view(issue.pointer)),
                             std::string(view(issue.message))});
    }
    return list;
}

inline Report take_report(herald_report *raw) {
    std::unique_ptr<herald_report, ReportFree> report(raw);
    return Report{issues(report.get(), HERALD_SEVERITY_ERROR), issues(report.get(), HERALD_SEVERITY_WARNING),
                  herald_report_truncated(report.get())};
}

} // namespace detail

/// An immutable, shared event catalogue. Copies share one catalogue.
class Catalogue {
  public:
    /// The built-in catalogue of every seed event.
    static Catalogue builtin() {
        const herald_catalogue *handle = herald_catalogue_builtin();
        if (!handle) {
            throw std::bad_alloc();
        }
        return Catalogue(handle);
    }

    /// Loads a herald-catalogue/1 JSON document.
    static Catalogue from_json(std::string_view json) {
        detail::ErrorSlot error;
        const herald_catalogue *handle = nullptr;
        error.check(herald_catalogue_from_json(reinterpret_cast<const std::uint8_t *>(json.data()), json.size(),
                                               &handle, error.get()));
        return Catalogue(handle);
    }

    Catalogue(const Catalogue &other) noexcept : handle_(herald_catalogue_clone(other.handle_)) {}
    Catalogue(Catalogue &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Catalogue &operator=(Catalogue other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ~Catalogue() { herald_catalogue_free(handle_); }

    /// Number of events (templates count once).
    std::size_t size() const noexcept { return herald_catalogue_event_count(handle_); }

    /// The source ids, in document order.
    std::vector<std::string_view> sources() const {
        detail::ErrorSlot error;
        std::vector<std::string_view> ids;
        std::size_t count = herald_catalogue_source_count(handle_);
        for (std::size_t index = 0; index < count; index++) {
            herald_str id;
            error.check(herald_catalogue_source_at(handle_, index, &id, error.get()));
            ids.push_back(detail::view(id));
        }
        return ids;
    }

    /// Event number `index` (throws Status::OutOfRange past the end).
    Event at(std::size_t index) const {
        detail::ErrorSlot error;
        herald_event event;
        error.check(herald_catalogue_event_at(handle_, index, &event, error.get()));
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
        detail::ErrorSlot error;
        herald_event event;
        herald_status status =
            herald_catalogue_get(handle_, source.data(), source.size(), name.data(), name.size(), &event, error.get());
        if (status == HERALD_STATUS_UNKNOWN_SOURCE || status == HERALD_STATUS_UNKNOWN_EVENT) {
            return std::nullopt;
        }
        error.check(status);
        return Event::from(event);
    }

    /// Events in other sources that report the same business event.
    std::vector<Event> aliases(std::string_view source, std::string_view name) const {
        std::vector<Event> found;
        std::optional<Event> event = find(source, name);
        if (!event) {
            return found;
        }
        detail::ErrorSlot error;
        for (std::size_t index = 0; index < event->alias_count; index++) {
            herald_event alias;
            error.check(herald_catalogue_alias_at(handle_, source.data(), source.size(), name.data(), name.size(),
                                                  index, &alias, error.get()));
            found.push_back(Event::from(alias));
        }
        return found;
    }

    /// The catalogue as a herald-catalogue/1 document.
    std::string to_json() const {
        return detail::bytes_to_string(detail::grow_and_fill<std::uint8_t>(
            [this](std::uint8_t *buffer, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_catalogue_to_json(handle_, buffer, capacity, len, error);
            },
            0));
    }

    /// Validates payload bytes against the event (source, name); templated
    /// names resolve. Payload problems are report items; an unknown source,
    /// event or schema throws.
    Report validate(std::string_view source, std::string_view name, std::string_view payload,
                    const Limits *limits = nullptr) const {
        detail::ErrorSlot error;
        herald_report *report = nullptr;
        error.check(herald_catalogue_validate(handle_, source.data(), source.size(), name.data(), name.size(),
                                              reinterpret_cast<const std::uint8_t *>(payload.data()), payload.size(),
                                              limits, &report, error.get()));
        return detail::take_report(report);
    }

    /// Validates against a named schema, e.g. "orangepill-subscribe".
    Report validate_named(std::string_view schema, std::string_view payload, const Limits *limits = nullptr) const {
        detail::ErrorSlot error;
        herald_report *report = nullptr;
        error.check(herald_catalogue_validate_named(handle_, schema.data(), schema.size(),
                                                    reinterpret_cast<const std::uint8_t *>(payload.data()),
                                                    payload.size(), limits, &report, error.get()));
        return detail::take_report(report);
    }

    /// The JSON Schema (draft 2020-12) of an event's payload.
    std::string json_schema(std::string_view source, std::string_view name) const {
        return detail::bytes_to_string(detail::grow_and_fill<std::uint8_t>(
            [&](std::uint8_t *buffer, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_catalogue_json_schema(handle_, source.data(), source.size(), name.data(), name.size(),
                                                    buffer, capacity, len, error);
            },
            4096));
    }

    /// An AsyncAPI 3.0 document for one source.
    std::string asyncapi(std::string_view source) const {
        return detail::bytes_to_string(detail::grow_and_fill<std::uint8_t>(
            [&](std::uint8_t *buffer, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_catalogue_asyncapi(handle_, source.data(), source.size(), buffer, capacity, len, error);
            },
            65536));
    }

    /// The underlying C handle (still owned by this object).
    const herald_catalogue *get() const noexcept { return handle_; }

  private:
    explicit Catalogue(const herald_catalogue *handle) noexcept : handle_(handle) {}
    const herald_catalogue *handle_;
};

/// An immutable copy of a router's subscriptions; copies share it and any
/// number of threads may match against it.
class RouterSnapshot {
  public:
    RouterSnapshot(const RouterSnapshot &other) noexcept : handle_(herald_router_snapshot_clone(other.handle_)) {}
    RouterSnapshot(RouterSnapshot &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    RouterSnapshot &operator=(RouterSnapshot other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ~RouterSnapshot() { herald_router_snapshot_free(handle_); }

    /// Matching subscriber ids, each once, ascending.
    std::vector<std::uint64_t> match(std::string_view topic) const {
        std::vector<std::uint64_t> ids;
        match_into(topic, ids);
        return ids;
    }

    /// Like match(), reusing `ids`' storage (no allocation once it is big enough).
    void match_into(std::string_view topic, std::vector<std::uint64_t> &ids) const {
        fill_ids(ids, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len, herald_error *error) {
            return herald_router_snapshot_match(handle_, topic.data(), topic.size(), out, capacity, len, error);
        });
    }

    /// Like match_into(), answering repeated topics from `cache` (one per
    /// thread); see MatchCache.
    void match_cached(std::string_view topic, class MatchCache &cache, std::vector<std::uint64_t> &ids) const;

    /// Number of (pattern, subscriber) pairs.
    std::size_t size() const noexcept { return herald_router_snapshot_len(handle_); }

  private:
    friend class Router;
    explicit RouterSnapshot(const herald_router_snapshot *handle) noexcept : handle_(handle) {}

    template <typename Fill> static void fill_ids(std::vector<std::uint64_t> &ids, Fill fill) {
        detail::ErrorSlot error;
        if (ids.capacity() == 0) {
            ids.reserve(16);
        }
        ids.resize(ids.capacity());
        for (;;) {
            std::size_t len = 0;
            herald_status status = fill(ids.data(), ids.size(), &len, error.get());
            if (status == HERALD_STATUS_OK) {
                ids.resize(len);
                return;
            }
            if (status != HERALD_STATUS_BUFFER_TOO_SMALL || len <= ids.size()) {
                ids.clear();
                error.raise(status);
            }
            ids.resize(len);
        }
    }

    const herald_router_snapshot *handle_;
};

/// Recent answers of one snapshot, for one thread: repeated topics are
/// answered with a hash lookup instead of a trie walk. Never answers for an
/// older snapshot. Move-only.
class MatchCache {
  public:
    explicit MatchCache(std::size_t capacity = 4096) : handle_(herald_match_cache_new(capacity)) {
        if (!handle_) {
            throw std::bad_alloc();
        }
    }

    herald_match_cache *get() const noexcept { return handle_.get(); }

  private:
    struct Free {
        void operator()(herald_match_cache *cache) const noexcept { herald_match_cache_free(cache); }
    };
    std::unique_ptr<herald_match_cache, Free> handle_;
};

inline void RouterSnapshot::match_cached(std::string_view topic, MatchCache &cache,
                                         std::vector<std::uint64_t> &ids) const {
    fill_ids(ids, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len, herald_error *error) {
        return herald_router_snapshot_match_cached(handle_, cache.get(), topic.data(), topic.size(), out, capacity,
                                                   len, error);
    });
}

/// A mutable set of (pattern, subscriber id) subscriptions. Move-only.
class Router {
  public:
    Router() : handle_(herald_router_new()) {
        if (!handle_) {
            throw std::bad_alloc();
        }
    }

    /// Subscribes; true if the pair is new.
    bool subscribe(std::string_view pattern, std::uint64_t subscriber) {
        detail::ErrorSlot error;
        bool added = false;
        error.check(
            herald_router_subscribe(handle_.get(), pattern.data(), pattern.size(), subscriber, &added, error.get()));
        return added;
    }

    /// Unsubscribes; true if the pair existed.
    bool unsubscribe(std::string_view pattern, std::uint64_t subscriber) {
        detail::ErrorSlot error;
        bool removed = false;
        error.check(herald_router_unsubscribe(handle_.get(), pattern.data(), pattern.size(), subscriber, &removed,
                                              error.get()));
        return removed;
    }

    /// Matching subscriber ids, each once, ascending; throws on an invalid topic.
    std::vector<std::uint64_t> match(std::string_view topic) const {
        std::vector<std::uint64_t> ids;
        match_into(topic, ids);
        return ids;
    }

    /// Like match(), reusing `ids`' storage.
    void match_into(std::string_view topic, std::vector<std::uint64_t> &ids) const {
        RouterSnapshot::fill_ids(ids, [&](std::uint64_t *out, std::size_t capacity, std::size_t *len,
                                          herald_error *error) {
            return herald_router_match(handle_.get(), topic.data(), topic.size(), out, capacity, len, error);
        });
    }

    /// Number of (pattern, subscriber) pairs.
    std::size_t size() const noexcept { return herald_router_len(handle_.get()); }

    /// An immutable copy of the current subscriptions, in O(1).
    RouterSnapshot snapshot() const {
        detail::ErrorSlot error;
        const herald_router_snapshot *snapshot = nullptr;
        error.check(herald_router_snapshot_new(handle_.get(), &snapshot, error.get()));
        return RouterSnapshot(snapshot);
    }

    herald_router *get() const noexcept { return handle_.get(); }

  private:
    struct Free {
        void operator()(herald_router *router) const noexcept { herald_router_free(router); }
    };
    std::unique_ptr<herald_router, Free> handle_;
};

/// Webhooks with a cap on distinct receiving URLs (InPlayer: 10). Move-only.
class EndpointSet {
  public:
    explicit EndpointSet(std::size_t max_urls = HERALD_DEFAULT_MAX_URLS) : handle_(herald_endpoints_new(max_urls)) {
        if (!handle_) {
            throw std::bad_alloc();
        }
    }

    /// Adds a webhook selecting `events` (exact names or patterns).
    void add(std::uint64_t id, std::string_view url, const std::vector<std::string_view> &events,
             bool enabled = true) {
        std::vector<herald_str> views;
        views.reserve(events.size());
        for (std::string_view event : events) {
            views.push_back(herald_str{event.data(), event.size()});
        }
        detail::ErrorSlot error;
        error.check(herald_endpoints_add(handle_.get(), id, url.data(), url.size(),
                                         views.empty() ? nullptr : views.data(), views.size(), enabled, error.get()));
    }

    void remove(std::uint64_t id) {
        detail::ErrorSlot error;
        error.check(herald_endpoints_remove(handle_.get(), id, error.get()));
    }

    /// Enables a webhook; true if it was disabled. Throws Status::TooManyUrls
    /// (nothing changed) if its URL would exceed the cap.
    bool enable(std::uint64_t id) {
        detail::ErrorSlot error;
        bool changed = false;
        error.check(herald_endpoints_enable(handle_.get(), id, &changed, error.get()));
        return changed;
    }

    /// Disables a webhook; true if it was enabled.
    bool disable(std::uint64_t id) {
        detail::ErrorSlot error;
        bool changed = false;
        error.check(herald_endpoints_disable(handle_.get(), id, &changed, error.get()));
        return changed;
    }

    std::size_t size() const noexcept { return herald_endpoints_len(handle_.get()); }
    std::size_t receiving_count() const noexcept { return herald_endpoints_receiving_count(handle_.get()); }

    /// The URLs `event` must be delivered to, sorted, each once.
    std::vector<std::string> deliveries(std::string_view event) const {
        std::vector<herald_str> views = detail::grow_and_fill<herald_str>(
            [&](herald_str *out, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_endpoints_deliveries(handle_.get(), event.data(), event.size(), out, capacity, len,
                                                   error);
            },
            4);
        std::vector<std::string> urls;
        urls.reserve(views.size());
        for (const herald_str &view : views) {
            urls.emplace_back(detail::view(view));
        }
        return urls;
    }

  private:
    struct Free {
        void operator()(herald_endpoints *set) const noexcept { herald_endpoints_free(set); }
    };
    std::unique_ptr<herald_endpoints, Free> handle_;
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
        detail::ErrorSlot error;
        herald_wire_event *handle = nullptr;
        error.check(herald_wire_event_from_json(reinterpret_cast<const std::uint8_t *>(json.data()), json.size(),
                                                &handle, error.get()));
        return WireEvent(handle);
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
        return detail::bytes_to_string(detail::grow_and_fill<std::uint8_t>(
            [this](std::uint8_t *buffer, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_wire_encode(handle_.get(), buffer, capacity, len, error);
            },
            512));
    }

    /// The event's JSON document (format, name, id, timestamp, payload, envelope).
    std::string to_json() const {
        return detail::bytes_to_string(detail::grow_and_fill<std::uint8_t>(
            [this](std::uint8_t *buffer, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_wire_event_to_json(handle_.get(), buffer, capacity, len, error);
            },
            1024));
    }

    const herald_wire_event *get() const noexcept { return handle_.get(); }

  private:
    herald_wire_event_info info() const {
        detail::ErrorSlot error;
        herald_wire_event_info described;
        error.check(herald_wire_event_describe(handle_.get(), &described, error.get()));
        return described;
    }

    struct Free {
        void operator()(herald_wire_event *event) const noexcept { herald_wire_event_free(event); }
    };
    std::unique_ptr<herald_wire_event, Free> handle_;
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
    detail::ErrorSlot error;
    herald_wire_event *event = nullptr;
    herald_report *report = nullptr;
    error.check(herald_wire_decode(catalogue.get(), static_cast<std::int32_t>(format),
                                   reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size(), &event, &report,
                                   error.get()));
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
    RealmKeys() : handle_(herald_realm_keys_new()) {
        if (!handle_) {
            throw std::bad_alloc();
        }
    }

    /// Accepts `key` for the realm `realm_id`; adding a key again replaces its realm id.
    void add(std::string_view key, std::string_view realm_id) {
        detail::ErrorSlot error;
        error.check(herald_realm_keys_add(handle_.get(), key.data(), key.size(), realm_id.data(), realm_id.size(),
                                          error.get()));
    }

    const herald_realm_keys *get() const noexcept { return handle_.get(); }

  private:
    struct Free {
        void operator()(herald_realm_keys *keys) const noexcept { herald_realm_keys_free(keys); }
    };
    std::unique_ptr<herald_realm_keys, Free> handle_;
};

/// The Orangepill realm subscription protocol for many client connections,
/// sans-IO. Move-only.
class RealmHub {
  public:
    RealmHub() : handle_(herald_realm_hub_new()) {
        if (!handle_) {
            throw std::bad_alloc();
        }
    }

    /// Opens a session for a new connection; ids start at 1 and are never reused.
    std::uint64_t open() {
        detail::ErrorSlot error;
        std::uint64_t session = 0;
        error.check(herald_realm_hub_open(handle_.get(), &session, error.get()));
        return session;
    }

    /// Closes a session; throws Status::UnknownSession if there is none.
    void close(std::uint64_t session) {
        detail::ErrorSlot error;
        error.check(herald_realm_hub_close(handle_.get(), session, error.get()));
    }

    /// Feeds one client frame, checking keys against `keys`, stamping replies
    /// with `now` (Unix seconds). A malformed frame is not an exception: it
    /// gets the failure pair and RealmOutcome::Malformed.
    RealmReply handle(std::uint64_t session, std::string_view frame, std::int64_t now, const RealmKeys &keys) {
        detail::ErrorSlot error;
        herald_frames *raw = nullptr;
        std::int32_t outcome = 0;
        error.check(herald_realm_hub_handle(handle_.get(), session,
                                            reinterpret_cast<const std::uint8_t *>(frame.data()), frame.size(), now,
                                            keys.get(), &raw, &outcome, error.get()));
        std::unique_ptr<herald_frames, FramesFree> frames(raw);
        RealmReply reply{{}, static_cast<RealmOutcome>(outcome)};
        for (std::size_t index = 0; index < herald_frames_count(frames.get()); index++) {
            herald_bytes bytes;
            error.check(herald_frames_at(frames.get(), index, &bytes, error.get()));
            reply.frames.emplace_back(reinterpret_cast<const char *>(bytes.ptr), bytes.len);
        }
        return reply;
    }

    /// The sessions subscribed to `realm` (a realm id), ascending.
    std::vector<std::uint64_t> recipients(std::string_view realm) const {
        return detail::grow_and_fill<std::uint64_t>(
            [&](std::uint64_t *out, std::size_t capacity, std::size_t *len, herald_error *error) {
                return herald_realm_hub_recipients(handle_.get(), realm.data(), realm.size(), out, capacity, len,
                                                   error);
            },
            16);
    }

  private:
    struct Free {
        void operator()(herald_realm_hub *hub) const noexcept { herald_realm_hub_free(hub); }
    };
    struct FramesFree {
        void operator()(herald_frames *frames) const noexcept { herald_frames_free(frames); }
    };
    std::unique_ptr<herald_realm_hub, Free> handle_;
};

} // namespace herald

#endif // HERALD_HPP
