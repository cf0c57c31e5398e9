#pragma once
// A flood of large bodies: does memory stay bounded, and do webhooks still get through?
// 128 connections post events of 1,000,000 bytes back to back to POST /v1/events for a
// few seconds while Telegram updates arrive at 20 a second on connections of their own;
// the daemon's resident memory is sampled every 10 ms. Once with [ingest]
// max_queued_bytes at `queued_mib`, once as good as unbounded (1 TiB) for comparison, and
// once as one client over a rate_per_client of 100/s posting small events as fast as it
// can (429s, its webhooks still answered). Prints 202/429/503 counts, peak RSS against
// the bound and the webhooks' p50/p99 alone and during each flood.
#include <cstddef>
#include <filesystem>

namespace ir::bench {

void flood(const std::filesystem::path& dir, double seconds, std::size_t queued_mib);

}  // namespace ir::bench
