// The C++ RAII wrapper: ownership, move and copy semantics, exceptions.
#include "check.hpp"
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

static_assert(!std::is_copy_constructible_v<herald::Router>, "routers are move-only");
static_assert(std::is_nothrow_move_constructible_v<herald::Router>, "routers move without throwing");
static_assert(!std::is_copy_constructible_v<herald::EndpointSet>, "endpoint sets are move-only");
static_assert(std::is_copy_constructible_v<herald::Catalogue>, "catalogues are shared");
static_assert(std::is_copy_constructible_v<herald::RouterSnapshot>, "snapshots are shared");
static_assert(!std::is_copy_constructible_v<herald::WireEvent>, "wire events are move-only");
static_assert(std::is_nothrow_move_constructible_v<herald::WireEvent>, "wire events move without throwing");
static_assert(!std::is_copy_constructible_v<herald::RealmHub>, "realm hubs are move-only");
static_assert(!std::is_copy_constructible_v<herald::RealmKeys>, "realm key sets are move-only");
static_assert(!std::is_copy_constructible_v<herald::Limits>, "limits are move-only");
static_assert(std::is_nothrow_move_constructible_v<herald::Catalogue>, "catalogues move without throwing");
static_assert(std::is_nothrow_copy_constructible_v<herald::RouterSnapshot>, "copying a snapshot adds a reference");

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
    CHECK(limits.max_depth() == 64 && limits.max_errors() == 100);
    limits.set_max_depth(1);
    CHECK(limits.max_depth() == 1);
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

