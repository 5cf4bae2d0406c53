/* Broker plans through the C ABI: the translation table for every broker
 * and every exactness, options, topic names and refusals, fleet plans, and
 * bad arguments. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static herald_broker_planner *planner_for(int broker) {
    herald_broker_planner *planner = NULL;
    CHECK(herald_broker_planner_new(broker, NULL, &planner, NULL) == HERALD_STATUS_OK);
    return planner;
}

/* The list's items joined by spaces, into `out`. */
static void join(const herald_list *list, char *out, size_t size) {
    size_t index, used = 0;
    out[0] = '\0';
    for (index = 0; index < herald_list_count(list); index++) {
        herald_bytes item;
        if (herald_list_at(list, index, &item, NULL) != HERALD_STATUS_OK) {
            snprintf(out, size, "<unreadable item>");
            return;
        }
        used += (size_t)snprintf(out + used, size - used, "%s%.*s", index ? " " : "", (int)item.len,
                                 (const char *)item.ptr);
        if (used >= size) {
            return;
        }
    }
}

/* Whether `pattern` plans to `exactness` and the space-joined `subscriptions`. */
static int plans_to(const herald_broker_planner *planner, const char *pattern, int exactness,
                    const char *subscriptions) {
    herald_broker_plan *plan = NULL;
    herald_list *list = NULL;
    char joined[512];
    int ok;
    if (herald_broker_planner_plan(planner, TEXT(pattern), &plan, NULL) != HERALD_STATUS_OK) {
        fprintf(stderr, "%s: no plan\n", pattern);
        return 0;
    }
    ok = herald_broker_plan_subscriptions(plan, &list, NULL) == HERALD_STATUS_OK;
    join(list, joined, sizeof joined);
    ok = ok && herald_broker_plan_exactness(plan) == exactness && strcmp(joined, subscriptions) == 0;
    /* The flags follow the exactness. */
    ok = ok && herald_broker_plan_needs_filter(plan) == (exactness == HERALD_EXACTNESS_SUPERSET);
    if (exactness == HERALD_EXACTNESS_OVERLAPPING) {
        ok = ok && herald_broker_plan_may_duplicate(plan);
    }
    if (exactness == HERALD_EXACTNESS_EXACT || exactness == HERALD_EXACTNESS_SPLIT) {
        ok = ok && !herald_broker_plan_may_duplicate(plan);
    }
    ok = ok && (herald_broker_plan_refusal_code(plan).len == 0) == (exactness != HERALD_EXACTNESS_UNTRANSLATABLE);
    if (!ok) {
        fprintf(stderr, "%s: exactness %d, subscriptions \"%s\"; expected %d \"%s\"\n", pattern,
                (int)herald_broker_plan_exactness(plan), joined, exactness, subscriptions);
    }
    herald_list_free(list);
    herald_broker_plan_free(plan);
    return ok;
}

