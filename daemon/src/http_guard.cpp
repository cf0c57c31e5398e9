#include "http_guard.hpp"

#include <algorithm>

#include "ir/base/text.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;

namespace {

bool listed(const std::vector<std::string>& names, std::string_view value) {
    const std::string v = ascii_lower(value);
    return std::find(names.begin(), names.end(), v) != names.end();
}

bool changes_state(http::verb v) {
    return v == http::verb::post || v == http::verb::put || v == http::verb::delete_ || v == http::verb::patch;
}

std::string_view field(const HttpRequest& req, http::field f) {
    auto it = req.find(f);
    return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

}  // namespace

BrowserRules browser_rules(const HttpConfig& http, std::uint16_t port, bool tls) {
    BrowserRules rules;
    std::vector<std::string> names = http.hosts;
    if (names.empty()) {
        const std::string host = http.host.find(':') != std::string::npos ? "[" + http.host + "]" : http.host;
        for (const std::string& h : {host, std::string("localhost"), std::string("127.0.0.1"), std::string("[::1]")}) {
            names.push_back(h + ":" + std::to_string(port));
            names.push_back(h);
        }
    }
    for (auto& n : names) rules.hosts.push_back(ascii_lower(n));
    if (http.allowed_origins.empty()) {
        for (const auto& h : rules.hosts) rules.origins.push_back((tls ? "https://" : "http://") + h);
    } else {
        for (const auto& o : http.allowed_origins) rules.origins.push_back(ascii_lower(o));
    }
    return rules;
}

std::optional<GuardRefusal> check_browser(const BrowserRules& rules, const HttpRequest& req) {
    if (!listed(rules.hosts, field(req, http::field::host)))
        return GuardRefusal{"host", "Host is not one of this server's names ([http] hosts)", "Host"};
    if (!changes_state(req.method())) return std::nullopt;
    const auto origin = field(req, http::field::origin);
    if (!origin.empty() && !listed(rules.origins, origin))
        return GuardRefusal{"origin", "requests from this Origin may not change anything ([http] allowed_origins)",
                            "Origin"};
    const auto type = ascii_lower(field(req, http::field::content_type));
    const bool json = type == "application/json" || type.starts_with("application/json;");
    if (!json && (!type.empty() || !req.body().empty()))
        return GuardRefusal{"content_type", "a request that changes state must be Content-Type: application/json",
                            "Content-Type"};
    return std::nullopt;
}

}  // namespace ir::daemon
