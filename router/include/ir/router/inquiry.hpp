#pragma once
// One conversation as the core keeps it (mirrors inquiry.v1.Inquiry, without protobuf).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir/router/assessment.hpp"
#include "ir/router/event.hpp"
#include "ir/sla/time.hpp"

namespace ir::router {

enum class InquiryId : std::uint64_t {};

enum class InquiryState : std::uint8_t {
    open,      // a buyer message waits for our reply
    replied,   // one of our people replied to the last buyer message
    resolved,  // closed: no clocks run
};

std::string_view to_string(InquiryState s);
std::optional<InquiryState> parse_inquiry_state(std::string_view s);

struct InquiryRecord {
    InquiryId id{};
    std::string account;
    Channel channel = Channel::email;
    std::string thread_id;
    InquiryState state = InquiryState::open;
    Assessment assessment;
    CustomerContext context;  // what our records knew at the last assessment
    Sender sender;
    std::string owner;  // agent id, empty while unassigned
    std::string queue;  // where it waits while unowned
    sla::TimePoint opened_at{};
    sla::TimePoint updated_at{};
    std::optional<sla::TimePoint> last_reply_at;
    std::string last_replied_by;
    bool operator==(const InquiryRecord&) const = default;
};

}  // namespace ir::router
