#pragma once
// [adapters] of the config: [[adapters.email]], [adapters.whatsapp], [adapters.telegram],
// [adapters.marketplace.<platform>].
#include "config_reader.hpp"
#include "ir/daemon/config.hpp"

namespace ir::daemon {

void read_adapters(Reader& r, const toml::table& t, AdaptersConfig& a);
// `<name>` inline, `<name>_file` or `<name>_credential` (at most one), as every secret is given.
void read_secret(Reader& r, const toml::table& t, const std::string& prefix, const std::string& name, SecretRef& out);

}  // namespace ir::daemon
