// POST /v1/events and the commit path every state change takes.
#include <boost/json.hpp>
#include <chrono>
#include <cstddef>
#include <spdlog/spdlog.h>

#include "ir/adapters/event_json.hpp"
#include "ir/daemon/app.hpp"
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/proto_convert.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {
using Steady = std::chrono::steady_clock;

double seconds_between(Steady::time_point from, Steady::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

std::string dedupe_key(const router::Event& e) {
    return DedupeIndex::key(router::to_string(e.channel), e.account, e.message_id);
}

store::EventRow event_row(const router::Event& e, sla::TimePoint accepted_at, std::optional<router::InquiryId> inquiry,
                          google::protobuf::Arena& arena) {
    store::EventRow row;
    row.channel = std::string(router::to_string(e.channel));
    row.account = e.account;
    row.message_id = e.message_id;
    row.thread_id = e.thread_id;
    row.received_at = e.received_at;
    row.direction = std::string(router::to_string(e.direction));
    row.accepted_at = accepted_at;
    if (inquiry) row.inquiry_id = static_cast<std::int64_t>(*inquiry);
    auto* payload = google::protobuf::Arena::CreateMessage<inquiry::v1::InquiryEvent>(&arena);
    to_proto(e, payload);
    row.payload = payload->SerializeAsString();
    return row;
}

}  // namespace

std::optional<HttpResponse> App::refuse_if_busy() {
    if (stopping_)
        return error_response(http::status::service_unavailable, "shutting down", "", {{"Retry-After", "5"}});
    if (degraded_)
        return error_response(http::status::service_unavailable, "the store could not commit; recovering", "",
                              {{"Retry-After", "1"}});
    if (pending_ >= config_.ingest_queue) {
        metrics_.rejected("saturated").inc();
        return error_response(http::status::service_unavailable, "too many events waiting for their commit", "",
                              {{"Retry-After", "1"}});
    }
    return std::nullopt;
}

void App::handle_event(RouteRequest&& req, Responder respond) {
    if (auto busy = refuse_if_busy()) return respond(std::move(*busy));
    boost::system::error_code ec;
    // The parsed body lives only until the event is copied out of it: one arena, freed at once.
    unsigned char arena[8192];
    json::monotonic_resource parse_memory(arena, sizeof arena);
    const json::value body = json::parse(req.message.body(), ec, &parse_memory);
    if (ec) {
        metrics_.rejected("malformed").inc();
        return respond(error_response(http::status::bad_request, "body is not valid JSON: " + ec.message()));
    }
    auto event = adapters::parse_event(body);
    if (!event) {
        const auto& e = event.error();
        metrics_.rejected(e.invalid_value ? "invalid" : "malformed").inc();
        return respond(error_response(e.invalid_value ? http::status::unprocessable_entity : http::status::bad_request,
                                      e.message, e.field));
    }
    auto shared = std::make_shared<Responder>(std::move(respond));  // std::function needs copies
    ingest(std::move(*event), [shared](IngestOutcome o) { (*shared)(std::move(o.response)); });
}

// Every channel's events take this path: dedupe, analysis off the loop, core step,
// commit, then `done` (on the io thread) with the answer POST /v1/events would give.
void App::ingest(router::Event event, std::function<void(IngestOutcome)> done) {
    auto refuse = [&done](IngestOutcome::Kind kind, HttpResponse r) { done({kind, std::move(r), std::nullopt}); };
    if (auto busy = refuse_if_busy()) return refuse(IngestOutcome::retry_later, std::move(*busy));
    if (!accounts_.empty() && !accounts_.contains(event.account)) {
        metrics_.rejected("unknown_account").inc();
        return refuse(IngestOutcome::rejected,
                      error_response(http::status::unprocessable_entity, "unknown account", "account"));
    }
    const std::string key = dedupe_key(event);
    if (in_flight_.contains(key))
        return refuse(IngestOutcome::retry_later,
                      error_response(http::status::service_unavailable, "the same event is being committed; retry",
                                     "message_id", {{"Retry-After", "1"}}));
    auto seen = find_journaled(event, key);
    if (!seen)
        return refuse(IngestOutcome::retry_later,
                      error_response(http::status::service_unavailable, seen.error().message));
    if (*seen) {
        metrics_.duplicates->inc();
        const auto& ref = **seen;
        const auto inquiry = ref.inquiry_id ? std::optional<std::uint64_t>(*ref.inquiry_id) : std::nullopt;
        return done({IngestOutcome::duplicate,
                     json_response(http::status::ok, {{"inquiry_id", inquiry ? json::value(*inquiry) : nullptr},
                                                      {"duplicate", true},
                                                      {"event_seq", ref.seq}}),
                     inquiry});
    }
    in_flight_.insert(key);  // until its commit is answered (then dedupe_ knows it)
    ++pending_;              // counted from here: shutdown and recovery wait for it
    auto shared = std::make_shared<std::function<void(IngestOutcome)>>(std::move(done));
    boost::asio::post(analysis_pool_, [this, event = std::move(event), key, shared, queued = Steady::now()]() mutable {
        auto analysis = assessor_->analyze(event);
        boost::asio::post(ioc_, [this, event = std::move(event), key = std::move(key), analysis = std::move(analysis),
                                 shared = std::move(shared), queued]() mutable {
            metrics_.wait_analysis->observe(seconds_between(queued, Steady::now()));
            --pending_;
            apply_event(std::move(event), std::move(key), std::move(analysis), std::move(shared));
        });
    });
}

Expected<std::optional<store::EventKey>> App::find_journaled(const router::Event& event, std::string_view key) {
    for (const std::int64_t seq : dedupe_.candidates(key)) {
        auto found = reader_->event_key(seq);
        if (!found) return found.error();
        const auto& e = *found;
        if (e && e->channel == router::to_string(event.channel) && e->account == event.account &&
            e->message_id == event.message_id)
            return found;  // else two keys with the same hash: look on
    }
    return std::optional<store::EventKey>();
}

// Back on the event loop with the analysis: the core step, then the commit.
void App::apply_event(router::Event event, std::string key, std::shared_ptr<const router::Assessor::Analysis> analysis,
                      std::shared_ptr<std::function<void(IngestOutcome)>> done) {
    if (degraded_) {  // a commit failed meanwhile: the core is about to be rebuilt
        in_flight_.erase(key);
        (*done)({IngestOutcome::retry_later,
                 error_response(http::status::service_unavailable, "the store could not commit; recovering", "",
                                {{"Retry-After", "1"}}),
                 std::nullopt});
        reload_after_failure();
        maybe_finish();
        return;
    }
    auto step = engine_->on_event(event, now(), analysis.get());
    commit(std::move(step), std::move(event), [this, key, done](bool ok, const router::StepResult& s) {
        in_flight_.erase(key);
        if (!ok)
            return (*done)(
                {IngestOutcome::retry_later,
                 error_response(http::status::service_unavailable, "the event could not be stored; nothing was kept",
                                "", {{"Retry-After", "1"}}),
                 std::nullopt});
        metrics_.accepted->inc();
        const auto inquiry =
            s.inquiry ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(*s.inquiry)) : std::nullopt;
        // The answer's JSON lives only until it is serialized: one arena, freed at once.
        unsigned char arena[4096];
        json::monotonic_resource memory(arena, sizeof arena);
        json::object out(3, &memory);
        out.emplace("inquiry_id", inquiry ? json::value(*inquiry) : nullptr);
        out.emplace("duplicate", false);
        for (const auto& d : s.details)
            if (d.id == s.inquiry) out.emplace("assessment", adapters::to_json(d.assessment, &memory));
        (*done)({IngestOutcome::accepted, json_response(http::status::accepted, out), inquiry});
    });
}

