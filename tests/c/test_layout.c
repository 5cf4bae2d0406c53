/* The layout of every public struct of herald.h, checked against a recorded
 * table. A change here breaks every program compiled against the header, so
 * it must be deliberate: frozen structs (herald_str, herald_bytes, and the
 * input pair herald_header) never change; extensible ones (those starting
 * with `size`) only grow at the end, and then the table gains rows without any recorded number changing. When a
 * row changes, the ABI version changes with it.
 *
 * crates/herald-ffi/tests/header.rs checks that the table names every public
 * struct and every field of it, in header order. The numbers are for the LP64
 * data model (64-bit Linux and macOS). */
#include <stddef.h>
#include <stdint.h>

#include "check.h"

#if UINTPTR_MAX != 0xFFFFFFFFFFFFFFFFu || SIZE_MAX != 0xFFFFFFFFFFFFFFFFu
#error "the recorded layouts are for LP64; record the table for this data model"
#endif

struct layout {
    const char *what;
    size_t actual;
    size_t recorded;
};

#define SIZE(type, bytes) {"sizeof(" #type ")", sizeof(type), bytes}
#define FIELD(type, field, offset) {"offsetof(" #type ", " #field ")", offsetof(type, field), offset}

static const struct layout layouts[] = {
    /* Frozen views. */
    SIZE(herald_str, 16),
    FIELD(herald_str, ptr, 0),
    FIELD(herald_str, len, 8),
    SIZE(herald_bytes, 16),
    FIELD(herald_bytes, ptr, 0),
    FIELD(herald_bytes, len, 8),
    SIZE(herald_header, 32),
    FIELD(herald_header, name, 0),
    FIELD(herald_header, name_len, 8),
    FIELD(herald_header, value, 16),
    FIELD(herald_header, value_len, 24),
    /* Extensible descriptions. */
    SIZE(herald_event, 128),
    FIELD(herald_event, size, 0),
    FIELD(herald_event, source, 8),
    FIELD(herald_event, name, 24),
    FIELD(herald_event, category, 40),
    FIELD(herald_event, description, 56),
    FIELD(herald_event, flags, 72),
    FIELD(herald_event, template_parameter, 80),
    FIELD(herald_event, bound_value, 96),
    FIELD(herald_event, deprecated, 112),
    FIELD(herald_event, alias_count, 120),
    SIZE(herald_issue, 56),
    FIELD(herald_issue, size, 0),
    FIELD(herald_issue, code, 8),
    FIELD(herald_issue, pointer, 24),
    FIELD(herald_issue, message, 40),
    SIZE(herald_wire_event_info, 128),
    FIELD(herald_wire_event_info, size, 0),
    FIELD(herald_wire_event_info, format, 8),
    FIELD(herald_wire_event_info, source, 16),
    FIELD(herald_wire_event_info, name, 32),
    FIELD(herald_wire_event_info, template_value, 48),
    FIELD(herald_wire_event_info, id, 64),
    FIELD(herald_wire_event_info, has_id, 80),
    FIELD(herald_wire_event_info, timestamp_kind, 84),
    FIELD(herald_wire_event_info, timestamp_unix, 88),
    FIELD(herald_wire_event_info, timestamp_text, 96),
    FIELD(herald_wire_event_info, payload, 112),
    SIZE(herald_verified, 48),
    FIELD(herald_verified, size, 0),
    FIELD(herald_verified, key, 8),
    FIELD(herald_verified, id, 16),
    FIELD(herald_verified, timestamp, 32),
    FIELD(herald_verified, has_id, 40),
    FIELD(herald_verified, has_timestamp, 41),
    SIZE(herald_subscriber_plan, 32),
    FIELD(herald_subscriber_plan, size, 0),
    FIELD(herald_subscriber_plan, subscriber, 8),
    FIELD(herald_subscriber_plan, untranslatable_count, 16),
    FIELD(herald_subscriber_plan, exactness, 24),
    FIELD(herald_subscriber_plan, needs_filter, 28),
    FIELD(herald_subscriber_plan, may_duplicate, 29),
};

int main(void) {
    size_t i;
    for (i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        CHECK(layouts[i].actual == layouts[i].recorded);
        if (layouts[i].actual != layouts[i].recorded) {
            fprintf(stderr, "  %s is %zu, recorded %zu\n", layouts[i].what, layouts[i].actual, layouts[i].recorded);
        }
    }
    /* The enums passed as int32_t keep their numbers too. */
    CHECK(HERALD_STATUS_OK == 0 && HERALD_STATUS_OUT_OF_RANGE == 7 && HERALD_STATUS_UNKNOWN_SESSION == 501);
    CHECK(HERALD_STATUS_SIGNATURE_REJECTED == 600 && HERALD_STATUS_INVALID_SECRET == 601 &&
          HERALD_STATUS_DUPLICATE_MESSAGE == 602 && HERALD_STATUS_REPLAY_GUARD_FULL == 603 &&
          HERALD_STATUS_CANNOT_SIGN == 604);
    CHECK(HERALD_STATUS_INVALID_PLAN_OPTIONS == 700 && HERALD_STATUS_UNTRANSLATABLE == 701);
    CHECK(HERALD_SCHEME_INPLAYER == 0 && HERALD_SCHEME_ORANGEPILL == 1 && HERALD_SCHEME_STANDARD_WEBHOOKS == 2 &&
          HERALD_SCHEME_STRIPE == 3);
    CHECK(HERALD_SIGNATURE_CODE_MISSING_HEADER == 0 && HERALD_SIGNATURE_CODE_NO_MATCHING_SIGNATURE == 6 &&
          HERALD_SIGNATURE_CODE_REPLAY_GUARD_FULL == 9);
    CHECK(HERALD_BROKER_NATS == 0 && HERALD_BROKER_MQTT == 1 && HERALD_BROKER_AMQP == 2 && HERALD_BROKER_REDIS == 3);
    CHECK(HERALD_BROKER_PROFILE_NONE == 0 && HERALD_BROKER_PROFILE_AWS_IOT == 1);
    CHECK(HERALD_EXACTNESS_EXACT == 0 && HERALD_EXACTNESS_SPLIT == 1 && HERALD_EXACTNESS_OVERLAPPING == 2 &&
          HERALD_EXACTNESS_SUPERSET == 3 && HERALD_EXACTNESS_UNTRANSLATABLE == 4);
    CHECK(sizeof(herald_status) == 4);
    return check_finish("test_layout");
}
