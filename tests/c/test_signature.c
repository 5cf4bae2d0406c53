/* Webhook signatures through the C ABI: every shared vector of
 * tests/vectors/signatures.json (converted to TSV by signature_vectors.py;
 * tests/c/run.sh puts the file in HERALD_SIGNATURE_VECTORS), signing, key
 * rotation, the replay guard, verify-then-decode, and bad arguments. Run
 * from the repository root. */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#define BYTES(s) (const uint8_t *)(s), strlen(s)

static herald_header header(const char *name, const char *value) {
    herald_header made;
    made.name = (const uint8_t *)name;
    made.name_len = strlen(name);
    made.value = (const uint8_t *)value;
    made.value_len = strlen(value);
    return made;
}

/* The outcome codes in the order of herald_signature_code. */
static const char *const code_names[] = {
    "missing_header",        "malformed_header",      "malformed_timestamp", "timestamp_too_old",
    "timestamp_too_new",     "no_supported_signature", "no_matching_signature", "invalid_secret",
    "duplicate",             "replay_guard_full",
};

static int scheme_of(const char *name) {
    static const char *const names[] = {"inplayer", "orangepill", "standard-webhooks", "stripe"};
    int index;
    for (index = 0; index < 4; index++) {
        if (strcmp(name, names[index]) == 0) {
            return index;
        }
    }
    return -1;
}

/* Decodes %XX escapes in place; returns the decoded length (bytes may be NUL). */
static size_t percent_decode(char *text) {
    char *out = text;
    char *start = text;
    while (*text) {
        if (text[0] == '%' && text[1] && text[2]) {
            char hex[3];
            hex[0] = text[1];
            hex[1] = text[2];
            hex[2] = 0;
            *out++ = (char)strtol(hex, NULL, 16);
            text += 3;
        } else {
            *out++ = *text++;
        }
    }
    *out = '\0';
    return (size_t)(out - start);
}

/* Splits `line` at tabs into at most `max` fields; returns how many. */
static size_t split_tabs(char *line, char **fields, size_t max) {
    size_t count = 0;
    char *cursor = line;
    while (count < max) {
        char *tab = strchr(cursor, '\t');
        fields[count++] = cursor;
        if (tab == NULL) {
            break;
        }
        *tab = '\0';
        cursor = tab + 1;
    }
    return count;
}

/* Whether the lines of `list` are exactly `expected[0..count]`. */
static int list_equals(const herald_list *list, char *const *expected, size_t count) {
    size_t index;
    if (herald_list_count(list) != count) {
        return 0;
    }
    for (index = 0; index < count; index++) {
        herald_bytes item;
        if (herald_list_at(list, index, &item, NULL) != HERALD_STATUS_OK || item.len != strlen(expected[index]) ||
            memcmp(item.ptr, expected[index], item.len) != 0) {
            return 0;
        }
    }
    return 1;
}

