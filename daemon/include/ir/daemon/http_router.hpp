#pragma once
// Method + path-pattern routing: "/v1/inquiries/{id}/reply" binds `id` to one decoded
// path segment. Unknown paths are 404, known paths with another method 405 with Allow,
// a target that is not a path (plus query) 400; all with JSON error bodies.

#include <ir/access/rules.hpp>
#include <ir/daemon/http_server.hpp>

#include <boost/beast/http/verb.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ir::daemon {

using StringMap = std::map<std::string, std::string, std::less<>>;

struct RouteRequest {
    HttpRequest message;
    StringMap params;                          // {name} in the pattern -> the decoded path segment
    StringMap query;                           // decoded ('+' is a space); a repeated key keeps its first value
    access::Caller caller{nullptr, {}, true};  // who asks (set by the access check before the handler)

    // "" when absent.
    [[nodiscard]] std::string_view param(std::string_view name) const;
    [[nodiscard]] std::optional<std::string_view> query_value(std::string_view name) const;
};

// Asynchronous: answer through the Responder, now or later.
using RouteHandler = std::function<void(RouteRequest&&, Responder)>;
// Synchronous: the response is the return value.
using SyncRouteHandler = std::function<HttpResponse(const RouteRequest&)>;

class HttpRouter {
public:
    // Patterns start with '/'; a segment is either literal or a whole "{name}". Where
    // patterns overlap, the one with a literal segment earlier wins
    // ("/v1/inquiries/stats" before "/v1/inquiries/{id}"). Registering the same method
    // and pattern twice, or a malformed pattern, throws std::invalid_argument.
    void add(boost::beast::http::verb method, std::string_view pattern, RouteHandler handler);
    void add(boost::beast::http::verb method, std::string_view pattern, SyncRouteHandler handler);

    // An HttpHandler: pass `std::ref(router)` (or a lambda) to HttpServer; the router
    // must outlive the server.
    void operator()(HttpRequest&& req, Responder respond) const;

private:
    struct Segment {
        std::string text;
        bool is_param = false;
    };
    struct Route {
        std::string pattern;
        std::vector<Segment> segments;
        std::vector<std::pair<boost::beast::http::verb, RouteHandler>> methods;
    };

    static std::vector<Segment> parse_pattern(std::string_view pattern);
    static bool match(const Route& route, const std::vector<std::string>& path, StringMap& params);

    std::vector<Route> routes_;  // most specific first
};

}  // namespace ir::daemon
