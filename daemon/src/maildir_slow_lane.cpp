// The slow lane of a Maildir source: mail whose parse overran parse_budget in the fast
// lane, parsed again by a worker of its own with parse_timeout, a few a minute.
#include <signal.h>
#include <spdlog/spdlog.h>

#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/maildir_worker.hpp"

namespace ir::daemon {

std::chrono::milliseconds MaildirSource::fast_budget() {
    std::lock_guard lock(mu_);
    return budget_.fast_budget(std::chrono::steady_clock::now());
}

bool MaildirSource::is_set_aside(const Mail& m) {
    const auto file = path_of(m);
    std::lock_guard lock(mu_);
    return slow_files_.contains(file);
}

// The mail stays where it is (in new/ it is still ours: a restart tries it afresh); the
// fast lane skips it from now on and goes on with the next.
MaildirSource::Step MaildirSource::set_aside(const Mail& m, std::chrono::milliseconds given) {
    std::size_t waiting = 0;
    {
        std::lock_guard lock(mu_);
        budget_.set_aside(std::chrono::steady_clock::now());
        slow_files_.insert(path_of(m));
        slow_queue_.push_back(m);
        waiting = slow_queue_.size();
    }
    cv_.notify_all();
    ++stats_.set_aside;
    stats_.slow_waiting = waiting;
    log_->warn("account {}: {} took more than {} ms to parse: set aside for the slow lane ({} waiting)",
               config_.account, path_of(m).string(), given.count(), waiting);
    return Step::next;
}

// The next mail for the slow lane, once the per-minute limit lets it start.
std::optional<MaildirSource::Mail> MaildirSource::next_slow() {
    std::unique_lock lock(mu_);
    for (;;) {
        if (stopping_) return std::nullopt;
        if (slow_queue_.empty()) {
            cv_.wait(lock);
            continue;
        }
        const auto now = std::chrono::steady_clock::now();
        if (auto at = budget_.slow_wait(now)) {
            cv_.wait_until(lock, *at);
            continue;
        }
        budget_.slow_started(now);
        Mail m = std::move(slow_queue_.front());
        slow_queue_.pop_front();
        stats_.slow_waiting = slow_queue_.size();
        return m;
    }
}

void MaildirSource::run_slow() {
    sigset_t set;  // as the fast lane: SIGPIPE from a dead worker is not the daemon's
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    while (auto m = next_slow()) {
        ++stats_.slow_parses;
        if (process(*m, Lane::slow) == Step::pause) {
            // Not taken now (the daemon busy, the worker not starting): again later, after
            // the others, a second from now at the earliest.
            std::unique_lock lock(mu_);
            if (stopping_) return;
            slow_queue_.push_back(std::move(*m));
            stats_.slow_waiting = slow_queue_.size();
            cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
            continue;
        }
        std::lock_guard lock(mu_);
        slow_files_.erase(path_of(*m));
    }
}

}  // namespace ir::daemon
