#pragma once
// HTTP/1.1 load generator: N keep-alive connections POSTing JSON bodies round-robin,
// either back to back (closed loop: the transport's limit) or at a fixed total rate
// (open loop: latency is measured from when each request was due, so a server that
// falls behind shows it in p99 instead of slowing the generator down).

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ir::bench {

struct LoadOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string method = "POST";
    std::string path = "/v1/events";
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
    std::string content_type = "application/json";
    std::vector<std::string> bodies;  // sent round-robin; none: "{}"
    // Give each request's top-level "message_id" a suffix unique to this run and request,
    // so a deduplicating server accepts every one. Bodies without one are sent as they are.
    bool unique_message_ids = true;

    std::size_t connections = 16;
    std::size_t threads = 1;                    // each runs its share of the connections
    double rate = 0;                            // total requests/s; 0: closed loop
    std::chrono::milliseconds warmup{0};        // run, but not measured
    std::chrono::milliseconds duration{5'000};  // measured
    std::uint64_t max_requests = 0;             // stop sending after this many (0: no limit)
    std::chrono::milliseconds timeout{5'000};   // per connect, request and response
};

struct LoadResult {
    std::uint64_t requests = 0;  // responses received in the measured window
    std::uint64_t errors = 0;    // connect/transport errors and timeouts
    std::uint64_t not_sent = 0;  // open loop: due in the window but no connection got to them
    std::map<unsigned, std::uint64_t> by_status;
    double seconds = 0;  // length of the measured window
    double requests_per_second = 0;
    double mean_us = 0;
    double p50_us = 0;
    double p90_us = 0;
    double p99_us = 0;
    double p999_us = 0;
    double max_us = 0;
};

// Runs to completion on the calling thread (plus options.threads - 1 more). Throws
// std::invalid_argument for unusable options, std::runtime_error if the host cannot be
// resolved.
LoadResult run_load(const LoadOptions& options);

// One body per line of a JSONL file: the line's `field` object (e.g. the "event" of
// inquiries.dev.jsonl), or the whole line when `field` is empty. Throws on I/O or JSON errors.
std::vector<std::string> load_jsonl_bodies(const std::string& path, std::string_view field = "event");

// `label: conns=16 [rate=..] requests/s=.. p50_us=.. p99_us=.. p99.9_us=.. ...`
std::string format_result(std::string_view label, const LoadOptions& options, const LoadResult& result);

}  // namespace ir::bench
