// The decision trace: at debug level, every effect of every step, one line each, with
// `inq=` (and `seq=` for alerts) so one inquiry's story can be followed with grep.
#include <spdlog/spdlog.h>

#include "ir/daemon/pipeline.hpp"

namespace ir::daemon {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out.append(out.empty() ? "" : "; ").append(i);
    return out;
}

}  // namespace

void Pipeline::log_step(const router::StepResult& step) const {
    if (!log_->should_log(spdlog::level::debug)) return;
    if (step.inquiry && step.created) log_->debug("inq={} opened", raw(*step.inquiry));
    for (const auto& d : step.details)
        log_->debug("inq={} assessed: tier {}{}, score {:.2f}, language {}: {}", raw(d.id), d.assessment.tier,
                    d.assessment.suspect ? ", suspect" : "", d.assessment.score, d.assessment.language,
                    joined(d.assessment.reasons));
    for (const auto& e : step.sla_effects)
        log_->debug("inq={} clock: {}", raw(sla::subject_of(e).inquiry), sla::to_string(e));
    for (const auto& r : step.replies)
        log_->debug("inq={} reply by {} after {} s", raw(r.inquiry), r.agent,
                    std::chrono::duration_cast<std::chrono::seconds>(r.replied_at - r.buyer_at).count());
    for (const auto& s : step.inquiries)
        log_->debug("inq={} now {}, {}", raw(s.record.id), router::to_string(s.record.state),
                    s.record.owner.empty() ? "waiting in " + s.record.queue.str() : "held by " + s.record.owner.str());
    for (const auto& a : step.alerts)
        log_->debug("seq={} inq={} {} on {}: {}", a.seq, a.inquiry_id, router::to_string(a.kind), a.topic, a.text);
    for (const auto& [agent, presence] : step.presence)
        log_->debug("agent {} is now {}", agent, routing::to_string(presence));
}

}  // namespace ir::daemon
