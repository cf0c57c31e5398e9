#pragma once
// Durations as people write them in the config: "90s", "5m", "24h", "3d", "250ms".
#include <optional>
#include <string>
#include <string_view>

#include "ir/sla/time.hpp"

namespace ir::sla {

// Parses "<integer><unit>" with unit ms, s, m, h or d; nullopt for anything else.
std::optional<Duration> parse_duration(std::string_view text);

// The shortest exact spelling of a duration ("5m", "24h", "1500ms").
std::string format_duration(Duration d);

}  // namespace ir::sla
