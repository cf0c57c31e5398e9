// Taking changes in: events (dedupe, analysis off the loop, the core step) and requests'
// steps, each handed to the commit path (pipeline_commit.cpp).
#include "ir/daemon/pipeline.hpp"

#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <chrono>

#include "pipeline_metrics.hpp"

namespace ir::daemon {
namespace {

using Steady = std::chrono::steady_clock;

std::string dedupe_key(const router::Event& e) {
    return DedupeIndex::key(router::to_string(e.channel), e.account, e.message_id);
}

// What an event holds in memory while it waits: its text, and a little for the rest.
std::size_t event_bytes(const router::Event& e) {
    constexpr std::size_t kFixed = 512;
    const auto& s = e.sender;
    return kFixed + e.body.size() + e.subject.size() + e.account.size() + e.message_id.size() + e.thread_id.size() +
           s.name.size() + s.email.size() + s.company.size() + s.phone.size() + s.address.size() + s.country.size() +
           s.im.size();
}

std::shared_ptr<spdlog::logger> pipeline_logger() {
    if (auto log = spdlog::get("inquiryd")) return log;
    return spdlog::stderr_color_mt("inquiryd");
}

}  // namespace

metrics::Counter& rejected_events(metrics::Registry& registry, std::string_view reason) {
    return registry.counter("inquiryd_events_rejected_total", "Events refused, by reason",
                            {{"reason", std::string(reason)}});
}

Pipeline::Pipeline(boost::asio::io_context& ioc, Core& core, const WallClock& clock, metrics::Registry& registry,
                   PipelineOptions options)
    : ioc_(ioc),
      core_(core),
      clock_(clock),
      options_(std::move(options)),
      log_(pipeline_logger()),
      metrics_(std::make_unique<Metrics>(registry)),
      timer_(ioc),
      retry_timer_(ioc),
      space_timer_(ioc),
      space_(options_.database),
      limits_(options_.store_limits) {
    boost::asio::post(analysis_pool_, [] { ::pthread_setname_np(::pthread_self(), "ir-analysis"); });
}

Pipeline::~Pipeline() {
    analysis_pool_.join();  // its tasks post back to ioc_ and read core_
    if (committer_) committer_->stop();
}

void Pipeline::start() {
    arm_timer();
    arm_space_check();
}

void Pipeline::add_alert_listener(AlertListener listener) {
    listeners_.push_back(std::move(listener));
}

void Pipeline::add_step_listener(StepListener listener) {
    step_listeners_.push_back(std::move(listener));
}

std::optional<Refusal> Pipeline::busy(Work work) const {
    if (stopping_) return Refusal::stopping;
    if (recovering_ || holding_) return Refusal::recovering;
    if (work == Work::event && space_refusal_) {
        rejected_events(metrics_->registry, "store_full").inc();
        return Refusal::store_full;
    }
    if (pending_ >= options_.ingest_queue) {
        rejected_events(metrics_->registry, "saturated").inc();
        return Refusal::saturated;
    }
    return std::nullopt;
}

PipelineHealth Pipeline::health() const {
    PipelineHealth h{stopping_, recovering_, last_commit_failed_, core_.engine->open_count(), {}, held_alerts_};
    if (recovering_)
        h.degraded = "a commit failed (" + hold_reason_ + "): rebuilding the core from the store";
    else if (holding_)
        h.degraded = "the store refused a commit (" + hold_reason_ + "): events are refused until it takes writes" +
                     (held_alerts_ == 0
                          ? std::string()
                          : "; " + std::to_string(held_alerts_) + " alert(s) published from memory wait to be stored");
    else if (space_refusal_)
        h.degraded = *space_refusal_ + ": events are refused";
    else if (last_commit_failed_)
        h.degraded = "the last commit failed: events are refused until one succeeds";
    return h;
}

void Pipeline::refresh_metrics() {
    metrics_->open_inquiries.set(static_cast<double>(core_.engine->open_count()));
    metrics_->queued_bytes.set(static_cast<double>(queued_bytes_));
}

void Pipeline::ingest(router::Event event, IngestDone done) {
    if (auto refusal = busy()) return done(IngestOutcome::refused(*refusal));
    if (!core_.accounts.empty() && !core_.accounts.contains(event.account)) {
        rejected_events(metrics_->registry, "unknown_account").inc();
        return done(IngestOutcome::refused(Refusal::unknown_account));
    }
    std::string key = dedupe_key(event);
    if (in_flight_.contains(key)) return done(IngestOutcome::refused(Refusal::in_flight));
    auto seen = find_journaled(event, key);
    if (!seen) return done(IngestOutcome::refused(Refusal::store_unreadable, seen.error().message));
    if (*seen) {
        metrics_->duplicates.inc();
        IngestOutcome o;
        o.kind = IngestOutcome::Kind::duplicate;
        if (const auto& id = (*seen)->inquiry_id) o.inquiry = InquiryId{static_cast<std::uint64_t>(*id)};
        o.event_seq = (*seen)->seq;
        return done(std::move(o));
    }
    // Bytes, not only events: a queue of large bodies must not outgrow memory. One event
    // larger than the whole budget still gets in when nothing else waits.
    const std::size_t bytes = event_bytes(event);
    if (options_.max_queued_bytes != 0 && queued_bytes_ != 0 && queued_bytes_ + bytes > options_.max_queued_bytes) {
        rejected_events(metrics_->registry, "saturated").inc();
        return done(IngestOutcome::refused(Refusal::saturated));
    }
    in_flight_.insert(key);  // until its commit is answered (then dedupe_ knows it)
    ++pending_;              // counted from here: shutdown and recovery wait for it
    queued_bytes_ += bytes;
    auto shared = std::make_shared<IngestDone>([this, bytes, done = std::move(done)](IngestOutcome o) {
        queued_bytes_ -= bytes;
        done(std::move(o));
    });
    boost::asio::post(analysis_pool_, [this, event = std::move(event), key = std::move(key), shared,
                                       queued = Steady::now()]() mutable {
        Analysis analysis = core_.assessor->analyze(event);
        boost::asio::post(ioc_, [this, event = std::move(event), key = std::move(key), analysis = std::move(analysis),
                                 shared = std::move(shared), queued]() mutable {
            metrics_->wait_analysis.observe(std::chrono::duration<double>(Steady::now() - queued).count());
            --pending_;
            step_event(std::move(event), std::move(key), std::move(analysis), std::move(shared));
        });
    });
}

Expected<std::optional<store::EventKey>> Pipeline::find_journaled(const router::Event& event, std::string_view key) {
    for (const std::int64_t seq : dedupe_.candidates(key)) {
        auto found = reader_->event_key(seq);
        if (!found) return found.error();
        const auto& e = *found;
        if (e && e->channel == router::to_string(event.channel) && e->account == event.account &&
            e->message_id == event.message_id)
            return found;  // else two keys with the same hash: look on
    }
    return std::optional<store::EventKey>();
}

// Back on the event loop with the analysis: the core step, then the commit.
void Pipeline::step_event(router::Event event, std::string key, Analysis analysis, std::shared_ptr<IngestDone> done) {
    if (recovering_ || holding_) {  // a commit failed meanwhile: the core is about to be rebuilt
        in_flight_.erase(key);
        (*done)(IngestOutcome::refused(Refusal::recovering));
        after_failure();
        check_drained();
        return;
    }
    auto step = core_.engine->on_event(event, now(), analysis.get());
    commit(std::move(step), &event, [this, key = std::move(key), done](StepOutcome o) {
        in_flight_.erase(key);
        if (!o.ok()) return (*done)(IngestOutcome::refused(*o.refusal, std::move(o.detail)));
        metrics_->accepted.inc();
        IngestOutcome out;
        out.inquiry = o.step.inquiry;
        for (auto& d : o.step.details)
            if (d.id == o.step.inquiry) out.assessment = std::move(d.assessment);
        (*done)(std::move(out));
    });
}

void Pipeline::apply(const Step& step, StepDone done, store::Change extra, std::string once_key) {
    if (auto refusal = busy(Work::step)) return done({*refusal, {}, {}});
    if (!once_key.empty() && in_flight_.contains(once_key)) return done({Refusal::in_flight, {}, {}});
    auto result = step(*core_.engine, now());
    if (result.refused) return done({std::nullopt, {}, std::move(result)});  // routing said no: nothing to store
    if (once_key.empty()) return commit(std::move(result), nullptr, std::move(done), std::move(extra));
    in_flight_.insert(once_key);
    commit(
        std::move(result), nullptr,
        [this, once_key, done = std::move(done)](StepOutcome o) {
            in_flight_.erase(once_key);
            done(std::move(o));
        },
        std::move(extra));
}

void Pipeline::set_store_quota(std::int64_t pages) {
    committer_->set_max_page_count(pages);
}

void Pipeline::set_store_limits(StoreLimits limits) {
    limits_ = limits;
    set_store_quota(StoreSpace::page_quota(limits_));
    check_space();
}

void Pipeline::stop(std::function<void()> drained) {
    if (stopping_) return;
    stopping_ = true;
    drained_ = std::move(drained);
    timer_.cancel();
    retry_timer_.cancel();
    space_timer_.cancel();
    if (!held_.empty()) flush_held();  // a last try: what cannot be stored fires again after the restart
    check_drained();
}

// Once no change is in flight any more, the io_context may run out of the pipeline's work.
void Pipeline::check_drained() {
    if (!stopping_ || pending_ != 0 || !drained_) return;
    boost::asio::post(ioc_, std::exchange(drained_, nullptr));
}

}  // namespace ir::daemon
