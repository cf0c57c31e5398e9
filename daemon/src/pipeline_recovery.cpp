// Opening the store and rebuilding the core from it: at start, and after a failed commit.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "ir/daemon/pipeline.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "ir/daemon/step_rows.hpp"
#include "ir/store/pruner.hpp"
#include "pipeline_metrics.hpp"

namespace ir::daemon {
namespace {

// The next id the store remembers handing out (1 when it remembers none).
Expected<std::uint64_t> next_id_floor(store::Database& db, std::string_view key) {
    auto value = db.meta(key);
    if (!value) return value.error();
    if (!*value) return std::uint64_t{1};
    std::uint64_t id = 1;
    const auto& text = **value;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || p != text.data() + text.size())
        return Error{"meta " + std::string(key) + " is not a number"};
    return id;
}

}  // namespace

std::optional<std::string> Pipeline::open() {
    store::CommitterOptions copts;
    copts.database.path = options_.database;
    copts.database.auto_checkpoint = false;             // the checkpointer thread does it, off the commit path
    copts.queue_capacity = options_.ingest_queue + 64;  // ticks and replies never find it full
    copts.max_batch = options_.commit_batch;
    copts.stop_after_failure = true;  // nothing commits behind a failure: alert seqs stay gap-free
    copts.database.max_page_count = StoreSpace::page_quota(options_.store_limits);
    copts.on_commit = [this](const store::CommitSample& s) {
        boost::asio::post(ioc_, [this, s] {
            metrics_->commit_latency.observe(static_cast<double>(s.latency.count()) / 1e6);
            if (!s.ok) metrics_->commit_failures.inc();
            check_space_soon();  // the store grew: a full disk should stop events before SQLite fails
        });
    };
    auto committer = store::GroupCommitter::start(copts);
    if (!committer) return committer.error().message;
    committer_ = std::move(*committer);
    store::Options ropts;
    ropts.path = options_.database;
    auto reader = store::Database::open(ropts);
    if (!reader) return reader.error().message;
    reader_ = std::move(*reader);
    auto recovery_reader = store::Database::open(ropts);
    if (!recovery_reader) return recovery_reader.error().message;
    recovery_reader_ = std::move(*recovery_reader);
    store::CheckpointerOptions cpopts;
    cpopts.path = options_.database;
    cpopts.caught_up = [this] { committer_->request_wal_wrap(); };
    auto checkpointer = store::Checkpointer::start(cpopts);
    if (!checkpointer) return checkpointer.error().message;
    checkpointer_ = std::move(*checkpointer);
    return recover();
}

// At start: the state, and every journaled key for the dedupe index (one pass over the
// events table, before the loop serves anything).
std::optional<std::string> Pipeline::recover() {
    auto state = read_state(*reader_);
    if (!state) return state.error().message;
    dedupe_.clear();
    next_event_seq_ = 1;
    if (auto e = reader_->scan_event_keys(
            [this](std::int64_t seq, std::string_view c, std::string_view a, std::string_view m) {
                dedupe_.add(DedupeIndex::key(c, a, m), seq);
                next_event_seq_ = seq + 1;  // the scan goes by seq
            }))
        return "cannot read the journal: " + e->message;
    durable_event_seq_ = next_event_seq_ - 1;
    metrics_->dedupe_bytes.set(static_cast<double>(dedupe_.memory_bytes()));
    restore(std::move(*state));
    return std::nullopt;
}

// The open inquiries, the customers and the presence as stored, with the next ids.
Expected<router::EngineState> Pipeline::read_state(store::Database& db) {
    auto inquiries = db.open_inquiries();
    auto max_id = db.max_inquiry_id();
    auto max_seq = db.max_alert_seq();
    if (!inquiries || !max_id || !max_seq)
        return Error{"cannot read the state: " + (!inquiries ? inquiries.error().message
                                                  : !max_id  ? max_id.error().message
                                                             : max_seq.error().message)};
    router::EngineState state;
    state.inquiries.reserve(inquiries->size());
    for (const auto& row : *inquiries) {
        auto s = from_stored(row.payload);
        if (!s) return Error{"inquiry " + std::to_string(row.id) + " is stored unreadably"};
        state.inquiries.push_back(std::move(*s));
    }
    if (auto e = load_routing_state(db, state)) return Error{*e};
    // Erased rows may have held the highest ids: the store remembers the next one to give.
    auto next_id = next_id_floor(db, store::kNextInquiryIdKey);
    if (!next_id) return Error{"cannot read the state: " + next_id.error().message};
    state.next_inquiry_id = std::max(static_cast<std::uint64_t>(*max_id) + 1, *next_id);
    state.next_alert_seq = static_cast<std::uint64_t>(*max_seq) + 1;
    return state;
}

