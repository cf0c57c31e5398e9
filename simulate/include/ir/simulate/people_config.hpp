#pragma once
// How the simulated people behave: the `[simulate]` table of the daemon's config file (the
// daemon accepts and ignores it). Every key has a default; docs/simulate.md says which come
// from the seeds and which are assumptions to change for your own team.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir/routing/agent.hpp"
#include "ir/sla/time.hpp"

namespace ir::simulate {

struct PeopleConfig {
    std::uint64_t seed = 1;  // --seed overrides it
    // Median time to write a reply once started, per role (agent, senior, supervisor); the
    // time is log-normal around it with `reply_spread` as sigma.
    std::array<sla::Duration, 3> reply_median{std::chrono::seconds{180}, std::chrono::seconds{150},
                                              std::chrono::seconds{240}};
    double reply_spread = 0.7;
    sla::Duration accept_median = std::chrono::seconds{20};  // from the offer to accepting it
    double accept_spread = 0.8;
    double miss_rate = 0.05;               // offers never accepted: they time out to the next agent
    double foreign_language_factor = 1.5;  // reply time when the agent does not speak the language
    double off_skill_factor = 1.3;         // reply time on a product line they do not cover
    // Reply time of a plain agent on a tier 1 or suspect inquiry: a supervisor reviews every
    // tier 1 document before it is sent, and a suspect must be verified with a senior (seed 001).
    double review_factor = 2.0;
    std::uint32_t parallel = 1;                          // replies one person writes at once
    sla::Duration resolve_after = std::chrono::days{7};  // answered and quiet this long: resolved
    sla::Duration drain = std::chrono::hours{48};        // after the last input: time to answer what waits

    sla::Duration median_for(routing::Role role) const { return reply_median[static_cast<std::size_t>(role)]; }
};

struct PeopleConfigResult {
    PeopleConfig config;
    std::vector<std::string> errors;  // "file:line: simulate.key: problem"
};

// Reads `[simulate]` from the whole config file's text (other tables are the daemon's).
PeopleConfigResult parse_people_config(std::string_view toml_text, const std::string& source);

}  // namespace ir::simulate