void App::commit(router::StepResult step, std::optional<router::Event> event,
                 std::function<void(bool, const router::StepResult&)> done, store::Change change) {
    const auto at = now();
    // The rows' protobuf messages live only until serialized: one arena, freed at once.
    alignas(std::max_align_t) char scratch[8192];
    google::protobuf::ArenaOptions arena_options;
    arena_options.initial_block = scratch;
    arena_options.initial_block_size = sizeof scratch;
    google::protobuf::Arena arena(arena_options);
    // The event's journal seq, numbered here so dedupe_ can learn where it went.
    std::optional<std::pair<std::string, std::int64_t>> journaled;
    if (event) {
        change.events.push_back(event_row(*event, at, step.inquiry, arena));
        change.events.back().seq = next_event_seq_;
        journaled.emplace(dedupe_key(*event), next_event_seq_++);
    }
    for (auto id : step.changed) {
        const auto* r = engine_->find(id);
        for (const auto& retired : step.retired)
            if (retired.id == id) r = &retired;
        if (!r) continue;
        store::InquiryRow row;
        row.id = static_cast<std::int64_t>(id);
        row.account = r->account;
        row.state = std::string(router::to_string(r->state));
        row.updated_at = r->updated_at;
        auto* stored = google::protobuf::Arena::CreateMessage<inquiry::v1::StoredInquiry>(&arena);
        to_stored(*r, engine_->clock(id), engine_->routing_of(id), stored);
        row.payload = stored->SerializeAsString();
        change.inquiries.push_back(std::move(row));
    }
    for (const auto& d : step.details) change.details.push_back(detail_row(d, &arena));
    for (auto id : step.customers)
        if (auto c = engine_->customers().get(id))
            change.customers.push_back({static_cast<std::int64_t>(c->id), to_proto(*c).SerializeAsString()});
    for (const auto& [gone, survivor] : step.merged)
        change.customer_aliases.push_back({static_cast<std::int64_t>(gone), static_cast<std::int64_t>(survivor)});
    for (const auto& r : step.replies)
        change.replies.push_back({static_cast<std::int64_t>(r.inquiry), r.account, r.agent, r.buyer_at, r.replied_at});
    for (const auto& [agent, presence] : step.presence)
        change.meta.emplace_back(kPresencePrefix + agent, std::string(routing::to_string(presence)));
    for (const auto& a : step.alerts)
        change.alerts.push_back(
            {static_cast<std::int64_t>(a.seq), a.topic, a.fired_at, to_proto(a).SerializeAsString()});
    arm_timer();  // the step may have brought the earliest deadline forward
    ++pending_;
    auto shared = std::make_shared<std::pair<router::StepResult, decltype(done)>>(std::move(step), std::move(done));
    const auto submitted = Steady::now();
    auto on_durable = [this, shared, submitted, journaled = std::move(journaled)](std::optional<Error> error) mutable {
        if (error) log_->error("commit failed: {}", error->message);
        boost::asio::post(
            ioc_, [this, shared, ok = !error, submitted, durable = Steady::now(), journaled = std::move(journaled)] {
                metrics_.wait_commit->observe(seconds_between(submitted, durable));
                metrics_.wait_answer->observe(seconds_between(durable, Steady::now()));
                if (ok && journaled) {  // before in_flight_ lets the key go
                    dedupe_.add(journaled->first, journaled->second);
                    metrics_.dedupe_bytes->set(static_cast<double>(dedupe_.memory_bytes()));
                }
                after_commit(ok, shared->first);
                shared->second(ok, shared->first);
                --pending_;
                if (!ok) reload_after_failure();
                maybe_finish();
            });
    };
    const bool queued = committer_->submit(std::move(change), std::move(on_durable));
    if (!queued) {  // the committer is stopping: nothing of this step may stay applied
        log_->error("commit queue refused a change");
        boost::asio::post(ioc_, [this, shared] {
            shared->second(false, shared->first);
            --pending_;
            degraded_ = true;
            reload_after_failure();
            maybe_finish();
        });
    }
}

