#include "stats_command.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <ostream>

#include "http_get.hpp"

namespace ir::cli {
namespace json = boost::json;

namespace {

std::string seconds_text(double s) {
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%.1fm", s / 60);
    else
        std::snprintf(buf, sizeof buf, "%.1fh", s / 3600);
    return buf;
}

double number(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return 0;
    if (v->is_double()) return v->as_double();
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    if (v->is_uint64()) return static_cast<double>(v->as_uint64());
    return 0;
}

void row(std::string& out, const std::string& name, const json::object& s) {
    char buf[256];
    const bool red = s.if_contains("below_team_average") && s.at("below_team_average").as_bool();
    std::snprintf(buf, sizeof buf, "  %-28s %7.0f %9.1f%% %9.1f%% %8s %8s%s\n", name.c_str(), number(s, "replies"),
                  100 * number(s, "share_within_5m"), 100 * number(s, "share_within_24h"),
                  seconds_text(number(s, "median_seconds")).c_str(), seconds_text(number(s, "p90_seconds")).c_str(),
                  red ? "  BELOW TEAM AVERAGE" : "");
    out += buf;
}

void section(std::string& out, const char* title, const json::value& rows) {
    out += title;
    out += "\n";
    char head[160];
    std::snprintf(head, sizeof head, "  %-28s %7s %10s %10s %8s %8s\n", "", "replies", "<= 5 min", "<= 24 h", "median",
                  "p90");
    out += head;
    if (!rows.is_array() || rows.as_array().empty()) out += "  (no replies)\n";
    if (rows.is_array())
        for (const auto& r : rows.as_array())
            if (r.is_object()) row(out, std::string(r.as_object().at("key").as_string()), r.as_object());
}

}  // namespace

CLI::App* add_stats_subcommand(CLI::App& app, StatsOptions& o) {
    auto* cmd = app.add_subcommand("stats", "Reply-time ranking per agent and account (the platform's view)");
    cmd->add_option("--since", o.since, "From this day or time (YYYY-MM-DD or RFC 3339; default: 30 days ago)");
    cmd->add_option("--account", o.account, "One account only");
    cmd->add_flag("--json", o.json, "The report as JSON (as GET /v1/stats/replies)");
    cmd->add_option("--http", o.http, "The daemon's HTTP API, [https://]HOST:PORT")->capture_default_str();
    add_client_auth_options(cmd, o.auth);
    return cmd;
}

std::string format_stats(const json::object& report) {
    std::string out = "Replies since " + std::string(report.at("since").as_string());
    if (const auto* a = report.if_contains("account"); a && a->is_string())
        out += " (account " + std::string(a->as_string()) + ")";
    out += "\n";
    if (const auto* team = report.if_contains("team"); team && team->is_object()) row(out, "team", team->as_object());
    section(out, "By agent:", report.at("agents"));
    section(out, "By account:", report.at("accounts"));
    return out;
}

int run_stats(const StatsOptions& o, std::ostream& out, std::ostream& err) {
    auto server = parse_host_port(o.http);
    if (!server) {
        err << "inquiryctl stats: --http: " << server.error().message << "\n";
        return 2;
    }
    std::string target = "/v1/stats/replies?";
    if (!o.since.empty()) {
        const std::string since =
            o.since.size() == 10 ? o.since + "T00:00:00Z" : o.since;  // a day: from its start (UTC)
        target += "since=" + url_encode(since) + "&";
    }
    if (!o.account.empty()) target += "account=" + url_encode(o.account);
    auto client = client_options(o.auth, std::chrono::seconds(10));
    if (!client) {
        err << "inquiryctl stats: " << client.error().field << ": " << client.error().message << "\n";
        return 2;
    }
    auto reply = HttpGetClient(*server, *client).get(target);
    if (!reply) {
        err << "inquiryctl stats: " << o.http << ": " << reply.error().message << "\n";
        return 1;
    }
    boost::system::error_code ec;
    auto body = json::parse(reply->body, ec);
    if (ec || !body.is_object()) {
        err << "inquiryctl stats: the daemon answered " << reply->status << " with no JSON\n";
        return 1;
    }
    if (reply->status != 200) {
        const auto* e = body.as_object().if_contains("error");
        err << "inquiryctl stats: " << reply->status << ": " << (e && e->is_string() ? e->as_string().c_str() : "")
            << "\n";
        return 1;
    }
    if (o.json)
        out << json::serialize(body) << "\n";
    else
        out << format_stats(body.as_object());
    return 0;
}

}  // namespace ir::cli
