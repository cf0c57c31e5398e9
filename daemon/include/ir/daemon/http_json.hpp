#pragma once
// Building JSON (and plain text) responses. The session fixes the HTTP version and
// Connection header from the request it answers, so handlers that only have a status
// and a body need not carry the request around.

#include <ir/daemon/http_server.hpp>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ir::daemon {

// Extra headers by name, e.g. {{"Retry-After", "1"}}.
using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

HttpResponse json_response(boost::beast::http::status status, const boost::json::value& body,
                           const ExtraHeaders& extra = {});

// Same, with the version and keep-alive of `req` (for use outside HttpServer).
HttpResponse json_response(const HttpRequest& req, boost::beast::http::status status, const boost::json::value& body,
                           const ExtraHeaders& extra = {});

// `{"error": message, "field": field}`; "field" is left out when empty.
HttpResponse error_response(boost::beast::http::status status, std::string_view message, std::string_view field = {},
                            const ExtraHeaders& extra = {});

HttpResponse text_response(boost::beast::http::status status, std::string body,
                           std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace ir::daemon
