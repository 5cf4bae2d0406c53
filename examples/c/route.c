/* route.c: check a wallet update, then find who wants it. */
#include <herald.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT(s) (s), strlen(s)

int main(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_router *router = herald_router_new();
    herald_error *error = herald_error_new();
    herald_report *report = NULL;
    const char payload[] = "{\"type\":\"walletBalanceChanged\"}";
    uint64_t ids[8];
    size_t i, count = 0;

    if (herald_catalogue_validate(catalogue, TEXT("accelbyte-wallet"), TEXT("walletBalanceChanged"),
                                  (const uint8_t *)payload, strlen(payload), NULL, &report,
                                  error) == HERALD_STATUS_OK) {
        printf("valid: %s, %zu error(s)\n", herald_report_is_ok(report) ? "yes" : "no",
               herald_report_count(report, HERALD_SEVERITY_ERROR));
        herald_report_free(report);
    }
    herald_router_subscribe(router, TEXT("#"), 1, NULL, error);
    herald_router_subscribe(router, TEXT("walletBalanceChanged"), 2, NULL, error);
    herald_router_subscribe(router, TEXT("payment.#"), 3, NULL, error);
    if (herald_router_match(router, TEXT("walletBalanceChanged"), ids, 8, &count, error) == HERALD_STATUS_OK) {
        printf("subscribers:");
        for (i = 0; i < count; i++) {
            printf(" %llu", (unsigned long long)ids[i]);
        }
        printf("\n");
    }
    herald_error_free(error);
    herald_router_free(router);
    herald_catalogue_free(catalogue);
    return 0;
}
