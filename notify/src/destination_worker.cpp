#include "destination_worker.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "inquiry/v1/stored.pb.h"
#include "ir/notify/seq_ranges.hpp"
#include "ir/store/database.hpp"

namespace ir::notify {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::size_t kPage = 500;
constexpr std::chrono::seconds kCursorEvery{1};  // skipped (filtered) alerts: the cursor catches up lazily
constexpr std::size_t kMaxSeqsHeader = 4000;     // X-Inquiry-Alert-Seqs: well inside a server's 8 KB a line

sla::TimePoint wall_now() {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

double age_seconds(const google::protobuf::Timestamp& t, sla::TimePoint now) {
    const auto at = sla::from_unix_ms(t.seconds() * 1000 + t.nanos() / 1'000'000);
    return std::max(0.0, static_cast<double>((now - at).count()) / 1000.0);
}

std::uint64_t seed_of(const std::string& name) {
    std::uint64_t h =
        1469598103934665603ull ^ static_cast<std::uint64_t>(SteadyClock::now().time_since_epoch().count());
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

}  // namespace

DestinationWorker::DestinationWorker(Destination destination, const NotifierOptions& options,
                                     std::shared_ptr<spdlog::logger> log)
    : destination_(std::move(destination)),
      options_(options),
      log_(std::move(log)),
      cursor_file_(options.state_dir / "notify" / (destination_.spec.name + ".seq")),
      sender_(options.ca_file),
      limiter_(destination_.spec.effective_rate_limits()),
      backoff_(destination_.spec.retry_initial, destination_.spec.retry_max, seed_of(destination_.spec.name)) {
    status_.name = destination_.spec.name;
    status_.kind = std::string(to_string(destination_.spec.kind));
}

DestinationWorker::~DestinationWorker() {
    stop();
}

std::optional<Error> DestinationWorker::start() {
    auto stored = cursor_file_.load();
    if (!stored) return stored.error();
    if (*stored) {
        cursor_ = stored_ = read_upto_ = **stored;
    } else {  // a new destination: only what comes from now on
        if (!open_store()) return Error("notify " + destination_.spec.name + ": cannot read the store", "notify");
        auto max = db_->max_alert_seq();
        if (!max) return max.error();
        cursor_ = read_upto_ = *max;
        advance_cursor(true);
    }
    status_.delivered_seq = cursor_;
    known_last_ = read_upto_;
    thread_ = std::thread([this] { run(); });
    return std::nullopt;
}

void DestinationWorker::wake(std::int64_t last_seq) noexcept {
    {
        std::lock_guard lock(mutex_);
        if (last_seq <= known_last_) return;
        known_last_ = last_seq;
    }
    cv_.notify_one();
}

void DestinationWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
    }
    cancel_ = true;
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
}

DestinationStatus DestinationWorker::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

bool DestinationWorker::open_store() {
    if (db_) return true;
    store::Options o;
    o.path = options_.database;
    o.read_only = true;
    auto db = store::Database::open(o);
    if (!db) {
        log_->error("notify {}: cannot open the store: {}", destination_.spec.name, db.error().message);
        return false;
    }
    db_ = std::move(*db);
    return true;
}

void DestinationWorker::run() {
    ::pthread_setname_np(::pthread_self(), "ir-notify");
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stop_requested_) break;
        }
        refill();
        publish_status();
        const auto now = SteadyClock::now();
        if (pending_.empty()) {
            advance_cursor(false);
            wait_until(std::min(next_poll_, now + options_.poll_interval), true);
            continue;
        }
        if (now < next_attempt_) {
            wait_until(next_attempt_, false);
            continue;
        }
        const std::size_t room = limiter_.available(now);
        if (room == 0) {
            wait_until(limiter_.next_free(now), false);
            continue;
        }
        attempt(take_batch(room));
    }
    advance_cursor(true);
}

void DestinationWorker::wait_until(SteadyTime t, bool wake_on_alerts) {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, t, [&] { return stop_requested_ || (wake_on_alerts && known_last_ > read_upto_); });
}

// Reads what the store has after read_upto_, when told there is more or the poll is due.
void DestinationWorker::refill() {
    const std::size_t cap = std::max<std::size_t>(2 * destination_.spec.digest_max, kPage);
    if (pending_.size() >= cap) return;
    const auto now = SteadyClock::now();
    std::int64_t known;
    {
        std::lock_guard lock(mutex_);
        known = known_last_;
    }
    if (known <= read_upto_ && now < next_poll_) return;
    next_poll_ = now + options_.poll_interval;
    if (!open_store()) return;
    while (pending_.size() < cap) {
        auto rows = db_->alerts_since(read_upto_, "", kPage);
        if (!rows) {
            log_->error("notify {}: cannot read alerts: {}", destination_.spec.name, rows.error().message);
            db_.reset();  // reopen next time
            return;
        }
        for (const auto& row : *rows) {
            read_upto_ = row.seq;
            AlertItem item;
            if (!item.alert.ParseFromString(row.payload)) {
                log_->error("notify {}: alert {} is stored unreadably; skipped", destination_.spec.name, row.seq);
                continue;
            }
            if (!destination_.spec.filter.matches(item.alert)) continue;
            item.facts = facts_of(item.alert.inquiry_id());
            pending_.push_back(std::move(item));
        }
        if (rows->size() < kPage) break;
    }
    std::lock_guard lock(mutex_);
    known_last_ = std::max(known_last_, read_upto_);
}

