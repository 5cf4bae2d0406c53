/* Several threads share herald objects while a writer changes a router:
 * readers match on the current snapshot (plainly and through a match cache
 * of their own), match on a router nobody changes, and validate against
 * one catalogue. Every answer is checked against what it must be for the
 * version read. Run under ThreadSanitizer by tests/c/run.sh. */
#include <pthread.h>
#include <stdint.h>

#include "check.h"

#define READERS 4
#define ROUNDS 200
#define MATCHES_PER_READER 4000

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static const herald_router_snapshot *current;
static int failures[READERS];

/* Shared by every reader, never changed while they run. */
static const herald_catalogue *catalogue;
static herald_router *fixed;
static uint64_t fixed_ids[8];
static size_t fixed_len;

static const char PAYLOAD[] =
    "{\"type\":\"notification\",\"event\":\"sms.message.sent\",\"data\":\"6396\",\"timestamp\":1}";

/* Publishes `next` as the current snapshot and drops the previous one. */
static void publish(const herald_router_snapshot *next) {
    const herald_router_snapshot *previous;
    pthread_mutex_lock(&current_lock);
    previous = current;
    current = next;
    pthread_mutex_unlock(&current_lock);
    herald_router_snapshot_free(previous);
}

/* Takes a reference to the current snapshot. */
static const herald_router_snapshot *acquire(void) {
    const herald_router_snapshot *snapshot;
    pthread_mutex_lock(&current_lock);
    snapshot = herald_router_snapshot_clone(current);
    pthread_mutex_unlock(&current_lock);
    return snapshot;
}

/* Round r subscribes id r: odd rounds to payment.card.#, even rounds to
 * payment.*.#. A snapshot of `version` subscriptions therefore matches
 * ids 1..version for payment.card.success, and the even ids up to
 * `version` for payment.other.x. */
static void *writer(void *unused) {
    herald_router *router = herald_router_new();
    int round;
    (void)unused;
    for (round = 1; round <= ROUNDS; round++) {
        const herald_router_snapshot *next = NULL;
        const char *pattern = round % 2 ? "payment.card.#" : "payment.*.#";
        herald_router_subscribe(router, pattern, strlen(pattern), (uint64_t)round, NULL, NULL);
        if (herald_router_snapshot_new(router, &next, NULL) == HERALD_STATUS_OK) {
            publish(next);
        }
    }
    herald_router_free(router);
    return NULL;
}

/* Whether `ids[0..len)` is what a snapshot of `version` subscriptions must
 * answer: every id (`step` 1) or the even ids (`step` 2) up to `version`. */
static int is_oracle_answer(const uint64_t *ids, size_t len, size_t version, uint64_t step) {
    size_t k;
    if (len != version / step) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        if (ids[k] != step * (k + 1)) {
            return 0;
        }
    }
    return 1;
}

static void *reader(void *slot) {
    int index = *(int *)slot;
    uint64_t ids[ROUNDS];
    size_t seen = 0;
    int i;
    herald_match_cache *cache = herald_match_cache_new(4);
    herald_error *error = herald_error_new();
    for (i = 0; i < MATCHES_PER_READER; i++) {
        const herald_router_snapshot *snapshot = acquire();
        size_t version = herald_router_snapshot_len(snapshot);
        size_t len = 0;
        /* Subscriptions only grow: a later snapshot is never older. */
        if (version < seen) {
            failures[index]++;
        }
        seen = version;
        if (herald_router_snapshot_match(snapshot, TEXT("payment.card.success"), ids, ROUNDS, &len, error) !=
                HERALD_STATUS_OK ||
            !is_oracle_answer(ids, len, version, 1)) {
            failures[index]++;
        }
        if (herald_router_snapshot_match_cached(snapshot, cache, TEXT("payment.other.x"), ids, ROUNDS, &len,
                                                error) != HERALD_STATUS_OK ||
            !is_oracle_answer(ids, len, version, 2)) {
            failures[index]++;
        }
        herald_router_snapshot_free(snapshot);

        if (i % 16 == 0) {
            uint64_t mine[8];
            herald_report *report = NULL;
            if (herald_router_match(fixed, TEXT("sms.message.sent"), mine, 8, &len, error) != HERALD_STATUS_OK ||
                len != fixed_len || memcmp(mine, fixed_ids, len * sizeof mine[0]) != 0) {
                failures[index]++;
            }
            if (herald_catalogue_validate(catalogue, TEXT("orangepill-stream"), TEXT("sms.message.sent"),
                                          (const uint8_t *)PAYLOAD, strlen(PAYLOAD), NULL, &report,
                                          error) != HERALD_STATUS_OK ||
                !herald_report_is_ok(report)) {
                failures[index]++;
            }
            herald_report_free(report);
        }
    }
    herald_error_free(error);
    herald_match_cache_free(cache);
    return NULL;
}

int main(void) {
    pthread_t readers[READERS];
    pthread_t writing;
    int slots[READERS];
    int i;
    herald_router *empty = herald_router_new();
    CHECK(herald_router_snapshot_new(empty, &current, NULL) == HERALD_STATUS_OK);
    herald_router_free(empty);

    catalogue = herald_catalogue_builtin();
    fixed = herald_router_new();
    CHECK(herald_router_subscribe(fixed, TEXT("*.message.sent"), 3, NULL, NULL) == HERALD_STATUS_OK);
    CHECK(herald_router_subscribe(fixed, TEXT("#"), 1, NULL, NULL) == HERALD_STATUS_OK);
    CHECK(herald_router_subscribe(fixed, TEXT("payment.#"), 2, NULL, NULL) == HERALD_STATUS_OK);
    CHECK(herald_router_match(fixed, TEXT("sms.message.sent"), fixed_ids, 8, &fixed_len, NULL) == HERALD_STATUS_OK);
    CHECK(fixed_len == 2 && fixed_ids[0] == 1 && fixed_ids[1] == 3);

    CHECK(pthread_create(&writing, NULL, writer, NULL) == 0);
    for (i = 0; i < READERS; i++) {
        slots[i] = i;
        CHECK(pthread_create(&readers[i], NULL, reader, &slots[i]) == 0);
    }
    CHECK(pthread_join(writing, NULL) == 0);
    for (i = 0; i < READERS; i++) {
        CHECK(pthread_join(readers[i], NULL) == 0);
        CHECK(failures[i] == 0);
    }
    CHECK(herald_router_snapshot_len(current) == ROUNDS);
    publish(NULL);
    herald_router_free(fixed);
    herald_catalogue_free(catalogue);
    return check_finish("test_threads");
}
