#pragma once
// Small helpers the engine's source files share. Private to ir_router.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ir/router/engine.hpp"
#include "ir/router/inquiry.hpp"
#include "ir/sla/ids.hpp"

namespace ir::router {

// A step being built: the result, plus the ids it touched and the records it retired,
// which Engine::seal turns into values once the step is done.
struct Engine::Draft : StepResult {
    std::vector<InquiryId> changed;
    std::vector<CustomerId> customer_ids;
    std::vector<InquiryRecord> retired;  // resolved in this step: no longer in inquiries_
};

}  // namespace ir::router

namespace ir::router::detail {

inline std::uint64_t thread_hash(std::string_view account, Channel channel, std::string_view thread) {
    const std::hash<std::string_view> h;
    std::uint64_t x = h(account) * 0x9E3779B97F4A7C15ULL;
    x ^= h(thread) + 0x632BE59BD9B4E019ULL + (x << 6) + (x >> 2);
    return x ^ static_cast<std::uint64_t>(channel);
}

inline sla::Tier tier_of(const InquiryRecord& r) {
    return static_cast<sla::Tier>(std::clamp(r.assessment.tier, 1, 4));
}

// Where an inquiry's own alerts go: its owner, else the queue it waits in.
inline std::string owner_topic(const InquiryRecord& r) {
    return r.owner.empty() ? "queue/" + r.queue.str() + "/" : "agent/" + r.owner.str() + "/";
}

}  // namespace ir::router::detail
