/* The layout of every public struct of herald.h, checked against a recorded
 * table. A change here breaks every program compiled against the header, so
 * it must be deliberate: frozen structs (herald_str, herald_bytes) never
 * change; extensible ones (those starting with `size`) only grow at the end,
 * and then the table gains rows without any recorded number changing. When a
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
    CHECK(sizeof(herald_status) == 4);
    return check_finish("test_layout");
}
