/* Validation and schema exports through the C ABI. */
#include <stdint.h>

#include "check.h"

#if !defined(HERALD_TESTING)
#error "build the C tests with -DHERALD_TESTING against a library built with --features testing"
#endif

static const char balance[] =
    "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":\"credit\",\"data\":{\"namespace\":\"ns\","
    "\"userId\":\"u1\",\"currencyCode\":\"USD\",\"amount\":500,\"reason\":\"Purchase\",\"origin\":\"System\"}}}";

/* Validates `payload` as (source, name) and returns the report (or NULL). */
static herald_report *validate(const herald_catalogue *catalogue, const char *source, const char *name,
                               const char *payload, size_t payload_len, const herald_limits *limits) {
    herald_report *report = NULL;
    herald_status status = herald_catalogue_validate(catalogue, TEXT(source), TEXT(name),
                                                     (const uint8_t *)payload, payload_len, limits, &report, NULL);
    CHECK(status == HERALD_STATUS_OK);
    return report;
}

static void test_valid_payload_with_a_warning(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_report *report = validate(catalogue, "accelbyte-wallet", "walletBalanceChanged", balance, strlen(balance),
                                     NULL);
    herald_issue issue;
    issue.size = sizeof issue;
    CHECK(herald_report_is_ok(report));
    CHECK(herald_report_count(report, HERALD_SEVERITY_ERROR) == 0);
    CHECK(herald_report_count(report, HERALD_SEVERITY_WARNING) == 1);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_WARNING, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "unknown_enum"));
    CHECK(str_eq(issue.pointer, "/payload/action"));
    CHECK(str_contains(issue.message, "credit"));
    CHECK(herald_report_issue(report, HERALD_SEVERITY_WARNING, 1, &issue, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OUT_OF_RANGE);
    CHECK(herald_report_issue(report, 7, 0, &issue, error) == HERALD_STATUS_INVALID_ARGUMENT);
    CHECK(herald_report_count(report, -1) == 0);
    CHECK(!herald_report_truncated(report));
    herald_report_free(report);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_invalid_payloads(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_issue issue;
    herald_report *report;
    const char wrong_type[] = "{\"type\":\"access.revoked\",\"timestamp\":1546609799,\"resource\":{\"item_id\":\"7\"}}";
    const char too_big[] = "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":\"bulkCredit\",\"data\":"
                           "{\"namespace\":\"n\",\"userId\":\"u\",\"currencyCode\":\"USD\","
                           "\"amount\":9223372036854775808,\"reason\":\"r\",\"origin\":\"System\"}}}";
    const char bad_utf8[] = "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":\"bulkCredit\",\"data\":"
                            "{\"namespace\":\"n\xff\",\"userId\":\"u\",\"currencyCode\":\"USD\","
                            "\"amount\":1,\"reason\":\"r\",\"origin\":\"System\"}}}";
    herald_limits *limits = herald_limits_new();

    issue.size = sizeof issue;
    report = validate(catalogue, "inplayer-notifications", "access.revoked", wrong_type, strlen(wrong_type), NULL);
    CHECK(!herald_report_is_ok(report));
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "type_mismatch") && str_eq(issue.pointer, "/resource/item_id"));
    herald_report_free(report);

    report = validate(catalogue, "accelbyte-wallet", "walletBalanceChanged", too_big, strlen(too_big), NULL);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "out_of_range") && str_eq(issue.pointer, "/payload/data/amount"));
    herald_report_free(report);

    report = validate(catalogue, "accelbyte-wallet", "walletBalanceChanged", bad_utf8, strlen(bad_utf8), NULL);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "invalid_utf8") && str_eq(issue.pointer, "/payload/data/namespace"));
    herald_report_free(report);

    /* Empty input and trailing garbage are syntax errors, not crashes. */
    report = validate(catalogue, "accelbyte-wallet", "walletBalanceChanged", "", 0, NULL);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "syntax"));
    herald_report_free(report);

    /* Limits from the caller. */
    CHECK(herald_limits_max_payload_bytes(limits) == 1024 * 1024);
    CHECK(herald_limits_set_max_payload_bytes(limits, 16) == HERALD_STATUS_OK);
    CHECK(herald_limits_max_payload_bytes(limits) == 16);
    report = validate(catalogue, "accelbyte-wallet", "walletBalanceChanged", balance, strlen(balance), limits);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "too_large"));
    herald_report_free(report);
    herald_limits_free(limits);
    limits = herald_limits_new();
    CHECK(herald_limits_set_max_depth(limits, 2) == HERALD_STATUS_OK);
    report = validate(catalogue, "accelbyte-wallet", "walletBalanceChanged", balance, strlen(balance), limits);
    CHECK(herald_report_issue(report, HERALD_SEVERITY_ERROR, 0, &issue, error) == HERALD_STATUS_OK);
    CHECK(str_eq(issue.code, "too_deep") && str_eq(issue.pointer, "/payload/data"));
    herald_report_free(report);
    herald_limits_free(limits);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_templates_named_schemas_and_unknowns(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_report *report = NULL;
    const char sms[] = "{\"type\":\"notification\",\"event\":\"sms.message.sent\",\"data\":\"63967141191e9023f356df9f\","
                       "\"timestamp\":\"162553625262\"}";
    const char subscribe[] = "{\"type\":\"subscribe\",\"realm\":\"c9d4744c-0eae-4457-a665-2c18b9ac132b\"}";

    report = validate(catalogue, "orangepill-stream", "sms.message.sent", sms, strlen(sms), NULL);
    CHECK(herald_report_is_ok(report));
    herald_report_free(report);
    report = validate(catalogue, "orangepill-stream", "whatsapp.message.sent", sms, strlen(sms), NULL);
    CHECK(!herald_report_is_ok(report)); /* the event field names another event */
    herald_report_free(report);

    report = NULL;
    CHECK(herald_catalogue_validate_named(catalogue, TEXT("orangepill-subscribe"), (const uint8_t *)subscribe,
                                          strlen(subscribe), NULL, &report, error) == HERALD_STATUS_OK);
    CHECK(herald_report_is_ok(report));
    herald_report_free(report);
    report = NULL;
    CHECK(herald_catalogue_validate_named(catalogue, TEXT("no-such-schema"), (const uint8_t *)subscribe,
                                          strlen(subscribe), NULL, &report, error) == HERALD_STATUS_UNKNOWN_SCHEMA);
    CHECK(report == NULL && str_eq(herald_error_code(error), "unknown_schema"));

    CHECK(herald_catalogue_validate(catalogue, TEXT("nowhere"), TEXT("x"), (const uint8_t *)"{}", 2, NULL, &report,
                                    error) == HERALD_STATUS_UNKNOWN_SOURCE);
    CHECK(herald_catalogue_validate(catalogue, TEXT("orangepill-stream"), TEXT("user.exploded"),
                                    (const uint8_t *)"{}", 2, NULL, &report, error) == HERALD_STATUS_UNKNOWN_EVENT);
    CHECK(report == NULL);

    /* NULL for every pointer argument, and bad UTF-8 in names. */
    CHECK(herald_catalogue_validate(NULL, TEXT("a"), TEXT("b"), (const uint8_t *)"{}", 2, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate(catalogue, NULL, 0, TEXT("b"), (const uint8_t *)"{}", 2, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate(catalogue, TEXT("a"), NULL, 0, (const uint8_t *)"{}", 2, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate(catalogue, TEXT("a"), TEXT("b"), NULL, 0, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate(catalogue, TEXT("a"), TEXT("b"), (const uint8_t *)"{}", 2, NULL, NULL, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate(catalogue, "\xfe", 1, TEXT("b"), (const uint8_t *)"{}", 2, NULL, &report,
                                    error) == HERALD_STATUS_INVALID_UTF8);
    CHECK(herald_catalogue_validate_named(NULL, TEXT("a"), (const uint8_t *)"{}", 2, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate_named(catalogue, NULL, 0, (const uint8_t *)"{}", 2, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate_named(catalogue, TEXT("orangepill-subscribe"), NULL, 0, NULL, &report, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_validate_named(catalogue, TEXT("orangepill-subscribe"), (const uint8_t *)"{}", 2, NULL,
                                          NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_report_issue(NULL, 0, 0, NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_report_is_ok(NULL) == false && herald_report_count(NULL, 0) == 0 && !herald_report_truncated(NULL));
    herald_report_free(NULL);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

static void test_limits_object(void) {
    herald_limits *limits = herald_limits_new();
    CHECK(limits != NULL);
    CHECK(herald_limits_max_topic_bytes(limits) == 1024);
    CHECK(herald_limits_max_segments(limits) == 128);
    CHECK(herald_limits_max_payload_bytes(limits) == 1024 * 1024);
    CHECK(herald_limits_max_depth(limits) == 64);
    CHECK(herald_limits_max_errors(limits) == 100);
    CHECK(herald_limits_max_patterns(limits) == 1000000);
    CHECK(herald_limits_set_max_topic_bytes(limits, 1) == HERALD_STATUS_OK);
    CHECK(herald_limits_set_max_segments(limits, 2) == HERALD_STATUS_OK);
    CHECK(herald_limits_set_max_payload_bytes(limits, 3) == HERALD_STATUS_OK);
    CHECK(herald_limits_set_max_depth(limits, 4) == HERALD_STATUS_OK);
    CHECK(herald_limits_set_max_errors(limits, 5) == HERALD_STATUS_OK);
    CHECK(herald_limits_set_max_patterns(limits, 6) == HERALD_STATUS_OK);
    CHECK(herald_limits_max_topic_bytes(limits) == 1 && herald_limits_max_segments(limits) == 2 &&
          herald_limits_max_payload_bytes(limits) == 3 && herald_limits_max_depth(limits) == 4 &&
          herald_limits_max_errors(limits) == 5 && herald_limits_max_patterns(limits) == 6);
    CHECK(herald_limits_set_max_depth(NULL, 4) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_limits_max_depth(NULL) == 0);
    herald_limits_free(limits);
    herald_limits_free(NULL);
}

static void test_exports(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_buffer *document = NULL;

    CHECK(herald_catalogue_json_schema(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"), &document,
                                       error) == HERALD_STATUS_OK);
    CHECK(strstr((const char *)herald_buffer_data(document), "https://json-schema.org/draft/2020-12/schema") != NULL);
    CHECK(herald_buffer_len(document) == strlen((const char *)herald_buffer_data(document)));
    herald_buffer_free(document);

    document = NULL;
    CHECK(herald_catalogue_asyncapi(catalogue, TEXT("orangepill-stream"), &document, error) == HERALD_STATUS_OK);
    CHECK(strstr((const char *)herald_buffer_data(document), "\"asyncapi\": \"3.0.0\"") != NULL);
    herald_buffer_free(document);

    document = NULL;
    CHECK(herald_catalogue_json_schema(catalogue, TEXT("accelbyte-wallet"), TEXT("nope"), &document, error) ==
          HERALD_STATUS_UNKNOWN_EVENT);
    CHECK(document == NULL);
    CHECK(herald_catalogue_asyncapi(catalogue, TEXT("nope"), &document, error) == HERALD_STATUS_UNKNOWN_SOURCE);
    CHECK(document == NULL);
    CHECK(herald_catalogue_json_schema(NULL, TEXT("a"), TEXT("b"), &document, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_json_schema(catalogue, NULL, 0, TEXT("b"), &document, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_json_schema(catalogue, TEXT("a"), NULL, 0, &document, error) ==
          HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_json_schema(catalogue, TEXT("a"), TEXT("b"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_asyncapi(NULL, TEXT("a"), &document, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_asyncapi(catalogue, NULL, 0, &document, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(herald_catalogue_asyncapi(catalogue, TEXT("a"), NULL, error) == HERALD_STATUS_NULL_ARGUMENT);
    CHECK(document == NULL);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
}

int main(void) {
    test_valid_payload_with_a_warning();
    test_invalid_payloads();
    test_templates_named_schemas_and_unknowns();
    test_limits_object();
    test_exports();
    return check_finish("test_validation");
}