std::optional<InquiryFacts> DestinationWorker::facts_of(std::uint64_t inquiry_id) {
    if (auto it = facts_cache_.find(inquiry_id); it != facts_cache_.end()) return it->second;
    auto row = db_->inquiry(static_cast<std::int64_t>(inquiry_id));
    if (!row || !*row) return std::nullopt;
    inquiry::v1::StoredInquiry stored;
    if (!stored.ParseFromString((*row)->payload)) return std::nullopt;
    const auto& inq = stored.inquiry();
    InquiryFacts f;
    f.buyer = inq.sender().name().empty() ? inq.sender().email() : inq.sender().name();
    f.company = inq.sender().company();
    if (const auto& d = (*row)->detail) {
        if (!d->name.empty())
            f.buyer = d->name;
        else if (f.buyer.empty())
            f.buyer = d->email;
        if (!d->company.empty()) f.company = d->company;
    }
    f.reasons.assign(inq.assessment().reasons().begin(), inq.assessment().reasons().end());
    f.suspect = inq.assessment().suspect();
    if (facts_cache_.size() >= 4096) facts_cache_.clear();
    facts_cache_.emplace(inquiry_id, f);
    return f;
}

// One alert while the limit allows each its own message; beyond it, everything waiting
// (up to digest_max, and as many as the seqs header has room for) in one digest.
Batch DestinationWorker::take_batch(std::size_t room) const {
    Batch b;
    const std::size_t most = pending_.size() <= room ? 1 : std::min(pending_.size(), destination_.spec.digest_max);
    SeqRanges seqs;
    std::size_t n = 0;
    for (; n < most; ++n) {
        seqs.add(static_cast<std::int64_t>(pending_[n].alert.seq()));
        if (n > 0 && seqs.size() > kMaxSeqsHeader) break;
    }
    b.items.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    b.delivery_id = delivery_id(destination_.spec.name, b.items);
    return b;
}

void DestinationWorker::attempt(const Batch& batch) {
    const auto now = wall_now();
    const Message m = batch.digest()
                          ? digest_message(batch.items, options_.context, destination_.spec.language, now)
                          : single_message(batch.items.front(), options_.context, destination_.spec.language, now);
    const Attempt a = sender_.send(destination_, build_outgoing(destination_, batch, m, now), now, &cancel_);
    const auto steady = SteadyClock::now();
    {
        std::lock_guard lock(mutex_);
        if (a.verdict.outcome == Verdict::delivered || a.verdict.outcome == Verdict::rejected)
            settle(batch, a.verdict, steady);
        else
            postpone(batch, a.verdict, steady);
    }
    advance_cursor(true);
}

// Delivered, or refused for good (a 4xx): either way the batch leaves the queue.
void DestinationWorker::settle(const Batch& batch, const Verdict& verdict, SteadyTime now) {
    const auto& name = destination_.spec.name;
    const bool ok = verdict.outcome == Verdict::delivered;
    limiter_.record(now);
    backoff_.reset();
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(batch.items.size()));
    if (ok) {
        status_.sent += batch.items.size();
        ++status_.messages;
        log_->debug("notify {}: delivered {} ({})", name, batch.delivery_id, verdict.reason);
    } else {
        ++status_.failed;
        status_.dropped += batch.items.size();
        status_.last_error = verdict.reason;
        log_->error("notify {}: {} refused, not retried: {}", name, batch.delivery_id, verdict.reason);
    }
    status_.failing = !ok;
    cursor_ = pending_.empty() ? read_upto_ : pending_.front().alert.seq() - 1;
}

// A 429 waits as long as the platform says (and counts against the limit); a 5xx or a
// network error backs off.
void DestinationWorker::postpone(const Batch& batch, const Verdict& verdict, SteadyTime now) {
    const bool wait = verdict.outcome == Verdict::wait;
    if (wait) limiter_.record(now);
    const Millis delay = wait ? verdict.wait_for : backoff_.next();
    next_attempt_ = now + delay;
    ++status_.failed;
    status_.failing = true;
    status_.last_error = verdict.reason;
    log_->warn("notify {}: {} not delivered ({}); again in {} ms", destination_.spec.name, batch.delivery_id,
               verdict.reason, delay.count());
}

// The cursor file follows every delivery at once, and skipped alerts once a second.
void DestinationWorker::advance_cursor(bool force) {
    if (pending_.empty()) cursor_ = std::max(cursor_, read_upto_);
    if (cursor_ == stored_) return;
    const auto now = SteadyClock::now();
    if (!force && now - last_store_ < kCursorEvery) return;
    if (auto e = cursor_file_.store(cursor_)) {
        log_->error("notify {}: {}", destination_.spec.name, e->message);
        return;
    }
    stored_ = cursor_;
    last_store_ = now;
    std::lock_guard lock(mutex_);
    status_.delivered_seq = cursor_;
}

void DestinationWorker::publish_status() {
    const double lag = pending_.empty() ? 0.0 : age_seconds(pending_.front().alert.fired_at(), wall_now());
    std::lock_guard lock(mutex_);
    status_.pending = pending_.size();
    status_.lag_seconds = lag;
}

}  // namespace ir::notify
