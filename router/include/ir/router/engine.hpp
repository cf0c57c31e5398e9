#pragma once
// The core: every inquiry, its assessment and its reply clocks, driven only by calls that
// carry the time. No sockets, files, threads or clocks of its own: the daemon persists
// what a step returns (in one transaction with the event), then publishes the alerts.
// Same inputs, same outputs, so a restart rebuilds it exactly from the stored records.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/router/alert.hpp"
#include "ir/router/assessor.hpp"
#include "ir/router/inquiry.hpp"
#include "ir/sla/account_names.hpp"
#include "ir/sla/clock_state.hpp"
#include "ir/sla/engine.hpp"
#include "ir/sla/policy.hpp"

namespace ir::router {

// What one step changed: the daemon stores all of it in one transaction.
struct StepResult {
    std::optional<InquiryId> inquiry;      // the inquiry the input was about, if any
    bool created = false;                  // the input opened a new inquiry
    std::vector<InquiryId> changed;        // inquiries whose stored record must be rewritten
    std::vector<InquiryDetail> details;    // what buyer messages told us, to store beside them
    std::vector<InquiryRecord> retired;    // resolved in this step: no longer in find(), still to store
    std::vector<Alert> alerts;             // with their sequence numbers, in order
    std::vector<sla::Effect> sla_effects;  // the clock decisions, for the decision trace
};

// A stored inquiry and its clock, as the engine exports and restores them.
struct StoredInquiry {
    InquiryRecord record;
    std::optional<sla::ClockState> clock;
};

class Engine {
public:
    // `per_account` overrides are keyed by account name (the policy's are by interned id).
    Engine(const Assessor& assessor, sla::SlaPolicy policy,
           const std::map<std::string, sla::SlaOverride>& per_account = {});

    // Rebuilds the state of a previous run. `next_alert_seq` is the last stored seq + 1.
    void restore(std::vector<StoredInquiry> inquiries, std::uint64_t next_inquiry_id, std::uint64_t next_alert_seq);

    // A buyer message (inbound) or our reply (outbound) from any channel. `analysis`, if
    // given, is Assessor::analyze(event) computed beforehand (on another thread).
    StepResult on_event(const Event& event, sla::TimePoint now, const Assessor::Analysis* analysis = nullptr);
    // Our reply where the channel cannot show it (POST /v1/inquiries/{id}/reply).
    StepResult on_reply(InquiryId id, const std::string& agent, sla::TimePoint now);
    // Closes an inquiry: stops its clocks.
    StepResult on_resolve(InquiryId id, sla::TimePoint now);
    // Fires every alarm due at or before now.
    StepResult on_tick(sla::TimePoint now);

    // The earliest pending alarm: what the daemon's single timer waits for.
    std::optional<sla::TimePoint> next_deadline() const { return sla_.next_deadline(); }

    // An inquiry still open (or replied); resolved ones leave memory with their step.
    const InquiryRecord* find(InquiryId id) const;
    std::optional<sla::ClockState> clock(InquiryId id) const;
    std::size_t open_count() const { return open_; }
    std::uint64_t next_alert_seq() const { return next_alert_seq_; }

private:
    InquiryRecord& open_inquiry(const Event& event, sla::TimePoint now, StepResult& out);
    void add_sla_effects(sla::Effects effects, StepResult& out);
    void alert_for(const sla::Effect& effect, StepResult& out);
    Alert& push_alert(StepResult& out, AlertKind kind, const InquiryRecord& r, std::string topic);
    sla::Subject subject_of(const InquiryRecord& r) const;  // interns the account first
    void note_changed(InquiryId id, StepResult& out) const;

    const Assessor& assessor_;
    sla::AccountNames accounts_;  // before policy_: the per-account overrides intern into it
    sla::SlaPolicy policy_;
    sla::SlaEngine sla_;
    std::unordered_map<std::uint64_t, InquiryRecord> inquiries_;  // not resolved
    std::unordered_map<std::string, InquiryId> by_thread_;        // account, channel, thread
    std::uint64_t next_inquiry_id_ = 1;
    std::uint64_t next_alert_seq_ = 1;
    std::size_t open_ = 0;
};

}  // namespace ir::router
