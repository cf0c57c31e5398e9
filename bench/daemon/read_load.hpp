#pragma once
// The heaviest read routes against a big store: does a client hammering them move the
// timers or the ingest path? A store of `events` events (fast SLA budgets, so it holds
// hundreds of thousands of alerts) is filled through the daemon; then fresh inquiries
// are posted at a steady rate, their alarms coming due every second, once alone and once
// while clients loop over GET /v1/alerts, /v1/inquiries and /v1/stats/replies.
#include <cstddef>
#include <filesystem>

namespace ir::bench {

void read_load(const std::filesystem::path& dir, std::size_t events);

}  // namespace ir::bench
