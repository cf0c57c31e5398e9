#pragma once
// `inquiryctl stats`: the response-time ranking the platform will show, from the daemon's
// GET /v1/stats/replies: per agent and per account, the share of replies within 5 minutes
// and within 24 hours, median and p90 reply time; below the team's 5-minute share is flagged.
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <iosfwd>
#include <string>

#include "client_auth.hpp"

namespace ir::cli {

struct StatsOptions {
    std::string since;    // RFC 3339 or YYYY-MM-DD; empty: the daemon's default (30 days)
    std::string account;  // one account only
    bool json = false;
    std::string http = "127.0.0.1:8080";
    ClientAuth auth;
};

CLI::App* add_stats_subcommand(CLI::App& app, StatsOptions& o);
int run_stats(const StatsOptions& o, std::ostream& out, std::ostream& err);
// The report as a table (what run_stats prints without --json).
std::string format_stats(const boost::json::object& report);

}  // namespace ir::cli
