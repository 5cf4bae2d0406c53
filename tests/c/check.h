/* A minimal test harness for the C suites: CHECK records a result, and
 * check_finish() prints "N passed, N failed" and gives the exit code. */
#ifndef HERALD_CHECK_H
#define HERALD_CHECK_H

#include <stdio.h>
#include <string.h>

#include "herald.h"

static int check_passed;
static int check_failed;

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        if (condition) {                                                                  \
            check_passed++;                                                               \
        } else {                                                                          \
            check_failed++;                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
        }                                                                                 \
    } while (0)

/* Whether a herald_str holds exactly the NUL-terminated text `expected`. */
static inline int str_eq(herald_str actual, const char *expected) {
    size_t len = strlen(expected);
    return actual.ptr != NULL && actual.len == len && memcmp(actual.ptr, expected, len) == 0;
}

/* Whether `haystack` (a herald_str) contains the NUL-terminated `needle`. */
static inline int str_contains(herald_str haystack, const char *needle) {
    size_t len = strlen(needle);
    size_t i;
    if (haystack.ptr == NULL || len > haystack.len) {
        return 0;
    }
    for (i = 0; i + len <= haystack.len; i++) {
        if (memcmp(haystack.ptr + i, needle, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Length-delimited argument pair for a string literal or NUL-terminated text. */
#define TEXT(s) (s), strlen(s)

static inline int check_finish(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif /* HERALD_CHECK_H */
