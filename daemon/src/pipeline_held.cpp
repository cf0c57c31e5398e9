// The store's space, and what happens while it is short. Events are refused (503) once
// the store nears [store] max_bytes or its filesystem nears min_free_bytes, before SQLite
// fails. If a commit fails all the same (the disk filled from elsewhere, the page quota),
// the core is rebuilt from the store and then every step the timer takes is held here:
// its alerts are published from memory at once (marked degraded), and the held steps
// are stored, in order and in one transaction, once the store takes writes again.
//
// Why their seqs stay gap-free and monotonic: the core numbers alerts from the last one
// stored (the rebuild reads it); while steps are held nothing else is committed (events
// and requests are refused, and the committer takes nothing behind a failure until the
// pipeline resumes it), so the held alerts are exactly the next seqs, stored all or none.
// If the daemon stops before they are stored, the store never had them: after the
// restart their deadlines are due again and fire (late) with the seqs then next.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "ir/daemon/pipeline.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "pipeline_metrics.hpp"

namespace ir::daemon {
namespace {

constexpr auto kSpaceCheck = std::chrono::milliseconds(200);
// After commits, at most this often: a few stat calls, while a busy writer commits a batch
// every few milliseconds, and 200 ms of full load can write tens of MiB of WAL.
constexpr auto kSpaceCheckAfterCommit = std::chrono::milliseconds(20);
constexpr auto kFlushRetry = std::chrono::seconds(1);

// The payload as published while it is not stored: the same alert, marked degraded.
std::string mark_degraded(const std::string& payload) {
    inquiry::v1::Alert alert;
    if (!alert.ParseFromString(payload)) return payload;
    alert.set_degraded(true);
    return alert.SerializeAsString();
}

template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

// A copy (the held steps stay held until stored): later rows of the same inquiry or
// customer come later, so they win, as they would have.
store::Change merged(const std::vector<store::Change>& changes) {
    store::Change all;
    for (auto& c : changes) {
        append(all.events, c.events);
        append(all.inquiries, c.inquiries);
        append(all.details, c.details);
        append(all.alerts, c.alerts);
        append(all.meta, c.meta);
        append(all.customers, c.customers);
        append(all.customer_aliases, c.customer_aliases);
        append(all.replies, c.replies);
        append(all.audit, c.audit);
    }
    return all;
}

}  // namespace

void Pipeline::arm_space_check() {
    if (stopping_) return;
    space_timer_.expires_after(kSpaceCheck);
    space_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        check_space();
        arm_space_check();
    });
}

void Pipeline::check_space_soon() {
    if (std::chrono::steady_clock::now() - last_space_check_ >= kSpaceCheckAfterCommit) check_space();
}

void Pipeline::check_space() {
    last_space_check_ = std::chrono::steady_clock::now();
    last_space_ = space_.measure();
    metrics_->store_bytes.set(static_cast<double>(last_space_.used_bytes));
    if (last_space_.free_bytes) metrics_->store_free_bytes.set(static_cast<double>(*last_space_.free_bytes));
    auto refusal = StoreSpace::refusal(last_space_, limits_);
    if (refusal && !space_refusal_) log_->warn("refusing events: {}", *refusal);
    if (!refusal && space_refusal_) log_->warn("the store has room again: taking events");
    space_refusal_ = std::move(refusal);
    // A try a second at most, whatever the space looks like: the failure may have had
    // another cause (the page quota, an I/O error), and a failed try changes nothing.
    if (holding_ && std::chrono::steady_clock::now() >= next_flush_) flush_held();
}

void Pipeline::hold(router::StepResult step, store::Change change, std::function<void(StepOutcome)> done) {
    held_alerts_ += change.alerts.size();
    metrics_->alerts_held.set(static_cast<double>(held_alerts_));
    publish_degraded(step, change.alerts);
    held_.push_back(std::move(change));
    StepOutcome o;
    o.step = std::move(step);
    done(std::move(o));
}

void Pipeline::publish_degraded(const router::StepResult& step, const std::vector<store::AlertRow>& alerts) {
    if (alerts.empty()) return publish(step, alerts);
    std::vector<store::AlertRow> marked = alerts;
    for (auto& a : marked) a.payload = mark_degraded(a.payload);
    log_->warn("alerts seq={}..{} published from memory, marked degraded: the store refuses writes ({} held)",
               alerts.front().seq, alerts.back().seq, held_alerts_);
    publish(step, marked);
}

// Stores what is held, all of it in one transaction; with nothing held, steps go to the
// store directly again.
void Pipeline::flush_held() {
    if (!holding_ || recovering_ || flushing_) return;
    next_flush_ = std::chrono::steady_clock::now() + kFlushRetry;
    if (held_.empty()) {  // the space looks fine: the next commit tells whether the store agrees
        holding_ = false;
        last_commit_failed_ = false;
        log_->warn("the store takes writes again");
        return;
    }
    const std::size_t changes = held_.size();
    const std::size_t alerts = held_alerts_;
    store::Change all = merged(held_);
    flushing_ = true;
    ++pending_;
    const bool queued = committer_->submit(std::move(all), [this, changes, alerts](std::optional<Error> error) {
        boost::asio::post(ioc_, [this, error = std::move(error), changes, alerts]() mutable {
            on_flushed(std::move(error), changes, alerts);
        });
    });
    if (!queued)
        boost::asio::post(
            ioc_, [this, changes, alerts] { on_flushed(Error{"the commit queue is closed"}, changes, alerts); });
}

void Pipeline::on_flushed(std::optional<Error> error, std::size_t changes, std::size_t alerts) {
    flushing_ = false;
    --pending_;
    if (error) {
        // Nothing of it was stored (one transaction): the core is still the store plus the
        // held steps, which stay held for the next try.
        committer_->resume();
        hold_reason_ = error->message;
        if (stopping_)
            log_->error("{} alert(s) were published but cannot be stored ({}): they fire again after the restart",
                        held_alerts_, error->message);
        return check_drained();
    }
    log_->warn("stored {} held step(s) with {} alert(s)", changes, alerts);
    last_commit_failed_ = false;
    held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(changes));
    held_alerts_ -= alerts;
    metrics_->alerts_held.set(static_cast<double>(held_alerts_));
    if (!stopping_) flush_held();  // what was held meanwhile, or back to direct commits
    check_drained();
}

}  // namespace ir::daemon
