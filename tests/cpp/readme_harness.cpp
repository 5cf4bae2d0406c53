// Runs the README's C++ snippet with the inputs it names. tests/c/run.sh
// extracts the snippet (the README's ```cpp block, minus its #include) into
// readme_snippet.inc and builds this file around it.
#include "herald.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::vector<std::string> logged;

void log(std::string_view pointer, std::string_view message) {
    logged.push_back(std::string(pointer) + ": " + std::string(message));
}

} // namespace

int main() {
    const std::string payload = R"({"type":"walletBalanceChanged"})";
    const std::uint64_t player_id = 7;
    const std::string frame =
        "type: messageNotif\ntopic: e-commerce/wallets\n"
        R"(payload: {"type":"walletStatusChanged","payload":{"action":"enableUserWallet","data":{)"
        R"("walletId":"w1","userId":"u1","status":"ACTIVE","previousStatus":"INACTIVE"}}})";
    const std::string client_frame = R"({"type":"subscribe","realm":"realm-key"})";
    const std::int64_t now = 1671547687;

#include "readme_snippet.inc"

    bool ok = !report.ok() && !logged.empty() && decoded.report.ok() && ids.empty() &&
              back_on_the_wire.rfind("type: messageNotif\n", 0) == 0 && reply.success() && reply.frames.size() == 2 &&
              reply.frames[0] == R"({"type":"info","realm":"realm-1","timestamp":1671547687})";
    snapshot.match_cached("deposit.processed", cache, ids);
    ok = ok && ids == std::vector<std::uint64_t>{player_id};
    std::printf("readme snippet: %s (%zu issues logged)\n", ok ? "ok" : "FAILED", logged.size());
    return ok ? 0 : 1;
}