/* Runs one vector line; returns 1 when its outcome is the expected one. */
static int run_vector(char *line, int *signed_checked) {
    char *fields[160];
    size_t count = split_tabs(line, fields, 160);
    char *name, *expect, *body;
    long long now, tolerance;
    size_t body_len, secret_count, header_count, index, field;
    int scheme, ok = 1;
    herald_error *error = herald_error_new();
    herald_key_set *keys = NULL;
    herald_header *headers = NULL;
    char outcome[96] = "";
    herald_status status = HERALD_STATUS_OK;

    if (count < 12) {
        fprintf(stderr, "a vector line has %zu fields\n", count);
        herald_error_free(error);
        return 0;
    }
    name = fields[0];
    percent_decode(name);
    percent_decode(fields[1]);
    scheme = scheme_of(fields[1]);
    now = strtoll(fields[2], NULL, 10);
    tolerance = strcmp(fields[3], "none") == 0 ? HERALD_TOLERANCE_NO_CHECK : strtoll(fields[3], NULL, 10);
    expect = fields[4];
    percent_decode(expect);
    body = fields[8];
    body_len = percent_decode(body);
    secret_count = (size_t)strtoul(fields[9], NULL, 10);
    field = 10;

    CHECK(scheme >= 0);
    status = herald_key_set_new(scheme, &keys, error);
    CHECK(status == HERALD_STATUS_OK);
    for (index = 0; index < secret_count && field < count && status == HERALD_STATUS_OK; index++, field++) {
        size_t secret_len = percent_decode(fields[field]);
        size_t added = 99;
        status = herald_key_set_add(keys, (const uint8_t *)fields[field], secret_len, &added, error);
        if (status == HERALD_STATUS_OK && added != index) {
            ok = 0;
        }
    }
    if (status != HERALD_STATUS_OK) {
        /* A refused secret: the outcome is its code. */
        herald_str code = herald_error_code(error);
        if (status != HERALD_STATUS_INVALID_SECRET) {
            snprintf(outcome, sizeof outcome, "status-%d", (int)status);
        } else {
            snprintf(outcome, sizeof outcome, "%.*s", (int)code.len, code.ptr);
        }
    } else {
        herald_verified verified;
        field = 10 + secret_count;
        header_count = field < count ? (size_t)strtoul(fields[field++], NULL, 10) : 0;
        headers = calloc(header_count + 1, sizeof *headers);
        for (index = 0; index < header_count && field + 1 < count; index++, field += 2) {
            size_t name_len = percent_decode(fields[field]);
            size_t value_len = percent_decode(fields[field + 1]);
            headers[index].name = (const uint8_t *)fields[field];
            headers[index].name_len = name_len;
            headers[index].value = (const uint8_t *)fields[field + 1];
            headers[index].value_len = value_len;
        }
        CHECK(index == header_count);
        verified.size = sizeof verified;
        status = herald_verify(keys, headers, header_count, (const uint8_t *)body, body_len, now, tolerance, &verified,
                               error);
        if (status == HERALD_STATUS_OK) {
            snprintf(outcome, sizeof outcome, "ok:%zu", verified.key);
            if (verified.size != sizeof verified) {
                ok = 0;
            }
        } else if (status == HERALD_STATUS_SIGNATURE_REJECTED) {
            herald_str code = herald_error_code(error);
            int number = herald_error_signature_code(error);
            snprintf(outcome, sizeof outcome, "%.*s", (int)code.len, code.ptr);
            /* The number names the same code. */
            if (number < 0 || number > 9 || !str_eq(code, code_names[number])) {
                ok = 0;
            }
        } else {
            snprintf(outcome, sizeof outcome, "status-%d", (int)status);
        }

        /* A signing vector: signing its body gives exactly its headers. */
        if (strcmp(fields[5], "signing") == 0) {
            herald_list *lines = NULL;
            char *id = fields[6][0] == '=' ? fields[6] + 1 : NULL;
            int has_timestamp = fields[7][0] == '=';
            long long timestamp = has_timestamp ? strtoll(fields[7] + 1, NULL, 10) : 0;
            char *expected_lines[8];
            size_t id_len = id ? percent_decode(id) : 0;
            for (index = 0; index < header_count && index < 8; index++) {
                size_t len = headers[index].name_len + 2 + headers[index].value_len;
                expected_lines[index] = malloc(len + 1);
                snprintf(expected_lines[index], len + 1, "%.*s: %.*s", (int)headers[index].name_len,
                         (const char *)headers[index].name, (int)headers[index].value_len,
                         (const char *)headers[index].value);
            }
            CHECK(herald_sign(keys, (const uint8_t *)id, id_len, has_timestamp, timestamp, (const uint8_t *)body,
                              body_len, &lines, error) == HERALD_STATUS_OK);
            if (!list_equals(lines, expected_lines, header_count)) {
                fprintf(stderr, "vector %s: signing gives other headers\n", name);
                ok = 0;
            }
            for (index = 0; index < header_count && index < 8; index++) {
                free(expected_lines[index]);
            }
            herald_list_free(lines);
            (*signed_checked)++;
        }
    }
    if (strcmp(outcome, expect) != 0) {
        fprintf(stderr, "vector %s: expected %s, got %s\n", name, expect, outcome);
        ok = 0;
    }
    free(headers);
    herald_key_set_free(keys);
    herald_error_free(error);
    return ok;
}

static void test_every_shared_vector_gives_its_outcome(void) {
    const char *path = getenv("HERALD_SIGNATURE_VECTORS");
    FILE *file = fopen(path ? path : "target/c-tests/signatures.tsv", "r");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t read;
    int count = 0, signed_checked = 0;
    CHECK(file != NULL);
    if (file == NULL) {
        return;
    }
    while ((read = getline(&line, &capacity, file)) != -1) {
        if (read > 0 && line[read - 1] == '\n') {
            line[read - 1] = '\0';
        }
        CHECK(run_vector(line, &signed_checked));
        count++;
    }
    free(line);
    fclose(file);
    /* Every vector of the file (79 when this was written) and every signing one. */
    CHECK(count >= 79);
    CHECK(signed_checked >= 9);
}

