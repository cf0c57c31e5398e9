#pragma once
// Safe by default: a socket anyone on the network can reach needs access control (and,
// for HTTP, TLS or an explicit allow_plaintext). Checked before anything binds.
#include <optional>
#include <string>
#include <string_view>

#include "ir/daemon/config.hpp"

namespace ir::daemon {

bool is_loopback_host(std::string_view host);
// "tcp://127.0.0.1:5556", "ipc://...", "inproc://..." are local; "tcp://*:5556" is not.
bool is_local_endpoint(std::string_view zmq_endpoint);
// What to add to the config, when the sockets it names would be reachable unprotected.
std::optional<std::string> check_exposure(const Config& config);

}  // namespace ir::daemon
