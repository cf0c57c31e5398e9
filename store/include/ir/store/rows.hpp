#pragma once
// What the store persists, as plain values. Payloads are opaque bytes (serialized
// protobuf, converted in the daemon), so the store never depends on protobuf.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::store {

// One accepted event: the journal, append-only.
struct EventRow {
    // 0: the store takes the next one. Else this one, and a seq already journaled fails
    // the batch: the daemon numbers its events, so its dedupe index knows where each is.
    std::int64_t seq = 0;
    std::string channel{};
    std::string account{};
    // (channel, account, message_id) names one message (webhooks retry): the daemon
    // keeps the journal free of repeats (its dedupe index); SQLite holds no index on it.
    std::string message_id{};
    std::string thread_id{};
    sla::TimePoint received_at{};
    std::string direction{};
    sla::TimePoint accepted_at{};
    std::optional<std::int64_t> inquiry_id{};  // none when the event opened no inquiry
    std::string payload{};
    bool operator==(const EventRow&) const = default;
};

// What an inquiry's buyer messages told us, kept on disk rather than in the core's
// memory: the latest assessment (replaced) and the buyer's details, merged field by
// field over all messages (an empty field never overwrites a known one).
struct DetailRow {
    std::int64_t id = 0;
    std::string assessment{};  // opaque (serialized inquiry.v1.Assessment)
    std::string name{}, email{}, company{}, phone{}, address{}, country{}, im{};
    bool operator==(const DetailRow&) const = default;
};

// The latest state of one inquiry: the snapshot, upserted by id.
struct InquiryRow {
    std::int64_t id = 0;  // assigned by the core, not by the store
    std::string account{};
    std::string state{};  // "resolved" is the only state the store gives a meaning to
    sla::TimePoint updated_at{};
    std::string payload{};
    std::optional<DetailRow> detail{};  // filled by the reads that serve the API; ignored by apply()
    bool operator==(const InquiryRow&) const = default;
};

// One customer record (routing's CustomerBook), upserted by id.
struct CustomerRow {
    std::int64_t id = 0;
    std::string payload{};  // opaque (serialized inquiry.v1.StoredCustomer)
    bool operator==(const CustomerRow&) const = default;
};

// A customer merged into another (the same person seen on two channels): upserted by id.
struct CustomerAliasRow {
    std::int64_t id = 0;
    std::int64_t survivor = 0;
    bool operator==(const CustomerAliasRow&) const = default;
};

// One of our replies to a buyer message, for the response-time report: appended.
struct ReplyRow {
    std::int64_t inquiry_id = 0;
    std::string account{};
    std::string agent{};
    sla::TimePoint buyer_at{};    // the earliest unanswered buyer message
    sla::TimePoint replied_at{};  // our reply
    bool operator==(const ReplyRow&) const = default;
};

// One published alert. seq is assigned by the core and must be max + 1 (gap-free),
// so a subscriber that sees a gap knows it missed something and can fetch it.
struct AlertRow {
    std::int64_t seq = 0;
    std::string topic{};
    sla::TimePoint created_at{};
    std::string payload{};
    bool operator==(const AlertRow&) const = default;
};

// Who did what: a request made with an identity (reply, accept, transfer, decline,
// resolve), appended with the change it made.
struct AuditRow {
    sla::TimePoint at{};
    std::string identity{};  // the token's identity, or "" without access control
    std::string action{};
    std::optional<std::int64_t> inquiry_id{};
    std::string detail{};
    bool operator==(const AuditRow&) const = default;
};

// The team's verdict on an inquiry, for learning the rules from our own traffic: a
// supervisor's label (POST /v1/inquiries/{id}/label) or an agent's decline as scam.
// Appended, never updated: the latest one per inquiry (by commit order) is what counts.
struct LabelRow {
    std::int64_t inquiry_id = 0;
    bool suspect = false;
    int tier = 4;            // 1..4
    std::string identity{};  // the token's identity, or the acting agent without access control
    std::string role{};      // of that identity ("" without access control)
    sla::TimePoint at{};
    std::string source{};  // "label" or "decline" (declined as scam)
    bool operator==(const LabelRow&) const = default;
};

// Everything one ingested event (or one timer tick) changes: written all or nothing.
struct Change {
    std::vector<EventRow> events{};
    std::vector<InquiryRow> inquiries{};
    std::vector<DetailRow> details{};
    std::vector<AlertRow> alerts{};
    std::vector<std::pair<std::string, std::string>> meta{};
    std::vector<CustomerRow> customers{};
    std::vector<CustomerAliasRow> customer_aliases{};
    std::vector<ReplyRow> replies{};
    std::vector<AuditRow> audit{};
    std::vector<LabelRow> labels{};
    // Customers erased (retention, a buyer's request): their records and every merge naming them.
    std::vector<std::int64_t> erased_customers{};
    std::size_t row_count() const {
        return events.size() + inquiries.size() + details.size() + alerts.size() + meta.size() + customers.size() +
               customer_aliases.size() + replies.size() + audit.size() + labels.size() + erased_customers.size();
    }
    bool operator==(const Change&) const = default;
};

// What dedupe needs to know about an event already journaled: its key, and what it led to.
struct EventKey {
    std::int64_t seq = 0;
    std::string channel{};
    std::string account{};
    std::string message_id{};
    std::optional<std::int64_t> inquiry_id{};
    bool operator==(const EventKey&) const = default;
};

// Replies for the report: replied at or after `since`, of one account or all.
struct ReplyFilter {
    sla::TimePoint since{};
    std::optional<std::string> account{};
};

// A page of inquiries, ordered by id: pass the last id seen as after_id for the next.
struct InquiryFilter {
    std::optional<std::string> state{};
    std::optional<std::string> account{};
    std::int64_t after_id = 0;
    std::size_t limit = 1000;
};

}  // namespace ir::store