static herald_key_set *key_set(int scheme, const char *secret) {
    herald_key_set *keys = NULL;
    CHECK(herald_key_set_new(scheme, &keys, NULL) == HERALD_STATUS_OK);
    if (secret != NULL) {
        CHECK(herald_key_set_add(keys, BYTES(secret), NULL, NULL) == HERALD_STATUS_OK);
    }
    return keys;
}

static const char official_body[] = "{\"test\": 2432232314}";

static void official_headers(herald_header *headers) {
    headers[0] = header("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek");
    headers[1] = header("webhook-timestamp", "1614265330");
    headers[2] = header("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

static void test_the_verified_id_points_into_the_callers_header(void) {
    herald_key_set *keys = key_set(HERALD_SCHEME_STANDARD_WEBHOOKS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    herald_header headers[3];
    herald_verified verified;
    official_headers(headers);
    memset(&verified, 0xAB, sizeof verified);
    verified.size = sizeof verified;
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265400, HERALD_TOLERANCE_REFERENCE, &verified,
                        NULL) == HERALD_STATUS_OK);
    CHECK(verified.key == 0 && verified.has_id && verified.has_timestamp && verified.timestamp == 1614265330);
    CHECK(str_eq(verified.id, "msg_p5jXN8AQM9LWM0D4loKWxJek"));
    CHECK((const uint8_t *)verified.id.ptr == headers[0].value);
    /* The output is optional. */
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265400, 300, NULL, NULL) == HERALD_STATUS_OK);
    herald_key_set_free(keys);
}

static void test_the_library_writes_no_more_than_the_callers_size(void) {
    herald_key_set *keys = key_set(HERALD_SCHEME_INPLAYER, "merchant-api-secret");
    herald_list *lines = NULL;
    herald_bytes line;
    herald_header sent;
    char value[128];
    unsigned char room[sizeof(herald_verified) + 8];
    herald_verified *verified = (herald_verified *)(void *)room;
    /* The end of the last field of ABI 2: what a caller must at least give. */
    size_t smallest = offsetof(herald_verified, has_timestamp) + sizeof(bool);
    CHECK(herald_sign(keys, NULL, 0, false, 0, BYTES("id=1"), &lines, NULL) == HERALD_STATUS_OK);
    CHECK(herald_list_at(lines, 0, &line, NULL) == HERALD_STATUS_OK);
    CHECK(line.len > 22 && line.len - 22 < sizeof value);
    snprintf(value, sizeof value, "%.*s", (int)(line.len - 22), (const char *)line.ptr + 22);
    sent = header("x-inplayer-signature", value);
    memset(room, 0x5A, sizeof room);
    verified->size = smallest;
    CHECK(herald_verify(keys, &sent, 1, BYTES("id=1"), 0, HERALD_TOLERANCE_NO_CHECK, verified, NULL) ==
          HERALD_STATUS_OK);
    CHECK(verified->size == smallest && verified->key == 0 && !verified->has_id && !verified->has_timestamp);
    CHECK(room[smallest] == 0x5A && room[sizeof room - 1] == 0x5A);
    /* A size smaller than ABI 2's struct is refused before anything is checked. */
    verified->size = 8;
    CHECK(herald_verify(keys, &sent, 1, BYTES("id=1"), 0, HERALD_TOLERANCE_NO_CHECK, verified, NULL) ==
          HERALD_STATUS_INVALID_ARGUMENT);
    herald_list_free(lines);
    herald_key_set_free(keys);
}

