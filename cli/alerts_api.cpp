#include "alerts_api.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "alert_text.hpp"

namespace ir::cli {
namespace json = boost::json;

std::string alerts_target(std::uint64_t since, std::string_view topic, std::size_t limit) {
    return "/v1/alerts?since=" + std::to_string(since) + "&topic=" + url_encode(topic) +
           "&limit=" + std::to_string(limit);
}

Expected<AlertsPage> parse_alerts_page(std::string_view body) {
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec) return Error("the answer is not JSON: " + ec.message());
    const json::object* o = v.if_object();
    const json::value* alerts = o ? o->if_contains("alerts") : nullptr;
    const json::value* last = o ? o->if_contains("last_seq") : nullptr;
    if (!alerts || !alerts->is_array()) return Error("the answer has no \"alerts\" array", "alerts");
    AlertsPage page;
    if (last && last->is_int64() && last->as_int64() >= 0)
        page.last_seq = static_cast<std::uint64_t>(last->as_int64());
    else if (last && last->is_uint64())
        page.last_seq = last->as_uint64();
    else
        return Error("the answer has no \"last_seq\" number", "last_seq");
    for (const json::value& a : alerts->as_array()) {
        const json::object* ao = a.if_object();
        const auto seq = ao ? alert_seq(*ao) : std::nullopt;
        if (!seq) return Error("an alert has no \"seq\"", "alerts");
        page.alerts.push_back({*seq, *ao});
    }
    std::sort(page.alerts.begin(), page.alerts.end(),
              [](const TailAlert& x, const TailAlert& y) { return x.seq < y.seq; });
    return page;
}

Expected<AlertsPage> fetch_alerts(const HttpGetClient& http, std::uint64_t since, std::string_view topic,
                                  std::size_t limit) {
    const std::string target = alerts_target(since, topic, limit);
    auto reply = http.get(target);
    if (!reply) return reply.error();
    if (reply->status != 200) {
        std::string why;
        boost::system::error_code ec;
        const json::value v = json::parse(reply->body, ec);
        if (!ec && v.is_object())
            if (const json::value* e = v.as_object().if_contains("error"); e && e->is_string()) why = e->as_string();
        return Error("GET " + target + " answered " + std::to_string(reply->status) + (why.empty() ? "" : ": " + why),
                     "http");
    }
    auto page = parse_alerts_page(reply->body);
    if (!page) return Error("GET " + target + ": " + page.error().message, page.error().field);
    return page;
}

}  // namespace ir::cli
