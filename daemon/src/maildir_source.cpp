// The Maildir source's thread: scan, parse in the worker, submit, then move the file.
#include "ir/daemon/maildir_source.hpp"

#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>

#include "ir/base/text.hpp"
#include "ir/daemon/maildir_files.hpp"
#include "ir/daemon/maildir_worker.hpp"

namespace ir::daemon {
namespace fs = std::filesystem;

namespace {

std::shared_ptr<spdlog::logger> email_logger() {
    static std::mutex mu;
    std::lock_guard lock(mu);
    if (auto l = spdlog::get("email")) return l;
    return spdlog::stderr_color_mt("email");
}

sla::TimePoint wall_now() {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

}  // namespace

// The answer to one submit, shared with the callback (which may outlive a stopped source).
struct MaildirSource::Pending {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<SubmitOutcome> outcome;
};

MaildirSource::MaildirSource(boost::asio::io_context& ioc, MaildirConfig config, SubmitFn submit,
                             std::shared_ptr<spdlog::logger> log)
    : ioc_(ioc), config_(std::move(config)), submit_(std::move(submit)), log_(log ? std::move(log) : email_logger()) {
    if (config_.worker.empty()) config_.worker = default_mailparse_path();
    worker_ = std::make_unique<MailParseWorker>(config_.worker);
}

MaildirSource::~MaildirSource() {
    stop();
}

void MaildirSource::start() {
    std::error_code ec;
    for (const auto* dir : {&config_.maildir, config_.sent_maildir ? &*config_.sent_maildir : nullptr})
        if (dir)
            for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(*dir / sub, ec);
    if (!config_.state_dir.empty()) {
        std::string error;
        inbox_since_ = maildir::watched_since(maildir::watch_record(config_.state_dir, config_.maildir), error);
        if (!inbox_since_)
            log_->error("account {}: {}; mail filed straight into {}/cur is not read", config_.account, error,
                        config_.maildir.string());
    }
    thread_ = std::thread([this] { run(); });
}

void MaildirSource::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    watch_.wake();
    worker_->interrupt();
    if (thread_.joinable()) thread_.join();
}

bool MaildirSource::stopping() {
    std::lock_guard lock(mu_);
    return stopping_;
}

void MaildirSource::run() {
    // SIGPIPE from a dead worker must not reach the daemon; the process's signal_set
    // threads are unaffected by this thread's mask.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    watch_folders();  // before the first pass: mail delivered meanwhile is reported, not missed
    for (;;) {
        const bool more = pass();  // a cur/ pass ran out of its time: go on at once
        ++stats_.scans;
        if (!wait_for_mail(more ? std::chrono::milliseconds(0) : poll_period())) return;
    }
}

void MaildirSource::watch_folders() {
    std::string error;
    auto add = [&](std::size_t index, const fs::path& maildir, MaildirWatch::Sub sub) {
        if (auto e = watch_.add(index, maildir, sub); !e.empty() && error.empty()) error = std::move(e);
    };
    add(0, config_.maildir, MaildirWatch::Sub::new_mail);
    if (inbox_since_) add(0, config_.maildir, MaildirWatch::Sub::cur);
    if (config_.sent_maildir) {
        add(1, *config_.sent_maildir, MaildirWatch::Sub::new_mail);
        add(1, *config_.sent_maildir, MaildirWatch::Sub::cur);
    }
    const std::string folders =
        config_.maildir.string() + (config_.sent_maildir ? " and " + config_.sent_maildir->string() : "");
    if (error.empty())
        log_->info("account {}: watching {} (inotify; a full look every {} ms besides)", config_.account, folders,
                   config_.poll_interval.count());
    else
        log_->warn("account {}: {}: polling {} every {} ms instead of inotify", config_.account, error, folders,
                   poll_period().count());
}

bool MaildirSource::pass() {
    bool more = false;
    if (scan(config_.maildir, false) == Step::next && inbox_since_) more |= scan_cur(config_.maildir, false);
    if (config_.sent_maildir && scan(*config_.sent_maildir, true) == Step::next)
        more |= scan_cur(*config_.sent_maildir, true);
    return more;
}

// Without inotify a poll is all there is: at least every second.
std::chrono::milliseconds MaildirSource::poll_period() const {
    return watch_.ok() ? config_.poll_interval : std::min(config_.poll_interval, std::chrono::milliseconds(1000));
}

// Until mail may have come (an inotify event other than our own move to cur/), the poll is
// due, or stop().
bool MaildirSource::wait_for_mail(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        const auto wake = watch_.wait(std::max(left, std::chrono::milliseconds(0)));
        if (stopping()) return false;
        if (wake.overflow || std::chrono::steady_clock::now() >= until) {
            for (auto& folder : cur_) folder.dirty = true;  // look at everything, watch again what went away
            if (wake.overflow) {
                std::lock_guard lock(mu_);
                for (auto& names : self_moved_) names.clear();
            }
            watch_.refresh();
            return true;
        }
        if (is_news(wake.changes)) {
            ++stats_.woken;
            return true;
        }
    }
}

