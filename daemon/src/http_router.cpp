#include <ir/daemon/http_json.hpp>
#include <ir/daemon/http_router.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <stdexcept>

namespace ir::daemon {

namespace http = boost::beast::http;

std::string_view RouteRequest::param(std::string_view name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string_view> RouteRequest::query_value(std::string_view name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

namespace {

bool valid_param_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// Literal segments sort before parameters, position by position.
std::vector<bool> literal_mask(const auto& segments) {
    std::vector<bool> mask;
    for (const auto& s : segments) mask.push_back(!s.is_param);
    return mask;
}

StringMap parse_query(const boost::urls::url_view& url) {
    StringMap query;
    for (auto&& p : url.params(boost::urls::encoding_opts(true))) {
        query.try_emplace(p.key, p.has_value ? p.value : std::string());
    }
    return query;
}

}  // namespace

std::vector<HttpRouter::Segment> HttpRouter::parse_pattern(std::string_view pattern) {
    if (!pattern.starts_with('/'))
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    std::vector<Segment> segments;
    std::string_view rest = pattern.substr(1);
    if (rest.empty()) return segments;  // "/" has no segments, as in Boost.URL
    for (;;) {
        const auto slash = rest.find('/');
        const auto text = rest.substr(0, slash);
        const bool is_param = text.size() >= 2 && text.starts_with('{') && text.ends_with('}');
        const auto name = is_param ? text.substr(1, text.size() - 2) : text;
        const bool named_twice = std::any_of(segments.begin(), segments.end(), [&](const Segment& s) {
            return is_param && s.is_param && s.text == name;
        });
        if (named_twice || (is_param && !valid_param_name(name)) ||
            (!is_param && name.find_first_of("{}") != std::string_view::npos)) {
            throw std::invalid_argument("bad route pattern: " + std::string(pattern));
        }
        segments.push_back({std::string(name), is_param});
        if (slash == std::string_view::npos) break;
        rest = rest.substr(slash + 1);
    }
    return segments;
}

void HttpRouter::add(http::verb method, std::string_view pattern, RouteHandler handler) {
    auto it = std::find_if(routes_.begin(), routes_.end(), [&](const Route& r) { return r.pattern == pattern; });
    if (it == routes_.end()) {
        routes_.push_back({std::string(pattern), parse_pattern(pattern), {}});
        it = std::prev(routes_.end());
    }
    for (const auto& [m, h] : it->methods) {
        if (m == method) {
            throw std::invalid_argument("route registered twice: " + std::string(http::to_string(method)) + " " +
                                        std::string(pattern));
        }
    }
    it->methods.emplace_back(method, std::move(handler));
    std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
        return literal_mask(a.segments) > literal_mask(b.segments);
    });
}

void HttpRouter::add(http::verb method, std::string_view pattern, SyncRouteHandler handler) {
    add(method, pattern,
        RouteHandler([h = std::move(handler)](RouteRequest&& req, Responder respond) { respond(h(req)); }));
}

bool HttpRouter::match(const Route& route, const std::vector<std::string>& path, StringMap& params) {
    if (route.segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const auto& seg = route.segments[i];
        if (seg.is_param ? path[i].empty() : seg.text != path[i]) return false;
    }
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (route.segments[i].is_param) params.insert_or_assign(route.segments[i].text, path[i]);
    }
    return true;
}

void HttpRouter::operator()(HttpRequest&& req, Responder respond) const {
    const auto url = boost::urls::parse_origin_form(req.target());
    if (!url) return respond(error_response(http::status::bad_request, "invalid request target"));
    std::vector<std::string> path;
    for (auto&& seg : url->segments()) path.emplace_back(seg);

    std::vector<http::verb> allowed;
    StringMap params;
    for (const auto& route : routes_) {
        params.clear();
        if (!match(route, path, params)) continue;
        for (const auto& [method, handler] : route.methods) {
            if (method != req.method()) continue;
            auto query = parse_query(*url);  // `url` points into `req`: read it before the move
            handler(RouteRequest{std::move(req), std::move(params), std::move(query)}, std::move(respond));
            return;
        }
        for (const auto& m : route.methods) allowed.push_back(m.first);
    }
    if (allowed.empty()) return respond(error_response(http::status::not_found, "no such resource"));

    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::string allow;
    for (auto m : allowed) {
        if (!allow.empty()) allow += ", ";
        allow += http::to_string(m);
    }
    respond(error_response(http::status::method_not_allowed, "method not allowed", {}, {{"Allow", allow}}));
}

}  // namespace ir::daemon
