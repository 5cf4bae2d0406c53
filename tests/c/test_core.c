/* Versions, statuses, error objects, topics and catalogues through the C ABI. */
#include <stdint.h>

#include "check.h"

#if !defined(HERALD_TESTING)
#error "build the C tests with -DHERALD_TESTING against a library built with --features testing"
#endif

static void test_versions(void) {
    CHECK(herald_abi_version() == HERALD_ABI_VERSION);
    CHECK(herald_version() != NULL && strlen(herald_version()) > 0);
}

static void test_status_strings(void) {
    CHECK(strcmp(herald_status_str(HERALD_STATUS_OK), "ok") == 0);
    CHECK(strstr(herald_status_str(HERALD_STATUS_BUFFER_TOO_SMALL), "too small") != NULL);
    CHECK(strcmp(herald_status_str(-1), "unknown status") == 0);
    CHECK(strcmp(herald_status_str(99999), "unknown status") == 0);
}

static void test_error_object(void) {
    herald_error *error = herald_error_new();
    CHECK(error != NULL);
    CHECK(herald_error_status(error) == HERALD_STATUS_OK);
    CHECK(herald_error_code(error).len == 0);
    CHECK(herald_error_message(error).ptr != NULL);
    herald_error_free(error);
    herald_error_free(NULL);
    CHECK(herald_error_status(NULL) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_error_code(NULL).len == 0 && herald_error_code(NULL).ptr != NULL);
    CHECK(herald_error_message(NULL).len == 0);
    CHECK(herald_error_pointer(NULL).len == 0);
}

