#pragma once
// [notify] of the config: console_url and the [[notify.destinations]].
#include "config_reader.hpp"
#include "ir/daemon/config.hpp"

namespace ir::daemon {

void read_notify(Reader& r, const toml::table& t, NotifyConfig& n);
// Checks done once [[agents]] are known too: every agent's mobile and language.
void read_agent_contact(Reader& r, const toml::table& t, const std::string& prefix, const std::string& agent,
                        RoutingConfig& c);

}  // namespace ir::daemon
