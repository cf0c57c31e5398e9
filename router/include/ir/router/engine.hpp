#pragma once
// The core: every inquiry, its assessment, its reply clocks, who holds it and the customer
// behind it, driven only by calls that carry the time. No sockets, files, threads or clocks
// of its own: the daemon persists what a step returns (in one transaction with the event),
// then publishes the alerts. Same inputs, same outputs, so a restart rebuilds it exactly
// from the stored records.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ir/base/name_table.hpp"
#include "ir/router/alert.hpp"
#include "ir/router/assessor.hpp"
#include "ir/router/catalog.hpp"
#include "ir/router/inquiry.hpp"
#include "ir/routing/customer_book.hpp"
#include "ir/routing/dispatcher.hpp"
#include "ir/routing/local_clock.hpp"
#include "ir/sla/account_names.hpp"
#include "ir/sla/clock_state.hpp"
#include "ir/sla/engine.hpp"
#include "ir/sla/policy.hpp"

namespace ir::router {

// One of our replies to a buyer message: the response-time report's row.
struct ReplyRecord {
    InquiryId inquiry{};
    std::string account;
    std::string agent;  // roster id when known, else who the channel says replied
    sla::TimePoint buyer_at{};
    sla::TimePoint replied_at{};
    bool operator==(const ReplyRecord&) const = default;
};

// A stored inquiry, its clock and its routing state, as the engine exports and restores them.
struct StoredInquiry {
    InquiryRecord record;
    std::optional<sla::ClockState> clock;
    std::optional<routing::ItemRecord> routing;
    bool operator==(const StoredInquiry&) const = default;
};

// What one step changed, as values: everything the daemon stores (in one transaction)
// and publishes, with no need to ask the engine again. Same inputs, equal results.
struct StepResult {
    std::optional<InquiryId> inquiry;  // the inquiry the input was about, if any
    bool created = false;              // the input opened a new inquiry
    // Every inquiry whose stored record must be rewritten, as it is after the step (one
    // resolved in this step included, with no clock: it has left the engine).
    std::vector<StoredInquiry> inquiries;
    std::vector<InquiryDetail> details;                     // what buyer messages told us, to store beside them
    std::vector<Alert> alerts;                              // with their sequence numbers, in order
    std::vector<sla::Effect> sla_effects;                   // the clock decisions, for the decision trace
    std::vector<routing::CustomerRecord> customers;         // records to rewrite, as they are after the step
    std::vector<std::pair<CustomerId, CustomerId>> merged;  // gone -> survivor
    std::vector<ReplyRecord> replies;
    std::vector<std::pair<std::string, routing::Presence>> presence;  // agents whose presence was set
    // Customers erased from the book (every id each was known by): their stored records go.
    std::vector<CustomerId> forgotten;
    std::optional<routing::Refusal> refused;                          // a request routing refused: nothing changed
    bool operator==(const StepResult&) const = default;

    // The inquiry as this step left it, if the step changed it.
    const StoredInquiry* find(InquiryId id) const;
    const routing::CustomerRecord* find_customer(CustomerId id) const;
    // Nothing to store or publish (an idle tick, a refused request).
    bool empty() const;
};

// Everything a restart needs, read back from the store.
struct EngineState {
    std::vector<StoredInquiry> inquiries;  // open ones (resolved ones are skipped)
    routing::CustomerBookState customers;
    std::map<std::string, routing::Presence> presence;  // as last set, by agent id
    std::uint64_t next_inquiry_id = 1;
    std::uint64_t next_alert_seq = 1;  // the last stored seq + 1
};

// Who works here and how assignments are held. An empty roster turns routing off: every
// inquiry waits in its account's queue ("queue/<account>/" alerts), as before routing.
struct RoutingSetup {
    std::vector<routing::AgentSpec> roster;
    routing::RoutingPolicy policy;
    const routing::LocalClock* clock = nullptr;  // working hours' time zones; nullptr: UTC only
    const Catalog* catalog = nullptr;            // products' categories; nullptr: none known
    // Reply addresses (lower-case) of roster agents: an outbound mail from one is theirs.
    std::map<std::string, std::string> agent_addresses;
};

class Engine {
public:
    // `per_account` overrides are keyed by account name (the policy's are by interned id).
    // `now` decides who is on shift at start.
    Engine(const Assessor& assessor, sla::SlaPolicy policy,
           const std::map<std::string, sla::SlaOverride>& per_account = {}, RoutingSetup routing = {},
           sla::TimePoint now = {});
    ~Engine();

    // Rebuilds the state of a previous run. The result carries what routing decided anew
    // (an owner who left the roster, agents with free slots pulling from the queues): the
    // daemon commits it like any step.
    StepResult restore(EngineState state, sla::TimePoint now);

