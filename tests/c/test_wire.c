/* Vendor wire formats and the realm subscription protocol through the C ABI.
 * Reads fixtures from tests/vectors/wire; run from the repository root. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#if !defined(HERALD_TESTING)
#error "build the C tests with -DHERALD_TESTING against a library built with --features testing"
#endif

/* Reads a whole file; the caller frees it. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *file = fopen(path, "rb");
    uint8_t *data;
    long size;
    if (file == NULL) {
        return NULL;
    }
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    data = malloc((size_t)size + 1);
    *len = fread(data, 1, (size_t)size, file);
    fclose(file);
    return data;
}

/* Decodes a fixture, checks the event's name and source, and that encoding
 * it decodes again to the same name and payload. */
static void round_trip(const herald_catalogue *catalogue, int32_t format, const char *path, const char *source,
                       const char *name) {
    herald_error *error = herald_error_new();
    herald_wire_event *event = NULL;
    herald_wire_event *again = NULL;
    herald_report *report = NULL;
    herald_report *report_again = NULL;
    herald_wire_event_info info;
    herald_wire_event_info info_again;
    herald_buffer *encoded = NULL;
    size_t len = 0;
    uint8_t *wire;
    info.size = sizeof info;
    info_again.size = sizeof info_again;
    wire = read_file(path, &len);
    CHECK(wire != NULL);
    if (wire == NULL) {
        herald_error_free(error);
        return;
    }
    CHECK(herald_wire_decode(catalogue, format, wire, len, &event, &report, error) == HERALD_STATUS_OK);
    CHECK(herald_report_is_ok(report));
    CHECK(herald_wire_event_describe(event, &info, error) == HERALD_STATUS_OK);
    CHECK(info.format == format);
    CHECK(str_eq(info.source, source) && str_eq(info.name, name));
    CHECK(info.payload.len > 0 && info.payload.ptr[0] == '{');

    CHECK(herald_wire_encode(event, &encoded, error) == HERALD_STATUS_OK);
    CHECK(herald_wire_decode(catalogue, format, herald_buffer_data(encoded), herald_buffer_len(encoded), &again,
                             &report_again, error) == HERALD_STATUS_OK);
    CHECK(herald_wire_event_describe(again, &info_again, error) == HERALD_STATUS_OK);
    CHECK(info_again.name.len == info.name.len && memcmp(info_again.name.ptr, info.name.ptr, info.name.len) == 0);
    CHECK(info_again.payload.len == info.payload.len &&
          memcmp(info_again.payload.ptr, info.payload.ptr, info.payload.len) == 0);
    herald_buffer_free(encoded);
    free(wire);
    herald_wire_event_free(event);
    herald_wire_event_free(again);
    herald_report_free(report);
    herald_report_free(report_again);
    herald_error_free(error);
}

static void test_each_format_round_trips(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    round_trip(catalogue, HERALD_WIRE_FORMAT_INPLAYER_NOTIFICATION,
               "tests/vectors/wire/inplayer-notification/access.granted.json", "inplayer-notifications",
               "access.granted");
    round_trip(catalogue, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, "tests/vectors/wire/inplayer-webhook/customer.registered.form",
               "inplayer-webhooks", "customer.registered");
    round_trip(catalogue, HERALD_WIRE_FORMAT_ORANGEPILL, "tests/vectors/wire/orangepill/notification.sms.message.sent.json",
               "orangepill-stream", "sms.message.sent");
    round_trip(catalogue, HERALD_WIRE_FORMAT_ACCELBYTE_LOBBY, "tests/vectors/wire/accelbyte-lobby/wallet-status.txt",
               "accelbyte-wallet", "walletStatusChanged");
    herald_catalogue_free(catalogue);
}

