#pragma once
#include <filesystem>

namespace ir::bench {

// bench_daemon soak: a fresh inquiryd under a steady open-loop load for `minutes`, with a
// SIGHUP every minute, printing every 30 s what must stay bounded while it runs for months:
// resident memory, open files, the WAL, latency. Returns 0 if every request got its 202,
// the daemon stayed up and it exited 0 on SIGTERM at the end; 1 otherwise.
int soak(const std::filesystem::path& dir, double rate, double minutes);

}  // namespace ir::bench
