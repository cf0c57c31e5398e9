#pragma once
// What access control costs on the ingest path: the same load against a daemon without
// tokens and one with `[access] require = true` and a bearer token on every request,
// alternating runs on fresh state dirs.
#include <chrono>
#include <filesystem>

namespace ir::bench {

// Prints one line per run and a summary (events/s and daemon CPU per event, with / without).
void access_cost(const std::filesystem::path& dir, std::chrono::milliseconds run, int rounds);

}  // namespace ir::bench