static void test_topics(void) {
    herald_error *error = herald_error_new();
    CHECK(herald_topic_validate(TEXT("payment.card.success"), error) == HERALD_STATUS_OK);
    CHECK(herald_topic_validate(TEXT("zahlung.größe"), NULL) == HERALD_STATUS_OK);

    CHECK(herald_topic_validate(TEXT("payment..success"), error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(herald_error_status(error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(str_eq(herald_error_code(error), "empty_segment"));
    CHECK(str_contains(herald_error_message(error), "byte 8"));

    CHECK(herald_topic_validate("", 0, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(str_eq(herald_error_code(error), "empty"));
    CHECK(herald_topic_validate(TEXT("payment.*"), error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(str_eq(herald_error_code(error), "reserved_character"));
    CHECK(herald_topic_validate(TEXT("pay ment"), error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(str_eq(herald_error_code(error), "forbidden_character"));

    /* Length-delimited: the bytes after topic_len are not read. */
    CHECK(herald_topic_validate("a.b..", 3, error) == HERALD_STATUS_OK);

    CHECK(herald_topic_validate(NULL, 0, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_eq(herald_error_code(error), "null_argument"));
    CHECK(herald_topic_validate("\xff\xfe", 2, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(str_eq(herald_error_code(error), "invalid_utf8"));
    CHECK(herald_topic_validate("a", SIZE_MAX, error) == HERALD_STATUS_INVALID_ARGUMENT);
    herald_error_free(error);
}

static void test_catalogue_listing(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_event event;
    herald_str id;
    size_t i;
    size_t infobip = 0;
    event.size = sizeof event;
    CHECK(catalogue != NULL);
    CHECK(herald_catalogue_source_count(catalogue) == 4);
    CHECK(herald_catalogue_event_count(catalogue) == 97);
    CHECK(herald_catalogue_source_at(catalogue, 2, &id, error) == HERALD_STATUS_OK);
    CHECK(str_eq(id, "orangepill-stream"));
    CHECK(herald_catalogue_source_at(catalogue, 4, &id, error) == HERALD_STATUS_OUT_OF_RANGE);
    for (i = 0; i < herald_catalogue_event_count(catalogue); i++) {
        CHECK(herald_catalogue_event_at(catalogue, i, &event, error) == HERALD_STATUS_OK);
        CHECK(event.name.len > 0 && event.description.len > 0 && event.category.len > 0);
        if (event.flags & HERALD_EVENT_FLAG_INFOBIP_EXTENSION) {
            infobip++;
        }
    }
    CHECK(infobip == 12);
    CHECK(herald_catalogue_event_at(catalogue, 97, &event, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(str_eq(herald_error_code(error), "out_of_range"));
    CHECK(herald_catalogue_source_count(NULL) == 0);
    CHECK(herald_catalogue_event_count(NULL) == 0);
    CHECK(herald_catalogue_event_at(NULL, 0, &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_event_at(catalogue, 0, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_source_at(NULL, 0, &id, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_source_at(catalogue, 0, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_catalogue_lookup(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_event event;
    const char name[] = "sms.message.sent";
    event.size = sizeof event;

    CHECK(herald_catalogue_get(catalogue, TEXT("inplayer-webhooks"), TEXT("asset.access.granted"), &event,
                               error) == HERALD_STATUS_OK);
    CHECK(str_eq(event.source, "inplayer-webhooks"));
    CHECK(str_eq(event.category, "access"));
    CHECK(event.alias_count == 1);
    CHECK(event.template_parameter.len == 0 && event.bound_value.len == 0);

    CHECK(herald_catalogue_alias_at(catalogue, TEXT("inplayer-webhooks"), TEXT("asset.access.granted"), 0, &event,
                                    error) == HERALD_STATUS_OK);
    CHECK(str_eq(event.source, "inplayer-notifications") && str_eq(event.name, "access.granted"));
    CHECK(herald_catalogue_alias_at(catalogue, TEXT("inplayer-webhooks"), TEXT("asset.access.granted"), 1, &event,
                                    error) == HERALD_STATUS_OUT_OF_RANGE);

    CHECK(herald_catalogue_get(catalogue, TEXT("orangepill-stream"), name, strlen(name), &event, error) ==
          HERALD_STATUS_OK);
    CHECK(str_eq(event.name, "{channel}.message.sent"));
    CHECK(str_eq(event.template_parameter, "channel"));
    CHECK(str_eq(event.bound_value, "sms"));
    CHECK(event.bound_value.ptr == name); /* points into the caller's name */
    CHECK(event.flags & HERALD_EVENT_FLAG_INFOBIP_EXTENSION);

    CHECK(herald_catalogue_get(catalogue, TEXT("orangepill-stream"), TEXT("message.sent"), &event, error) ==
          HERALD_STATUS_UNKNOWN_EVENT);
    CHECK(str_eq(herald_error_code(error), "unknown_event"));
    CHECK(herald_catalogue_get(catalogue, TEXT("nowhere"), TEXT("user.created"), &event, error) ==
          HERALD_STATUS_UNKNOWN_SOURCE);
    CHECK(str_eq(herald_error_code(error), "unknown_source"));

    CHECK(herald_catalogue_get(NULL, TEXT("a"), TEXT("b"), &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_get(catalogue, NULL, 0, TEXT("b"), &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_get(catalogue, TEXT("a"), NULL, 0, &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_get(catalogue, TEXT("a"), TEXT("b"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_get(catalogue, "\xc3", 1, TEXT("b"), &event, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_catalogue_get(catalogue, TEXT("a"), "\xc3", 1, &event, NULL) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_catalogue_alias_at(NULL, TEXT("a"), TEXT("b"), 0, &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_alias_at(catalogue, NULL, 0, TEXT("b"), 0, &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_alias_at(catalogue, TEXT("a"), NULL, 0, 0, &event, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_alias_at(catalogue, TEXT("a"), TEXT("b"), 0, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

/* Extensible structs: the library reads `size`, refuses one too small for
 * ABI 2, fills what fits, and writes back how much it filled. */
static void test_extensible_struct_sizes(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_event event;
    struct {
        herald_event event;
        unsigned char newer_fields[32];
    } larger;
    size_t i;

    memset(&event, 0xAB, sizeof event);
    event.size = sizeof event - 1;
    CHECK(herald_catalogue_event_at(catalogue, 0, &event, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(str_eq(herald_error_code(error), "invalid_argument"));
    CHECK(str_contains(herald_error_message(error), "out->size"));
    CHECK(event.size == sizeof event - 1); /* untouched on failure */
    event.size = 0;
    CHECK(herald_catalogue_get(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"), &event, error) ==
          HERALD_STATUS_INVALID_ARGUMENT);

    /* A caller built against a later header passes a larger struct: the
     * library fills its own fields and leaves the rest alone. */
    memset(&larger, 0xCD, sizeof larger);
    larger.event.size = sizeof larger;
    CHECK(herald_catalogue_event_at(catalogue, 0, &larger.event, error) == HERALD_STATUS_OK);
    CHECK(larger.event.size == sizeof(herald_event));
    CHECK(larger.event.name.len > 0 && larger.event.source.len > 0);
    for (i = 0; i < sizeof larger.newer_fields; i++) {
        CHECK(larger.newer_fields[i] == 0xCD);
    }
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_catalogue_export_and_load(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    const herald_catalogue *loaded = NULL;
    const herald_catalogue *clone;
    herald_error *error = herald_error_new();
    herald_buffer *document = NULL;
    herald_buffer *untouched = (herald_buffer *)&error; /* any non-NULL value */
    const uint8_t *data;
    size_t written;

    CHECK(herald_catalogue_to_json(catalogue, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_eq(herald_error_message(error), "`out` is NULL"));
    CHECK(herald_catalogue_to_json(NULL, &untouched, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(untouched == (herald_buffer *)&error); /* outputs are written only on success */

    CHECK(herald_catalogue_to_json(catalogue, &document, error) == HERALD_STATUS_OK);
    CHECK(document != NULL);
    data = herald_buffer_data(document);
    written = herald_buffer_len(document);
    CHECK(written > 1000);
    CHECK(memcmp(data, "{\n  \"format\": \"herald-catalogue/1\"", 34) == 0);
    CHECK(data[written] == '\0' && strlen((const char *)data) == written); /* usable as a C string */
    CHECK(herald_buffer_len(NULL) == 0);
    CHECK(herald_buffer_data(NULL) != NULL && herald_buffer_data(NULL)[0] == '\0');
    herald_buffer_free(NULL);

    CHECK(herald_catalogue_from_json(data, written, &loaded, error) == HERALD_STATUS_OK);
    CHECK(loaded != NULL && herald_catalogue_event_count(loaded) == 97);
    clone = herald_catalogue_clone(loaded);
    CHECK(clone == loaded);
    herald_catalogue_free(loaded);
    CHECK(herald_catalogue_event_count(clone) == 97); /* still alive through the clone */
    herald_catalogue_free(clone);
    CHECK(herald_catalogue_clone(NULL) == NULL);
    herald_catalogue_free(NULL);
    herald_buffer_free(document);

    loaded = NULL;
    CHECK(herald_catalogue_from_json((const uint8_t *)"{\"format\": 1", 12, &loaded, error) ==
          HERALD_STATUS_INVALID_CATALOGUE);
    CHECK(loaded == NULL); /* outputs are written only on success */
    CHECK(str_eq(herald_error_code(error), "malformed"));
    CHECK(str_contains(herald_error_pointer(error), "line 1"));
    CHECK(herald_catalogue_from_json((const uint8_t *)TEXT("{\"format\": \"herald-catalogue/9\", \"sources\": []}"),
                                     &loaded, error) == HERALD_STATUS_INVALID_CATALOGUE);
    CHECK(str_eq(herald_error_code(error), "unknown_format"));
    CHECK(herald_catalogue_from_json((const uint8_t *)"", 0, &loaded, error) == HERALD_STATUS_INVALID_CATALOGUE);
    CHECK(herald_catalogue_from_json(NULL, 0, &loaded, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_from_json((const uint8_t *)"{}", 2, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_panic_poisons_only_that_handle(void) {
    const herald_catalogue *victim = NULL;
    const herald_catalogue *other = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_event event;
    herald_buffer *document = NULL;
    const char doc[] = "{\"format\": \"herald-catalogue/1\", \"sources\": [{\"id\": \"shop\", \"vendor\": \"Shop\", "
                       "\"title\": \"Shop\", \"transport\": \"HTTP\", \"description\": \"A shop.\", \"events\": "
                       "[{\"name\": \"order.created\", \"category\": \"order\", \"description\": \"An order.\"}]}]}";
    CHECK(herald_catalogue_from_json((const uint8_t *)doc, strlen(doc), &victim, error) == HERALD_STATUS_OK);
    CHECK(herald_catalogue_event_count(victim) == 1 && herald_catalogue_source_count(victim) == 1);
    CHECK(herald_debug_panic_catalogue(victim, error) == HERALD_STATUS_PANIC);
    CHECK(str_eq(herald_error_code(error), "panic"));
    CHECK(str_contains(herald_error_message(error), "forced"));
    CHECK(herald_catalogue_to_json(victim, &document, error) == HERALD_STATUS_POISONED);
    CHECK(document == NULL);
    CHECK(str_eq(herald_error_code(error), "poisoned"));
    /* Plain getters cannot report a status: a poisoned handle reads as empty. */
    event.size = sizeof event;
    CHECK(herald_catalogue_event_count(victim) == 0 && herald_catalogue_source_count(victim) == 0);
    CHECK(herald_catalogue_event_count(other) == 97);
    CHECK(herald_catalogue_get(other, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"), &event, error) ==
          HERALD_STATUS_OK);
    herald_catalogue_free(victim); /* a poisoned handle can still be freed */
    herald_catalogue_free(other);
    herald_error_free(error);
}

int main(void) {
    test_versions();
    test_status_strings();
    test_error_object();
    test_topics();
    test_catalogue_listing();
    test_catalogue_lookup();
    test_extensible_struct_sizes();
    test_catalogue_export_and_load();
    test_panic_poisons_only_that_handle();
    return check_finish("test_core");
}
