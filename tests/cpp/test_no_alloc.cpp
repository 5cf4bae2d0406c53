// The wrapper's hot calls allocate nothing: RouterSnapshot::match_into and
// match_cached (and a successful topic check, and Validator::validate of a
// clean payload) make no C++ allocation once the caller's vector has room,
// because errors are reported into one
// error object per thread and ids go straight into the caller's storage.
// A counting global operator new proves the first part; a counting
// herald_error_new (interposed over the library's) proves the second.
#include "check.hpp"
#include "herald.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

std::size_t allocations = 0;
std::size_t error_objects = 0;

void *counted(std::size_t size) {
    allocations++;
    if (void *memory = std::malloc(size == 0 ? 1 : size)) {
        return memory;
    }
    throw std::bad_alloc();
}

/// The number of operator new calls `work` makes.
template <typename Work> std::size_t allocations_during(Work work) {
    std::size_t before = allocations;
    work();
    return allocations - before;
}

} // namespace

// The executable's definition wins over the library's for the wrapper's
// calls; it counts them and forwards to the real one.
extern "C" herald_error *herald_error_new(void) {
    using Make = herald_error *(*)(void);
    static Make real = [] {
        void *symbol = dlsym(RTLD_NEXT, "herald_error_new");
        Make function = nullptr;
        std::memcpy(&function, &symbol, sizeof function);
        return function;
    }();
    error_objects++;
    return real();
}

void *operator new(std::size_t size) { return counted(size); }
void *operator new[](std::size_t size) { return counted(size); }
void operator delete(void *memory) noexcept { std::free(memory); }
void operator delete[](void *memory) noexcept { std::free(memory); }
void operator delete(void *memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void *memory, std::size_t) noexcept { std::free(memory); }

int main() {
    herald::Router router;
    router.subscribe("payment.#", 1);
    router.subscribe("*.card.success", 2);
    router.subscribe("payment.card.success", 3);
    for (std::uint64_t id = 100; id < 140; id++) {
        router.subscribe("payment.card.>", id);
    }
    herald::RouterSnapshot snapshot = router.snapshot();
    herald::MatchCache cache;
    const char *topics[] = {"payment.card.success", "payment.card.failed", "user.created", "refund.card.success"};
    herald::Validator validator = herald::Catalogue::builtin().validator("accelbyte-wallet", "walletBalanceChanged");
    const char *clean = R"({"type":"walletBalanceChanged","payload":{"action":"bulkDebit","data":{"namespace":"n",)"
                        R"("userId":"u","currencyCode":"USD","amount":1,"reason":"r","origin":"System"}}})";

    std::vector<std::uint64_t> ids;
    ids.reserve(64);
    // The first call on this thread makes its error object (in the library,
    // not through operator new) and fills the cache.
    snapshot.match_into(topics[0], ids);
    snapshot.match_cached(topics[0], cache, ids);

    CHECK(error_objects == 1);
    std::size_t during = allocations_during([&] {
        for (int round = 0; round < 1000; round++) {
            for (const char *topic : topics) {
                snapshot.match_into(topic, ids);
                snapshot.match_cached(topic, cache, ids);
                router.match_into(topic, ids);
                herald::validate_topic(topic);
            }
            /* A clean payload: the verdict and an empty report, no allocation. */
            CHECK(validator.validate(clean).ok() && validator.is_valid(clean));
        }
    });
    CHECK(during == 0);
    CHECK(error_objects == 1); /* still the one error object of this thread */
    snapshot.match_cached(topics[0], cache, ids);
    CHECK(ids.size() == 43 && ids[0] == 1 && ids[1] == 2 && ids[2] == 3);

    // The counter sees what the wrapper does allocate: a fresh vector, a
    // failure's exception, a vector too small for the answer.
    CHECK(allocations_during([&] { (void)snapshot.match(topics[0]); }) > 0);
    CHECK(allocations_during([&] {
              try {
                  snapshot.match_into("payment..card", ids);
              } catch (const herald::Error &error) {
                  CHECK(error.status() == herald::Status::InvalidTopic);
              }
          }) > 0);
    std::vector<std::uint64_t> small;
    small.reserve(2);
    CHECK(allocations_during([&] { snapshot.match_into(topics[0], small); }) > 0);
    CHECK(small.size() == 43);

    CHECK(error_objects == 1); /* failures reuse it too */

    // Another thread gets its own error object, once.
    std::thread worker([&] {
        std::vector<std::uint64_t> mine;
        mine.reserve(64);
        for (const char *topic : topics) {
            snapshot.match_into(topic, mine);
        }
    });
    worker.join();
    CHECK(error_objects == 2);

    std::printf("test_no_alloc: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
