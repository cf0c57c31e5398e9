// The commit path every state change takes: rows, group commit, then (on the io thread)
// the answer and the alerts; after a failure, the core is rebuilt from the store.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <chrono>

#include "ir/daemon/pipeline.hpp"
#include "ir/daemon/step_rows.hpp"
#include "pipeline_metrics.hpp"

namespace ir::daemon {
namespace {

using Steady = std::chrono::steady_clock;

double seconds_between(Steady::time_point from, Steady::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

}  // namespace

// A step on its way to the disk, until its answer.
struct Pipeline::Commit {
    router::StepResult step;
    std::function<void(StepOutcome)> done;
    std::optional<std::pair<std::string, std::int64_t>> journaled;  // the event's dedupe key and seq
    Steady::time_point submitted;
};

void Pipeline::commit(router::StepResult step, const router::Event* event, std::function<void(StepOutcome)> done,
                      store::Change change) {
    auto c = std::make_shared<Commit>();
    std::optional<JournaledEvent> journal;
    if (event) {  // numbered here, so dedupe_ can learn where it went
        journal.emplace(JournaledEvent{*event, next_event_seq_, now()});
        c->journaled.emplace(DedupeIndex::key(router::to_string(event->channel), event->account, event->message_id),
                             next_event_seq_++);
    }
    append_step_rows(step, journal, change);
    log_step(step);
    arm_timer();  // the step may have brought the earliest deadline forward
    // Only ticks and the restore's routing step come here while holding: events and
    // requests are refused before the core takes them.
    if (holding_ && !event) return hold(std::move(step), std::move(change), std::move(done));
    ++pending_;
    c->step = std::move(step);
    c->done = std::move(done);
    c->submitted = Steady::now();
    const bool queued =
        committer_->submit(std::move(change), [this, c](std::optional<Error> error, store::Change& committed) {
            if (error) log_->error("commit failed: {}", error->message);
            boost::asio::post(ioc_, [this, c, error = std::move(error), alerts = std::move(committed.alerts),
                                     durable = Steady::now()]() mutable {
                metrics_->wait_commit.observe(seconds_between(c->submitted, durable));
                metrics_->wait_answer.observe(seconds_between(durable, Steady::now()));
                on_durable(c, std::move(error), std::move(alerts));
            });
        });
    if (!queued) {  // the committer is stopping: nothing of this step may stay applied
        log_->error("commit queue refused a change");
        boost::asio::post(ioc_, [this, c] { on_durable(c, Error{"the commit queue is closed"}, {}); });
    }
}

void Pipeline::on_durable(std::shared_ptr<Commit> c, std::optional<Error> error, std::vector<store::AlertRow> alerts) {
    last_commit_failed_ = error.has_value();
    if (error) {
        recovering_ = true;  // the core holds changes the disk does not: rebuild it from the disk
        if (!holding_) {     // the first failure says why; those behind it only echo it
            log_->error("holding steps in memory until the store takes them: {}", error->message);
            hold_reason_ = error->message;
            next_flush_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);  // a try a second
        }
        holding_ = true;  // then hold what follows until the store takes it
    } else {
        if (c->journaled) {  // before in_flight_ lets the key go
            durable_event_seq_ = std::max(durable_event_seq_, c->journaled->second);
            dedupe_.add(c->journaled->first, c->journaled->second);
            metrics_->dedupe_bytes.set(static_cast<double>(dedupe_.memory_bytes()));
        }
        publish(c->step, alerts);
    }
    StepOutcome outcome;
    if (error) {
        outcome.refusal = Refusal::commit_failed;
        outcome.detail = error->message;
    }
    outcome.step = std::move(c->step);
    c->done(std::move(outcome));
    --pending_;
    if (error) after_failure();
    check_drained();
}

void Pipeline::publish(const router::StepResult& step, const std::vector<store::AlertRow>& alerts) {
    if (!alerts.empty())
        for (const auto& listener : listeners_) listener(alerts);
    if (!step.inquiries.empty())
        for (const auto& listener : step_listeners_) listener(step);
    metrics_->alerts_published.inc(alerts.size());
    Metrics::observe_lateness(metrics_->alert_lateness, step, now());
    metrics_->open_inquiries.set(static_cast<double>(core_.engine->open_count()));
}

// After a failed commit the core may hold state the disk does not. Once nothing is in
// flight any more, rebuild the core from what is durable (read off the loop).
void Pipeline::after_failure() {
    if (!recovering_ || pending_ != 0 || stopping_) return;
    recover_off_loop();
}

void Pipeline::arm_timer() {
    if (stopping_) return;
    const auto next = core_.engine->next_deadline();
    if (!next) {
        timer_.cancel();
        return;
    }
    timer_.expires_after(std::max(sla::Duration{0}, *next - now()));
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) on_timer();
    });
}

void Pipeline::poke_timer() {
    arm_timer();
}

void Pipeline::on_timer() {
    if (stopping_ || recovering_) return;
    const auto at = now();
    auto step = core_.engine->on_tick(at);  // decided again with a fresh now
    if (step.empty()) return arm_timer();
    Metrics::observe_lateness(metrics_->timer_lateness, step, at);
    commit(std::move(step), nullptr, [](StepOutcome) {});
}

}  // namespace ir::daemon