bool MaildirSource::is_news(const std::vector<MaildirWatch::Change>& changes) {
    bool news = false;
    for (const auto& c : changes) {
        const fs::path& maildir = c.maildir == 0 ? config_.maildir : *config_.sent_maildir;
        const bool in_cur = c.sub == MaildirWatch::Sub::cur;
        // A regular file just created is still being written: its IN_CLOSE_WRITE follows.
        // A FIFO or a link never gets one.
        if (c.created_only && maildir::not_regular(maildir / (in_cur ? "cur" : "new") / c.name).empty()) continue;
        if (in_cur) {
            std::lock_guard lock(mu_);
            if (self_moved_[c.maildir].erase(c.name)) continue;
            cur_[c.maildir].dirty = true;
        }
        news = true;
    }
    return news;
}

MaildirSource::Step MaildirSource::scan(const fs::path& maildir, bool outbound) {
    for (const auto& name : maildir::list_new(maildir)) {
        if (stopping()) return Step::pause;
        if (process(maildir, Folder::new_mail, name, outbound) == Step::pause) return Step::pause;
    }
    return Step::next;
}

// A pass takes at most cur_pass_budget, then new/ comes first again: after a restart a
// big cur/ is read once more, and new inquiries must not wait behind it.
bool MaildirSource::scan_cur(const fs::path& maildir, bool outbound) {
    CurFolder& folder = cur_[outbound ? 1 : 0];
    if (!folder.dirty) return false;
    folder.dirty = false;
    const bool more = read_cur(maildir, folder, outbound);
    if (more || stopping()) folder.dirty = true;  // not all of it read: look again
    return more;
}

bool MaildirSource::read_cur(const fs::path& maildir, CurFolder& folder, bool outbound) {
    // Mail clients keep years of mail in cur/: list it only when files came, went or were
    // renamed. A change within the last second may share the folder's mtime: list again.
    const auto now = fs::file_time_type::clock::now();
    std::error_code ec;
    const auto mtime = fs::last_write_time(maildir / "cur", ec);
    if (!ec && folder.unchanged_since == mtime) return false;
    folder.unchanged_since.reset();
    auto since = now - config_.cur_lookback;
    if (!outbound) since = std::max(since, *inbox_since_);
    const auto names = maildir::list_since(maildir, "cur", since);
    // Forget what left the folder (or aged out), so the set stays the size of the folder.
    std::set<std::string> still;
    for (const auto& name : names)
        if (folder.read.contains(name)) still.insert(name);
    folder.read.swap(still);
    const auto until = std::chrono::steady_clock::now() + config_.cur_pass_budget;
    for (const auto& name : names) {
        if (folder.read.contains(name)) continue;
        if (std::chrono::steady_clock::now() >= until) return true;
        if (stopping()) return false;
        if (process(maildir, Folder::cur, name, outbound) == Step::pause) {
            folder.dirty = true;
            return false;
        }
        folder.read.insert(name);
    }
    if (!ec && mtime < now - std::chrono::seconds(1)) folder.unchanged_since = mtime;
    return false;
}

