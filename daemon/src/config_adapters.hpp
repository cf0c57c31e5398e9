#pragma once
// [adapters] of the config: [[adapters.email]], [adapters.whatsapp], [adapters.telegram],
// [adapters.marketplace.<platform>].
#include "config_reader.hpp"
#include "ir/daemon/config.hpp"

namespace ir::daemon {

void read_adapters(Reader& r, const toml::table& t, AdaptersConfig& a);

}  // namespace ir::daemon
