// The C++ wrapper of webhook signatures and broker plans: RAII key sets,
// replay guards and planners; verify, sign and verify-then-decode; plans,
// topics and fleets; failures as herald::Error with the stable code.
#include "check.hpp"
#include "herald.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

static_assert(!std::is_copy_constructible_v<herald::KeySet>, "key sets are move-only");
static_assert(std::is_nothrow_move_constructible_v<herald::KeySet>, "key sets move without throwing");
static_assert(!std::is_copy_constructible_v<herald::ReplayGuard>, "replay guards are move-only");
static_assert(!std::is_copy_constructible_v<herald::BrokerPlanner>, "planners are move-only");
static_assert(!std::is_copy_constructible_v<herald::PlanOptions>, "plan options are move-only");
static_assert(std::is_copy_constructible_v<herald::Plan>, "plans are plain values");

const std::string official_body = "{\"test\": 2432232314}";

std::vector<herald::Header> official_headers() {
    return {{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
            {"webhook-timestamp", "1614265330"},
            {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}};
}

void test_the_official_vector_verifies_and_signs_to_the_published_signature() {
    herald::KeySet keys(herald::Scheme::StandardWebhooks);
    CHECK(keys.add("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == 0);
    CHECK(keys.size() == 1 && keys.scheme() == herald::Scheme::StandardWebhooks);
    std::vector<herald::Header> headers = official_headers();
    herald::Verified verified = herald::verify(keys, headers, official_body, 1614265400, herald::Tolerance::reference());
    CHECK(verified.key == 0);
    CHECK(verified.id && *verified.id == "msg_p5jXN8AQM9LWM0D4loKWxJek");
    CHECK(verified.timestamp && *verified.timestamp == 1614265330);

    std::vector<herald::SentHeader> sent =
        herald::sign(keys, official_body, std::string_view("msg_p5jXN8AQM9LWM0D4loKWxJek"), 1614265330);
    CHECK(sent.size() == 3);
    CHECK(sent[2].name == "webhook-signature" && sent[2].value == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

    EXPECT_ERROR(herald::verify(keys, headers, "{\"test\": 2432232315}", 1614265400, herald::Tolerance::seconds(300)),
                 herald::Status::SignatureRejected, "no_matching_signature");
    EXPECT_ERROR(herald::verify(keys, headers, official_body, 1614265330 + 301, herald::Tolerance::seconds(300)),
                 herald::Status::SignatureRejected, "timestamp_too_old");
    herald::verify(keys, headers, official_body, 1614265330 + 301, herald::Tolerance::no_check());
    EXPECT_ERROR(herald::verify(keys, {}, official_body, 1614265400, herald::Tolerance::reference()),
                 herald::Status::SignatureRejected, "missing_header");
    EXPECT_ERROR(keys.add("whsec_"), herald::Status::InvalidSecret, "invalid_secret");
    EXPECT_ERROR(herald::sign(keys, official_body), herald::Status::CannotSign, "missing_id");
    CHECK(keys.size() == 1);
}

void test_rotation_names_the_key_that_matched() {
    herald::KeySet receiver(herald::Scheme::Stripe);
    receiver.add("whsec_old");
    receiver.add("whsec_new");
    herald::KeySet sender(herald::Scheme::Stripe);
    sender.add("whsec_new");
    std::vector<herald::SentHeader> sent = herald::sign(sender, "{}", std::nullopt, 1700000000);
    std::vector<herald::Header> headers{{sent[0].name, sent[0].value}};
    CHECK(herald::verify(receiver, headers, "{}", 1700000000, herald::Tolerance::reference()).key == 1);
    receiver.remove(0);
    CHECK(herald::verify(receiver, headers, "{}", 1700000000, herald::Tolerance::reference()).key == 0);
    receiver.remove(0);
    EXPECT_ERROR(herald::verify(receiver, headers, "{}", 1700000000, herald::Tolerance::reference()),
                 herald::Status::SignatureRejected, "no_matching_signature");
    EXPECT_ERROR(receiver.remove(0), herald::Status::OutOfRange, "out_of_range");
    herald::KeySet moved = std::move(receiver);
    CHECK(moved.size() == 0);
}

void test_the_replay_guard_refuses_a_second_delivery() {
    herald::ReplayGuard guard(300, 2);
    guard.admit("msg_1", 1000, 1000);
    EXPECT_ERROR(guard.admit("msg_1", 1000, 1200), herald::Status::DuplicateMessage, "duplicate");
    guard.admit("msg_2", std::nullopt, 1000);
    EXPECT_ERROR(guard.admit("msg_3", std::nullopt, 1000), herald::Status::ReplayGuardFull, "replay_guard_full");
    CHECK(guard.size() == 2);
    guard.forget_expired(1301);
    CHECK(guard.size() == 0);
    guard.admit("msg_1", 1000, 1301);
}

void test_verify_then_decode_gives_the_event_and_its_id() {
    herald::KeySet keys(herald::Scheme::Inplayer);
    keys.add("merchant-api-secret");
    std::string body = "id=WHE-1&created=1559906599&type=payment.card.failed&resource[code]=422";
    std::vector<herald::SentHeader> sent = herald::sign(keys, body);
    CHECK(sent.size() == 1 && sent[0].name == "X-InPlayer-Signature");
    std::vector<herald::Header> headers{{sent[0].name, sent[0].value}};
    herald::Catalogue catalogue = herald::Catalogue::builtin();
    herald::Authentic authentic = herald::verify_then_decode(keys, headers, body, 1559906600,
                                                             herald::Tolerance::reference(), catalogue,
                                                             herald::WireFormat::InplayerWebhook);
    CHECK(authentic.event.name() == "payment.card.failed");
    CHECK(authentic.message_id() && *authentic.message_id() == "WHE-1");
    CHECK(!authentic.verified.id && !authentic.verified.timestamp);
    std::string forged = body;
    forged[forged.size() - 1] = '3';
    EXPECT_ERROR(herald::verify_then_decode(keys, headers, forged, 1559906600, herald::Tolerance::reference(),
                                            catalogue, herald::WireFormat::InplayerWebhook),
                 herald::Status::SignatureRejected, "no_matching_signature");
}

void test_plans_topics_and_fleets() {
    herald::BrokerPlanner nats(herald::Broker::Nats);
    herald::Plan plan = nats.plan("payment.#");
    CHECK(plan.exactness == herald::Exactness::Split);
    CHECK((plan.subscriptions == std::vector<std::string>{"payment", "payment.>"}));
    CHECK(!plan.needs_filter && !plan.may_duplicate && plan.refusal_code.empty());
    CHECK(nats.plan("#.b").needs_filter);
    CHECK(nats.topic("payment.card.success") == "payment.card.success");
    EXPECT_ERROR(nats.plan("pay*"), herald::Status::InvalidPattern, "wildcard_inside_segment");

    herald::BrokerPlanner redis(herald::Broker::Redis);
    herald::Plan overlapping = redis.plan("#.a.#");
    CHECK(overlapping.exactness == herald::Exactness::Overlapping && overlapping.may_duplicate);
    CHECK(redis.plan("a.*").exactness == herald::Exactness::Superset);

    herald::PlanOptions options;
    options.set_profile(herald::BrokerProfile::AwsIot);
    herald::BrokerPlanner aws(herald::Broker::Mqtt, &options);
    CHECK(aws.profile() == herald::BrokerProfile::AwsIot && aws.max_depth() == 8 && aws.max_expansion() == 8);
    CHECK(aws.plan("#.failed").subscriptions.size() == 8);
    CHECK(aws.topic("payment.card.success") == "payment/card/success");
    EXPECT_ERROR(aws.topic("$aws.things"), herald::Status::Untranslatable, "reserved_prefix");
    EXPECT_ERROR(aws.topic("a..b"), herald::Status::InvalidTopic, "empty_segment");
    herald::Plan refused = aws.plan("$SYS.#");
    CHECK(refused.exactness == herald::Exactness::Untranslatable && refused.refusal_code == "nothing_to_carry");
    CHECK(refused.subscriptions.empty() && !refused.refusal_reason.empty());
    EXPECT_ERROR(herald::BrokerPlanner(herald::Broker::Nats, &options), herald::Status::InvalidPlanOptions,
                 "profile_broker");
    herald::PlanOptions shallow;
    shallow.set_max_depth(3).set_max_expansion(4);
    CHECK((herald::BrokerPlanner(herald::Broker::Nats, &shallow).plan("#.b").subscriptions ==
           std::vector<std::string>{"b", "*.b", "*.*.b"}));

    std::vector<herald::SubscriberPlan> fleet =
        aws.fleet({{"a.>", 1}, {"a.b.*", 1}, {"c.#.d", 2}, {"$SYS.#", 3}, {"e", 3}});
    CHECK(fleet.size() == 3);
    CHECK(fleet[0].subscriber == 1 && (fleet[0].subscriptions == std::vector<std::string>{"a/+/#"}));
    CHECK(fleet[0].filter.empty());
    CHECK(fleet[2].subscriber == 3 && fleet[2].untranslatable.size() == 1);
    CHECK(fleet[2].untranslatable[0].pattern == "$SYS.#" && fleet[2].untranslatable[0].code == "nothing_to_carry");
    herald::BrokerPlanner mqtt(herald::Broker::Mqtt);
    std::vector<herald::SubscriberPlan> wide = mqtt.fleet({{"c.#.d", 2}});
    CHECK(wide[0].needs_filter && (wide[0].filter == std::vector<std::string>{"c.#.d"}));
    EXPECT_ERROR(mqtt.fleet({{"bad*", 1}}), herald::Status::InvalidPattern, "wildcard_inside_segment");
}

} // namespace

int main() {
    test_the_official_vector_verifies_and_signs_to_the_published_signature();
    test_rotation_names_the_key_that_matched();
    test_the_replay_guard_refuses_a_second_delivery();
    test_verify_then_decode_gives_the_event_and_its_id();
    test_plans_topics_and_fleets();
    std::printf("test_signature_broker: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
