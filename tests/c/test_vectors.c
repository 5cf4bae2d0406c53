/* The shared vectors of tests/vectors give the same answers through C as
 * through Rust and Python. Run from the repository root. */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

/* The answer for one matching vector, written into `answer`. */
static void match_answer(const char *pattern, const char *topic, char *answer, size_t size) {
    herald_error *error = herald_error_new();
    herald_router *router = herald_router_new();
    bool matches = false;
    uint64_t ids[2];
    size_t len = 0;
    herald_status status = herald_pattern_matches(pattern, strlen(pattern), topic, strlen(topic), &matches, error);
    herald_str code = herald_error_code(error);
    if (status == HERALD_STATUS_INVALID_PATTERN || status == HERALD_STATUS_INVALID_TOPIC) {
        snprintf(answer, size, "%s:%.*s", status == HERALD_STATUS_INVALID_PATTERN ? "invalid-pattern" : "invalid-topic",
                 (int)code.len, code.ptr);
    } else if (status != HERALD_STATUS_OK) {
        snprintf(answer, size, "status-%d", (int)status);
    } else {
        snprintf(answer, size, "%s", matches ? "match" : "no-match");
        /* The router must agree with the one-off check. */
        herald_router_subscribe(router, pattern, strlen(pattern), 7, NULL, NULL);
        if (herald_router_match(router, topic, strlen(topic), ids, 2, &len, NULL) != HERALD_STATUS_OK ||
            (len == 1) != matches) {
            snprintf(answer, size, "router-disagrees");
        }
    }
    herald_router_free(router);
    herald_error_free(error);
}

static void test_matching_vectors(void) {
    FILE *file = fopen("tests/vectors/matching.tsv", "r");
    char line[1024];
    int count = 0;
    CHECK(file != NULL);
    if (file == NULL) {
        return;
    }
    while (fgets(line, sizeof line, file) != NULL) {
        char *pattern = line;
        char *topic;
        char *expected;
        char answer[128];
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || strncmp(line, "//", 2) == 0) {
            continue;
        }
        topic = strchr(pattern, '\t');
        expected = topic ? strchr(topic + 1, '\t') : NULL;
        CHECK(topic != NULL && expected != NULL);
        if (topic == NULL || expected == NULL) {
            continue;
        }
        *topic++ = '\0';
        *expected++ = '\0';
        match_answer(pattern, topic, answer, sizeof answer);
        if (strcmp(answer, expected) != 0) {
            fprintf(stderr, "vector %s | %s: expected %s, got %s\n", pattern, topic, expected, answer);
        }
        CHECK(strcmp(answer, expected) == 0);
        count++;
    }
    fclose(file);
    CHECK(count >= 50);
}