    // A buyer message (inbound) or our reply (outbound) from any channel. `analysis`, if
    // given, is Assessor::analyze(event) computed beforehand (on another thread).
    StepResult on_event(const Event& event, sla::TimePoint now, const Assessor::Analysis* analysis = nullptr);
    // Our reply where the channel cannot show it (POST /v1/inquiries/{id}/reply).
    StepResult on_reply(InquiryId id, const std::string& agent, sla::TimePoint now);
    // Closes an inquiry: stops its clocks.
    StepResult on_resolve(InquiryId id, sla::TimePoint now);
    // Spam, scam, not ours: closes it. Platforms count a rejection as a response, so it is
    // recorded as `agent`'s reply first.
    StepResult on_decline(InquiryId id, const std::string& agent, sla::TimePoint now);
    // Routing requests; `refused` is set (and nothing changed) when routing says no.
    StepResult on_accept(InquiryId id, const std::string& agent, sla::TimePoint now);
    StepResult on_transfer(InquiryId id, const std::string& to_agent, sla::TimePoint now);
    StepResult on_presence(const std::string& agent, routing::Presence presence, sla::TimePoint now);
    // An order (or sample order) by a customer: re-tiers their open inquiries (tier 1).
    StepResult on_order(routing::CustomerId customer, bool sample, sla::TimePoint now);
    // Erases these customers (retention, or a buyer's request): their records, identity
    // keys and merges. A customer with an open inquiry is kept (it is still being served).
    StepResult forget_customers(const std::vector<CustomerId>& ids, sla::TimePoint now);
    // Fires every alarm due at or before now, and routing's reservation expiries and shifts.
    StepResult on_tick(sla::TimePoint now);

    // The earliest pending alarm or routing deadline: what the daemon's single timer waits for.
    std::optional<sla::TimePoint> next_deadline() const;

    // An inquiry still open (or replied); resolved ones leave memory with their step.
    const InquiryRecord* find(InquiryId id) const;
    std::optional<sla::ClockState> clock(InquiryId id) const;
    std::optional<routing::ItemRecord> routing_of(InquiryId id) const;
    std::size_t open_count() const { return open_; }
    std::uint64_t next_alert_seq() const { return next_alert_seq_; }
    bool routing_enabled() const { return routing_on_; }
    const routing::Dispatcher& dispatcher() const { return *dispatcher_; }
    const routing::CustomerBook& customers() const { return customers_; }
    // An open inquiry of this customer (any id they were known by) is in the engine.
    bool serves_customer(CustomerId id) const;
    bool knows_agent(const std::string& id) const;
    // Accounts whose platform times one reply to all of a buyer's inquiries from the first
    // (`[sla.accounts."<id>"] scope = "buyer"`). Set before restore and the first event.
    void set_buyer_scope(std::set<std::string> accounts) { buyer_scope_ = std::move(accounts); }

private:
    // A step being built: the result plus what it has touched, turned into values at the end.
    struct Draft;
    StepResult seal(Draft&& draft) const;
    InquiryRecord& open_inquiry(const Event& event, sla::TimePoint now, Draft& out);
    routing::CustomerId identify(const Sender& sender, const InquiryRecord& inquiry, sla::TimePoint now, Draft& out);
    void route_buyer_message(InquiryRecord& r, bool created, bool was_replied, const AssessmentSummary& before,
                             const std::string& category, sla::TimePoint now, Draft& out);
    void record_reply(InquiryRecord& r, const std::string& agent, sla::TimePoint at, sla::TimePoint now, Draft& out);
    void close(InquiryRecord& r, sla::TimePoint now, Draft& out);
    std::string category_of(const Event& event, const Assessment& a) const;
    std::string agent_of_reply(const Sender& sender) const;
    sla::TimePoint fast_deadline(const InquiryRecord& r, sla::TimePoint fallback) const;
    void add_sla_effects(sla::Effects effects, Draft& out);
    void add_decisions(const routing::Decisions& decisions, sla::TimePoint now, Draft& out);
    void alert_for(const sla::Effect& effect, Draft& out);
    Alert& push_alert(Draft& out, AlertKind kind, const InquiryRecord& r, std::string topic);
    InquiryRecord* find_mutable(std::uint64_t id);
    InquiryRecord* find_thread(std::string_view account, Channel channel, std::string_view thread);
    void index_thread(const InquiryRecord& r);
    void unindex_thread(const InquiryRecord& r);
    sla::Subject subject_of(const InquiryRecord& r) const;  // interns the account first
    sla::ClockId clock_of(const InquiryRecord& r) const;
    void share_clock(InquiryRecord& r);
    const InquiryRecord* clock_holder(const sla::Subject& s) const;
    void note_changed(InquiryId id, Draft& out) const;
    void note_customer(routing::CustomerId id, Draft& out) const;

    const Assessor& assessor_;
    sla::AccountNames accounts_;  // before policy_: the per-account overrides intern into it
    sla::SlaPolicy policy_;
    sla::SlaEngine sla_;
    RoutingSetup routing_;
    bool routing_on_ = false;
    std::unique_ptr<routing::Dispatcher> dispatcher_;
    routing::CustomerBook customers_;
    std::unordered_map<std::uint64_t, InquiryRecord> inquiries_;  // not resolved
    // (account, channel, thread) -> inquiry, keyed by a 64-bit hash to keep it small; a hit
    // is checked against the record, so a collision costs a comparison, never a mix-up.
    std::unordered_multimap<std::uint64_t, InquiryId> by_thread_;
    NamePool names_;                // accounts, queues, agents: one copy each
    NameTable<AgentId> agent_ids_;  // who replied, as the clocks' reply records name them
    std::set<std::string> buyer_scope_;
    std::unordered_map<std::uint64_t, std::vector<InquiryId>> shared_clocks_;  // open inquiries per shared clock
    std::uint64_t next_inquiry_id_ = 1;
    std::uint64_t next_alert_seq_ = 1;
    std::size_t open_ = 0;
};

}  // namespace ir::router