static void test_event_details_and_documents(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_wire_event *event = NULL;
    herald_wire_event *rebuilt = NULL;
    herald_report *report = NULL;
    herald_wire_event_info info;
    const char frame[] = "{\"type\":\"notification\",\"event\":\"sms.message.sent\",\"data\":\"63967141191e9023f356df9f\","
                         "\"timestamp\":\"162553625262\"}";
    herald_buffer *document = NULL;
    herald_buffer *encoded = NULL;
    info.size = sizeof info;

    CHECK(herald_wire_decode(catalogue, HERALD_WIRE_FORMAT_ORANGEPILL, (const uint8_t *)frame, strlen(frame), &event,
                             &report, error) == HERALD_STATUS_OK);
    CHECK(herald_wire_event_describe(event, &info, error) == HERALD_STATUS_OK);
    CHECK(str_eq(info.template_value, "sms"));
    CHECK(info.timestamp_kind == HERALD_TIMESTAMP_KIND_TEXT && str_eq(info.timestamp_text, "162553625262"));
    CHECK(!info.has_id && info.id.len == 0);

    CHECK(herald_wire_event_to_json(event, &document, error) == HERALD_STATUS_OK);
    CHECK(herald_buffer_len(document) > 0 && herald_buffer_data(document)[0] == '{');
    CHECK(herald_wire_event_from_json(herald_buffer_data(document), herald_buffer_len(document), &rebuilt, error) ==
          HERALD_STATUS_OK);
    CHECK(herald_wire_encode(rebuilt, &encoded, error) == HERALD_STATUS_OK);
    CHECK(herald_buffer_len(encoded) == strlen(frame) && memcmp(herald_buffer_data(encoded), frame, strlen(frame)) == 0);
    herald_buffer_free(encoded);
    herald_buffer_free(document);
    herald_wire_event_free(rebuilt);
    herald_wire_event_free(event);
    herald_report_free(report);

    /* A webhook with a unix timestamp and an id. */
    event = NULL;
    report = NULL;
    {
        size_t body_len = 0;
        uint8_t *body = read_file("tests/vectors/wire/inplayer-webhook/asset.access.revoked.form", &body_len);
        CHECK(herald_wire_decode(catalogue, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, body, body_len, &event, &report,
                                 error) == HERALD_STATUS_OK);
        CHECK(herald_wire_event_describe(event, &info, error) == HERALD_STATUS_OK);
        CHECK(info.has_id && info.timestamp_kind == HERALD_TIMESTAMP_KIND_UNIX && info.timestamp_unix > 1500000000);
        free(body);
    }
    herald_wire_event_free(event);
    herald_report_free(report);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_malformed_input(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_wire_event *event = NULL;
    herald_report *report = NULL;
    const char conflicting[] = "id=1&created=2&type=customer.updated&resource=1&resource[a]=2";
    const char bad_escape[] = "id=1&created=2&type=customer.updated&resource[a]=%zz";

    CHECK(herald_wire_decode(catalogue, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, (const uint8_t *)conflicting,
                             strlen(conflicting), &event, &report, error) == HERALD_STATUS_INVALID_WIRE);
    CHECK(event == NULL && report == NULL);
    CHECK(herald_error_code(error).len > 0 && str_contains(herald_error_message(error), "resource"));
    CHECK(herald_wire_decode(catalogue, HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK, (const uint8_t *)bad_escape,
                             strlen(bad_escape), &event, &report, error) == HERALD_STATUS_INVALID_WIRE);
    CHECK(herald_wire_decode(catalogue, HERALD_WIRE_FORMAT_ORANGEPILL, (const uint8_t *)"{", 1, &event, &report,
                             error) == HERALD_STATUS_INVALID_WIRE);
    CHECK(herald_wire_decode(catalogue, HERALD_WIRE_FORMAT_ACCELBYTE_LOBBY, (const uint8_t *)"", 0, &event, &report,
                             error) == HERALD_STATUS_INVALID_WIRE);
    CHECK(herald_wire_decode(catalogue, 9, (const uint8_t *)"{}", 2, &event, &report, error) ==
          HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_wire_decode(NULL, 0, (const uint8_t *)"{}", 2, &event, &report, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_decode(catalogue, 0, NULL, 0, &event, &report, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_decode(catalogue, 0, (const uint8_t *)"{}", 2, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_decode(catalogue, 0, (const uint8_t *)"{}", 2, &event, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_event_from_json((const uint8_t *)"[]", 2, &event, error) == HERALD_STATUS_INVALID_WIRE);
    CHECK(herald_wire_event_from_json(NULL, 0, &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_event_from_json((const uint8_t *)"{}", 2, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_event_describe(NULL, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_encode(NULL, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_wire_event_to_json(NULL, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_wire_event_free(NULL);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

/* Sends `frame` for `session` and checks the outcome and that the second reply
 * frame starts with `second`. */
static void exchange(herald_realm_hub *hub, uint64_t session, const char *frame, const herald_realm_keys *keys,
                     int32_t outcome, const char *second) {
    herald_list *frames = NULL;
    herald_bytes reply;
    int32_t got = -1;
    CHECK(herald_realm_hub_handle(hub, session, (const uint8_t *)frame, strlen(frame), 1671547687, keys, &frames,
                                  &got, NULL) == HERALD_STATUS_OK);
    CHECK(got == outcome);
    CHECK(herald_list_count(frames) == 2);
    CHECK(herald_list_at(frames, 1, &reply, NULL) == HERALD_STATUS_OK);
    CHECK(reply.len >= strlen(second) && memcmp(reply.ptr, second, strlen(second)) == 0);
    if (reply.len < strlen(second) || memcmp(reply.ptr, second, strlen(second)) != 0) {
        fprintf(stderr, "  reply: %.*s\n", (int)reply.len, (const char *)reply.ptr);
    }
    herald_list_free(frames);
}

static void test_realm_session(void) {
    herald_realm_hub *hub = herald_realm_hub_new();
    herald_realm_keys *keys = herald_realm_keys_new();
    herald_error *error = herald_error_new();
    const char realm[] = "c9d4744c-0eae-4457-a665-2c18b9ac132b";
    const char subscribed[] = "{\"type\":\"subscribe\",\"realm\":\"c9d4744c-0eae-4457-a665-2c18b9ac132b\","
                              "\"timestamp\":1671547687}";
    const char unsubscribed[] = "{\"type\":\"unsubscribe\",\"realm\":\"c9d4744c-0eae-4457-a665-2c18b9ac132b\","
                                "\"timestamp\":1671547687}";
    const char refused[] = "{\"type\":\"error\",\"realm\":\"Invalid Realm Key.\",\"timestamp\":1671547687}";
    herald_list *frames = NULL;
    herald_bytes info;
    uint64_t session = 0;
    uint64_t other = 0;
    uint64_t ids[4];
    size_t len = 0;

    CHECK(herald_realm_keys_add(keys, TEXT("REALM_KEY"), TEXT(realm), error) == HERALD_STATUS_OK);
    CHECK(herald_realm_hub_open(hub, &session, error) == HERALD_STATUS_OK && session == 1);
    CHECK(herald_realm_hub_open(hub, &other, error) == HERALD_STATUS_OK && other == 2);

    exchange(hub, session, "{\"type\":\"subscribe\",\"realm\":\"REALM_KEY\"}", keys, HERALD_REALM_OUTCOME_SUBSCRIBED,
             subscribed);
    exchange(hub, session, "{\"type\":\"subscribe\",\"realm\":\"WRONG\"}", keys, HERALD_REALM_OUTCOME_INVALID_KEY,
             refused);
    exchange(hub, session, "{\"type\":\"subscribe\",\"realm\":\"REALM_KEY\"}", keys,
             HERALD_REALM_OUTCOME_ALREADY_SUBSCRIBED, subscribed);
    exchange(hub, session, "not json at all", keys, HERALD_REALM_OUTCOME_MALFORMED, "{\"type\":\"error\",\"realm\":\"Invalid message");
    exchange(hub, other, "{\"type\":\"unsubscribe\",\"realm\":\"REALM_KEY\"}", keys,
             HERALD_REALM_OUTCOME_NOT_SUBSCRIBED, unsubscribed);

    /* Still working after the bad frames: session 1 receives the realm's events. */
    CHECK(herald_realm_hub_recipients(hub, TEXT(realm), ids, 4, &len, error) == HERALD_STATUS_OK);
    CHECK(len == 1 && ids[0] == session);
    exchange(hub, session, "{\"type\":\"unsubscribe\",\"realm\":\"REALM_KEY\"}", keys,
             HERALD_REALM_OUTCOME_UNSUBSCRIBED, unsubscribed);
    CHECK(herald_realm_hub_recipients(hub, TEXT(realm), NULL, 0, &len, error) == HERALD_STATUS_OK && len == 0);

    /* The first reply frame of a refusal is info with realm NONE. */
    CHECK(herald_realm_hub_handle(hub, session, (const uint8_t *)"{}", 2, 7, keys, &frames, NULL, error) ==
          HERALD_STATUS_OK);
    CHECK(herald_list_at(frames, 0, &info, error) == HERALD_STATUS_OK);
    CHECK(info.len == strlen("{\"type\":\"info\",\"realm\":\"NONE\",\"timestamp\":7}"));
    CHECK(herald_list_at(frames, 2, &info, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_list_at(frames, 0, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_list_free(frames);

    CHECK(herald_realm_hub_close(hub, other, error) == HERALD_STATUS_OK);
    CHECK(herald_realm_hub_close(hub, other, error) == HERALD_STATUS_UNKNOWN_SESSION);
    CHECK(herald_realm_hub_handle(hub, other, (const uint8_t *)"{}", 2, 7, keys, &frames, NULL, error) ==
          HERALD_STATUS_UNKNOWN_SESSION);
    CHECK(herald_realm_hub_handle(NULL, 1, (const uint8_t *)"{}", 2, 7, keys, &frames, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_handle(hub, 1, (const uint8_t *)"{}", 2, 7, NULL, &frames, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_handle(hub, 1, NULL, 0, 7, keys, &frames, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_handle(hub, 1, (const uint8_t *)"{}", 2, 7, keys, NULL, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_open(hub, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_open(NULL, &session, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_close(NULL, session, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_keys_add(keys, NULL, 0, TEXT("x"), error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_keys_add(NULL, TEXT("k"), TEXT("x"), error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_keys_add(keys, TEXT("k"), NULL, 0, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_keys_add(keys, TEXT("k"), "\xff", 1, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_realm_hub_recipients(hub, TEXT("r"), NULL, 0, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_recipients(NULL, TEXT("r"), NULL, 0, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_recipients(hub, NULL, 0, NULL, 0, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_realm_hub_recipients(hub, TEXT("r"), NULL, 4, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_list_count(NULL) == 0);
    CHECK(herald_list_at(NULL, 0, &info, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_list_free(NULL);
    herald_realm_hub_free(hub);
    herald_realm_hub_free(NULL);
    herald_realm_keys_free(keys);
    herald_realm_keys_free(NULL);
    herald_error_free(error);
}

int main(void) {
    test_each_format_round_trips();
    test_event_details_and_documents();
    test_malformed_input();
    test_realm_session();
    return check_finish("test_wire");
}
