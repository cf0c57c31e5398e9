#include "exposure.hpp"

namespace ir::daemon {

bool is_loopback_host(std::string_view host) {
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

bool is_local_endpoint(std::string_view endpoint) {
    if (endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://")) return true;
    if (!endpoint.starts_with("tcp://")) return false;
    auto rest = endpoint.substr(6);
    std::string_view host = rest.substr(0, rest.rfind(':'));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return is_loopback_host(host);
}

std::optional<std::string> check_exposure(const Config& c) {
    const bool http_exposed = !is_loopback_host(c.http.host);
    const bool feed_exposed = !is_local_endpoint(c.pub_endpoint);
    if ((http_exposed || feed_exposed) && !c.access.require)
        return std::string(http_exposed ? "[http] listen = \"" + c.http.host + ":" + std::to_string(c.http.port) + "\""
                                        : "[zmq] pub_endpoint = \"" + c.pub_endpoint + "\"") +
               " is reachable from other machines: set [access] require = true and give every caller a token "
               "(inquiryctl token create), or bind 127.0.0.1";
    if (http_exposed && !c.http.tls() && !c.http.allow_plaintext)
        return "[http] listen = \"" + c.http.host + ":" + std::to_string(c.http.port) +
               "\" is reachable from other machines: give it [http] tls_cert and tls_key, or set [http] "
               "allow_plaintext = true behind a TLS proxy or on a trusted network";
    if (http_exposed && c.http.hosts.empty())
        return "[http] listen = \"" + c.http.host + ":" + std::to_string(c.http.port) +
               "\": name the host names clients use in [http] hosts = [\"inquiry.example.lan:" +
               std::to_string(c.http.port) + "\"] (other Host headers are refused)";
    return std::nullopt;
}

}  // namespace ir::daemon
