#include "client_auth.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>

#include "ir/base/text.hpp"

namespace ir::cli {

void add_client_auth_options(CLI::App* cmd, ClientAuth& auth) {
    cmd->add_option("--token-file", auth.token_file,
                    "A file holding the API token (default: $INQUIRYD_TOKEN, when the daemon requires one)");
    cmd->add_option("--cacert", auth.cacert, "With an https:// --http: the CA certificate to trust (PEM)");
}

Expected<HttpClientOptions> client_options(const ClientAuth& auth, std::chrono::milliseconds timeout) {
    HttpClientOptions o;
    o.timeout = timeout;
    o.ca_file = auth.cacert;
    if (!auth.token_file.empty()) {
        std::ifstream in(auth.token_file);
        std::string line;
        if (!in || !std::getline(in, line)) return Error("cannot read the token", auth.token_file);
        o.token = std::string(trim(line));
    } else if (const char* env = std::getenv("INQUIRYD_TOKEN")) {
        o.token = std::string(trim(env));
    }
    return o;
}

}  // namespace ir::cli
