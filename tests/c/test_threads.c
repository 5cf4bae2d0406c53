/* Several threads match against the current router snapshot while a writer
 * thread subscribes and publishes new snapshots. Run under ThreadSanitizer
 * by tests/c/run.sh. */
#include <pthread.h>
#include <stdint.h>

#include "check.h"

#define READERS 4
#define ROUNDS 200
#define MATCHES_PER_READER 4000

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static const herald_router_snapshot *current;
static int failures[READERS];

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

static void *writer(void *unused) {
    herald_router *router = herald_router_new();
    char pattern[64];
    int round;
    (void)unused;
    for (round = 1; round <= ROUNDS; round++) {
        const herald_router_snapshot *next = NULL;
        snprintf(pattern, sizeof pattern, "payment.%s.#", round % 2 ? "card" : "*");
        herald_router_subscribe(router, pattern, strlen(pattern), (uint64_t)round, NULL, NULL);
        if (herald_router_snapshot_new(router, &next, NULL) == HERALD_STATUS_OK) {
            publish(next);
        }
    }
    herald_router_free(router);
    return NULL;
}

static void *reader(void *slot) {
    int index = *(int *)slot;
    uint64_t ids[ROUNDS];
    size_t seen = 0;
    int i;
    for (i = 0; i < MATCHES_PER_READER; i++) {
        const herald_router_snapshot *snapshot = acquire();
        size_t len = 0;
        size_t k;
        if (herald_router_snapshot_match(snapshot, TEXT("payment.card.success"), ids, ROUNDS, &len, NULL) !=
            HERALD_STATUS_OK) {
            failures[index]++;
        }
        /* Subscriptions only grow, so later snapshots never match fewer ids;
         * ids are distinct and ascending. */
        if (len < seen) {
            failures[index]++;
        }
        seen = len;
        for (k = 1; k < len; k++) {
            if (ids[k - 1] >= ids[k]) {
                failures[index]++;
            }
        }
        herald_router_snapshot_free(snapshot);
    }
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
    return check_finish("test_threads");
}
