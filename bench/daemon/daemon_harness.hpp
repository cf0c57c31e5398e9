#pragma once
// A real inquiryd for the benchmarks: started on a fresh state dir with its own config,
// stopped with SIGTERM; its /proc figures and its /metrics, and realistic request bodies.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ir::bench {

// The inquiryd binary the benchmarks start (default: this build's).
void set_inquiryd(std::string path);

class Daemon {
public:
    static constexpr const char* kNoClientLimits = "max_connections_per_client = 0\nrate_per_client = 0\n";
    // Starts inquiryd on 127.0.0.1 (any free port) with its state under `dir`; throws if it
    // does not come up within 10 s. `extra_config` is appended to the TOML; `http_config`
    // goes into its [http] table (by default no per-client limits: every load comes from
    // one address).
    explicit Daemon(const std::filesystem::path& dir, const std::string& extra_config = "",
                    const std::string& http_config = kNoClientLimits);
    ~Daemon();  // stop()s it if still running
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    // SIGTERM, then waits: the exit status as waitpid gives it (-1 if already stopped).
    int stop();
    bool running() const;                              // not exited yet
    std::size_t rss_bytes() const;                     // resident memory, from /proc
    std::size_t open_fds() const;                      // entries of /proc/PID/fd
    std::map<std::string, double> thread_cpu() const;  // CPU seconds so far, by thread name

private:
    pid_t pid_ = 0;
    bool stopped_ = false;
    std::uint16_t port_ = 0;
};

// Realistic bodies: the dev set's events, received now, spread over `copies` x 64
// conversations. unique_buyers: every conversation from a different buyer.
std::vector<std::string> make_bodies(std::size_t copies, bool unique_buyers = false);

// The daemon's GET /metrics, as sample name (labels included) -> value.
std::map<std::string, double> scrape(std::uint16_t port);

// The upper bound of the histogram bucket holding quantile `q` of the samples (`series`
// names the histogram and its labels, e.g. `x_seconds_bucket{stage="commit",`).
double quantile_bound(const std::map<std::string, double>& metrics, const std::string& series, double q);

}  // namespace ir::bench
