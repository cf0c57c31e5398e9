#pragma once
// Refusals that come in floods (503 busy, 429 rate limited, connections over a cap) are
// logged at most once per interval: the first of a quiet spell at once, then one line
// per interval with how many of each there were. One io thread uses it.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spdlog {
class logger;
}

namespace ir::daemon {

class RefusalLog : public std::enable_shared_from_this<RefusalLog> {
public:
    static std::shared_ptr<RefusalLog> create(const boost::asio::any_io_executor& executor,
                                              std::shared_ptr<spdlog::logger> log,
                                              std::chrono::milliseconds interval = std::chrono::seconds(10));

    // One refusal: `what` says which, e.g. "503 POST /v1/events: the ingest queue is full".
    void note(std::string_view what);
    // Logs what is counted and cancels the interval's timer (it would keep the io_context
    // running); later notes are logged one by one.
    void stop();

    [[nodiscard]] std::uint64_t total() const noexcept { return total_; }

private:
    RefusalLog(const boost::asio::any_io_executor& executor, std::shared_ptr<spdlog::logger> log,
               std::chrono::milliseconds interval);
    void on_interval();
    void flush();
    void arm();

    static constexpr std::size_t kMaxKinds = 8;  // more distinct kinds are counted as "other"
    boost::asio::steady_timer timer_;
    std::shared_ptr<spdlog::logger> log_;
    std::chrono::milliseconds interval_;
    std::vector<std::pair<std::string, std::uint64_t>> counts_;  // this interval's, by kind
    bool armed_ = false;  // an interval is running: notes are counted, not logged
    bool stopped_ = false;
    std::uint64_t total_ = 0;
};

}  // namespace ir::daemon
