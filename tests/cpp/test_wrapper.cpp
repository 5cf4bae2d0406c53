// The C++ RAII wrapper: ownership, move and copy semantics, exceptions.
#include "herald.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

std::vector<std::uint64_t> route_in_second_unit(const herald::RouterSnapshot &snapshot, std::string_view topic);
bool builtin_has_wallet_events();

namespace {

int passed = 0;
int failed = 0;

void check(bool condition, const char *what, int line) {
    if (condition) {
        passed++;
    } else {
        failed++;
        std::fprintf(stderr, "test_wrapper.cpp:%d: CHECK failed: %s\n", line, what);
    }
}

#define CHECK(condition) check((condition), #condition, __LINE__)

/// Runs `body`, expecting herald::Error with `status` and `code`.
template <typename Body> void expect_error(Body body, herald::Status status, const char *code, int line) {
    try {
        body();
        check(false, "expected herald::Error", line);
    } catch (const herald::Error &error) {
        check(error.status() == status, "status", line);
        check(error.code() == code, code, line);
        check(std::string(error.what()).size() > 0, "message", line);
    }
}

#define EXPECT_ERROR(body, status, code) expect_error([&] { body; }, status, code, __LINE__)

static_assert(!std::is_copy_constructible_v<herald::Router>, "routers are move-only");
static_assert(std::is_nothrow_move_constructible_v<herald::Router>, "routers move without throwing");
static_assert(!std::is_copy_constructible_v<herald::EndpointSet>, "endpoint sets are move-only");
static_assert(std::is_copy_constructible_v<herald::Catalogue>, "catalogues are shared");
static_assert(std::is_copy_constructible_v<herald::RouterSnapshot>, "snapshots are shared");

void test_topics_and_patterns() {
    herald::validate_topic("payment.card.success");
    herald::validate_pattern("payment.#");
    CHECK(herald::matches("#.failed", "failed"));
    CHECK(!herald::matches("apps.payment.>", "apps.payment"));
    EXPECT_ERROR(herald::validate_topic("payment..success"), herald::Status::InvalidTopic, "empty_segment");
    EXPECT_ERROR(herald::validate_pattern("pay*"), herald::Status::InvalidPattern, "wildcard_inside_segment");
    EXPECT_ERROR(herald::matches("#", "a b"), herald::Status::InvalidTopic, "forbidden_character");
    CHECK(herald::abi_version() == HERALD_ABI_VERSION);
    CHECK(!herald::version().empty());
    CHECK(herald::status_text(herald::Status::Ok) == "ok");
}

void test_catalogue() {
    herald::Catalogue catalogue = herald::Catalogue::builtin();
    CHECK(catalogue.size() == 97);
    CHECK(catalogue.sources().size() == 4);
    CHECK(catalogue.events().size() == 97);
    std::optional<herald::Event> sms = catalogue.find("orangepill-stream", "sms.message.sent");
    CHECK(sms.has_value() && sms->name == "{channel}.message.sent" && sms->bound_value == "sms");
    CHECK(sms->infobip_extension());
    CHECK(!catalogue.find("orangepill-stream", "message.sent").has_value());
    CHECK(!catalogue.find("nowhere", "x").has_value());
    std::vector<herald::Event> aliases = catalogue.aliases("inplayer-notifications", "access.granted");
    CHECK(aliases.size() == 1 && aliases[0].name == "asset.access.granted");
    EXPECT_ERROR(catalogue.at(1000), herald::Status::OutOfRange, "out_of_range");

    // Copies share one catalogue; the copy outlives the original.
    std::string document = catalogue.to_json();
    herald::Catalogue loaded = herald::Catalogue::from_json(document);
    herald::Catalogue copy = loaded;
    { herald::Catalogue gone = std::move(loaded); }
    CHECK(copy.size() == 97);
    CHECK(copy.to_json() == document);
    EXPECT_ERROR(herald::Catalogue::from_json("{\"format\": \"herald-catalogue/7\", \"sources\": []}"),
                 herald::Status::InvalidCatalogue, "unknown_format");
    CHECK(builtin_has_wallet_events());
}

void test_validation() {
    herald::Catalogue catalogue = herald::Catalogue::builtin();
    herald::Report report = catalogue.validate(
        "accelbyte-wallet", "walletBalanceChanged",
        R"({"type":"walletBalanceChanged","payload":{"action":"bulkDebit","data":{"namespace":"n","userId":"u",)"
        R"("currencyCode":"USD","amount":-9223372036854775809,"reason":"r","origin":"System","extra":1}}})");
    CHECK(!report.ok());
    CHECK(report.errors.size() == 1 && report.errors[0].code == "out_of_range");
    CHECK(report.errors[0].pointer == "/payload/data/amount");
    CHECK(report.warnings.size() == 1 && report.warnings[0].code == "unknown_field");

    herald::Limits limits = herald::default_limits();
    limits.max_depth = 1;
    herald::Report deep = catalogue.validate("accelbyte-wallet", "walletBalanceChanged",
                                             R"({"type":"walletBalanceChanged","payload":{}})", &limits);
    CHECK(!deep.ok() && deep.errors.back().code == "too_deep");

    CHECK(catalogue.validate_named("orangepill-unsubscribe", R"({"type":"unsubscribe","realm":"key"})").ok());
    EXPECT_ERROR(catalogue.validate("accelbyte-wallet", "walletGone", "{}"), herald::Status::UnknownEvent,
                 "unknown_event");
    EXPECT_ERROR(catalogue.validate_named("nope", "{}"), herald::Status::UnknownSchema, "unknown_schema");
    CHECK(catalogue.json_schema("inplayer-webhooks", "asset.access.revoked").find("2020-12") != std::string::npos);
    CHECK(catalogue.asyncapi("accelbyte-wallet").find("walletStatusChanged") != std::string::npos);
}

void test_router_and_snapshots() {
    herald::Router router;
    CHECK(router.subscribe("payment.#", 3));
    CHECK(router.subscribe("#.success", 1));
    CHECK(!router.subscribe("payment.#", 3));
    for (std::uint64_t id = 100; id < 140; id++) {
        router.subscribe("payment.card.*", id); // more ids than the first buffer guess
    }
    std::vector<std::uint64_t> ids = router.match("payment.card.success");
    CHECK(ids.size() == 42 && ids.front() == 1 && ids[1] == 3 && ids.back() == 139);
    EXPECT_ERROR(router.match("payment.*"), herald::Status::InvalidTopic, "reserved_character");
    EXPECT_ERROR(router.subscribe("a.>.b", 1), herald::Status::InvalidPattern, "tail_not_last");

    herald::RouterSnapshot before = router.snapshot();
    CHECK(router.unsubscribe("payment.#", 3));
    CHECK(!router.unsubscribe("payment.#", 3));
    CHECK(before.size() == 42 && router.size() == 41);
    CHECK(route_in_second_unit(before, "payment").size() == 1);
    CHECK(router.snapshot().match("payment").empty());

    // Moving transfers ownership; the moved-from router is empty and harmless.
    herald::Router moved = std::move(router);
    CHECK(moved.size() == 41);
    herald::RouterSnapshot copy = before;
    CHECK(copy.match("x.success") == std::vector<std::uint64_t>{1});

    herald::MatchCache cache;
    std::vector<std::uint64_t> cached;
    for (int round = 0; round < 3; round++) {
        copy.match_cached("x.success", cache, cached);
        CHECK(cached == std::vector<std::uint64_t>{1});
    }

    std::vector<std::uint64_t> reused;
    reused.reserve(64);
    const std::uint64_t *storage = reused.data();
    moved.match_into("payment.card.success", reused);
    CHECK(reused.size() == 41 && reused.data() == storage);
}

void test_endpoints() {
    herald::EndpointSet set;
    for (std::uint64_t id = 1; id <= 10; id++) {
        set.add(id, "https://hooks.example/" + std::to_string(id), {"subscribe.#"});
    }
    EXPECT_ERROR(set.add(11, "https://eleventh.example", {"subscribe.#"}), herald::Status::TooManyUrls,
                 "too_many_urls");
    CHECK(set.size() == 10 && set.receiving_count() == 10);
    set.add(11, "https://eleventh.example", {"customer.#"}, false);
    EXPECT_ERROR(set.enable(11), herald::Status::TooManyUrls, "too_many_urls");
    CHECK(set.disable(1));
    CHECK(set.enable(11));
    CHECK(set.deliveries("subscribe.expired").size() == 9);
    CHECK(set.deliveries("customer.updated") == std::vector<std::string>{"https://eleventh.example"});
    EXPECT_ERROR(set.remove(99), herald::Status::UnknownWebhook, "unknown_webhook");
    EXPECT_ERROR(set.add(2, "https://x.example", {}), herald::Status::DuplicateWebhook, "duplicate_webhook");
}

} // namespace

int main() {
    test_topics_and_patterns();
    test_catalogue();
    test_validation();
    test_router_and_snapshots();
    test_endpoints();
    std::printf("test_wrapper: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
