/* A deliberate misuse: two threads change one herald_router without a lock,
 * which the thread-safety table (docs/thread-safety.md) forbids ("one thread at a time").
 *
 * tests/c/run.sh builds this only under ThreadSanitizer, against a libherald
 * that is itself instrumented, and expects it to FAIL with a data race
 * reported inside the library (a frame of herald_core). That proves the
 * ThreadSanitizer run sees the library's own memory accesses, and that the
 * suppressions in tests/c/tsan.supp do not hide a real race.
 *
 * The second thread starts its writes after a pause, so the two threads do
 * not really overlap and the router's memory is not torn while the test
 * runs; ThreadSanitizer still reports the race, because nothing orders the
 * two threads' writes (it judges by happens-before, not by timing). */
#define _POSIX_C_SOURCE 199309L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "herald.h"

#define PATTERNS 200

static herald_router *shared_router;

static void *subscriber(void *first_id) {
    uint64_t first = *(const uint64_t *)first_id;
    char pattern[64];
    uint64_t id;
    if (first > 0) {
        struct timespec pause = {0, 200 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    for (id = first; id < first + PATTERNS; id++) {
        snprintf(pattern, sizeof pattern, "race.w%llu.#", (unsigned long long)id);
        herald_router_subscribe(shared_router, pattern, strlen(pattern), id, NULL, NULL);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    uint64_t firsts[2] = {0, PATTERNS};
    int i;
    shared_router = herald_router_new();
    for (i = 0; i < 2; i++) {
        pthread_create(&threads[i], NULL, subscriber, &firsts[i]);
    }
    for (i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
    }
    herald_router_free(shared_router);
    /* Only reached when ThreadSanitizer saw nothing: run.sh counts that as
     * a failure of the ThreadSanitizer run. */
    puts("race_unlocked_router: no race reported");
    return 0;
}
