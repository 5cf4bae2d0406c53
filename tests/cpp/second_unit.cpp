// A second translation unit including the wrapper: linking it with the main
// test proves the header-only wrapper has no ODR violations (everything
// inline) and works from two units at once.
#include "herald.hpp"

#include <cstdint>
#include <vector>

std::vector<std::uint64_t> route_in_second_unit(const herald::RouterSnapshot &snapshot, std::string_view topic) {
    return snapshot.match(topic);
}

bool builtin_has_wallet_events() {
    herald::Catalogue catalogue = herald::Catalogue::builtin();
    return catalogue.find("accelbyte-wallet", "walletBalanceChanged").has_value();
}
