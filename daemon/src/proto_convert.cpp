#include "ir/daemon/proto_convert.hpp"

#include <google/protobuf/util/time_util.h>

#include <memory>

namespace ir::daemon {
namespace pb = inquiry::v1;
using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;

namespace {

void set_time(Timestamp* t, sla::TimePoint p) {
    *t = TimeUtil::MillisecondsToTimestamp(sla::to_unix_ms(p));
}
sla::TimePoint get_time(const Timestamp& t) {
    return sla::from_unix_ms(TimeUtil::TimestampToMilliseconds(t));
}

pb::Channel channel_to_proto(router::Channel c) {
    switch (c) {
        case router::Channel::email:
            return pb::CHANNEL_EMAIL;
        case router::Channel::chat:
            return pb::CHANNEL_CHAT;
        case router::Channel::marketplace:
            return pb::CHANNEL_MARKETPLACE;
    }
    return pb::CHANNEL_UNSPECIFIED;
}

router::Channel channel_from_proto(pb::Channel c) {
    if (c == pb::CHANNEL_CHAT) return router::Channel::chat;
    if (c == pb::CHANNEL_MARKETPLACE) return router::Channel::marketplace;
    return router::Channel::email;
}

void sender_to_proto(const router::Sender& s, pb::Sender* out) {
    out->set_name(s.name);
    out->set_email(s.email);
    out->set_company(s.company);
    out->set_phone(s.phone);
    out->set_address(s.address);
    out->set_country(s.country);
    out->set_im(s.im);
}

router::Sender sender_from_proto(const pb::Sender& s) {
    return {s.name(), s.email(), s.company(), s.phone(), s.address(), s.country(), s.im()};
}

void assessment_to_proto(const router::Assessment& a, pb::Assessment* out) {
    out->set_tier(static_cast<std::uint32_t>(a.tier));
    out->set_suspect(a.suspect);
    out->set_score(a.score);
    out->set_language(a.language);
    for (const auto& r : a.reasons) out->add_reasons(r);
    for (const auto& p : a.products) out->add_products(p);
    for (auto s : a.scam_signs) out->add_scam_signs(static_cast<pb::ScamSign>(s));
    out->set_large_order(a.large_order);
}

router::Assessment assessment_from_proto(const pb::Assessment& a) {
    router::Assessment out;
    out.tier = static_cast<int>(a.tier());
    out.suspect = a.suspect();
    out.score = a.score();
    out.language = a.language();
    out.reasons.assign(a.reasons().begin(), a.reasons().end());
    out.products.assign(a.products().begin(), a.products().end());
    for (int s : a.scam_signs()) out.scam_signs.push_back(static_cast<router::ScamSign>(s));
    out.large_order = a.large_order();
    return out;
}

pb::InquiryState state_to_proto(router::InquiryState s) {
    switch (s) {
        case router::InquiryState::open:
            return pb::INQUIRY_STATE_OPEN;
        case router::InquiryState::replied:
            return pb::INQUIRY_STATE_REPLIED;
        case router::InquiryState::resolved:
            return pb::INQUIRY_STATE_RESOLVED;
    }
    return pb::INQUIRY_STATE_UNSPECIFIED;
}

router::InquiryState state_from_proto(pb::InquiryState s) {
    if (s == pb::INQUIRY_STATE_REPLIED) return router::InquiryState::replied;
    if (s == pb::INQUIRY_STATE_RESOLVED) return router::InquiryState::resolved;
    return router::InquiryState::open;
}

void clock_to_proto(const sla::ClockState& c, pb::StoredClock* out) {
    out->set_clock_id(sla::raw(c.subject.clock));
    out->set_inquiry_id(sla::raw(c.subject.inquiry));
    out->set_tier(static_cast<std::uint32_t>(c.subject.tier));
    out->set_weak_large_buyer(c.subject.weak_large_buyer);
    out->set_answered(c.reply == sla::ReplyState::answered);
    out->set_fired_fast_warning(c.fired.fast_warning);
    out->set_fired_fast_breach(c.fired.fast_breach);
    out->set_fired_timely_warning(c.fired.timely_warning);
    out->set_fired_timely_breach(c.fired.timely_breach);
    out->set_follow_up_state(static_cast<std::uint32_t>(c.follow_up));
    out->set_follow_up_step(c.follow_up_step);
    out->set_started_at_ms(sla::to_unix_ms(c.started_at));
    out->set_fast_warning_at_ms(sla::to_unix_ms(c.fast_warning_at));
    out->set_fast_deadline_ms(sla::to_unix_ms(c.fast_deadline));
    out->set_timely_warning_at_ms(sla::to_unix_ms(c.timely_warning_at));
    out->set_timely_deadline_ms(sla::to_unix_ms(c.timely_deadline));
    out->set_has_last_reply(c.last_reply_at.has_value());
    if (c.last_reply_at) out->set_last_reply_at_ms(sla::to_unix_ms(*c.last_reply_at));
    out->set_follow_up_due_ms(sla::to_unix_ms(c.follow_up_due));
}

sla::ClockState clock_from_proto(const pb::StoredClock& p, std::uint64_t inquiry_id) {
    sla::ClockState c;
    c.subject.clock = sla::ClockId{p.clock_id()};
    c.subject.inquiry = sla::InquiryId{p.inquiry_id() ? p.inquiry_id() : inquiry_id};
    c.subject.tier = static_cast<sla::Tier>(p.tier() >= 1 && p.tier() <= 4 ? p.tier() : 4);
    c.subject.weak_large_buyer = p.weak_large_buyer();
    c.reply = p.answered() ? sla::ReplyState::answered : sla::ReplyState::waiting;
    c.fired = {p.fired_fast_warning(), p.fired_fast_breach(), p.fired_timely_warning(), p.fired_timely_breach()};
    c.follow_up = static_cast<sla::FollowUpState>(p.follow_up_state() <= 2 ? p.follow_up_state() : 0);
    c.follow_up_step = static_cast<std::uint16_t>(p.follow_up_step());
    c.started_at = sla::from_unix_ms(p.started_at_ms());
    c.fast_warning_at = sla::from_unix_ms(p.fast_warning_at_ms());
    c.fast_deadline = sla::from_unix_ms(p.fast_deadline_ms());
    c.timely_warning_at = sla::from_unix_ms(p.timely_warning_at_ms());
    c.timely_deadline = sla::from_unix_ms(p.timely_deadline_ms());
    if (p.has_last_reply()) c.last_reply_at = sla::from_unix_ms(p.last_reply_at_ms());
    c.follow_up_due = sla::from_unix_ms(p.follow_up_due_ms());
    return c;
}

}  // namespace

pb::InquiryEvent to_proto(const router::Event& e) {
    pb::InquiryEvent out;
    to_proto(e, &out);
    return out;
}

void to_proto(const router::Event& e, pb::InquiryEvent* message) {
    pb::InquiryEvent& out = *message;
    out.set_channel(channel_to_proto(e.channel));
    out.set_account(e.account);
    out.set_message_id(e.message_id);
    out.set_thread_id(e.thread_id);
    set_time(out.mutable_received_at(), e.received_at);
    out.set_direction(e.direction == router::Direction::inbound ? pb::DIRECTION_INBOUND : pb::DIRECTION_OUTBOUND);
    sender_to_proto(e.sender, out.mutable_sender());
    out.set_subject(e.subject);
    out.set_body(e.body);
    out.set_attachments(e.attachments);
}

namespace {

void routing_to_proto(const routing::ItemRecord& i, pb::StoredRouting* out) {
    out->set_category(i.item.category);
    out->set_language(i.item.language);
    out->set_preferred_owner(i.item.preferred_owner);
    for (const auto& r : i.item.reasons) out->add_reasons(r);
    out->set_fast_deadline_ms(sla::to_unix_ms(i.item.fast_deadline));
    out->set_has_reservation(i.reserved_until.has_value());
    if (i.reserved_until) out->set_reserved_until_ms(sla::to_unix_ms(*i.reserved_until));
    out->set_answered(i.answered);
    out->set_queued(i.queued);
    for (const auto& t : i.tried) out->add_tried(t);
}

// The item's other fields (id, account, tier, owner) come from the inquiry itself.
routing::ItemRecord routing_from_proto(const pb::StoredRouting& p, const router::InquiryRecord& r) {
    routing::ItemRecord i;
    i.item.inquiry = static_cast<std::uint64_t>(r.id);
    i.item.account = r.account;
    i.item.category = p.category();
    i.item.language = p.language();
    i.item.tier = r.assessment.tier;
    i.item.suspect = r.assessment.suspect;
    i.item.reasons.assign(p.reasons().begin(), p.reasons().end());
    i.item.fast_deadline = sla::from_unix_ms(p.fast_deadline_ms());
    i.item.preferred_owner = p.preferred_owner();
    i.owner = r.owner;
    if (p.has_reservation()) i.reserved_until = sla::from_unix_ms(p.reserved_until_ms());
    i.answered = p.answered();
    i.queued = p.queued();
    i.tried.assign(p.tried().begin(), p.tried().end());
    return i;
}

}  // namespace

pb::StoredCustomer to_proto(const routing::CustomerRecord& c) {
    pb::StoredCustomer out;
    out.set_id(static_cast<std::uint64_t>(c.id));
    out.set_first_seen_ms(sla::to_unix_ms(c.first_seen));
    for (const auto& k : c.keys) out.add_keys(k);
    out.set_conversations(c.conversations);
    out.set_orders(c.orders);
    out.set_sample_orders(c.sample_orders);
    out.set_visited_company(c.visited_company);
    out.set_local_influence(c.local_influence);
    out.set_last_owner(c.last_owner);
    return out;
}

routing::CustomerRecord from_proto(const pb::StoredCustomer& c) {
    routing::CustomerRecord out;
    out.id = routing::CustomerId{c.id()};
    out.first_seen = sla::from_unix_ms(c.first_seen_ms());
    out.keys.assign(c.keys().begin(), c.keys().end());
    out.conversations = c.conversations();
    out.orders = c.orders();
    out.sample_orders = c.sample_orders();
    out.visited_company = c.visited_company();
    out.local_influence = c.local_influence();
    out.last_owner = c.last_owner();
    return out;
}

pb::StoredInquiry to_stored(const router::InquiryRecord& r, const std::optional<sla::ClockState>& clock,
                            const std::optional<routing::ItemRecord>& routing) {
    pb::StoredInquiry out;
    to_stored(r, clock, routing, &out);
    return out;
}

void to_stored(const router::InquiryRecord& r, const std::optional<sla::ClockState>& clock,
               const std::optional<routing::ItemRecord>& routing, pb::StoredInquiry* message) {
    pb::StoredInquiry& out = *message;
    pb::Inquiry* q = out.mutable_inquiry();
    q->set_id(static_cast<std::uint64_t>(r.id));
    q->set_account(r.account);
    q->set_channel(channel_to_proto(r.channel));
    q->set_thread_id(r.thread_id);
    q->set_state(state_to_proto(r.state));
    pb::Assessment* a = q->mutable_assessment();
    a->set_tier(static_cast<std::uint32_t>(r.assessment.tier));
    a->set_suspect(r.assessment.suspect);
    a->set_score(r.assessment.score);
    a->set_language(r.assessment.language);
    a->set_large_order(r.assessment.large_order);
    q->set_owner(r.owner);
    q->set_queue(r.queue);
    set_time(q->mutable_opened_at(), r.opened_at);
    set_time(q->mutable_updated_at(), r.updated_at);
    if (clock) clock_to_proto(*clock, out.mutable_clock());  // the public clocks are derived when shown
    auto* ctx = out.mutable_context();
    ctx->set_customer_messages_in_thread(r.context.customer_messages_in_thread);
    ctx->set_orders(r.context.orders);
    ctx->set_sample_orders(r.context.sample_orders);
    ctx->set_visited_company(r.context.visited_company);
    ctx->set_local_influence(r.context.local_influence);
    out.set_last_replied_by(r.last_replied_by);
    out.set_customer_id(r.customer);
    out.set_shared_clock(r.shared_clock);
    if (routing) routing_to_proto(*routing, out.mutable_routing());
    out.set_has_last_reply(r.last_reply_at.has_value());
    if (r.last_reply_at) out.set_last_reply_at_ms(sla::to_unix_ms(*r.last_reply_at));
}

namespace {
router::StoredInquiry stored_from_proto(const pb::StoredInquiry& p) {
    const pb::Inquiry& q = p.inquiry();
    router::StoredInquiry out;
    router::InquiryRecord& r = out.record;
    r.id = router::InquiryId{q.id()};
    r.account = q.account();
    r.channel = channel_from_proto(q.channel());
    r.thread_id = q.thread_id();
    r.state = state_from_proto(q.state());
    r.assessment = router::summary_of(assessment_from_proto(q.assessment()));
    r.owner = q.owner();
    r.queue = q.queue();
    r.opened_at = get_time(q.opened_at());
    r.updated_at = get_time(q.updated_at());
    const auto& ctx = p.context();
    r.context = {ctx.customer_messages_in_thread(), ctx.orders(), ctx.sample_orders(), ctx.visited_company(),
                 ctx.local_influence()};
    r.last_replied_by = p.last_replied_by();
    if (p.has_last_reply()) r.last_reply_at = sla::from_unix_ms(p.last_reply_at_ms());
    if (p.has_clock()) out.clock = clock_from_proto(p.clock(), q.id());
    r.customer = p.customer_id();
    r.shared_clock = p.shared_clock();
    if (p.has_routing()) out.routing = routing_from_proto(p.routing(), r);
    return out;
}
}  // namespace

std::optional<router::StoredInquiry> from_stored(const std::string& payload) {
    pb::StoredInquiry p;
    if (!p.ParseFromString(payload)) return std::nullopt;
    return stored_from_proto(p);
}

namespace {
InquiryView with_detail(InquiryView view, const std::optional<store::DetailRow>& detail) {
    if (detail) {
        pb::Assessment a;
        if (a.ParseFromString(detail->assessment)) view.assessment = assessment_from_proto(a);
        const auto& d = *detail;
        view.sender = {d.name, d.email, d.company, d.phone, d.address, d.country, d.im};
    }
    // The core's tier is the one in force: it changes without a new message (an order).
    view.assessment.tier = view.stored.record.assessment.tier;
    view.assessment.suspect = view.stored.record.assessment.suspect;
    return view;
}
}  // namespace

std::optional<InquiryView> view_of(const store::InquiryRow& row) {
    pb::StoredInquiry p;
    if (!p.ParseFromString(row.payload)) return std::nullopt;
    return with_detail({stored_from_proto(p), assessment_from_proto(p.inquiry().assessment()),
                        sender_from_proto(p.inquiry().sender())},
                       row.detail);
}

InquiryView view_of(const router::StoredInquiry& stored, const std::optional<store::DetailRow>& detail) {
    const auto& a = stored.record.assessment;
    router::Assessment assessment;
    assessment.score = a.score;
    assessment.language = a.language;
    assessment.large_order = a.large_order;
    return with_detail({stored, std::move(assessment), {}}, detail);
}

store::DetailRow detail_row(const router::InquiryDetail& d, google::protobuf::Arena* arena) {
    pb::Assessment* a = google::protobuf::Arena::CreateMessage<pb::Assessment>(arena);
    const std::unique_ptr<pb::Assessment> owned(arena ? nullptr : a);
    assessment_to_proto(d.assessment, a);
    const router::Sender& s = d.sender;
    return {static_cast<std::int64_t>(d.id),
            a->SerializeAsString(),
            s.name,
            s.email,
            s.company,
            s.phone,
            s.address,
            s.country,
            s.im};
}

pb::Alert to_proto(const router::Alert& a) {
    pb::Alert out;
    out.set_seq(a.seq);
    out.set_kind(static_cast<pb::AlertKind>(a.kind));
    out.set_clock(static_cast<pb::ClockKind>(a.clock));
    out.set_inquiry_id(a.inquiry_id);
    out.set_account(a.account);
    out.set_agent_id(a.agent_id);
    out.set_tier(static_cast<std::uint32_t>(a.tier));
    if (a.deadline.time_since_epoch().count() != 0) set_time(out.mutable_deadline(), a.deadline);
    set_time(out.mutable_fired_at(), a.fired_at);
    out.set_late(a.late);
    out.set_topic(a.topic);
    out.set_text(a.text);
    if (a.escalates) out.set_escalates(static_cast<pb::AlertKind>(*a.escalates));
    return out;
}

}  // namespace ir::daemon