static void test_every_broker_translates_the_table(void) {
    herald_broker_planner *nats = planner_for(HERALD_BROKER_NATS);
    herald_broker_planner *mqtt = planner_for(HERALD_BROKER_MQTT);
    herald_broker_planner *amqp = planner_for(HERALD_BROKER_AMQP);
    herald_broker_planner *redis = planner_for(HERALD_BROKER_REDIS);

    CHECK(plans_to(nats, "a.b", HERALD_EXACTNESS_EXACT, "a.b"));
    CHECK(plans_to(nats, "a.*", HERALD_EXACTNESS_EXACT, "a.*"));
    CHECK(plans_to(nats, "a.>", HERALD_EXACTNESS_EXACT, "a.>"));
    CHECK(plans_to(nats, "a.#", HERALD_EXACTNESS_SPLIT, "a a.>"));
    CHECK(plans_to(nats, "#", HERALD_EXACTNESS_EXACT, ">"));
    CHECK(plans_to(nats, "#.b", HERALD_EXACTNESS_SUPERSET, ">"));
    CHECK(plans_to(nats, "a.#.b", HERALD_EXACTNESS_SUPERSET, "a.>"));

    CHECK(plans_to(mqtt, "a.b", HERALD_EXACTNESS_EXACT, "a/b"));
    CHECK(plans_to(mqtt, "a.*", HERALD_EXACTNESS_EXACT, "a/+"));
    CHECK(plans_to(mqtt, "a.>", HERALD_EXACTNESS_EXACT, "a/+/#"));
    CHECK(plans_to(mqtt, "a.#", HERALD_EXACTNESS_EXACT, "a/#"));
    CHECK(plans_to(mqtt, "a.*.#.b", HERALD_EXACTNESS_SUPERSET, "a/+/+/#"));
    CHECK(plans_to(mqtt, "a/b", HERALD_EXACTNESS_UNTRANSLATABLE, ""));
    CHECK(plans_to(mqtt, "a+b.c", HERALD_EXACTNESS_UNTRANSLATABLE, ""));
    CHECK(plans_to(mqtt, "$SYS.#", HERALD_EXACTNESS_UNTRANSLATABLE, ""));

    CHECK(plans_to(amqp, "a.>", HERALD_EXACTNESS_EXACT, "a.*.#"));
    CHECK(plans_to(amqp, "#.a.#", HERALD_EXACTNESS_EXACT, "#.a.#"));
    CHECK(plans_to(amqp, "a.#.b", HERALD_EXACTNESS_EXACT, "a.#.b"));

    CHECK(plans_to(redis, "a.*", HERALD_EXACTNESS_SUPERSET, "a.*"));
    CHECK(plans_to(redis, "a.>", HERALD_EXACTNESS_EXACT, "a.*"));
    CHECK(plans_to(redis, "a.#", HERALD_EXACTNESS_SPLIT, "a a.*"));
    CHECK(plans_to(redis, "#", HERALD_EXACTNESS_EXACT, "*"));
    CHECK(plans_to(redis, "#.b", HERALD_EXACTNESS_SPLIT, "b *.b"));
    CHECK(plans_to(redis, "#.a.#", HERALD_EXACTNESS_OVERLAPPING, "a *.a a.* *.a.*"));
    CHECK(plans_to(redis, "a.*.#.b", HERALD_EXACTNESS_EXACT, "a.*.b"));

    CHECK(herald_broker_planner_broker(redis) == HERALD_BROKER_REDIS);
    CHECK(herald_broker_planner_profile(redis) == HERALD_BROKER_PROFILE_NONE);
    CHECK(herald_broker_planner_max_depth(redis) == 128 && herald_broker_planner_max_expansion(redis) == 0);
    herald_broker_planner_free(nats);
    herald_broker_planner_free(mqtt);
    herald_broker_planner_free(amqp);
    herald_broker_planner_free(redis);
}

static void test_an_untranslatable_plan_says_why(void) {
    herald_broker_planner *mqtt = planner_for(HERALD_BROKER_MQTT);
    herald_broker_plan *plan = NULL;
    herald_list *list = NULL;
    CHECK(herald_broker_planner_plan(mqtt, TEXT("$SYS.#"), &plan, NULL) == HERALD_STATUS_OK);
    CHECK(herald_broker_plan_exactness(plan) == HERALD_EXACTNESS_UNTRANSLATABLE);
    CHECK(str_eq(herald_broker_plan_refusal_code(plan), "nothing_to_carry"));
    CHECK(str_contains(herald_broker_plan_refusal_reason(plan), "starts with `$`"));
    CHECK(herald_broker_plan_subscriptions(plan, &list, NULL) == HERALD_STATUS_OK && herald_list_count(list) == 0);
    herald_list_free(list);
    herald_broker_plan_free(plan);
    CHECK(herald_broker_planner_plan(mqtt, TEXT("a/b.c"), &plan, NULL) == HERALD_STATUS_OK);
    CHECK(str_eq(herald_broker_plan_refusal_code(plan), "separator_in_segment"));
    herald_broker_plan_free(plan);
    CHECK(herald_broker_planner_plan(mqtt, TEXT("a.b"), &plan, NULL) == HERALD_STATUS_OK);
    CHECK(herald_broker_plan_refusal_code(plan).len == 0 && herald_broker_plan_refusal_reason(plan).len == 0);
    herald_broker_plan_free(plan);
    herald_broker_planner_free(mqtt);
}

