#include "ir/daemon/retention.hpp"

#include <pthread.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include "inquiry/v1/stored.pb.h"

namespace ir::daemon {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kRetentionNice = 10;       // like the read thread: below ingest and the timers
constexpr std::size_t kScanPage = 1000;  // inquiry rows read at a time when looking for customers

// The buyer an inquiry's snapshot names (0: none, or a payload it cannot read).
std::uint64_t customer_of(const std::string& payload) {
    inquiry::v1::StoredInquiry stored;
    if (!stored.ParseFromString(payload)) return 0;
    return stored.customer_id();
}

std::shared_ptr<spdlog::logger> retention_logger() {
    if (auto log = spdlog::get("inquiryd")) return log;
    return spdlog::stderr_color_mt("inquiryd");
}

}  // namespace

Expected<std::unique_ptr<Retention>> Retention::open(boost::asio::io_context& ioc, Pipeline& pipeline,
                                                     metrics::Registry& registry, const WallClock& clock,
                                                     RetentionOptions options) {
    auto pruner = store::Pruner::open(options.database);
    if (!pruner) return pruner.error();
    return std::unique_ptr<Retention>(
        new Retention(ioc, pipeline, registry, clock, std::move(options), std::move(*pruner)));
}

Retention::Retention(boost::asio::io_context& ioc, Pipeline& pipeline, metrics::Registry& registry,
                     const WallClock& clock, RetentionOptions options, std::unique_ptr<store::Pruner> pruner)
    : ioc_(ioc),
      pipeline_(pipeline),
      registry_(registry),
      clock_(clock),
      options_(std::move(options)),
      pruner_(std::move(pruner)),
      log_(retention_logger()) {
    for (const char* what : {"inquiries", "events", "details", "replies", "labels", "customers"})
        for (const char* why : {"retention", "request"})
            registry_.counter("inquiryd_erased_total", "Rows erased by retention or a buyer's erasure request",
                              {{"what", what}, {"why", why}});
}

Retention::~Retention() {
    stop();
}

void Retention::start() {
    thread_ = std::thread([this] { run(); });
}

void Retention::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Retention::submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void Retention::run() {
    ::pthread_setname_np(::pthread_self(), "ir-retention");
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kRetentionNice);
    auto next_pass = Steady::now() + options_.first_pass;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            const auto ready = [this] { return stopping_ || !jobs_.empty(); };
            if (options_.resolved_after)
                wake_.wait_until(lock, next_pass, ready);
            else
                wake_.wait(lock, ready);
            if (stopping_) return;
            if (!jobs_.empty()) {
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
        }
        if (job) {
            job();
        } else if (Steady::now() >= next_pass) {
            pass([](RetentionReport) {});  // report() has logged it
            next_pass = Steady::now() + options_.every;
        }
    }
}

bool Retention::pause() {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, options_.pause, [this] { return stopping_; });
}

void Retention::run_pass(Done done) {
    submit([this, done = std::move(done)]() mutable { pass(std::move(done)); });
}

// Erases the inquiries resolved before the cutoff, batch by batch (each its own
// transaction), then asks the io thread to forget the customers left with nothing.
void Retention::pass(Done done) {
    RetentionReport report;
    if (!options_.resolved_after) return finish(std::move(report), std::move(done));
    const auto cutoff = clock_.now() - *options_.resolved_after;
    std::set<std::uint64_t> candidates;
    for (;;) {
        auto rows = pruner_->resolved_before(cutoff, options_.batch);
        if (!rows) {
            report.error = rows.error().message;
            break;
        }
        if (rows->empty()) break;
        std::vector<std::int64_t> ids;
        for (const auto& row : *rows) {
            ids.push_back(row.id);
            if (const auto c = customer_of(row.payload)) candidates.insert(c);
        }
        if (auto e = erase_batches(std::move(ids), report)) {
            report.error = *e;
            break;
        }
        if (!pause()) return;
    }
    if (report.error || candidates.empty()) return finish(std::move(report), std::move(done));
    auto referenced = customers_in_store();
    if (!referenced) {
        report.error = referenced.error().message;
        return finish(std::move(report), std::move(done));
    }
    if (auto size = pruner_->size()) report.size = *size;
    boost::asio::post(ioc_, [this, report = std::move(report), candidates = std::move(candidates),
                             referenced = std::move(*referenced), done = std::move(done)]() mutable {
        forget_unreferenced(std::move(report), std::move(candidates), std::move(referenced), std::move(done));
    });
}

std::optional<std::string> Retention::erase_batches(std::vector<std::int64_t> ids, RetentionReport& report) {
    for (std::size_t at = 0; at < ids.size(); at += options_.batch) {
        const auto n = std::min(options_.batch, ids.size() - at);
        auto erased = pruner_->erase_inquiries(std::span<const std::int64_t>(ids).subspan(at, n));
        if (!erased) return erased.error().message;
        report.erased += *erased;
        if (at + n < ids.size() && !pause()) return "stopping";
    }
    return std::nullopt;
}

// Every customer a stored inquiry names (as stored: merged-away ids are resolved by the core).
Expected<std::set<std::uint64_t>> Retention::customers_in_store() {
    std::set<std::uint64_t> out;
    for (std::int64_t after = 0;;) {
        auto rows = pruner_->inquiries_after(after, kScanPage);
        if (!rows) return rows.error();
        if (rows->empty()) return out;
        for (const auto& row : *rows)
            if (const auto c = customer_of(row.payload)) out.insert(c);
        after = rows->back().id;
    }
}