void test_validators() {
    const std::string clean =
        R"({"type":"walletBalanceChanged","payload":{"action":"bulkDebit","data":{"namespace":"n","userId":"u",)"
        R"("currencyCode":"USD","amount":1,"reason":"r","origin":"System"}}})";
    herald::Validator validator = [] {
        herald::Catalogue catalogue = herald::Catalogue::builtin();
        return catalogue.validator("accelbyte-wallet", "walletBalanceChanged");
    }(); /* outlives its catalogue */
    herald::Report report = validator.validate(clean);
    CHECK(report.ok() && report.errors.empty() && report.warnings.empty() && !report.truncated);
    CHECK(validator.is_valid(clean));
    herald::Validator copy = validator;
    herald::Report wrong = copy.validate(R"({"type":"walletBalanceChanged","payload":{}})");
    CHECK(!wrong.ok() && wrong.errors[0].code == "missing_field" && !copy.is_valid("{}"));

    herald::Catalogue catalogue = herald::Catalogue::builtin();
    herald::Limits limits;
    limits.set_max_payload_bytes(4);
    herald::Validator small = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", &limits);
    CHECK(small.validate(clean).errors[0].code == "too_large");
    CHECK(catalogue.named_validator("orangepill-unsubscribe").is_valid(R"({"type":"unsubscribe","realm":"key"})"));
    EXPECT_ERROR(catalogue.validator("accelbyte-wallet", "walletGone"), herald::Status::UnknownEvent,
                 "unknown_event");
    EXPECT_ERROR(catalogue.named_validator("nope"), herald::Status::UnknownSchema, "unknown_schema");
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

void test_wire_formats() {
    herald::Catalogue catalogue = herald::Catalogue::builtin();
    const std::string lobby = "type: messageNotif\r\nid: b3cb71d768d3493ba6c1dbd10b816e62\r\n"
                              "topic: e-commerce/wallets\r\n"
                              R"(payload: {"type":"walletBalanceChanged","payload":{"action":"credit","data":{)"
                              R"("namespace":"game","userId":"u1","currencyCode":"GOLD","amount":9223372036854775807,)"
                              R"("reason":"quest","origin":"System"}}})"
                              "\r\nsentAt: 2024-01-22T09:10:54Z\r\n";
    herald::Decoded decoded = herald::decode(catalogue, herald::WireFormat::AccelbyteLobby, lobby);
    // `credit` is not in the seed's action table: valid, with a warning.
    CHECK(decoded.report.ok() && decoded.report.warnings.size() == 1);
    CHECK(decoded.report.warnings[0].code == "unknown_enum" && decoded.report.warnings[0].pointer == "/payload/action");
    herald::WireEvent event = std::move(decoded.event);
    CHECK(event.format() == herald::WireFormat::AccelbyteLobby);
    CHECK(event.source() == "accelbyte-wallet" && event.name() == "walletBalanceChanged");
    CHECK(event.id() == std::optional<std::string_view>("b3cb71d768d3493ba6c1dbd10b816e62"));
    CHECK(std::get<std::string_view>(event.timestamp()) == "2024-01-22T09:10:54Z");
    CHECK(event.payload().find("9223372036854775807") != std::string_view::npos);
    // Re-encoded with \n line ends; decoding that gives the same event document.
    std::string wire = event.encode();
    CHECK(wire.rfind("type: messageNotif\nid: b3cb", 0) == 0);
    herald::Decoded again = herald::decode(catalogue, herald::WireFormat::AccelbyteLobby, wire);
    CHECK(again.event.to_json() == event.to_json());
    herald::WireEvent rebuilt = herald::WireEvent::from_json(event.to_json());
    CHECK(rebuilt.encode() == wire);

    herald::Decoded sms = herald::decode(
        catalogue, herald::WireFormat::Orangepill,
        R"({"type":"notification","event":"sms.message.sent","data":"63967141191e9023f356df9f","timestamp":1671547687})");
    CHECK(sms.report.ok() && sms.event.template_value() == "sms" && !sms.event.id().has_value());
    CHECK(std::get<std::int64_t>(sms.event.timestamp()) == 1671547687);

    herald::Decoded webhook =
        herald::decode(catalogue, herald::WireFormat::InplayerWebhook,
                       "id=WHE-1&created=1559913102&type=asset.access.revoked&resource%5Brevoked%5D=1");
    CHECK(webhook.event.name() == "asset.access.revoked" && webhook.event.id() == std::optional<std::string_view>("WHE-1"));
    CHECK(webhook.event.payload().find(R"("revoked":true)") != std::string_view::npos);
    CHECK(!webhook.report.ok() && webhook.report.errors[0].code == "missing_field");

    herald::Decoded notification = herald::decode(catalogue, herald::WireFormat::InplayerNotification,
                                                  R"({"type":"access.revoked","timestamp":1546612267,"resource":{"item_id":41224}})");
    CHECK(notification.report.ok() && notification.event.source() == "inplayer-notifications");
    CHECK(std::holds_alternative<std::int64_t>(notification.event.timestamp()));

    EXPECT_ERROR(herald::decode(catalogue, herald::WireFormat::InplayerWebhook, "type=customer.updated&a=1&a[b]=2"),
                 herald::Status::InvalidWire, "conflicting_shape");
    EXPECT_ERROR(herald::decode(catalogue, herald::WireFormat::Orangepill, "{\"type\":"), herald::Status::InvalidWire,
                 "malformed_json");
    EXPECT_ERROR(herald::decode(catalogue, static_cast<herald::WireFormat>(9), "{}"), herald::Status::InvalidArgument,
                 "invalid_argument");
    EXPECT_ERROR(herald::WireEvent::from_json("[]"), herald::Status::InvalidWire, "invalid_event_document");
}

void test_realm_hub() {
    herald::RealmKeys keys;
    keys.add("realm-key", "realm-1");
    herald::RealmHub hub;
    std::uint64_t alice = hub.open();
    std::uint64_t bob = hub.open();
    CHECK(alice == 1 && bob == 2);

    herald::RealmReply reply = hub.handle(alice, R"({"type":"subscribe","realm":"realm-key"})", 1671547687, keys);
    CHECK(reply.outcome == herald::RealmOutcome::Subscribed && reply.success());
    CHECK(reply.frames.size() == 2);
    CHECK(reply.frames[0] == R"({"type":"info","realm":"realm-1","timestamp":1671547687})");
    CHECK(reply.frames[1] == R"({"type":"subscribe","realm":"realm-1","timestamp":1671547687})");
    CHECK(hub.handle(alice, R"({"type":"subscribe","realm":"realm-key"})", 1671547688, keys).outcome ==
          herald::RealmOutcome::AlreadySubscribed);

    reply = hub.handle(bob, R"({"type":"subscribe","realm":"stolen"})", 1671547689, keys);
    CHECK(reply.outcome == herald::RealmOutcome::InvalidKey && !reply.success());
    CHECK(reply.frames[0] == R"({"type":"info","realm":"NONE","timestamp":1671547689})");
    reply = hub.handle(bob, "garbage", 1671547690, keys);
    CHECK(reply.outcome == herald::RealmOutcome::Malformed && reply.frames.size() == 2);
    CHECK(hub.recipients("realm-1") == std::vector<std::uint64_t>{alice});

    // Moving the hub keeps its sessions.
    herald::RealmHub moved = std::move(hub);
    CHECK(moved.handle(alice, R"({"type":"unsubscribe","realm":"realm-key"})", 1671547691, keys).outcome ==
          herald::RealmOutcome::Unsubscribed);
    CHECK(moved.recipients("realm-1").empty());
    moved.close(bob);
    EXPECT_ERROR(moved.close(bob), herald::Status::UnknownSession, "unknown_session");
    EXPECT_ERROR(moved.handle(bob, "{}", 1, keys), herald::Status::UnknownSession, "unknown_session");
}

} // namespace

int main() {
    test_topics_and_patterns();
    test_catalogue();
    test_validation();
    test_validators();
    test_router_and_snapshots();
    test_endpoints();
    test_wire_formats();
    test_realm_hub();
    std::printf("test_wrapper: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
