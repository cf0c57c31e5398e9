#pragma once
// The pipeline's counters and histograms on /metrics. Private to the pipeline's files.
#include "ir/daemon/metrics.hpp"
#include "ir/daemon/pipeline.hpp"

namespace ir::daemon {

struct Pipeline::Metrics {
    explicit Metrics(metrics::Registry& r);

    metrics::Registry& registry;
    metrics::Counter& accepted;
    metrics::Counter& duplicates;
    metrics::Histogram& commit_latency;
    metrics::Counter& commit_failures;
    metrics::Gauge& open_inquiries;
    metrics::Counter& alerts_published;
    metrics::Histogram& alert_lateness;  // published .. the alarm's moment (the commit included)
    metrics::Histogram& timer_lateness;  // the timer's decision .. the alarm's moment (the loop alone)
    metrics::Gauge& dedupe_bytes;  // grows with the journal: 16 bytes a slot
    metrics::Gauge& queued_bytes;  // events taken and not yet answered
    metrics::Gauge& store_bytes;       // the store's files
    metrics::Gauge& store_free_bytes;  // on their filesystem
    metrics::Gauge& alerts_held;       // published from memory, not stored yet
    // Where an accepted event's time goes, stage by stage (see docs/operations.md).
    metrics::Histogram& wait_analysis;  // queued for analysis .. back on the loop
    metrics::Histogram& wait_commit;    // handed to the writer .. durable
    metrics::Histogram& wait_answer;    // durable .. the loop answers

    // Each warning's and breach's lateness at `at` into `h`.
    static void observe_lateness(metrics::Histogram& h, const router::StepResult& step, sla::TimePoint at);
};

}  // namespace ir::daemon
