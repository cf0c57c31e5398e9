#include "pipeline_metrics.hpp"

#include <optional>
#include <variant>

namespace ir::daemon {
namespace {

metrics::Histogram& stage(metrics::Registry& r, const char* name) {
    return r.histogram("inquiryd_event_stage_seconds", "Time a state change spends in each stage of the ingest path",
                       metrics::latency_buckets_seconds(), {{"stage", name}});
}

}  // namespace

Pipeline::Metrics::Metrics(metrics::Registry& r)
    : registry(r),
      accepted(r.counter("inquiryd_events_accepted_total", "Events committed and acknowledged")),
      duplicates(r.counter("inquiryd_events_duplicate_total", "Repeated events recognised")),
      commit_latency(r.histogram("inquiryd_commit_latency_seconds", "Durable commit time per batch",
                                 metrics::latency_buckets_seconds())),
      commit_failures(r.counter("inquiryd_commit_failures_total", "Batches that failed to commit")),
      open_inquiries(r.gauge("inquiryd_open_inquiries", "Inquiries not resolved")),
      alerts_published(r.counter("inquiryd_alerts_published_total", "Alerts published on ZeroMQ")),
      alert_lateness(r.histogram("inquiryd_alert_lateness_seconds", "Publish time minus the alarm's moment",
                                 metrics::latency_buckets_seconds())),
      timer_lateness(r.histogram("inquiryd_timer_lateness_seconds",
                                 "Time the timer decided an alarm minus its moment (before the commit)",
                                 metrics::latency_buckets_seconds())),
      dedupe_bytes(
          r.gauge("inquiryd_dedupe_index_bytes", "Memory of the dedupe index: 16 bytes a slot, a slot per event")),
      queued_bytes(r.gauge("inquiryd_ingest_queued_bytes",
                           "Bytes of the events taken and not yet answered ([ingest] max_queued_bytes)")),
      store_bytes(r.gauge("inquiryd_store_bytes", "Size of the store's files: the database, its -wal and -shm")),
      store_free_bytes(r.gauge("inquiryd_store_free_bytes", "Free space on the state folder's filesystem")),
      alerts_held(r.gauge("inquiryd_alerts_held", "Alerts published from memory while the store refused writes")),
      wait_analysis(stage(r, "analysis")),
      wait_commit(stage(r, "commit")),
      wait_answer(stage(r, "answer")) {}

void Pipeline::Metrics::observe_lateness(metrics::Histogram& h, const router::StepResult& step, sla::TimePoint at) {
    for (const auto& e : step.sla_effects) {
        std::optional<sla::TimePoint> due;
        if (const auto* w = std::get_if<sla::Warning>(&e))
            due = w->due_at;
        else if (const auto* b = std::get_if<sla::Breach>(&e))
            due = b->deadline;
        if (due) h.observe(static_cast<double>((at - *due).count()) / 1000.0);
    }
}

}  // namespace ir::daemon
