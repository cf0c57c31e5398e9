#pragma once
// One conversation as the core keeps it (mirrors inquiry.v1.Inquiry, without protobuf).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir/base/ids.hpp"
#include "ir/router/assessment.hpp"
#include "ir/router/event.hpp"
#include "ir/base/shared_name.hpp"
#include "ir/sla/time.hpp"

namespace ir::router {

using ir::InquiryId;  // ir/base/ids.hpp

enum class InquiryState : std::uint8_t {
    open,      // a buyer message waits for our reply
    replied,   // one of our people replied to the last buyer message
    resolved,  // closed: no clocks run
};

std::string_view to_string(InquiryState s);
std::optional<InquiryState> parse_inquiry_state(std::string_view s);

// What the core keeps of the latest assessment: what routing and alerts need. The reasons,
// products and scam signs go to the store with the step that made them (InquiryDetail).
struct AssessmentSummary {
    int tier = 4;
    bool suspect = false;
    double score = 0;
    std::string language = "und";
    bool large_order = false;
    bool operator==(const AssessmentSummary&) const = default;
};

AssessmentSummary summary_of(const Assessment& a);

// One conversation as the core keeps it in memory: small, because a team has many open
// at once (the budget is 1 KiB per open inquiry with its clocks, maps included).
struct InquiryRecord {
    InquiryId id{};
    SharedName account;
    Channel channel = Channel::email;
    std::string thread_id;
    InquiryState state = InquiryState::open;
    AssessmentSummary assessment;
    CustomerContext context;     // what our records knew at the last assessment
    std::uint64_t customer = 0;  // routing::CustomerId of the buyer; 0 = not identified
    // The reply clock's key: 0 = the inquiry's own; else one clock shared by all of a buyer's
    // inquiries on an account whose platform times one reply to them all (scope "buyer").
    std::uint64_t shared_clock = 0;
    SharedName owner;  // agent id, empty while unassigned
    SharedName queue;  // where it waits while unowned
    sla::TimePoint opened_at{};
    sla::TimePoint updated_at{};
    std::optional<sla::TimePoint> last_reply_at;
    SharedName last_replied_by;
    bool operator==(const InquiryRecord&) const = default;
};

// What one buyer message told us, for the store: the full assessment (it replaces the
// last one) and the sender as this message gave it (the store merges it field by field).
struct InquiryDetail {
    InquiryId id{};
    Assessment assessment;
    Sender sender;
    bool operator==(const InquiryDetail&) const = default;
};

}  // namespace ir::router
