#pragma once
// Small helpers the engine's source files share. Private to ir_router.
#include <algorithm>
#include <string>
#include <string_view>

#include "ir/router/inquiry.hpp"
#include "ir/sla/ids.hpp"

namespace ir::router::detail {

inline std::string thread_key(std::string_view account, Channel channel, std::string_view thread) {
    std::string key;
    key.reserve(account.size() + thread.size() + 4);
    key.append(account).push_back('\x1f');
    key.append(to_string(channel)).push_back('\x1f');
    key.append(thread);
    return key;
}

inline sla::Tier tier_of(const InquiryRecord& r) {
    return static_cast<sla::Tier>(std::clamp(r.assessment.tier, 1, 4));
}

// Where an inquiry's own alerts go: its owner, else the queue it waits in.
inline std::string owner_topic(const InquiryRecord& r) {
    return r.owner.empty() ? "queue/" + r.queue + "/" : "agent/" + r.owner + "/";
}

}  // namespace ir::router::detail
