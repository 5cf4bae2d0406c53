/* The shared vectors of tests/vectors give the same answers through C as
 * through Rust and Python. Run from the repository root. */
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

int main(void) {
    test_matching_vectors();
    return check_finish("test_vectors");
}
