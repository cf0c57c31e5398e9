#include "ir/daemon/refusal_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ir::daemon {

std::shared_ptr<RefusalLog> RefusalLog::create(const boost::asio::any_io_executor& executor,
                                               std::shared_ptr<spdlog::logger> log,
                                               std::chrono::milliseconds interval) {
    return std::shared_ptr<RefusalLog>(new RefusalLog(executor, std::move(log), interval));
}

RefusalLog::RefusalLog(const boost::asio::any_io_executor& executor, std::shared_ptr<spdlog::logger> log,
                       std::chrono::milliseconds interval)
    : timer_(executor), log_(std::move(log)), interval_(interval) {}

void RefusalLog::note(std::string_view what) {
    ++total_;
    if (stopped_) return log_->warn("{}", what);
    if (!armed_) {  // the first of a quiet spell: said at once
        log_->warn("{} (more refusals are counted, one line every {} s)", what, interval_.count() / 1000.0);
        armed_ = true;
        return arm();
    }
    auto it = std::find_if(counts_.begin(), counts_.end(), [&](const auto& c) { return c.first == what; });
    if (it == counts_.end() && counts_.size() >= kMaxKinds)
        it = std::find_if(counts_.begin(), counts_.end(), [](const auto& c) { return c.first == "other"; });
    if (it == counts_.end()) {
        counts_.emplace_back(counts_.size() + 1 >= kMaxKinds ? std::string("other") : std::string(what), 0);
        it = counts_.end() - 1;
    }
    ++it->second;
}

// The interval is over: what it counted in one line; with nothing counted the spell is over.
void RefusalLog::on_interval() {
    if (counts_.empty()) {
        armed_ = false;
        return;
    }
    flush();
    arm();
}

void RefusalLog::arm() {
    timer_.expires_after(interval_);
    timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec) self->on_interval();
    });
}

void RefusalLog::stop() {
    stopped_ = true;
    timer_.cancel();
    flush();
}

void RefusalLog::flush() {
    if (counts_.empty()) return;
    std::uint64_t sum = 0;
    std::string line;
    for (const auto& [what, n] : counts_) {
        sum += n;
        if (!line.empty()) line += "; ";
        line += std::to_string(n) + " x " + what;
    }
    log_->warn("refused {} more request(s) in the last {} s: {}", sum, interval_.count() / 1000.0, line);
    counts_.clear();
}

}  // namespace ir::daemon
