#pragma once
// A core built from a config text as the daemon builds it, inputs from a vector, and
// small helpers for the replay tests. Time is plain TimePoints.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "ir/daemon/config.hpp"
#include "ir/daemon/core_setup.hpp"
#include "ir/simulate/input.hpp"
#include "ir/simulate/replay.hpp"
#include "ir/simulate/report_format.hpp"

namespace simulate_test {

using namespace std::chrono_literals;
using namespace ir;
using sla::TimePoint;

// Monday 23 November 2026, 00:00 UTC.
inline const TimePoint T0 = TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}};

inline std::string with_catalog(const std::string& toml) {
    return "catalog = \"" + std::string(IR_FIXTURES_DIR) + "/catalog.json\"\n" + toml;
}

class VectorSource final : public simulate::InputSource {
public:
    explicit VectorSource(std::vector<simulate::Input> inputs) : inputs_(std::move(inputs)) {}

protected:
    std::optional<simulate::Input> read() override {
        if (at_ == inputs_.size()) return std::nullopt;
        return inputs_[at_++];
    }

private:
    std::vector<simulate::Input> inputs_;
    std::size_t at_ = 0;
};

// A buyer message: a named product, so tier 3 (or 2 with `detail`).
inline simulate::Input buyer(TimePoint at, std::string thread, std::string email,
                             std::string body = "Hello, we need 200 pcs of X9 Smart Watch. Best price?",
                             std::string account = "alibaba-electronics") {
    simulate::Input in;
    in.at = at;
    in.event.channel = router::Channel::email;
    in.event.account = std::move(account);
    in.event.message_id = "<" + thread + "-" + std::to_string(sla::to_unix_ms(at)) + "@buyer>";
    in.event.thread_id = std::move(thread);
    in.event.received_at = at;
    in.event.sender.name = "Buyer";
    in.event.sender.email = std::move(email);
    in.event.body = std::move(body);
    return in;
}

// One of our people replying on the channel.
inline simulate::Input our_reply(TimePoint at, const simulate::Input& to, std::string address) {
    simulate::Input in = to;
    in.at = at;
    in.event.direction = router::Direction::outbound;
    in.event.message_id += "-re";
    in.event.received_at = at;
    in.event.sender = {};
    in.event.sender.email = std::move(address);
    in.event.body = "Thank you, here is our offer.";
    in.context.reset();
    return in;
}

struct Replayed {
    simulate::PolicyReport report;
    std::string json;
};

inline Replayed replay(const std::string& toml, std::vector<simulate::Input> inputs, std::string policy = "ours",
                       simulate::PeopleMode people = simulate::PeopleMode::simulated, std::uint64_t seed = 1,
                       routing::CustomerBookState known = {}) {
    auto parsed = daemon::parse_config(with_catalog(toml), "test.toml");
    REQUIRE(parsed.errors.empty());
    const auto strategy = routing::parse_strategy(policy);
    REQUIRE(strategy);
    parsed.config.routing.policy.strategy = *strategy;
    auto people_config = simulate::parse_people_config(toml, "test.toml");
    REQUIRE(people_config.errors.empty());
    people_config.config.seed = seed;
    daemon::Core core;
    const TimePoint start = inputs.empty() ? T0 : inputs.front().at;
    REQUIRE_FALSE(daemon::build_core(parsed.config, start, core));
    VectorSource source(std::move(inputs));
    simulate::ReplaySetup setup{
        policy,          *strategy, people, people_config.config, parsed.config.routing.agents, core.local_clock.get(),
        std::move(known)};
    Replayed out;
    out.report = simulate::replay(*core.engine, source, setup);
    out.json = simulate::report_json({out.report});
    return out;
}

}  // namespace simulate_test
