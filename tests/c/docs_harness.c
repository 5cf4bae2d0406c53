/* Runs the C fragments of docs/c.md in order, with the names they use, then
 * each fragment of docs/signatures.md and docs/scale-out.md in a scope of its own.
 * tests/c/run.sh extracts them (every ```c block) into docs_fragments.inc. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "herald.h"

int main(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_error *error = herald_error_new();
    herald_report *report = NULL;
    const char text[] = "{\"type\":\"walletBalanceChanged\",\"payload\":{}}";
    const uint8_t *payload = (const uint8_t *)text;
    size_t payload_len = strlen(text);
    int ok;

#include "docs_fragments.inc"

    ok = report != NULL && !herald_report_is_ok(report) && event.size == sizeof event &&
         event.bound_value.len == 3 && memcmp(event.bound_value.ptr, "sms", 3) == 0;
    printf("\ndocs/c.md fragments: %s\n", ok ? "ok" : "FAILED");
    herald_report_free(report);
    herald_error_free(error);
    herald_catalogue_free(catalogue);
    return ok ? 0 : 1;
}
