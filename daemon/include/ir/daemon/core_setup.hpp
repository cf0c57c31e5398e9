#pragma once
// The core as a config describes it: catalogue, rules, clocks' policy, routing and the
// engine built from them. The daemon and `inquiryctl simulate` build it the same way, so a
// replay decides exactly as the daemon would. Reads the files the config names; nothing else.
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

#include "ir/daemon/config.hpp"
#include "ir/router/assessor.hpp"
#include "ir/router/catalog.hpp"
#include "ir/router/engine.hpp"
#include "ir/routing/local_clock.hpp"

namespace ir::daemon {

struct Core {
    router::Catalog catalog;
    std::unordered_set<std::string> accounts;  // the catalogue's accounts; empty: any
    std::unique_ptr<router::Assessor> assessor;
    std::unique_ptr<routing::LocalClock> local_clock;  // the tz database, when agents have working hours
    std::unique_ptr<router::Engine> engine;            // refers to assessor, catalog and local_clock

    Core() = default;
    Core(Core&&) = delete;  // the engine holds pointers into this object
    Core& operator=(Core&&) = delete;
};

// What a catalogue and rules problem looks like: one line naming the file.
std::optional<std::string> build_core(const Config& config, sla::TimePoint now, Core& out);

// The SLA policy of `[sla]` (defaults, per tier) and its per-account overrides.
sla::SlaPolicy sla_policy_of(const SlaConfig& config);
std::map<std::string, sla::SlaOverride> sla_account_overrides_of(const SlaConfig& config);

}  // namespace ir::daemon