void App::after_commit(bool ok, const router::StepResult& step) {
    last_commit_failed_ = !ok;
    if (!ok) {
        degraded_ = true;  // the core holds changes the disk does not: rebuild it from the disk
        return;
    }
    const auto published = now();
    for (const auto& a : step.alerts) {
        publisher_->publish(a);
        metrics_.alerts_published->inc();
    }
    wake_notifier(step);
    for (const auto& e : step.sla_effects) {
        std::optional<sla::TimePoint> due;
        if (const auto* w = std::get_if<sla::Warning>(&e))
            due = w->due_at;
        else if (const auto* b = std::get_if<sla::Breach>(&e))
            due = b->deadline;
        if (due) metrics_.alert_lateness->observe(static_cast<double>((published - *due).count()) / 1000.0);
    }
    metrics_.open_inquiries->set(static_cast<double>(engine_->open_count()));
}

// After a failed commit the core may hold state the disk does not. Once nothing is in
// flight any more, rebuild the core from what is durable, then accept events again.
void App::reload_after_failure() {
    if (!degraded_ || pending_ != 0) return;
    if (auto e = recover()) {
        log_->error("recovery after a failed commit failed: {}; retrying in 1s", *e);
        auto retry = std::make_shared<boost::asio::steady_timer>(ioc_, std::chrono::seconds(1));
        retry->async_wait([this, retry](boost::system::error_code) { reload_after_failure(); });
        return;
    }
    degraded_ = false;
    log_->warn("core rebuilt from the store after a failed commit; accepting events again");
    arm_timer();
}

}  // namespace ir::daemon