Expected<std::vector<std::int64_t>> Retention::inquiries_of(const std::set<std::uint64_t>& customers) {
    std::vector<std::int64_t> ids;
    for (std::int64_t after = 0;;) {
        auto rows = pruner_->inquiries_after(after, kScanPage);
        if (!rows) return rows.error();
        if (rows->empty()) return ids;
        for (const auto& row : *rows)
            if (customers.contains(customer_of(row.payload))) ids.push_back(row.id);
        after = rows->back().id;
    }
}

void Retention::finish(RetentionReport report, Done done) {
    if (auto size = pruner_->size()) report.size = *size;
    boost::asio::post(ioc_, [this, report = std::move(report), done = std::move(done)]() mutable {
        this->report(report, "retention");
        done(std::move(report));
    });
}

// On the io thread: the candidates that no stored inquiry names any more, as the core
// resolves them now (a merge may have joined two since).
void Retention::forget_unreferenced(RetentionReport report, std::set<std::uint64_t> candidates,
                                    std::set<std::uint64_t> referenced, Done done) {
    const auto& book = pipeline_.engine().customers();
    std::set<CustomerId> kept;
    for (const auto id : referenced) kept.insert(book.resolve(CustomerId{id}));
    std::vector<CustomerId> gone;
    for (const auto id : candidates) {
        const auto c = book.resolve(CustomerId{id});
        if (!kept.contains(c) && book.get(c) && std::find(gone.begin(), gone.end(), c) == gone.end()) gone.push_back(c);
    }
    if (gone.empty()) {
        this->report(report, "retention");
        return done(std::move(report));
    }
    forget(std::move(gone), std::nullopt,
           [this, report = std::move(report), done = std::move(done)](StepOutcome o) mutable {
               if (!o.ok()) report.refusal = o.refusal;
               report.customers = std::move(o.step.forgotten);
               this->report(report, "retention");
               done(std::move(report));
           });
}

void Retention::forget(std::vector<CustomerId> ids, std::optional<std::string> who,
                       std::function<void(StepOutcome)> done) {
    store::Change extra;  // ids are never reused, even when the highest customer goes
    extra.meta.emplace_back(std::string(store::kNextCustomerIdKey),
                            std::to_string(pipeline_.engine().customers().next_id()));
    if (who) {  // a request: who asked, in the same transaction
        std::string detail = "customer";
        for (const auto id : ids) detail += " " + std::to_string(static_cast<std::uint64_t>(id));
        extra.audit.push_back({pipeline_.now(), std::move(*who), "erase_customer", std::nullopt, std::move(detail)});
    }
    pipeline_.apply(
        [ids = std::move(ids)](router::Engine& e, sla::TimePoint now) { return e.forget_customers(ids, now); },
        std::move(done), std::move(extra));
}

void Retention::erase_customer(CustomerId id, std::string who, Done done) {
    if (pipeline_.engine().serves_customer(id)) return done({});  // nothing forgotten: the caller says 409
    forget({id}, std::move(who), [this, done = std::move(done)](StepOutcome o) mutable {
        RetentionReport report;
        report.refusal = o.refusal;
        report.customers = std::move(o.step.forgotten);
        if (!report.ok() || report.customers.empty()) return done(std::move(report));
        std::set<std::uint64_t> ids;
        for (const auto c : report.customers) ids.insert(static_cast<std::uint64_t>(c));
        erase_inquiries_of(std::move(ids), std::move(report), std::move(done));
    });
}

void Retention::erase_leftovers(CustomerId id, Done done) {
    erase_inquiries_of({static_cast<std::uint64_t>(id)}, {}, std::move(done));
}

// On the worker: every inquiry stored for `ids`, then the report on the io thread. If the
// daemon stops first the job is dropped and `done` never runs: a repeated request finishes it.
void Retention::erase_inquiries_of(std::set<std::uint64_t> ids, RetentionReport report, Done done) {
    submit([this, ids = std::move(ids), report = std::move(report), done = std::move(done)]() mutable {
        auto inquiries = inquiries_of(ids);
        if (!inquiries)
            report.error = inquiries.error().message;
        else if (auto e = erase_batches(std::move(*inquiries), report))
            report.error = *e;
        if (auto size = pruner_->size()) report.size = *size;
        boost::asio::post(ioc_, [this, report = std::move(report), done = std::move(done)]() mutable {
            this->report(report, "request");
            done(std::move(report));
        });
    });
}

// On the io thread: counted, logged.
void Retention::report(const RetentionReport& r, std::string_view why) {
    const std::pair<const char*, std::int64_t> counts[] = {
        {"inquiries", r.erased.inquiries}, {"events", r.erased.events},
        {"details", r.erased.details},     {"replies", r.erased.replies},
        {"labels", r.erased.labels},       {"customers", static_cast<std::int64_t>(r.customers.size())},
    };
    for (const auto& [what, n] : counts)
        registry_
            .counter("inquiryd_erased_total", "Rows erased by retention or a buyer's erasure request",
                     {{"what", what}, {"why", std::string(why)}})
            .inc(static_cast<std::uint64_t>(n));
    if (r.size.bytes > 0)
        registry_.gauge("inquiryd_store_file_free_bytes", "Free pages in the store's database file, which new rows reuse first")
            .set(static_cast<double>(r.size.free_bytes));
    if (r.error) log_->error("{}: erasure stopped: {}", why, *r.error);
    if (r.erased.inquiries == 0 && r.customers.empty()) return;
    log_->info(
        "{}: erased {} inquiries ({} events emptied, {} details, {} replies kept as aggregates), forgot {} "
        "customers; store {} MiB, {} MiB of it free",
        why, r.erased.inquiries, r.erased.events, r.erased.details, r.erased.replies, r.customers.size(),
        r.size.bytes >> 20, r.size.free_bytes >> 20);
}

}  // namespace ir::daemon
