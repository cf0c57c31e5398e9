#include "ir/daemon/step_rows.hpp"

#include <google/protobuf/arena.h>

#include "ir/daemon/proto_convert.hpp"

namespace ir::daemon {
namespace {

store::EventRow event_row(const JournaledEvent& j, std::optional<InquiryId> inquiry, google::protobuf::Arena& arena) {
    const router::Event& e = j.event;
    store::EventRow row;
    row.seq = j.seq;
    row.channel = std::string(router::to_string(e.channel));
    row.account = e.account;
    row.message_id = e.message_id;
    row.thread_id = e.thread_id;
    row.received_at = e.received_at;
    row.direction = std::string(router::to_string(e.direction));
    row.accepted_at = j.accepted_at;
    if (inquiry) row.inquiry_id = static_cast<std::int64_t>(*inquiry);
    auto* payload = google::protobuf::Arena::CreateMessage<inquiry::v1::InquiryEvent>(&arena);
    to_proto(e, payload);
    row.payload = payload->SerializeAsString();
    return row;
}

store::InquiryRow inquiry_row(const router::StoredInquiry& s, google::protobuf::Arena& arena) {
    const router::InquiryRecord& r = s.record;
    store::InquiryRow row;
    row.id = static_cast<std::int64_t>(r.id);
    row.account = r.account;
    row.state = std::string(router::to_string(r.state));
    row.updated_at = r.updated_at;
    auto* stored = google::protobuf::Arena::CreateMessage<inquiry::v1::StoredInquiry>(&arena);
    to_stored(r, s.clock, s.routing, stored);
    row.payload = stored->SerializeAsString();
    return row;
}

}  // namespace

void append_step_rows(const router::StepResult& step, std::optional<JournaledEvent> event, store::Change& change) {
    // The rows' protobuf messages live only until serialized: one arena, freed at once.
    alignas(std::max_align_t) char scratch[8192];
    google::protobuf::ArenaOptions arena_options;
    arena_options.initial_block = scratch;
    arena_options.initial_block_size = sizeof scratch;
    google::protobuf::Arena arena(arena_options);
    if (event) change.events.push_back(event_row(*event, step.inquiry, arena));
    for (const auto& s : step.inquiries) change.inquiries.push_back(inquiry_row(s, arena));
    for (const auto& d : step.details) change.details.push_back(detail_row(d, &arena));
    for (const auto& c : step.customers)
        change.customers.push_back({static_cast<std::int64_t>(c.id), to_proto(c).SerializeAsString()});
    for (const auto& [gone, survivor] : step.merged)
        change.customer_aliases.push_back({static_cast<std::int64_t>(gone), static_cast<std::int64_t>(survivor)});
    for (const auto& r : step.replies)
        change.replies.push_back({static_cast<std::int64_t>(r.inquiry), r.account, r.agent, r.buyer_at, r.replied_at});
    for (const auto id : step.forgotten) change.erased_customers.push_back(static_cast<std::int64_t>(id));
    for (const auto& [agent, presence] : step.presence)
        change.meta.emplace_back(std::string(kPresencePrefix) + agent, std::string(routing::to_string(presence)));
    for (const auto& a : step.alerts)
        change.alerts.push_back(
            {static_cast<std::int64_t>(a.seq), a.topic, a.fired_at, to_proto(a).SerializeAsString()});
}

}  // namespace ir::daemon
