// game_server.cpp: what a game server does with herald. It loads the
// catalogue, subscribes a few thousand players' patterns, then takes a burst
// of frames off the wire from worker threads: AccelByte lobby frames carrying
// wallet updates and Orangepill realm notifications. Each frame is decoded
// and validated, routed through a shared router snapshot (with a per-thread
// match cache), and counted. Prints the throughput.
#include "herald.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Incoming {
    herald::WireFormat format;
    std::string frame;
};

/// An AccelByte lobby frame with a wallet update for `player`.
std::string wallet_frame(int player, const std::string &amount, std::size_t sequence) {
    return "type: messageNotif\nid: " + std::to_string(sequence) + "\nfrom: system\nto: player" +
           std::to_string(player) + "\ntopic: e-commerce/wallets\n" +
           R"(payload: {"type":"walletBalanceChanged","payload":{"action":"creditUserWallet","data":{)"
           R"("namespace":"arena","userId":"player)" +
           std::to_string(player) + R"(","currencyCode":"GOLD","amount":)" + amount +
           R"(,"reason":"quest","origin":"System"}}})" + "\nsentAt: 2024-01-22T09:10:54Z\nsequenceNumber: " +
           std::to_string(sequence);
}

/// An Orangepill realm stream notification frame.
std::string realm_frame(const std::string &event, int entity) {
    char id[25];
    std::snprintf(id, sizeof id, "%024x", entity);
    return R"({"type":"notification","event":")" + event + R"(","data":")" + id + R"(","timestamp":"1700000000"})";
}

/// A burst mixing every Orangepill stream event and wallet updates, with a
/// few broken frames and payloads as a real feed would have.
std::vector<Incoming> burst(const herald::Catalogue &catalogue, std::size_t size) {
    std::vector<std::string> realm_events;
    for (const herald::Event &event : catalogue.events()) {
        if (event.source == "orangepill-stream") {
            std::string name(event.name);
            if (!event.template_parameter.empty()) {
                name.replace(0, name.find('.'), "sms");
            }
            realm_events.push_back(name);
        }
    }
    std::vector<Incoming> events;
    events.reserve(size);
    for (std::size_t i = 0; i < size; i++) {
        if (i % 3 == 0) {
            // Every 97th amount does not fit the schema's int64 ("Long").
            std::string amount = i % 97 == 0 ? "9223372036854775808" : std::to_string(i);
            events.push_back({herald::WireFormat::AccelbyteLobby, wallet_frame(static_cast<int>(i % 5000), amount, i)});
        } else {
            const std::string &name = realm_events[i % realm_events.size()];
            std::string frame = realm_frame(name, static_cast<int>(i));
            if (i % 101 == 0) {
                frame.pop_back(); // truncated in transit
            }
            events.push_back({herald::WireFormat::Orangepill, frame});
        }
    }
    return events;
}

} // namespace

int main() {
    herald::Catalogue catalogue = herald::Catalogue::builtin();

    // A few thousand players, each interested in a handful of patterns.
    herald::Router router;
    const char *interests[] = {"walletBalanceChanged", "account.#", "transaction.*", "*.message.sent",
                               "deposit.>",            "#.failed",  "apps.payment.#"};
    for (std::uint64_t player = 0; player < 3000; player++) {
        router.subscribe(interests[player % 7], player);
        router.subscribe(interests[(player / 7) % 7], player);
    }
    herald::RouterSnapshot snapshot = router.snapshot();

    const std::vector<Incoming> events = burst(catalogue, 200000);
    const unsigned workers = std::max(2u, std::thread::hardware_concurrency());
    std::atomic<std::uint64_t> valid{0}, invalid{0}, undecodable{0}, deliveries{0};

    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (unsigned worker = 0; worker < workers; worker++) {
        threads.emplace_back([&, worker] {
            herald::MatchCache cache; // one per thread; the snapshot is shared
            std::vector<std::uint64_t> ids;
            std::uint64_t ok = 0, bad = 0, broken = 0, delivered = 0;
            for (std::size_t i = worker; i < events.size(); i += workers) {
                const Incoming &incoming = events[i];
                try {
                    // Decoding resolves the event in the catalogue and validates its payload.
                    herald::Decoded decoded = herald::decode(catalogue, incoming.format, incoming.frame);
                    if (!decoded.report.ok()) {
                        bad++;
                        continue;
                    }
                    ok++;
                    snapshot.match_cached(decoded.event.name(), cache, ids);
                    delivered += ids.size();
                } catch (const herald::Error &error) {
                    broken++; // a frame that is not even well-formed (error.code() says why)
                }
            }
            valid += ok;
            invalid += bad;
            undecodable += broken;
            deliveries += delivered;
        });
    }
    for (std::thread &thread : threads) {
        thread.join();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::printf("subscriptions: %zu (3000 players)\n", snapshot.size());
    std::printf("frames: %zu on %u threads, %llu valid, %llu invalid payloads, %llu undecodable, %llu deliveries\n",
                events.size(), workers, static_cast<unsigned long long>(valid.load()),
                static_cast<unsigned long long>(invalid.load()), static_cast<unsigned long long>(undecodable.load()),
                static_cast<unsigned long long>(deliveries.load()));
    std::printf("throughput: %.0f events/s (decode + validate + route)\n", static_cast<double>(events.size()) / seconds);
    return valid.load() > 0 && invalid.load() > 0 && undecodable.load() > 0 ? 0 : 1;
}
