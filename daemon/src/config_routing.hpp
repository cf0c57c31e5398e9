#pragma once
// [routing] and [[agents]] of the config.
#include <optional>
#include <string_view>

#include "config_reader.hpp"
#include "ir/daemon/config.hpp"

namespace ir::daemon {

void read_routing(Reader& r, const toml::table& t, RoutingConfig& c);
void read_agents(Reader& r, const toml::node& n, RoutingConfig& c);

// "mon-fri 09:00-18:00", "sat 10:00-14:00", "sun 22:00-06:00" (past midnight: ends the
// next day) into `hours`; the error says what is wrong.
std::optional<std::string> add_shift(std::string_view text, routing::WeeklyHours& hours);

}  // namespace ir::daemon