static void test_bad_arguments_are_refused_with_a_status_never_a_crash(void) {
    herald_error *error = herald_error_new();
    herald_key_set *keys = NULL;
    herald_header headers[3];
    herald_list *lines = NULL;
    size_t index = 7;

    CHECK(herald_key_set_new(4, &keys, error) == HERALD_STATUS_INVALID_ARGUMENT && keys == NULL);
    CHECK(str_eq(herald_error_code(error), "invalid_argument"));
    CHECK(herald_key_set_new(-1, &keys, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_key_set_new(HERALD_SCHEME_STRIPE, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_key_set_add(NULL, BYTES("secret"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_contains(herald_error_message(error), "`keys` is NULL"));

    keys = key_set(HERALD_SCHEME_STANDARD_WEBHOOKS, NULL);
    CHECK(herald_key_set_scheme(keys) == HERALD_SCHEME_STANDARD_WEBHOOKS);
    CHECK(herald_key_set_scheme(NULL) == -1 && herald_key_set_len(NULL) == 0);
    CHECK(herald_key_set_add(keys, NULL, 0, &index, error) == HERALD_STATUS_NULL_ARGUMENT && index == 7);
    CHECK(herald_key_set_add(keys, BYTES(""), &index, error) == HERALD_STATUS_INVALID_SECRET && index == 7);
    CHECK(str_eq(herald_error_code(error), "invalid_secret"));
    CHECK(herald_error_signature_code(error) == HERALD_SIGNATURE_CODE_INVALID_SECRET);
    CHECK(herald_key_set_add(keys, BYTES("whsec_not base64!"), &index, error) == HERALD_STATUS_INVALID_SECRET);
    /* The message describes the problem and never repeats the secret. */
    CHECK(!str_contains(herald_error_message(error), "not base64!"));
    CHECK(herald_key_set_add(keys, (const uint8_t *)"whsec_\xff\xfe", 8, &index, error) ==
          HERALD_STATUS_INVALID_SECRET);
    CHECK(herald_key_set_len(keys) == 0);
    CHECK(herald_key_set_add(keys, BYTES("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), &index, error) ==
          HERALD_STATUS_OK);
    CHECK(index == 0 && herald_key_set_len(keys) == 1);

    official_headers(headers);
    CHECK(herald_verify(NULL, headers, 3, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_verify(keys, headers, 3, NULL, 0, 1614265330, 300, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_contains(herald_error_message(error), "`body` is NULL"));
    CHECK(herald_verify(keys, NULL, 3, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    /* No headers at all: a rejection, not an argument error. */
    CHECK(herald_verify(keys, NULL, 0, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_SIGNATURE_REJECTED);
    CHECK(str_eq(herald_error_code(error), "missing_header"));
    CHECK(herald_error_signature_code(error) == HERALD_SIGNATURE_CODE_MISSING_HEADER);
    headers[1].name = NULL;
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_contains(herald_error_message(error), "headers[1].name"));
    CHECK(herald_error_signature_code(error) == -1);
    official_headers(headers);
    headers[2].value = NULL;
    headers[2].value_len = 0;
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_contains(herald_error_message(error), "headers[2].value"));
    official_headers(headers);
    /* Only HERALD_TOLERANCE_NO_CHECK turns the check off; other negatives are errors. */
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330, -2, NULL, error) ==
          HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330 + 301, 300, NULL, error) ==
          HERALD_STATUS_SIGNATURE_REJECTED);
    CHECK(str_eq(herald_error_code(error), "timestamp_too_old"));
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330 + 301, HERALD_TOLERANCE_NO_CHECK, NULL,
                        error) == HERALD_STATUS_OK);
    /* Bytes that are not UTF-8 in a header are a rejection like any other value. */
    headers[2] = header("webhook-signature", "v1,\xff\xfe");
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_SIGNATURE_REJECTED);
    CHECK(str_eq(herald_error_code(error), "no_matching_signature"));
    headers[0] = header("webhook-id", "msg\xff");
    CHECK(herald_verify(keys, headers, 3, BYTES(official_body), 1614265330, 300, NULL, error) ==
          HERALD_STATUS_SIGNATURE_REJECTED);
    CHECK(str_eq(herald_error_code(error), "malformed_header"));

    /* Signing: each scheme's fields, refused rather than dropped. */
    CHECK(herald_sign(keys, NULL, 0, true, 1614265330, BYTES(official_body), &lines, error) ==
          HERALD_STATUS_CANNOT_SIGN);
    CHECK(str_eq(herald_error_code(error), "missing_id"));
    CHECK(herald_sign(keys, BYTES("msg\xff"), true, 1614265330, BYTES(official_body), &lines, error) ==
          HERALD_STATUS_CANNOT_SIGN);
    CHECK(str_eq(herald_error_code(error), "invalid_id"));
    CHECK(herald_sign(keys, BYTES("msg_1"), true, -5, BYTES(official_body), &lines, error) ==
          HERALD_STATUS_CANNOT_SIGN);
    CHECK(str_eq(herald_error_code(error), "invalid_timestamp"));
    CHECK(herald_sign(keys, BYTES("msg_1"), true, 1, NULL, 0, &lines, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_sign(keys, BYTES("msg_1"), true, 1, BYTES(""), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(lines == NULL);
    CHECK(herald_sign(keys, BYTES("msg_1"), true, 1, BYTES(""), &lines, error) == HERALD_STATUS_OK);
    CHECK(herald_list_count(lines) == 3);
    herald_list_free(lines);
    herald_key_set_free(keys);

    keys = key_set(HERALD_SCHEME_INPLAYER, NULL);
    CHECK(herald_sign(keys, NULL, 0, false, 0, BYTES("id=1"), &lines, error) == HERALD_STATUS_CANNOT_SIGN);
    CHECK(str_eq(herald_error_code(error), "no_key"));
    CHECK(herald_key_set_add(keys, BYTES("secret"), NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_sign(keys, NULL, 0, true, 5, BYTES("id=1"), &lines, error) == HERALD_STATUS_CANNOT_SIGN);
    CHECK(str_eq(herald_error_code(error), "not_signed"));
    herald_key_set_free(keys);
    herald_key_set_free(NULL);
    herald_error_free(error);
}

static void test_a_rotated_key_set_names_the_key_that_matched(void) {
    herald_key_set *old_sender = key_set(HERALD_SCHEME_STRIPE, "whsec_old");
    herald_key_set *new_sender = key_set(HERALD_SCHEME_STRIPE, "whsec_new");
    herald_key_set *receiver = key_set(HERALD_SCHEME_STRIPE, "whsec_old");
    herald_list *old_lines = NULL, *new_lines = NULL;
    herald_bytes line;
    char old_value[256], new_value[256];
    herald_header sent;
    herald_verified verified;
    herald_error *error = herald_error_new();
    size_t index = 0;

    CHECK(herald_key_set_add(receiver, BYTES("whsec_new"), &index, error) == HERALD_STATUS_OK && index == 1);
    CHECK(herald_sign(old_sender, NULL, 0, true, 1700000000, BYTES("{}"), &old_lines, error) == HERALD_STATUS_OK);
    CHECK(herald_sign(new_sender, NULL, 0, true, 1700000000, BYTES("{}"), &new_lines, error) == HERALD_STATUS_OK);
    CHECK(herald_list_at(old_lines, 0, &line, error) == HERALD_STATUS_OK && line.len - 18 < sizeof old_value);
    snprintf(old_value, sizeof old_value, "%.*s", (int)(line.len - 18), (const char *)line.ptr + 18);
    CHECK(herald_list_at(new_lines, 0, &line, error) == HERALD_STATUS_OK && line.len - 18 < sizeof new_value);
    snprintf(new_value, sizeof new_value, "%.*s", (int)(line.len - 18), (const char *)line.ptr + 18);
    CHECK(strncmp(old_value, "t=1700000000,v1=", 16) == 0);

    verified.size = sizeof verified;
    sent = header("Stripe-Signature", old_value);
    CHECK(herald_verify(receiver, &sent, 1, BYTES("{}"), 1700000000, 300, &verified, error) == HERALD_STATUS_OK);
    CHECK(verified.key == 0 && verified.has_timestamp && verified.timestamp == 1700000000 && !verified.has_id);
    sent = header("stripe-signature", new_value);
    CHECK(herald_verify(receiver, &sent, 1, BYTES("{}"), 1700000000, 300, &verified, error) == HERALD_STATUS_OK);
    CHECK(verified.key == 1);

    /* The old secret is retired: the new one moves to index 0, the old one no longer verifies. */
    CHECK(herald_key_set_remove(receiver, 0, error) == HERALD_STATUS_OK);
    CHECK(herald_key_set_len(receiver) == 1);
    CHECK(herald_verify(receiver, &sent, 1, BYTES("{}"), 1700000000, 300, &verified, error) == HERALD_STATUS_OK);
    CHECK(verified.key == 0);
    sent = header("Stripe-Signature", old_value);
    CHECK(herald_verify(receiver, &sent, 1, BYTES("{}"), 1700000000, 300, &verified, error) ==
          HERALD_STATUS_SIGNATURE_REJECTED);
    CHECK(str_eq(herald_error_code(error), "no_matching_signature"));
    CHECK(herald_error_signature_code(error) == HERALD_SIGNATURE_CODE_NO_MATCHING_SIGNATURE);
    CHECK(herald_key_set_remove(receiver, 1, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_key_set_remove(NULL, 0, error) == HERALD_STATUS_NULL_ARGUMENT);

    /* A sender rotating its own secret signs with both: either receiver verifies. */
    CHECK(herald_key_set_add(old_sender, BYTES("whsec_new"), NULL, error) == HERALD_STATUS_OK);
    herald_list_free(old_lines);
    CHECK(herald_sign(old_sender, NULL, 0, true, 1700000000, BYTES("{}"), &old_lines, error) == HERALD_STATUS_OK);
    CHECK(herald_list_at(old_lines, 0, &line, error) == HERALD_STATUS_OK && line.len - 18 < sizeof old_value);
    snprintf(old_value, sizeof old_value, "%.*s", (int)(line.len - 18), (const char *)line.ptr + 18);
    sent = header("Stripe-Signature", old_value);
    CHECK(herald_verify(receiver, &sent, 1, BYTES("{}"), 1700000000, 300, &verified, error) == HERALD_STATUS_OK);

    herald_list_free(old_lines);
    herald_list_free(new_lines);
    herald_key_set_free(old_sender);
    herald_key_set_free(new_sender);
    herald_key_set_free(receiver);
    herald_error_free(error);
}

static void test_the_replay_guard_refuses_duplicates_within_its_window_and_holds_its_bound(void) {
    herald_replay_guard *guard = herald_replay_guard_new(300, 2);
    herald_error *error = herald_error_new();
    CHECK(guard != NULL);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_1"), true, 1000, 1000, error) == HERALD_STATUS_OK);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_1"), true, 1000, 1200, error) ==
          HERALD_STATUS_DUPLICATE_MESSAGE);
    CHECK(str_eq(herald_error_code(error), "duplicate"));
    CHECK(herald_error_signature_code(error) == HERALD_SIGNATURE_CODE_DUPLICATE);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_2"), false, 0, 1000, error) == HERALD_STATUS_OK);
    CHECK(herald_replay_guard_len(guard) == 2);
    /* Full of live ids: refused, never by forgetting one. */
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_3"), false, 0, 1100, error) ==
          HERALD_STATUS_REPLAY_GUARD_FULL);
    CHECK(str_eq(herald_error_code(error), "replay_guard_full"));
    CHECK(herald_error_signature_code(error) == HERALD_SIGNATURE_CODE_REPLAY_GUARD_FULL);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_1"), true, 1000, 1100, error) ==
          HERALD_STATUS_DUPLICATE_MESSAGE);
    /* After the window the id is forgotten and admitted again. */
    CHECK(herald_replay_guard_forget_expired(guard, 1301, error) == HERALD_STATUS_OK);
    CHECK(herald_replay_guard_len(guard) == 0);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_1"), true, 1000, 1301, error) == HERALD_STATUS_OK);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_1"), true, 1000, 1302, error) ==
          HERALD_STATUS_DUPLICATE_MESSAGE);
    /* A signed timestamp in the future keeps the id longer. */
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_future"), true, 2000, 1302, error) == HERALD_STATUS_OK);
    CHECK(herald_replay_guard_admit(guard, BYTES("msg_future"), true, 2000, 2250, error) ==
          HERALD_STATUS_DUPLICATE_MESSAGE);
    CHECK(herald_replay_guard_admit(NULL, BYTES("msg_1"), false, 0, 1, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_replay_guard_admit(guard, NULL, 0, false, 0, 1, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_replay_guard_len(NULL) == 0);
    herald_replay_guard_free(guard);
    herald_replay_guard_free(NULL);

    guard = herald_replay_guard_new(60, 0);
    CHECK(herald_replay_guard_admit(guard, BYTES(""), false, 0, 0, error) == HERALD_STATUS_REPLAY_GUARD_FULL);
    herald_replay_guard_free(guard);
    herald_error_free(error);
}

static void test_verify_then_decode_decodes_only_a_verified_body(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_key_set *keys = key_set(HERALD_SCHEME_INPLAYER, "merchant-api-secret");
    herald_error *error = herald_error_new();
    const char body[] = "id=WHE-1&created=1559906599&type=payment.card.failed&resource[code]=422";
    const char forged[] = "id=WHE-1&created=1559906599&type=payment.card.success&resource[code]=200";
    herald_list *lines = NULL;
    herald_bytes line;
    char value[128];
    herald_header sent;
    herald_verified verified;
    herald_wire_event *event = NULL;
    herald_report *report = NULL;
    herald_wire_event_info info;

    CHECK(herald_sign(keys, NULL, 0, false, 0, BYTES(body), &lines, error) == HERALD_STATUS_OK);
    CHECK(herald_list_at(lines, 0, &line, error) == HERALD_STATUS_OK && line.len - 22 < sizeof value);
    snprintf(value, sizeof value, "%.*s", (int)(line.len - 22), (const char *)line.ptr + 22);
    sent = header("X-InPlayer-Signature", value);
    verified.size = sizeof verified;
    CHECK(herald_verify_then_decode(keys, &sent, 1, BYTES(body), 1559906600, HERALD_TOLERANCE_REFERENCE, catalogue,
                                    HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, &verified, &event, &report,
                                    error) == HERALD_STATUS_OK);
    CHECK(verified.key == 0 && !verified.has_id && !verified.has_timestamp);
    info.size = sizeof info;
    CHECK(herald_wire_event_describe(event, &info, error) == HERALD_STATUS_OK);
    CHECK(str_eq(info.name, "payment.card.failed") && info.has_id && str_eq(info.id, "WHE-1"));
    CHECK(report != NULL);
    herald_wire_event_free(event);
    herald_report_free(report);

    /* A forged body is never decoded: nothing is written. */
    event = NULL;
    report = NULL;
    CHECK(herald_verify_then_decode(keys, &sent, 1, BYTES(forged), 1559906600, HERALD_TOLERANCE_REFERENCE, catalogue,
                                    HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, NULL, &event, &report,
                                    error) == HERALD_STATUS_SIGNATURE_REJECTED);
    CHECK(event == NULL && report == NULL);
    CHECK(str_eq(herald_error_code(error), "no_matching_signature"));

    /* Verified, but not a webhook of that format: a wire error after the check. */
    herald_list_free(lines);
    CHECK(herald_sign(keys, NULL, 0, false, 0, BYTES("not a form"), &lines, error) == HERALD_STATUS_OK);
    CHECK(herald_list_at(lines, 0, &line, error) == HERALD_STATUS_OK && line.len - 22 < sizeof value);
    snprintf(value, sizeof value, "%.*s", (int)(line.len - 22), (const char *)line.ptr + 22);
    sent = header("X-InPlayer-Signature", value);
    CHECK(herald_verify_then_decode(keys, &sent, 1, BYTES("not a form"), 1559906600, HERALD_TOLERANCE_REFERENCE,
                                    catalogue, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, NULL, &event, &report,
                                    error) == HERALD_STATUS_INVALID_WIRE);
    CHECK(event == NULL && report == NULL);
    CHECK(herald_verify_then_decode(keys, &sent, 1, BYTES("not a form"), 1559906600, HERALD_TOLERANCE_REFERENCE,
                                    catalogue, 17, NULL, &event, &report, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_verify_then_decode(keys, &sent, 1, BYTES("not a form"), 1559906600, HERALD_TOLERANCE_REFERENCE,
                                    NULL, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, NULL, &event, &report,
                                    error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_verify_then_decode(keys, &sent, 1, BYTES("not a form"), 1559906600, HERALD_TOLERANCE_REFERENCE,
                                    catalogue, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, NULL, NULL, &report,
                                    error) == HERALD_STATUS_NULL_ARGUMENT);

    herald_list_free(lines);
    herald_key_set_free(keys);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

int main(void) {
    test_every_shared_vector_gives_its_outcome();
    test_the_verified_id_points_into_the_callers_header();
    test_the_library_writes_no_more_than_the_callers_size();
    test_bad_arguments_are_refused_with_a_status_never_a_crash();
    test_a_rotated_key_set_names_the_key_that_matched();
    test_the_replay_guard_refuses_duplicates_within_its_window_and_holds_its_bound();
    test_verify_then_decode_decodes_only_a_verified_body();
    CHECK(strcmp(herald_status_str(HERALD_STATUS_SIGNATURE_REJECTED), "the webhook signature did not verify") == 0);
    return check_finish("test_signature");
}
