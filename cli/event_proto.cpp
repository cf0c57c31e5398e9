#include "event_proto.hpp"

#include <google/protobuf/util/time_util.h>

#include "inquiry/v1/event.pb.h"

namespace ir::cli {

std::optional<router::Event> event_from_proto(std::string_view payload) {
    namespace pb = inquiry::v1;
    pb::InquiryEvent p;
    if (!p.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return std::nullopt;
    router::Event e;
    e.channel = p.channel() == pb::CHANNEL_CHAT          ? router::Channel::chat
                : p.channel() == pb::CHANNEL_MARKETPLACE ? router::Channel::marketplace
                                                         : router::Channel::email;
    e.account = p.account();
    e.message_id = p.message_id();
    e.thread_id = p.thread_id();
    e.received_at = sla::from_unix_ms(google::protobuf::util::TimeUtil::TimestampToMilliseconds(p.received_at()));
    e.direction = p.direction() == pb::DIRECTION_OUTBOUND ? router::Direction::outbound : router::Direction::inbound;
    const auto& s = p.sender();
    e.sender = {s.name(), s.email(), s.company(), s.phone(), s.address(), s.country(), s.im()};
    e.subject = p.subject();
    e.body = p.body();
    e.attachments = p.attachments();
    return e;
}

}  // namespace ir::cli
