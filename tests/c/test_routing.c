/* Patterns, routers, snapshots and webhook endpoint sets through the C ABI. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#if !defined(HERALD_TESTING)
#error "build the C tests with -DHERALD_TESTING against a library built with --features testing"
#endif

static void test_patterns(void) {
    herald_error *error = herald_error_new();
    bool matches = false;
    CHECK(herald_pattern_validate(TEXT("payment.#"), error) == HERALD_STATUS_OK);
    CHECK(herald_pattern_validate(TEXT("pay*"), error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(str_eq(herald_error_code(error), "wildcard_inside_segment"));
    CHECK(herald_pattern_validate(TEXT("a.>.b"), error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(str_eq(herald_error_code(error), "tail_not_last"));
    CHECK(herald_pattern_validate(TEXT("#.a.#.b.#"), error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(str_eq(herald_error_code(error), "too_many_hashes"));
    CHECK(herald_pattern_validate(NULL, 0, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_pattern_validate("\x80", 1, error) == HERALD_STATUS_INVALID_UTF8);

    CHECK(herald_pattern_matches(TEXT("#.failed"), TEXT("external.subscribe.cancel.failed"), &matches, error) ==
          HERALD_STATUS_OK);
    CHECK(matches);
    CHECK(herald_pattern_matches(TEXT("apps.payment.>"), TEXT("apps.payment"), &matches, error) == HERALD_STATUS_OK);
    CHECK(!matches);
    matches = true;
    CHECK(herald_pattern_matches(TEXT("#"), TEXT("a..b"), &matches, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(matches); /* untouched on failure */
    CHECK(str_eq(herald_error_code(error), "empty_segment"));
    CHECK(herald_pattern_matches(TEXT("a*"), TEXT("a"), &matches, error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(herald_pattern_matches(NULL, 0, TEXT("a"), &matches, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_pattern_matches(TEXT("a"), NULL, 0, &matches, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_pattern_matches(TEXT("a"), TEXT("a"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_pattern_matches(TEXT("a"), "\xff", 1, &matches, error) == HERALD_STATUS_INVALID_UTF8);
    herald_error_free(error);
}

static void test_router(void) {
    herald_router *router = herald_router_new();
    herald_error *error = herald_error_new();
    uint64_t ids[8];
    size_t len = 0;
    bool changed = false;

    CHECK(router != NULL);
    CHECK(herald_router_subscribe(router, TEXT("payment.#"), 30, &changed, error) == HERALD_STATUS_OK && changed);
    CHECK(herald_router_subscribe(router, TEXT("#.success"), 10, &changed, error) == HERALD_STATUS_OK && changed);
    CHECK(herald_router_subscribe(router, TEXT("payment.card.success"), 20, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_subscribe(router, TEXT("payment.card.*"), 10, &changed, error) == HERALD_STATUS_OK);
    CHECK(herald_router_subscribe(router, TEXT("payment.#"), 30, &changed, error) == HERALD_STATUS_OK && !changed);
    CHECK(herald_router_len(router) == 4);

    /* Each subscriber once, ascending, even when several patterns match. */
    CHECK(herald_router_match(router, TEXT("payment.card.success"), ids, 8, &len, error) == HERALD_STATUS_OK);
    CHECK(len == 3 && ids[0] == 10 && ids[1] == 20 && ids[2] == 30);
    CHECK(herald_router_match(router, TEXT("payment"), ids, 8, &len, error) == HERALD_STATUS_OK);
    CHECK(len == 1 && ids[0] == 30);
    CHECK(herald_router_match(router, TEXT("user.created"), ids, 8, &len, error) == HERALD_STATUS_OK);
    CHECK(len == 0);

    /* Too small a buffer reports the size needed; NULL is fine for a size query. */
    CHECK(herald_router_match(router, TEXT("payment.card.success"), ids, 2, &len, error) ==
          HERALD_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 3);
    CHECK(herald_router_match(router, TEXT("payment.card.success"), NULL, 0, &len, error) ==
          HERALD_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 3);
    CHECK(herald_router_match(router, TEXT("user.created"), NULL, 0, &len, error) == HERALD_STATUS_OK && len == 0);

    /* An invalid topic is an error, never "no match". */
    CHECK(herald_router_match(router, TEXT("payment..card"), ids, 8, &len, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(herald_router_match(router, "", 0, ids, 8, &len, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(str_eq(herald_error_code(error), "empty"));
    CHECK(herald_router_subscribe(router, TEXT("pay*"), 1, &changed, error) == HERALD_STATUS_INVALID_PATTERN);

    CHECK(herald_router_unsubscribe(router, TEXT("payment.#"), 30, &changed, error) == HERALD_STATUS_OK && changed);
    CHECK(herald_router_unsubscribe(router, TEXT("payment.#"), 30, &changed, error) == HERALD_STATUS_OK && !changed);
    CHECK(herald_router_len(router) == 3);

    /* NULL and bad UTF-8 for every pointer argument. */
    CHECK(herald_router_subscribe(NULL, TEXT("a"), 1, &changed, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_subscribe(router, NULL, 0, 1, &changed, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_subscribe(router, "\xc0", 1, 1, &changed, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_router_unsubscribe(NULL, TEXT("a"), 1, &changed, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_unsubscribe(router, NULL, 0, 1, &changed, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_match(NULL, TEXT("a"), ids, 8, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_match(router, NULL, 0, ids, 8, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_match(router, TEXT("a"), NULL, 8, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_match(router, TEXT("a"), ids, 8, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_match(router, "\xe2\x82", 2, ids, 8, &len, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_router_len(NULL) == 0);
    herald_router_free(router);
    herald_router_free(NULL);
    herald_error_free(error);
}

static void test_snapshots(void) {
    herald_router *router = herald_router_new();
    herald_error *error = herald_error_new();
    const herald_router_snapshot *before = NULL;
    const herald_router_snapshot *after = NULL;
    const herald_router_snapshot *shared;
    uint64_t ids[4];
    size_t len = 0;

    CHECK(herald_router_subscribe(router, TEXT("*.message.sent"), 1, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_snapshot_new(router, &before, error) == HERALD_STATUS_OK);
    CHECK(herald_router_subscribe(router, TEXT("sms.#"), 2, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_snapshot_new(router, &after, error) == HERALD_STATUS_OK);
    herald_router_free(router); /* snapshots outlive their router */

    CHECK(herald_router_snapshot_len(before) == 1 && herald_router_snapshot_len(after) == 2);
    CHECK(herald_router_snapshot_match(before, TEXT("sms.message.sent"), ids, 4, &len, error) == HERALD_STATUS_OK);
    CHECK(len == 1 && ids[0] == 1);
    CHECK(herald_router_snapshot_match(after, TEXT("sms.message.sent"), ids, 4, &len, error) == HERALD_STATUS_OK);
    CHECK(len == 2 && ids[0] == 1 && ids[1] == 2);
    CHECK(herald_router_snapshot_match(after, TEXT("sms.message.sent"), ids, 1, &len, error) ==
          HERALD_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 2);
    CHECK(herald_router_snapshot_match(after, TEXT("sms.*"), ids, 4, &len, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(herald_router_snapshot_match(after, NULL, 0, ids, 4, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match(after, TEXT("a"), NULL, 4, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match(after, TEXT("a"), ids, 4, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match(after, TEXT("a"), NULL, 0, &len, error) == HERALD_STATUS_OK && len == 0);

    shared = herald_router_snapshot_clone(after);
    CHECK(shared == after);
    herald_router_snapshot_free(after);
    CHECK(herald_router_snapshot_len(shared) == 2);
    herald_router_snapshot_free(shared);
    herald_router_snapshot_free(before);
    herald_router_snapshot_free(NULL);
    CHECK(herald_router_snapshot_clone(NULL) == NULL);
    CHECK(herald_router_snapshot_len(NULL) == 0);
    CHECK(herald_router_snapshot_new(NULL, &before, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match(NULL, TEXT("a"), ids, 4, &len, error) == HERALD_STATUS_NULL_ARGUMENT);
    router = herald_router_new();
    CHECK(herald_router_snapshot_new(router, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_router_free(router);
    herald_error_free(error);
}

static void test_match_cache(void) {
    herald_router *router = herald_router_new();
    herald_error *error = herald_error_new();
    herald_match_cache *cache = herald_match_cache_new(64);
    const herald_router_snapshot *first = NULL;
    const herald_router_snapshot *second = NULL;
    uint64_t ids[4];
    size_t len = 0;
    int round;

    CHECK(cache != NULL);
    CHECK(herald_router_subscribe(router, TEXT("payment.#"), 5, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_snapshot_new(router, &first, error) == HERALD_STATUS_OK);
    for (round = 0; round < 3; round++) {
        CHECK(herald_router_snapshot_match_cached(first, cache, TEXT("payment.card.success"), ids, 4, &len, error) ==
              HERALD_STATUS_OK);
        CHECK(len == 1 && ids[0] == 5);
    }
    /* A newer snapshot is answered for itself, never from the older one's answers. */
    CHECK(herald_router_subscribe(router, TEXT("#.success"), 2, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_snapshot_new(router, &second, error) == HERALD_STATUS_OK);
    CHECK(herald_router_snapshot_match_cached(second, cache, TEXT("payment.card.success"), ids, 4, &len, error) ==
          HERALD_STATUS_OK);
    CHECK(len == 2 && ids[0] == 2 && ids[1] == 5);
    CHECK(herald_router_snapshot_match_cached(second, cache, TEXT("payment.card.success"), ids, 1, &len, error) ==
          HERALD_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 2);
    CHECK(herald_router_snapshot_match_cached(second, cache, TEXT("payment..x"), ids, 4, &len, error) ==
          HERALD_STATUS_INVALID_TOPIC);
    CHECK(herald_router_snapshot_match_cached(NULL, cache, TEXT("a"), ids, 4, &len, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match_cached(second, NULL, TEXT("a"), ids, 4, &len, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match_cached(second, cache, NULL, 0, ids, 4, &len, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_router_snapshot_match_cached(second, cache, TEXT("a"), ids, 4, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    herald_router_snapshot_free(first);
    herald_router_snapshot_free(second);
    herald_router_free(router);
    herald_match_cache_free(cache); /* releases its reference to the last snapshot */
    herald_match_cache_free(NULL);
    herald_error_free(error);
}

static void test_panic_poisons_only_that_router(void) {
    herald_router *victim = herald_router_new();
    herald_router *other = herald_router_new();
    herald_error *error = herald_error_new();
    uint64_t ids[2];
    size_t len = 0;
    CHECK(herald_router_subscribe(victim, TEXT("a"), 1, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_len(victim) == 1);
    CHECK(herald_debug_panic_router(victim, error) == HERALD_STATUS_PANIC);
    CHECK(str_eq(herald_error_code(error), "panic"));
    CHECK(herald_router_match(victim, TEXT("a"), ids, 2, &len, error) == HERALD_STATUS_POISONED);
    CHECK(herald_router_subscribe(victim, TEXT("b"), 2, NULL, error) == HERALD_STATUS_POISONED);
    /* Plain getters cannot report a status: a poisoned handle reads as empty. */
    CHECK(herald_router_len(victim) == 0);
    CHECK(herald_router_subscribe(other, TEXT("a"), 1, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_router_match(other, TEXT("a"), ids, 2, &len, error) == HERALD_STATUS_OK && len == 1);
    CHECK(herald_router_len(other) == 1);
    CHECK(herald_debug_panic_router(NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_router_free(victim);
    herald_router_free(other);
    herald_error_free(error);
}

static void test_endpoints(void) {
    herald_endpoints *set = herald_endpoints_new(HERALD_DEFAULT_MAX_URLS);
    herald_error *error = herald_error_new();
    herald_str events[2];
    herald_list *urls = NULL;
    herald_bytes first;
    herald_str bad_event;
    char url[64];
    bool changed = false;
    uint64_t id;

    events[0].ptr = "subscribe.#";
    events[0].len = strlen(events[0].ptr);
    events[1].ptr = "customer.registered";
    events[1].len = strlen(events[1].ptr);

    /* Ten distinct URLs may receive; two webhooks may share one URL. */
    for (id = 1; id <= 10; id++) {
        snprintf(url, sizeof url, "https://hooks.example/%u", (unsigned)id);
        CHECK(herald_endpoints_add(set, id, TEXT(url), events, 2, true, error) == HERALD_STATUS_OK);
    }
    CHECK(herald_endpoints_add(set, 11, TEXT("https://hooks.example/1"), events, 1, true, error) == HERALD_STATUS_OK);
    CHECK(herald_endpoints_receiving_count(set) == 10);

    /* An eleventh URL is refused and nothing changes. */
    CHECK(herald_endpoints_add(set, 12, TEXT("https://elsewhere.example"), events, 2, true, error) ==
          HERALD_STATUS_TOO_MANY_URLS);
    CHECK(str_eq(herald_error_code(error), "too_many_urls"));
    CHECK(herald_endpoints_len(set) == 11 && herald_endpoints_receiving_count(set) == 10);

    /* Added disabled it fits; enabling it is refused until a URL frees up. */
    CHECK(herald_endpoints_add(set, 12, TEXT("https://elsewhere.example"), events, 2, false, error) ==
          HERALD_STATUS_OK);
    CHECK(herald_endpoints_enable(set, 12, &changed, error) == HERALD_STATUS_TOO_MANY_URLS);
    CHECK(herald_endpoints_disable(set, 10, &changed, error) == HERALD_STATUS_OK && changed);
    CHECK(herald_endpoints_enable(set, 12, &changed, error) == HERALD_STATUS_OK && changed);
    CHECK(herald_endpoints_enable(set, 12, &changed, error) == HERALD_STATUS_OK && !changed);

    /* Deliveries: each URL once, enabled webhooks only. */
    CHECK(herald_endpoints_deliveries(set, TEXT("subscribe.expired"), &urls, error) == HERALD_STATUS_OK);
    CHECK(herald_list_count(urls) == 10);
    CHECK(herald_list_at(urls, 0, &first, error) == HERALD_STATUS_OK);
    CHECK(first.len == strlen("https://elsewhere.example") &&
          memcmp(first.ptr, "https://elsewhere.example", first.len) == 0);
    CHECK(herald_list_at(urls, 10, &first, error) == HERALD_STATUS_OUT_OF_RANGE);
    herald_list_free(urls);
    CHECK(herald_endpoints_deliveries(set, TEXT("customer.registered"), &urls, error) == HERALD_STATUS_OK);
    CHECK(herald_list_count(urls) == 10);
    herald_list_free(urls);
    CHECK(herald_endpoints_deliveries(set, TEXT("payment.card.success"), &urls, error) == HERALD_STATUS_OK);
    CHECK(herald_list_count(urls) == 0);
    herald_list_free(urls);
    urls = NULL;
    CHECK(herald_endpoints_deliveries(set, TEXT("subscribe.*"), &urls, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(urls == NULL);

    /* Refusals with their statuses. */
    CHECK(herald_endpoints_add(set, 1, TEXT("https://hooks.example/1"), events, 1, true, error) ==
          HERALD_STATUS_DUPLICATE_WEBHOOK);
    CHECK(herald_endpoints_add(set, 50, TEXT("not a url"), events, 1, false, error) == HERALD_STATUS_INVALID_URL);
    bad_event.ptr = "pay*";
    bad_event.len = 4;
    CHECK(herald_endpoints_add(set, 51, TEXT("https://x.example"), &bad_event, 1, false, error) ==
          HERALD_STATUS_INVALID_PATTERN);
    bad_event.ptr = NULL;
    CHECK(herald_endpoints_add(set, 52, TEXT("https://x.example"), &bad_event, 1, false, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_add(set, 53, TEXT("https://x.example"), NULL, 1, false, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_add(set, 54, TEXT("https://x.example"), NULL, 0, false, error) == HERALD_STATUS_OK);
    CHECK(herald_endpoints_add(set, 55, NULL, 0, events, 1, false, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_add(NULL, 56, TEXT("https://x.example"), events, 1, false, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_enable(set, 999, &changed, error) == HERALD_STATUS_UNKNOWN_WEBHOOK);
    CHECK(herald_endpoints_remove(set, 999, error) == HERALD_STATUS_UNKNOWN_WEBHOOK);
    CHECK(herald_endpoints_remove(set, 54, error) == HERALD_STATUS_OK);
    CHECK(herald_endpoints_remove(NULL, 54, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_enable(NULL, 1, &changed, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_disable(NULL, 1, &changed, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_deliveries(NULL, TEXT("a"), &urls, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_deliveries(set, TEXT("a"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_deliveries(set, NULL, 0, &urls, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_endpoints_len(NULL) == 0 && herald_endpoints_receiving_count(NULL) == 0);
    herald_endpoints_free(set);
    herald_endpoints_free(NULL);
    herald_error_free(error);
}

int main(void) {
    test_patterns();
    test_router();
    test_snapshots();
    test_match_cache();
    test_panic_poisons_only_that_router();
    test_endpoints();
    return check_finish("test_routing");
}
