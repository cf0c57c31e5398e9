#pragma once
// A secret the config names (inline, a file, or a systemd credential), read at start-up:
// the webhooks' and the notify destinations'.
#include <optional>
#include <string>

#include "ir/adapters/secret.hpp"
#include "ir/daemon/config.hpp"

namespace ir::daemon {

// The error, naming the config key, when the secret cannot be read.
std::optional<std::string> load_secret(const SecretRef& ref, adapters::Secret& out);

}  // namespace ir::daemon