/* Decodes %XX escapes in place. */
static void percent_decode(char *text) {
    char *out = text;
    while (*text) {
        if (text[0] == '%' && text[1] && text[2]) {
            char hex[3] = {text[1], text[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            text += 3;
        } else {
            *out++ = *text++;
        }
    }
    *out = 0;
}

/* Whether the issues of one severity are exactly `expected` (the TSV column). */
static int issues_match(const herald_report *report, int32_t severity, const char *expected) {
    char *copy;
    char *item;
    char *save = NULL;
    size_t index = 0;
    int same = 1;
    if (strcmp(expected, "-") == 0) {
        return herald_report_count(report, severity) == 0;
    }
    copy = malloc(strlen(expected) + 1);
    strcpy(copy, expected);
    for (item = strtok_r(copy, " ", &save); item != NULL; item = strtok_r(NULL, " ", &save), index++) {
        char *equals = strchr(item, '=');
        herald_issue issue;
        issue.size = sizeof issue;
        if (equals == NULL ||
            herald_report_issue(report, severity, index, &issue, NULL) != HERALD_STATUS_OK) {
            same = 0;
            break;
        }
        *equals = 0;
        percent_decode(equals + 1);
        if (!str_eq(issue.code, item) || !str_eq(issue.pointer, equals + 1)) {
            fprintf(stderr, "  issue %zu: expected %s at \"%s\", got %.*s at \"%.*s\"\n", index, item, equals + 1,
                    (int)issue.code.len, issue.code.ptr, (int)issue.pointer.len, issue.pointer.ptr);
            same = 0;
        }
    }
    free(copy);
    return same && index == herald_report_count(report, severity);
}

/* A new limits object for the column (free it with herald_limits_free). */
static herald_limits *parse_limits(const char *column) {
    herald_limits *limits = herald_limits_new();
    const char *at = column;
    if (strcmp(column, "-") == 0) {
        return limits;
    }
    while (*at) {
        size_t value = (size_t)strtoul(strchr(at, '=') + 1, NULL, 10);
        if (strncmp(at, "max_payload_bytes=", 18) == 0) {
            CHECK(herald_limits_set_max_payload_bytes(limits, value) == HERALD_STATUS_OK);
        } else if (strncmp(at, "max_depth=", 10) == 0) {
            CHECK(herald_limits_set_max_depth(limits, value) == HERALD_STATUS_OK);
        } else if (strncmp(at, "max_errors=", 11) == 0) {
            CHECK(herald_limits_set_max_errors(limits, value) == HERALD_STATUS_OK);
        }
        at += strcspn(at, ",");
        if (*at == ',') {
            at++;
        }
    }
    return limits;
}

static void test_validation_vectors(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    FILE *file = fopen("tests/vectors/validation.tsv", "r");
    char *line = NULL;
    size_t capacity = 0;
    int count = 0;
    CHECK(file != NULL);
    while (file != NULL && getline(&line, &capacity, file) > 0) {
        char *columns[8];
        int n = 0;
        char *column;
        size_t payload_len;
        uint8_t *payload;
        size_t i;
        herald_report *report = NULL;
        herald_status status;
        herald_limits *limits;
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "//", 2) == 0 || line[0] == 0) {
            continue;
        }
        /* Split on every tab: empty columns (an empty payload) are kept. */
        for (column = line; column != NULL && n < 8; n++) {
            columns[n] = column;
            column = strchr(column, '\t');
            if (column != NULL) {
                *column++ = 0;
            }
        }
        CHECK(n == 8);
        if (n != 8) {
            continue;
        }
        payload_len = strlen(columns[3]) / 2;
        payload = malloc(payload_len + 1);
        for (i = 0; i < payload_len; i++) {
            char hex[3] = {columns[3][2 * i], columns[3][2 * i + 1], 0};
            payload[i] = (uint8_t)strtol(hex, NULL, 16);
        }
        limits = parse_limits(columns[4]);
        if (strcmp(columns[0], "schema") == 0) {
            status = herald_catalogue_validate_named(catalogue, TEXT(columns[1]), payload, payload_len, limits,
                                                     &report, NULL);
        } else {
            status = herald_catalogue_validate(catalogue, TEXT(columns[1]), TEXT(columns[2]), payload, payload_len,
                                               limits, &report, NULL);
        }
        CHECK(status == HERALD_STATUS_OK);
        if (status == HERALD_STATUS_OK) {
            int same = herald_report_is_ok(report) == (strcmp(columns[5], "1") == 0) &&
                       issues_match(report, HERALD_SEVERITY_ERROR, columns[6]) &&
                       issues_match(report, HERALD_SEVERITY_WARNING, columns[7]);
            if (!same) {
                fprintf(stderr, "validation vector %s %s failed\n", columns[1], columns[2]);
            }
            CHECK(same);
        }
        herald_report_free(report);
        herald_limits_free(limits);
        free(payload);
        count++;
    }
    free(line);
    if (file != NULL) {
        fclose(file);
    }
    CHECK(count >= 50);
    herald_catalogue_free(catalogue);
}

int main(void) {
    test_matching_vectors();
    test_validation_vectors();
    return check_finish("test_vectors");
}