void Pipeline::restore(router::EngineState state) {
    const std::size_t count = state.inquiries.size();
    auto step = core_.engine->restore(std::move(state), now());
    // Routing may decide anew (an owner who left the roster): stored like any step.
    if (!step.empty()) commit(std::move(step), nullptr, [](StepOutcome) {});
    metrics_->open_inquiries.set(static_cast<double>(core_.engine->open_count()));
    log_->info("recovered {} open inquiries; next alert seq {}; {} journaled events (dedupe index {} MiB)", count,
               core_.engine->next_alert_seq(), dedupe_.size(), dedupe_.memory_bytes() >> 20);
}

// After a failed commit: the reads run on the analysis thread (idle: nothing is in flight),
// on their own connection; the loop goes on serving reads, webhooks' refusals and timers.
// The dedupe index is kept: it only ever learnt keys whose commit succeeded.
// Counted in pending_ while it runs, so a stop waits for it and drops what it read.
void Pipeline::recover_off_loop() {
    ++pending_;
    boost::asio::post(analysis_pool_, [this] {
        auto state = read_state(*recovery_reader_);
        boost::asio::post(ioc_, [this, state = std::move(state)]() mutable {
            --pending_;
            if (stopping_) return check_drained();
            if (!state) {
                log_->error("recovery after a failed commit failed: {}; retrying in 1s", state.error().message);
                retry_timer_.expires_after(std::chrono::seconds(1));
                retry_timer_.async_wait([this](boost::system::error_code ec) {
                    if (!ec) after_failure();
                });
                return;
            }
            next_event_seq_ = durable_event_seq_ + 1;  // the failed events' numbers are free again
            committer_->resume();
            recovering_ = false;
            restore(std::move(*state));
            log_->warn("core rebuilt from the store after a failed commit");
            arm_timer();
        });
    });
}

// Customers (and their merges) and agents' presence, as last stored.
std::optional<std::string> Pipeline::load_routing_state(store::Database& db, router::EngineState& state) {
    auto customers = db.customers();
    auto aliases = db.customer_aliases();
    auto presence = db.meta_with_prefix(kPresencePrefix);
    if (!customers || !aliases || !presence)
        return "cannot read the customers: " + (!customers ? customers.error().message
                                                : !aliases ? aliases.error().message
                                                           : presence.error().message);
    std::uint64_t next_customer = 1;
    std::unordered_set<std::int64_t> merged_away;  // their last record stays in the table, unused
    for (const auto& a : *aliases) merged_away.insert(a.id);
    for (const auto& row : *customers) {
        next_customer = std::max<std::uint64_t>(next_customer, static_cast<std::uint64_t>(row.id) + 1);
        if (merged_away.contains(row.id)) continue;
        inquiry::v1::StoredCustomer c;
        if (!c.ParseFromString(row.payload)) return "customer " + std::to_string(row.id) + " is stored unreadably";
        state.customers.customers.push_back(from_proto(c));
    }
    for (const auto& a : *aliases) {
        state.customers.aliases.emplace_back(CustomerId{static_cast<std::uint64_t>(a.id)},
                                             CustomerId{static_cast<std::uint64_t>(a.survivor)});
        next_customer = std::max<std::uint64_t>(next_customer, static_cast<std::uint64_t>(a.id) + 1);
    }
    auto floor = next_id_floor(db, store::kNextCustomerIdKey);
    if (!floor) return "cannot read the customers: " + floor.error().message;
    state.customers.next_id = std::max(next_customer, *floor);
    for (const auto& [key, value] : *presence) {
        const std::string agent = key.substr(kPresencePrefix.size());
        if (auto p = routing::parse_presence(value)) state.presence[agent] = *p;
    }
    return std::nullopt;
}

}  // namespace ir::daemon
