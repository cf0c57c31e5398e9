#pragma once
// How inquiryctl authenticates to a daemon that requires it: a token (from --token-file,
// or the INQUIRYD_TOKEN environment variable) and, over https://, the CA to trust.
#include <chrono>
#include <string>

#include "http_get.hpp"
#include "ir/base/expected.hpp"

namespace CLI {
class App;
}

namespace ir::cli {

struct ClientAuth {
    std::string token_file;
    std::string cacert;
};

void add_client_auth_options(CLI::App* cmd, ClientAuth& auth);
Expected<HttpClientOptions> client_options(const ClientAuth& auth, std::chrono::milliseconds timeout);

}  // namespace ir::cli
