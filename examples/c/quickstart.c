/* quickstart.c: look an event up, check a payload, route it. */
#include <herald.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT(s) (s), strlen(s)

static void print_issues(const herald_report *report) {
    herald_issue issue;
    size_t i;
    issue.size = sizeof issue; /* extensible structs say how large they are */
    for (i = 0; i < herald_report_count(report, HERALD_SEVERITY_ERROR); i++) {
        herald_report_issue(report, HERALD_SEVERITY_ERROR, i, &issue, NULL);
        printf("  %.*s: %.*s\n", (int)issue.pointer.len, issue.pointer.ptr, (int)issue.message.len,
               issue.message.ptr);
    }
}

int main(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_router *router = herald_router_new();
    herald_error *error = herald_error_new();
    herald_report *report = NULL;
    herald_event event;
    uint64_t ids[8];
    size_t count = 0;
    size_t i;
    const char payload[] = "{\"type\":\"walletBalanceChanged\",\"payload\":{\"action\":\"bulkCredit\",\"data\":{"
                           "\"namespace\":\"game\",\"userId\":\"u1\",\"currencyCode\":\"GOLD\","
                           "\"amount\":9223372036854775808,\"reason\":\"quest\",\"origin\":\"System\"}}}";

    if (herald_abi_version() != HERALD_ABI_VERSION) {
        fprintf(stderr, "libherald ABI %u, built against %u\n", herald_abi_version(), HERALD_ABI_VERSION);
        return 1;
    }
    event.size = sizeof event;

    /* What is sms.message.sent? A templated Orangepill event. */
    if (herald_catalogue_get(catalogue, TEXT("orangepill-stream"), TEXT("sms.message.sent"), &event, error) ==
        HERALD_STATUS_OK) {
        printf("%.*s: %.*s\n", (int)event.name.len, event.name.ptr, (int)event.description.len,
               event.description.ptr);
    }

    /* Is this wallet update valid? (The amount does not fit int64.) */
    if (herald_catalogue_validate(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"),
                                  (const uint8_t *)payload, strlen(payload), NULL, &report,
                                  error) == HERALD_STATUS_OK) {
        printf("valid: %s\n", herald_report_is_ok(report) ? "yes" : "no");
        print_issues(report);
        herald_report_free(report);
    }

    /* Who wants it? Each subscriber once, ascending. */
    herald_router_subscribe(router, TEXT("*.message.sent"), 1, NULL, error);
    herald_router_subscribe(router, TEXT("sms.#"), 2, NULL, error);
    herald_router_subscribe(router, TEXT("payment.#"), 3, NULL, error);
    if (herald_router_match(router, TEXT("sms.message.sent"), ids, 8, &count, error) == HERALD_STATUS_OK) {
        printf("subscribers:");
        for (i = 0; i < count; i++) {
            printf(" %llu", (unsigned long long)ids[i]);
        }
        printf("\n");
    }

    /* A bad topic is an error with a reason, never a silent miss. */
    if (herald_router_match(router, TEXT("sms..sent"), ids, 8, &count, error) != HERALD_STATUS_OK) {
        herald_str message = herald_error_message(error);
        printf("rejected: %.*s\n", (int)message.len, message.ptr);
    }

    herald_error_free(error);
    herald_router_free(router);
    herald_catalogue_free(catalogue);
    return 0;
}
