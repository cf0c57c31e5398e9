#include <ir/daemon/http_json.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace ir::daemon {

namespace http = boost::beast::http;

HttpResponse json_response(http::status status, const boost::json::value& body, const ExtraHeaders& extra) {
    HttpResponse res{status, 11};
    res.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : extra) res.set(name, value);
    res.body() = boost::json::serialize(body);
    res.prepare_payload();
    return res;
}

HttpResponse json_response(const HttpRequest& req, http::status status, const boost::json::value& body,
                           const ExtraHeaders& extra) {
    auto res = json_response(status, body, extra);
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    return res;
}

HttpResponse error_response(http::status status, std::string_view message, std::string_view field,
                            const ExtraHeaders& extra) {
    boost::json::object body;
    body["error"] = message;
    if (!field.empty()) body["field"] = field;
    return json_response(status, body, extra);
}

HttpResponse text_response(http::status status, std::string body, std::string_view content_type) {
    HttpResponse res{status, 11};
    res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

}  // namespace ir::daemon
