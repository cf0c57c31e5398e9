#pragma once
// A replay: the inputs run through a real core in virtual time, with simulated (or the
// recorded) people answering. The core is the daemon's own (daemon::build_core, built by the
// caller at the first input's moment with the policy's routing strategy), so every decision
// - tiers, clocks, routing - is made exactly as the daemon would make it.
//
// The virtual clock jumps from one moment to the next: the core's next deadline, the next
// input, the people's next action. At one moment the core's alarms come first (they were
// due), then inputs in file order, then the people's actions in the order they were planned.
// After the last input the run goes on while a buyer waits for an answer, for at most
// `drain`; with the recorded people it ends at the last input (nobody answers after it).
#include <string>
#include <vector>

#include "ir/router/engine.hpp"
#include "ir/routing/customer_book.hpp"
#include "ir/routing/local_clock.hpp"
#include "ir/routing/policy.hpp"
#include "ir/simulate/input.hpp"
#include "ir/simulate/people_config.hpp"
#include "ir/simulate/report.hpp"

namespace ir::simulate {

enum class PeopleMode : std::uint8_t {
    simulated,  // the roster answers as [simulate] describes; recorded replies in the inputs are left out
    recorded,   // nobody acts: only the replies (and resolves) the inputs carry happen
};

std::string_view to_string(PeopleMode m);

struct ReplaySetup {
    std::string policy = "ours";  // the name the report carries
    routing::Strategy strategy = routing::Strategy::ours;
    PeopleMode people = PeopleMode::simulated;
    PeopleConfig config;                         // its seed is the run's seed
    std::vector<routing::AgentSpec> roster;      // as the engine has it
    const routing::LocalClock* clock = nullptr;  // the engine's, for working hours; nullptr: UTC
    routing::CustomerBookState known_customers;  // records before the first input (KnownCustomers)
};

PolicyReport replay(router::Engine& engine, InputSource& inputs, const ReplaySetup& setup);

}  // namespace ir::simulate