maildir::Keep MaildirSource::keep_of(Folder folder) {
    return folder == Folder::cur ? maildir::Keep::original : maildir::Keep::move;
}

fs::path MaildirSource::path_of(const fs::path& maildir, Folder folder, const std::string& name) {
    return maildir / (folder == Folder::cur ? "cur" : "new") / name;
}

// Where a mail goes once taken (committed, a duplicate, or no inquiry at all): new/ mail
// moves to cur/; a cur/ mail stays where its client keeps it.
void MaildirSource::file_away(const fs::path& maildir, Folder folder, const std::string& name) {
    if (folder == Folder::cur) return;
    const std::size_t index = config_.sent_maildir && maildir == *config_.sent_maildir ? 1 : 0;
    const std::string moved = maildir::cur_name(name);
    const bool watched = index == 1 || inbox_since_;  // its cur/ is watched: our own move is no news
    if (watched) {
        std::lock_guard lock(mu_);
        if (self_moved_[index].size() > 10000) self_moved_[index].clear();  // events lost: bounded all the same
        self_moved_[index].insert(moved);
    }
    if (auto err = maildir::move_to_cur(maildir, name); !err.empty()) {
        log_->error("account {}: {}", config_.account, err);
        std::lock_guard lock(mu_);
        self_moved_[index].erase(moved);
        return;
    }
    cur_[index].read.insert(moved);  // taken already: not again from cur/
}

MaildirSource::Step MaildirSource::process(const fs::path& maildir, Folder folder, const std::string& name,
                                           bool outbound) {
    const fs::path file = path_of(maildir, folder, name);
    auto to_quarantine = [&](const std::string& reason) {
        ++stats_.quarantined;
        log_->warn("account {}: {} quarantined: {}", config_.account, file.string(), reason);
        if (auto err = maildir::quarantine(file, config_.quarantine, reason, keep_of(folder)); !err.empty())
            log_->error("account {}: {}", config_.account, err);
        return Step::next;
    };
    std::string error, kind;
    auto raw = maildir::read_mail(file, config_.max_bytes, error, kind);
    if (!raw && !kind.empty()) return to_quarantine("not a regular file: " + kind + ", never opened");
    if (!raw) {
        if (!error.empty()) log_->error("account {}: {}", config_.account, error);
        return Step::next;  // vanished (another reader moved it) or unreadable: next scan
    }
    if (raw->bytes.size() > config_.max_bytes)
        return to_quarantine("mail too big: " + std::to_string(std::max<std::uint64_t>(raw->size, raw->bytes.size())) +
                             " bytes, the limit is " + std::to_string(config_.max_bytes));
    adapters::MailOptions opts;
    opts.account = config_.account;
    opts.own_addresses = config_.own_addresses;
    opts.trusted_authserv_id = config_.trusted_authserv_id;
    // Arrival: the file's mtime (when the delivery agent wrote it), never later than now.
    opts.arrival = std::min(wall_now(), std::chrono::time_point_cast<sla::Duration>(raw->mtime));
    opts.date_skew = config_.date_skew;
    opts.max_bytes = config_.max_bytes;
    opts.outbound = outbound;
    auto result = worker_->parse(raw->bytes, opts, config_.parse_timeout);
    if (auto* failure = std::get_if<WorkerFailure>(&result)) {
        using Kind = WorkerFailure::Kind;
        if (failure->kind == Kind::interrupted) return Step::pause;
        if (failure->kind == Kind::unavailable) {
            log_->error("account {}: {}; mail left where it is", config_.account, failure->reason);
            return Step::pause;
        }
        if (failure->kind == Kind::timed_out)
            return to_quarantine("parse timed out after " + std::to_string(config_.parse_timeout.count()) + " ms");
        return to_quarantine("the parser failed: " + failure->reason);
    }
    auto& mail = std::get<adapters::MailResult>(result);
    if (auto* error_result = std::get_if<adapters::MailError>(&mail)) return to_quarantine(error_result->reason);
    if (auto* ni = std::get_if<adapters::MailNotInquiry>(&mail)) {
        ++stats_.not_inquiries;
        log_->info("account {}: {} is not an inquiry: {} (from {}, {})", config_.account, file.string(), ni->reason,
                   ni->from, ni->message_id);
        file_away(maildir, folder, name);
        return Step::next;
    }
    if (!worker_->date_note().empty())
        log_->info("account {}: {}: {}", config_.account, file.filename().string(), worker_->date_note());
    return handle_event(maildir, folder, name, std::move(std::get<router::Event>(mail)));
}

