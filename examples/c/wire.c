/* wire.c: one message of each vendor from the wire to a subscriber and back,
 * then an Orangepill realm subscription. */
#include <herald.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT(s) (s), strlen(s)

static const struct {
    herald_wire_format format;
    const char *bytes;
} messages[] = {
    {HERALD_WIRE_FORMAT_INPLAYER_NOTIFICATION,
     "{\"type\":\"access.revoked\",\"timestamp\":1546612267,\"resource\":{\"item_id\":41224}}"},
    {HERALD_WIRE_FORMAT_INPLAYER_WEBHOOK,
     "id=WHE-tyW8QjyCAYeQDOG0&created=1559913102&type=customer.password.updated&resource%5Bmerchant_id%5D=68"
     "&resource%5Bcustomer_id%5D=73&resource%5Bemail%5D=jane%40example.com&resource%5Btimestamp%5D=1551455675"},
    {HERALD_WIRE_FORMAT_ORANGEPILL,
     "{\"type\":\"notification\",\"event\":\"sms.message.sent\",\"data\":\"63967141191e9023f356df9f\","
     "\"timestamp\":1671547687}"},
    {HERALD_WIRE_FORMAT_ACCELBYTE_LOBBY,
     "type: messageNotif\nid: b3cb71d768d3493ba6c1dbd10b816e62\ntopic: e-commerce/wallets\n"
     "payload: {\"type\":\"walletStatusChanged\",\"payload\":{\"action\":\"disableUserWallet\",\"data\":"
     "{\"walletId\":\"w1\",\"userId\":\"u1\",\"status\":\"INACTIVE\",\"previousStatus\":\"ACTIVE\"}}}\n"
     "sentAt: 2024-01-22T09:10:54Z"},
};

int main(void) {
    const herald_catalogue *catalogue = herald_catalogue_builtin();
    herald_router *router = herald_router_new();
    herald_error *error = herald_error_new();
    herald_realm_hub *hub = herald_realm_hub_new();
    herald_realm_keys *keys = herald_realm_keys_new();
    herald_list *frames = NULL;
    herald_bytes frame;
    const char subscribe[] = "{\"type\":\"subscribe\",\"realm\":\"realm-key\"}";
    uint64_t ids[8], session = 0;
    size_t i, count = 0;

    herald_router_subscribe(router, TEXT("access.#"), 1, NULL, error);
    herald_router_subscribe(router, TEXT("customer.>"), 2, NULL, error);
    herald_router_subscribe(router, TEXT("*.message.sent"), 3, NULL, error);
    herald_router_subscribe(router, TEXT("walletStatusChanged"), 4, NULL, error);

    for (i = 0; i < sizeof messages / sizeof messages[0]; i++) {
        herald_wire_event *event = NULL;
        herald_report *report = NULL;
        herald_wire_event_info info;
        herald_buffer *wire = NULL;
        info.size = sizeof info; /* extensible structs say how large they are */
        if (herald_wire_decode(catalogue, messages[i].format, (const uint8_t *)messages[i].bytes,
                               strlen(messages[i].bytes), &event, &report, error) != HERALD_STATUS_OK) {
            herald_str message = herald_error_message(error);
            printf("undecodable: %.*s\n", (int)message.len, message.ptr);
            continue;
        }
        herald_wire_event_describe(event, &info, error);
        herald_router_match(router, info.name.ptr, info.name.len, ids, 8, &count, error);
        herald_wire_encode(event, &wire, error); /* a new buffer, freed below */
        printf("%.*s %.*s: %s, subscriber %llu, %zu bytes back on the wire\n", (int)info.source.len,
               info.source.ptr, (int)info.name.len, info.name.ptr, herald_report_is_ok(report) ? "valid" : "invalid",
               count > 0 ? (unsigned long long)ids[0] : 0ULL, herald_buffer_len(wire));
        herald_buffer_free(wire);
        herald_report_free(report);
        herald_wire_event_free(event);
    }

    /* A client subscribes to a realm: the reply is an info frame and the echo. */
    herald_realm_keys_add(keys, TEXT("realm-key"), TEXT("realm-1"), error);
    herald_realm_hub_open(hub, &session, error);
    if (herald_realm_hub_handle(hub, session, (const uint8_t *)subscribe, strlen(subscribe), 1671547687, keys,
                                &frames, NULL, error) == HERALD_STATUS_OK) {
        for (i = 0; i < herald_list_count(frames); i++) {
            herald_list_at(frames, i, &frame, error);
            printf("reply: %.*s\n", (int)frame.len, (const char *)frame.ptr);
        }
        herald_list_free(frames);
    }
    herald_realm_hub_recipients(hub, TEXT("realm-1"), ids, 8, &count, error);
    printf("realm-1 sessions: %zu\n", count);

    herald_realm_keys_free(keys);
    herald_realm_hub_free(hub);
    herald_error_free(error);
    herald_router_free(router);
    herald_catalogue_free(catalogue);
    return 0;
}
