/* Prepared validators through the C ABI: the verdict in one call, a report
 * only when there is something in it, the catalogue kept alive and its
 * poisoned flag shared, and one validator used by several threads at once
 * (run under ThreadSanitizer by tests/c/run.sh). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#if !defined(HERALD_TESTING)
#error "build the C tests with -DHERALD_TESTING against a library built with --features testing"
#endif

static const char warned[] =
    "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":\"credit\",\"data\":{\"namespace\":\"ns\","
    "\"userId\":\"u1\",\"currencyCode\":\"USD\",\"amount\":500,\"reason\":\"Purchase\",\"origin\":\"System\"}}}";
static const char clean[] =
    "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":\"bulkCredit\",\"data\":{\"namespace\":\"ns\","
    "\"userId\":\"u1\",\"currencyCode\":\"USD\",\"amount\":500,\"reason\":\"Purchase\",\"origin\":\"System\"}}}";
static const char invalid[] = "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":7,\"data\":{\"amount\":1e3}}}";

#define PAYLOAD(s) (const uint8_t *)(s), strlen(s)

static const herald_validator *wallet_validator(const herald_catalogue *catalogue, const herald_limits *limits) {
    const herald_validator *validator = NULL;
    CHECK(herald_catalogue_validator(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"), limits,
                                     &validator, NULL) == HERALD_STATUS_OK);
    CHECK(validator != NULL);
    return validator;
}

static void test_the_verdict_comes_from_one_call(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    const herald_validator *validator = wallet_validator(catalogue, NULL);
    herald_error *error = herald_error_new();
    herald_report *report = (herald_report *)&report; /* not NULL: must be overwritten */
    size_t errors = 99, warnings = 99;
    herald_issue issue;
    issue.size = sizeof issue;

    /* A clean payload: no report is made. */
    CHECK(herald_validator_validate(validator, PAYLOAD(clean), &errors, &warnings, &report, error) ==
          HERALD_STATUS_OK);
    CHECK(errors == 0 && warnings == 0 && report == NULL);

    /* A warning: valid, and the report holds it. */
    CHECK(herald_validator_validate(validator, PAYLOAD(warned), &errors, &warnings, &report, error) ==
          HERALD_STATUS_OK);
    CHECK(errors == 0 && warnings == 1 && report != NULL);
    CHECK(herald_report_is_ok(report) && herald_report_count(report, HERALD_SEVERITY_WARNING) == 1);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_WARNING, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "unknown_enum") && str_eq(issue.pointer, "/payload/action"));
    herald_report_free(report);

    /* Errors: counted, and the report lists them as herald_catalogue_validate does. */
    CHECK(herald_validator_validate(validator, PAYLOAD(invalid), &errors, &warnings, &report, error) ==
          HERALD_STATUS_OK);
    CHECK(errors >= 3 && report != NULL && !herald_report_is_ok(report));
    CHECK(herald_report_count(report, HERALD_SEVERITY_ERROR) == errors);
    CHECK(herald_report_count(report, HERALD_SEVERITY_WARNING) == warnings);
    herald_report *direct = NULL;
    CHECK(herald_catalogue_validate(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"),
                                    PAYLOAD(invalid), NULL, &direct, error) == HERALD_STATUS_OK);
    CHECK(herald_report_count(direct, HERALD_SEVERITY_ERROR) == errors);
    herald_report_free(direct);
    herald_report_free(report);

    /* Bad bytes are report items, not failures. */
    CHECK(herald_validator_validate(validator, (const uint8_t *)"\xff", 1, &errors, NULL, &report, error) ==
          HERALD_STATUS_OK);
    CHECK(errors == 1 && report != NULL);
    herald_report_free(report);
    CHECK(herald_validator_validate(validator, (const uint8_t *)"", 0, &errors, NULL, NULL, error) ==
          HERALD_STATUS_OK);
    CHECK(errors == 1);

    /* Every output is optional; without out_report no report is made. */
    CHECK(herald_validator_validate(validator, PAYLOAD(invalid), NULL, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(herald_validator_validate(validator, PAYLOAD(warned), NULL, &warnings, NULL, error) == HERALD_STATUS_OK);
    CHECK(warnings == 1);

    /* Failures write no output. */
    errors = 99;
    report = NULL;
    CHECK(herald_validator_validate(NULL, PAYLOAD(clean), &errors, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_eq(herald_error_code(error), "null_argument") && errors == 99 && report == NULL);
    CHECK(herald_validator_validate(validator, NULL, 0, &errors, NULL, &report, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(str_contains(herald_error_message(error), "payload") && errors == 99 && report == NULL);

    herald_validator_free(validator);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_a_batch_counts_what_one_call_per_payload_counts(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    const herald_validator *validator = wallet_validator(catalogue, NULL);
    herald_error *error = herald_error_new();
    const char *payloads[] = {clean, warned, invalid, "", "\xff", clean};
    enum { COUNT = sizeof payloads / sizeof payloads[0] };
    size_t lengths[COUNT];
    size_t total = 0;
    for (size_t i = 0; i < COUNT; i++) {
        lengths[i] = strlen(payloads[i]);
        total += lengths[i];
    }
    uint8_t *joined = malloc(total);
    CHECK(joined != NULL);
    size_t at = 0;
    for (size_t i = 0; i < COUNT; i++) {
        memcpy(joined + at, payloads[i], lengths[i]);
        at += lengths[i];
    }
    size_t errors[COUNT], warnings[COUNT];
    CHECK(herald_validator_validate_many(validator, joined, total, lengths, COUNT, errors, warnings, error) ==
          HERALD_STATUS_OK);
    for (size_t i = 0; i < COUNT; i++) {
        size_t one_errors = 99, one_warnings = 99;
        CHECK(herald_validator_validate(validator, (const uint8_t *)payloads[i], lengths[i], &one_errors,
                                        &one_warnings, NULL, error) == HERALD_STATUS_OK);
        CHECK(errors[i] == one_errors && warnings[i] == one_warnings);
    }
    CHECK(errors[0] == 0 && warnings[0] == 0 && errors[1] == 0 && warnings[1] == 1 && errors[2] >= 3);
    CHECK(errors[3] == 1 && errors[4] == 1);

    /* Either output may be left out; an empty batch needs no arrays. */
    size_t only[COUNT];
    CHECK(herald_validator_validate_many(validator, joined, total, lengths, COUNT, NULL, only, error) ==
          HERALD_STATUS_OK);
    CHECK(memcmp(only, warnings, sizeof only) == 0);
    CHECK(herald_validator_validate_many(validator, NULL, 0, NULL, 0, NULL, NULL, error) == HERALD_STATUS_OK);

    /* Lengths that do not add up to the bytes given are refused before anything is validated. */
    errors[0] = 77;
    lengths[0] += 1;
    CHECK(herald_validator_validate_many(validator, joined, total, lengths, COUNT, errors, NULL, error) ==
          HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(errors[0] == 77 && str_eq(herald_error_code(error), "invalid_argument"));
    lengths[0] -= 1;
    size_t huge[2] = {SIZE_MAX, 2};
    CHECK(herald_validator_validate_many(validator, joined, 1, huge, 2, errors, NULL, error) ==
          HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_validator_validate_many(validator, NULL, 5, lengths, 1, errors, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_validator_validate_many(validator, joined, total, NULL, COUNT, errors, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_validator_validate_many(NULL, joined, total, lengths, COUNT, errors, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);

    free(joined);
    herald_error_free(error);
    herald_validator_free(validator);
    herald_catalogue_free(catalogue);
}

static void test_limits_are_copied_when_the_validator_is_made(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_limits *limits = herald_limits_new();
    const herald_validator *few, *small;
    herald_report *report = NULL;
    herald_issue issue;
    size_t errors = 0;
    issue.size = sizeof issue;

    CHECK(herald_limits_set_max_errors(limits, 1) == HERALD_STATUS_OK);
    few = wallet_validator(catalogue, limits);
    CHECK(herald_limits_set_max_errors(limits, 100) == HERALD_STATUS_OK);
    CHECK(herald_limits_set_max_payload_bytes(limits, 8) == HERALD_STATUS_OK);
    small = wallet_validator(catalogue, limits);
    herald_limits_free(limits);

    CHECK(herald_validator_validate(few, PAYLOAD(invalid), &errors, NULL, &report, NULL) == HERALD_STATUS_OK);
    CHECK(errors == 1 && report != NULL && herald_report_truncated(report));
    herald_report_free(report);
    CHECK(herald_validator_validate(small, PAYLOAD(clean), &errors, NULL, &report, NULL) == HERALD_STATUS_OK);
    CHECK(errors == 1 && report != NULL);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, NULL) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "too_large"));
    herald_report_free(report);
    herald_validator_free(few);
    herald_validator_free(small);
    herald_catalogue_free(catalogue);
}

static void test_names_are_checked_when_the_validator_is_made(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    const herald_validator *validator = NULL;
    const char sms[] = "{\"type\":\"notification\",\"event\":\"sms.message.sent\",\"data\":\"63967141191e9023f356df9f\","
                       "\"timestamp\":\"162553625262\"}";
    const char subscribe[] = "{\"type\":\"subscribe\",\"realm\":\"c9d4744c-0eae-4457-a665-2c18b9ac132b\"}";
    size_t errors = 99;

    CHECK(herald_catalogue_validator(catalogue, TEXT("nowhere"), TEXT("x"), NULL, &validator, error) ==
          HERALD_STATUS_UNKNOWN_SOURCE);
    CHECK(str_eq(herald_error_code(error), "unknown_source") && validator == NULL);
    CHECK(herald_catalogue_validator(catalogue, TEXT("orangepill-stream"), TEXT("user.exploded"), NULL, &validator,
                                     error) == HERALD_STATUS_UNKNOWN_EVENT);
    CHECK(herald_catalogue_named_validator(catalogue, TEXT("no-such-schema"), NULL, &validator, error) ==
          HERALD_STATUS_UNKNOWN_SCHEMA);
    CHECK(herald_catalogue_validator(catalogue, "\xfe", 1, TEXT("x"), NULL, &validator, error) ==
          HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_catalogue_validator(NULL, TEXT("a"), TEXT("b"), NULL, &validator, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validator(catalogue, NULL, 0, TEXT("b"), NULL, &validator, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validator(catalogue, TEXT("a"), NULL, 0, NULL, &validator, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validator(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"), NULL, NULL,
                                     error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_named_validator(NULL, TEXT("a"), NULL, &validator, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_named_validator(catalogue, NULL, 0, NULL, &validator, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_named_validator(catalogue, TEXT("orangepill-subscribe"), NULL, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(validator == NULL);

    /* A templated name binds its value; a named schema checks protocol messages. */
    CHECK(herald_catalogue_validator(catalogue, TEXT("orangepill-stream"), TEXT("sms.message.sent"), NULL,
                                     &validator, error) == HERALD_STATUS_OK);
    CHECK(herald_validator_validate(validator, PAYLOAD(sms), &errors, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(errors == 0);
    herald_validator_free(validator);
    CHECK(herald_catalogue_validator(catalogue, TEXT("orangepill-stream"), TEXT("whatsapp.message.sent"), NULL,
                                     &validator, error) == HERALD_STATUS_OK);
    CHECK(herald_validator_validate(validator, PAYLOAD(sms), &errors, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(errors == 1);
    herald_validator_free(validator);
    CHECK(herald_catalogue_named_validator(catalogue, TEXT("orangepill-subscribe"), NULL, &validator, error) ==
          HERALD_STATUS_OK);
    CHECK(herald_validator_validate(validator, PAYLOAD(subscribe), &errors, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(errors == 0);
    CHECK(herald_validator_validate(validator, PAYLOAD("{}"), &errors, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(errors == 2);
    herald_validator_free(validator);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_a_validator_keeps_its_catalogue_and_is_reference_counted(void) {
    const char document[] =
        "{\"format\":\"herald-catalogue/1\",\"sources\":[{\"id\":\"shop\",\"vendor\":\"Shop\",\"title\":\"Shop\","
        "\"transport\":\"HTTP\",\"description\":\"A shop.\",\"events\":[{\"name\":\"order.paid\",\"category\":"
        "\"order\",\"description\":\"Paid.\",\"schema\":{\"type\":\"object\",\"fields\":{\"type\":{\"type\":"
        "\"string\"}}}}]}]}";
    const herald_catalogue *shop = NULL;
    const herald_validator *validator = NULL, *copy;
    size_t errors = 99;
    CHECK(herald_catalogue_from_json(PAYLOAD(document), &shop, NULL) == HERALD_STATUS_OK);
    CHECK(herald_catalogue_validator(shop, TEXT("shop"), TEXT("order.paid"), NULL, &validator, NULL) ==
          HERALD_STATUS_OK);
    herald_catalogue_free(shop);
    copy = herald_validator_clone(validator);
    CHECK(copy == validator);
    herald_validator_free(validator);
    CHECK(herald_validator_validate(copy, PAYLOAD("{\"type\":1}"), &errors, NULL, NULL, NULL) == HERALD_STATUS_OK);
    CHECK(errors == 1);
    herald_validator_free(copy);
    CHECK(herald_validator_clone(NULL) == NULL);
    herald_validator_free(NULL);
}

static void test_a_validator_shares_its_catalogues_poisoned_flag(void) {
    const herald_catalogue *victim = herald_catalogue_builtin();
    const herald_catalogue *healthy = herald_catalogue_builtin();
    const herald_validator *before = wallet_validator(victim, NULL);
    const herald_validator *other = wallet_validator(healthy, NULL);
    const herald_validator *after = NULL;
    herald_error *error = herald_error_new();
    size_t errors = 99;

    CHECK(herald_debug_panic_catalogue(victim, error) == HERALD_STATUS_PANIC);
    CHECK(herald_validator_validate(before, PAYLOAD(clean), &errors, NULL, NULL, error) == HERALD_STATUS_POISONED);
    CHECK(str_eq(herald_error_code(error), "poisoned") && errors == 99);
    CHECK(herald_catalogue_validator(victim, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"), NULL, &after,
                                     error) == HERALD_STATUS_POISONED);
    CHECK(after == NULL);
    CHECK(herald_validator_validate(other, PAYLOAD(clean), &errors, NULL, NULL, error) == HERALD_STATUS_OK);
    CHECK(errors == 0);
    herald_validator_free(before); /* a poisoned validator can still be freed */
    herald_validator_free(other);
    herald_error_free(error);
    herald_catalogue_free(victim);
    herald_catalogue_free(healthy);
}

#define THREADS 4
#define ROUNDS 2000

static const herald_validator *shared;
static int thread_failures[THREADS];

static void *validate_on_a_thread(void *slot) {
    int *failures = slot;
    herald_error *error = herald_error_new();
    int round;
    for (round = 0; round < ROUNDS; round++) {
        size_t errors = 99, warnings = 99;
        herald_report *report = NULL;
        const char *payload = round % 3 == 0 ? clean : round % 3 == 1 ? warned : invalid;
        if (herald_validator_validate(shared, PAYLOAD(payload), &errors, &warnings, &report, error) !=
            HERALD_STATUS_OK) {
            (*failures)++;
            continue;
        }
        if ((round % 3 == 0 && (errors != 0 || warnings != 0 || report != NULL)) ||
            (round % 3 == 1 && (errors != 0 || warnings != 1 || report == NULL)) ||
            (round % 3 == 2 && (errors < 3 || herald_report_count(report, HERALD_SEVERITY_ERROR) != errors))) {
            (*failures)++;
        }
        herald_report_free(report);
    }
    herald_error_free(error);
    return NULL;
}

static void test_threads_validate_with_one_validator(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    pthread_t threads[THREADS];
    int i;
    shared = wallet_validator(catalogue, NULL);
    /* The catalogue handle goes away first: the validator keeps what it needs. */
    herald_catalogue_free(catalogue);
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_create(&threads[i], NULL, validate_on_a_thread, &thread_failures[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(thread_failures[i] == 0);
    }
    herald_validator_free(shared);
}

int main(void) {
    test_the_verdict_comes_from_one_call();
    test_a_batch_counts_what_one_call_per_payload_counts();
    test_limits_are_copied_when_the_validator_is_made();
    test_names_are_checked_when_the_validator_is_made();
    test_a_validator_keeps_its_catalogue_and_is_reference_counted();
    test_a_validator_shares_its_catalogues_poisoned_flag();
    test_threads_validate_with_one_validator();
    return check_finish("test_validators");
}