static void test_options_expand_a_middle_hash_and_bad_ones_are_refused(void) {
    herald_plan_options *options = herald_plan_options_new();
    herald_broker_planner *planner = NULL;
    herald_error *error = herald_error_new();

    /* Shallow topics and a cap: NATS and MQTT become exact for a middle `#`. */
    CHECK(herald_plan_options_set_max_depth(options, 3) == HERALD_STATUS_OK);
    CHECK(herald_plan_options_set_max_expansion(options, 8) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_new(HERALD_BROKER_NATS, options, &planner, error) == HERALD_STATUS_OK);
    CHECK(plans_to(planner, "#.b", HERALD_EXACTNESS_SPLIT, "b *.b *.*.b"));
    CHECK(herald_broker_planner_max_depth(planner) == 3 && herald_broker_planner_max_expansion(planner) == 8);
    herald_broker_planner_free(planner);

    /* AWS IoT: eight levels, eight filters per SUBSCRIBE. */
    herald_plan_options_free(options);
    options = herald_plan_options_new();
    CHECK(herald_plan_options_set_profile(options, HERALD_BROKER_PROFILE_AWS_IOT) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_new(HERALD_BROKER_MQTT, options, &planner, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_profile(planner) == HERALD_BROKER_PROFILE_AWS_IOT);
    CHECK(plans_to(planner, "#.failed", HERALD_EXACTNESS_SPLIT,
                   "failed +/failed +/+/failed +/+/+/failed +/+/+/+/failed +/+/+/+/+/failed +/+/+/+/+/+/failed "
                   "+/+/+/+/+/+/+/failed"));
    CHECK(plans_to(planner, "a.b.c.d.e.f.g.h.i", HERALD_EXACTNESS_UNTRANSLATABLE, ""));
    herald_broker_planner_free(planner);
    planner = NULL;

    /* The profile is for MQTT. */
    CHECK(herald_broker_planner_new(HERALD_BROKER_NATS, options, &planner, error) ==
          HERALD_STATUS_INVALID_PLAN_OPTIONS);
    CHECK(planner == NULL && str_eq(herald_error_code(error), "profile_broker"));
    CHECK(herald_plan_options_set_profile(options, HERALD_BROKER_PROFILE_NONE) == HERALD_STATUS_OK);
    CHECK(herald_plan_options_set_max_expansion(options, HERALD_BROKER_MAX_EXPANSION + 1) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_new(HERALD_BROKER_NATS, options, &planner, error) ==
          HERALD_STATUS_INVALID_PLAN_OPTIONS);
    CHECK(str_eq(herald_error_code(error), "expansion_too_large"));
    CHECK(herald_plan_options_set_max_expansion(options, 0) == HERALD_STATUS_OK);
    CHECK(herald_plan_options_set_max_depth(options, 0) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_new(HERALD_BROKER_NATS, options, &planner, error) ==
          HERALD_STATUS_INVALID_PLAN_OPTIONS);
    CHECK(str_eq(herald_error_code(error), "zero_depth"));
    CHECK(herald_plan_options_set_max_depth(options, 9) == HERALD_STATUS_OK);
    CHECK(herald_plan_options_set_profile(options, HERALD_BROKER_PROFILE_AWS_IOT) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_new(HERALD_BROKER_MQTT, options, &planner, error) ==
          HERALD_STATUS_INVALID_PLAN_OPTIONS);
    CHECK(str_eq(herald_error_code(error), "depth_over_profile"));
    CHECK(planner == NULL);

    /* Numbers outside the enums, and NULL. */
    CHECK(herald_plan_options_set_profile(options, 2) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_plan_options_set_profile(options, -1) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_plan_options_set_profile(NULL, 0) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_plan_options_set_max_depth(NULL, 1) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_plan_options_set_max_expansion(NULL, 1) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_planner_new(4, NULL, &planner, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_broker_planner_new(-1, NULL, &planner, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_broker_planner_new(HERALD_BROKER_NATS, NULL, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(planner == NULL);
    CHECK(herald_broker_planner_broker(NULL) == -1 && herald_broker_planner_profile(NULL) == -1);
    CHECK(herald_broker_planner_max_depth(NULL) == 0);
    herald_plan_options_free(options);
    herald_plan_options_free(NULL);
    herald_broker_planner_free(NULL);
    herald_error_free(error);
}

/* The name `topic` gets, or the status (with the code into `code`). */
static herald_status topic_name(const herald_broker_planner *planner, const char *topic, char *name, size_t size,
                                herald_error *error) {
    herald_buffer *buffer = NULL;
    herald_status status = herald_broker_planner_topic(planner, TEXT(topic), &buffer, error);
    name[0] = '\0';
    if (status == HERALD_STATUS_OK) {
        snprintf(name, size, "%.*s", (int)herald_buffer_len(buffer), (const char *)herald_buffer_data(buffer));
        herald_buffer_free(buffer);
    }
    return status;
}

static void test_topics_translate_or_are_refused_with_a_code(void) {
    herald_broker_planner *mqtt = planner_for(HERALD_BROKER_MQTT);
    herald_broker_planner *amqp = planner_for(HERALD_BROKER_AMQP);
    herald_broker_planner *nats = planner_for(HERALD_BROKER_NATS);
    herald_broker_planner *aws = NULL;
    herald_plan_options *options = herald_plan_options_new();
    herald_error *error = herald_error_new();
    herald_buffer *buffer = NULL;
    char name[512];
    char long_topic[300];

    CHECK(topic_name(mqtt, "payment.card.success", name, sizeof name, error) == HERALD_STATUS_OK);
    CHECK(strcmp(name, "payment/card/success") == 0);
    CHECK(topic_name(nats, "payment.card.success", name, sizeof name, error) == HERALD_STATUS_OK);
    CHECK(strcmp(name, "payment.card.success") == 0);
    CHECK(topic_name(mqtt, "$SYS.load", name, sizeof name, error) == HERALD_STATUS_UNTRANSLATABLE);
    CHECK(str_eq(herald_error_code(error), "reserved_prefix"));
    CHECK(str_contains(herald_error_message(error), "$SYS.load"));
    CHECK(topic_name(mqtt, "a/b.c", name, sizeof name, error) == HERALD_STATUS_UNTRANSLATABLE);
    CHECK(str_eq(herald_error_code(error), "separator_in_segment"));
    CHECK(topic_name(mqtt, "a+.c", name, sizeof name, error) == HERALD_STATUS_UNTRANSLATABLE);
    CHECK(str_eq(herald_error_code(error), "wildcard_in_segment"));
    memset(long_topic, 'a', sizeof long_topic - 1);
    long_topic[sizeof long_topic - 1] = '\0';
    CHECK(topic_name(amqp, long_topic, name, sizeof name, error) == HERALD_STATUS_UNTRANSLATABLE);
    CHECK(str_eq(herald_error_code(error), "too_long"));
    CHECK(topic_name(nats, long_topic, name, sizeof name, error) == HERALD_STATUS_OK);

    CHECK(herald_plan_options_set_profile(options, HERALD_BROKER_PROFILE_AWS_IOT) == HERALD_STATUS_OK);
    CHECK(herald_broker_planner_new(HERALD_BROKER_MQTT, options, &aws, error) == HERALD_STATUS_OK);
    CHECK(topic_name(aws, "a.b.c.d.e.f.g.h.i", name, sizeof name, error) == HERALD_STATUS_UNTRANSLATABLE);
    CHECK(str_eq(herald_error_code(error), "too_deep"));
    CHECK(topic_name(aws, "a.b.c.d.e.f.g.h", name, sizeof name, error) == HERALD_STATUS_OK);

    /* herald's own syntax comes first. */
    CHECK(topic_name(nats, "a..b", name, sizeof name, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(str_eq(herald_error_code(error), "empty_segment"));
    CHECK(topic_name(nats, "a.*", name, sizeof name, error) == HERALD_STATUS_INVALID_TOPIC);
    CHECK(herald_broker_planner_topic(nats, "a\xff", 2, &buffer, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_broker_planner_topic(nats, NULL, 0, &buffer, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_planner_topic(NULL, TEXT("a"), &buffer, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_planner_topic(nats, TEXT("a"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(buffer == NULL);

    herald_broker_planner_free(mqtt);
    herald_broker_planner_free(amqp);
    herald_broker_planner_free(nats);
    herald_broker_planner_free(aws);
    herald_plan_options_free(options);
    herald_error_free(error);
}

static void test_bad_patterns_are_refused(void) {
    herald_broker_planner *nats = planner_for(HERALD_BROKER_NATS);
    herald_broker_plan *plan = NULL;
    herald_list *list = NULL;
    herald_error *error = herald_error_new();
    CHECK(herald_broker_planner_plan(nats, TEXT("a.#.#.#.b.#"), &plan, error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(herald_broker_planner_plan(nats, TEXT("pay*"), &plan, error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(str_eq(herald_error_code(error), "wildcard_inside_segment"));
    CHECK(herald_broker_planner_plan(nats, "a\xc3", 2, &plan, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_broker_planner_plan(nats, NULL, 0, &plan, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_planner_plan(nats, TEXT(""), &plan, error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(herald_broker_planner_plan(NULL, TEXT("a"), &plan, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_planner_plan(nats, TEXT("a"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(plan == NULL);
    CHECK(herald_broker_plan_exactness(NULL) == -1 && !herald_broker_plan_needs_filter(NULL));
    CHECK(!herald_broker_plan_may_duplicate(NULL) && herald_broker_plan_refusal_code(NULL).len == 0);
    CHECK(herald_broker_plan_refusal_reason(NULL).ptr != NULL);
    CHECK(herald_broker_plan_subscriptions(NULL, &list, error) == HERALD_STATUS_NULL_ARGUMENT && list == NULL);
    herald_broker_plan_free(NULL);
    herald_broker_planner_free(nats);
    herald_error_free(error);
}

static void test_a_fleet_plan_merges_per_subscriber(void) {
    herald_broker_planner *nats = planner_for(HERALD_BROKER_NATS);
    herald_broker_planner *mqtt = planner_for(HERALD_BROKER_MQTT);
    herald_broker_fleet *fleet = herald_broker_fleet_new();
    herald_broker_fleet_plan *plan = NULL;
    herald_subscriber_plan subscriber;
    herald_list *list = NULL;
    herald_error *error = herald_error_new();
    herald_str pattern, code, reason;
    char joined[256];

    CHECK(herald_broker_fleet_add(fleet, TEXT("a.>"), 1, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_add(fleet, TEXT("a.b.*"), 1, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_add(fleet, TEXT("c.#.d"), 2, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_add(fleet, TEXT("$SYS.#"), 3, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_add(fleet, TEXT("e"), 3, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_add(fleet, TEXT("bad*"), 4, error) == HERALD_STATUS_INVALID_PATTERN);
    CHECK(herald_broker_fleet_add(fleet, "\xff", 1, 4, error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_broker_fleet_add(NULL, TEXT("a"), 4, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_fleet_len(fleet) == 5 && herald_broker_fleet_len(NULL) == 0);

    CHECK(herald_broker_planner_fleet(nats, fleet, &plan, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_plan_count(plan) == 3);
    subscriber.size = sizeof subscriber;
    CHECK(herald_broker_fleet_plan_subscriber(plan, 0, &subscriber, error) == HERALD_STATUS_OK);
    CHECK(subscriber.subscriber == 1 && subscriber.exactness == HERALD_EXACTNESS_EXACT);
    CHECK(!subscriber.needs_filter && !subscriber.may_duplicate && subscriber.untranslatable_count == 0);
    CHECK(herald_broker_fleet_plan_subscriptions(plan, 0, &list, error) == HERALD_STATUS_OK);
    join(list, joined, sizeof joined);
    CHECK(strcmp(joined, "a.>") == 0);
    herald_list_free(list);
    CHECK(herald_broker_fleet_plan_filter(plan, 0, &list, error) == HERALD_STATUS_OK);
    CHECK(herald_list_count(list) == 0);
    herald_list_free(list);

    /* The `#` in the middle: a superset, re-checked against its pattern. */
    CHECK(herald_broker_fleet_plan_subscriber(plan, 1, &subscriber, error) == HERALD_STATUS_OK);
    CHECK(subscriber.subscriber == 2 && subscriber.exactness == HERALD_EXACTNESS_SUPERSET && subscriber.needs_filter);
    CHECK(herald_broker_fleet_plan_subscriptions(plan, 1, &list, error) == HERALD_STATUS_OK);
    join(list, joined, sizeof joined);
    CHECK(strcmp(joined, "c.>") == 0);
    herald_list_free(list);
    CHECK(herald_broker_fleet_plan_filter(plan, 1, &list, error) == HERALD_STATUS_OK);
    join(list, joined, sizeof joined);
    CHECK(strcmp(joined, "c.#.d") == 0);
    herald_list_free(list);
    herald_broker_fleet_plan_free(plan);

    /* On MQTT, `$SYS.#` cannot be carried; the subscriber's other pattern can. */
    CHECK(herald_broker_planner_fleet(mqtt, fleet, &plan, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_plan_subscriber(plan, 2, &subscriber, error) == HERALD_STATUS_OK);
    CHECK(subscriber.subscriber == 3 && subscriber.exactness == HERALD_EXACTNESS_EXACT);
    CHECK(subscriber.untranslatable_count == 1);
    CHECK(herald_broker_fleet_plan_untranslatable_at(plan, 2, 0, &pattern, &code, &reason, error) ==
          HERALD_STATUS_OK);
    CHECK(str_eq(pattern, "$SYS.#") && str_eq(code, "nothing_to_carry") && str_contains(reason, "`$`"));
    CHECK(herald_broker_fleet_plan_untranslatable_at(plan, 2, 0, NULL, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_plan_untranslatable_at(plan, 2, 1, &pattern, &code, &reason, error) ==
          HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_broker_fleet_plan_untranslatable_at(plan, 3, 0, &pattern, &code, &reason, error) ==
          HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_broker_fleet_plan_subscriptions(plan, 2, &list, error) == HERALD_STATUS_OK);
    join(list, joined, sizeof joined);
    CHECK(strcmp(joined, "e") == 0);
    herald_list_free(list);
    list = NULL;

    /* Past the end, NULL and a struct too small. */
    CHECK(herald_broker_fleet_plan_subscriber(plan, 3, &subscriber, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_broker_fleet_plan_subscriptions(plan, 3, &list, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_broker_fleet_plan_filter(plan, 3, &list, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(list == NULL);
    subscriber.size = 4;
    CHECK(herald_broker_fleet_plan_subscriber(plan, 0, &subscriber, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_broker_fleet_plan_subscriber(NULL, 0, &subscriber, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_broker_fleet_plan_count(NULL) == 0);
    CHECK(herald_broker_planner_fleet(mqtt, NULL, &plan, error) == HERALD_STATUS_NULL_ARGUMENT);
    herald_broker_fleet_plan_free(plan);
    herald_broker_fleet_plan_free(NULL);

    /* An empty fleet plans to no subscribers. */
    herald_broker_fleet_free(fleet);
    fleet = herald_broker_fleet_new();
    CHECK(herald_broker_planner_fleet(nats, fleet, &plan, error) == HERALD_STATUS_OK);
    CHECK(herald_broker_fleet_plan_count(plan) == 0);
    herald_broker_fleet_plan_free(plan);
    herald_broker_fleet_free(fleet);
    herald_broker_fleet_free(NULL);
    herald_broker_planner_free(nats);
    herald_broker_planner_free(mqtt);
    herald_error_free(error);
}

int main(void) {
    test_every_broker_translates_the_table();
    test_an_untranslatable_plan_says_why();
    test_options_expand_a_middle_hash_and_bad_ones_are_refused();
    test_topics_translate_or_are_refused_with_a_code();
    test_bad_patterns_are_refused();
    test_a_fleet_plan_merges_per_subscriber();
    return check_finish("test_broker");
}