MaildirSource::Step MaildirSource::handle_event(const fs::path& maildir, Folder folder, const std::string& name,
                                                router::Event event) {
    const std::string message_id = event.message_id;
    const bool untrusted_own = event.direction == router::Direction::inbound && is_own_address(event.sender.email);
    auto outcome = submit_and_wait(std::move(event));
    if (!outcome) return Step::pause;  // stopping: the next run resubmits it
    using Kind = SubmitOutcome::Kind;
    const fs::path file = path_of(maildir, folder, name);
    switch (outcome->kind) {
        case Kind::committed:
        case Kind::duplicate: {
            ++(outcome->kind == Kind::committed ? stats_.events : stats_.duplicates);
            log_->info("inq={} account {}: {} {} ({})", outcome->inquiry, config_.account, file.filename().string(),
                       outcome->kind == Kind::committed ? "committed" : "already committed", message_id);
            if (untrusted_own)
                log_->warn(
                    "inq={} account {}: {} is From our own address {} without a dmarc=pass from {}: "
                    "taken as an inbound mail, not as our reply",
                    outcome->inquiry, config_.account, file.filename().string(), message_id,
                    config_.trusted_authserv_id.empty() ? "a trusted server (none configured)"
                                                        : config_.trusted_authserv_id);
            file_away(maildir, folder, name);
            return Step::next;
        }
        case Kind::rejected:
            if (outcome->permanent) {
                ++stats_.quarantined;
                log_->warn("account {}: {} rejected: {}", config_.account, file.string(), outcome->reason);
                if (auto err =
                        maildir::quarantine(file, config_.quarantine, "rejected: " + outcome->reason, keep_of(folder));
                    !err.empty())
                    log_->error("account {}: {}", config_.account, err);
                return Step::next;
            }
            [[fallthrough]];
        case Kind::retry_later:
            ++stats_.retries;
            log_->info("account {}: {} not taken now ({}); retried on the next scan", config_.account,
                       file.filename().string(), outcome->reason);
            return Step::pause;
    }
    return Step::pause;
}

bool MaildirSource::is_own_address(const std::string& email) const {
    const std::string l = ascii_lower(email);
    return std::any_of(config_.own_addresses.begin(), config_.own_addresses.end(),
                       [&](const std::string& a) { return ascii_lower(a) == l; });
}

std::optional<SubmitOutcome> MaildirSource::submit_and_wait(router::Event event) {
    auto pending = std::make_shared<Pending>();
    boost::asio::post(ioc_, [submit = submit_, pending, event = std::move(event)]() mutable {
        submit(std::move(event), [pending](SubmitOutcome o) {
            {
                std::lock_guard lock(pending->mu);
                pending->outcome = std::move(o);
            }
            pending->cv.notify_all();
        });
    });
    std::unique_lock lock(pending->mu);
    while (!pending->outcome) {
        pending->cv.wait_for(lock, std::chrono::milliseconds(100));
        std::lock_guard stop_lock(mu_);
        if (stopping_) return std::nullopt;
    }
    return pending->outcome;
}

}  // namespace ir::daemon
