// The Maildir source's fast lane: what wakes it, and its passes over new/ and recent cur/.
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

constexpr std::chrono::milliseconds kRetryAfter{1000};  // a mail the daemon could not take now

std::shared_ptr<spdlog::logger> email_logger() {
    static std::mutex mu;
    std::lock_guard lock(mu);
    if (auto l = spdlog::get("email")) return l;
    return spdlog::stderr_color_mt("email");
}

}  // namespace

MaildirSource::MaildirSource(boost::asio::io_context& ioc, MaildirConfig config, SubmitFn submit,
                             std::shared_ptr<spdlog::logger> log)
    : ioc_(ioc),
      config_(std::move(config)),
      submit_(std::move(submit)),
      log_(log ? std::move(log) : email_logger()),
      budget_({config_.parse_budget, config_.parse_timeout, config_.slow_parses_per_minute}) {
    if (config_.worker.empty()) config_.worker = default_mailparse_path();
    worker_ = std::make_unique<MailParseWorker>(config_.worker, /*keep_spare=*/true);
    slow_worker_ = std::make_unique<MailParseWorker>(config_.worker);
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
    slow_thread_ = std::thread([this] { run_slow(); });
}

void MaildirSource::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    watch_.wake();
    worker_->interrupt();
    slow_worker_->interrupt();
    if (thread_.joinable()) thread_.join();
    if (slow_thread_.joinable()) slow_thread_.join();
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
        const auto next = pass();
        ++stats_.scans;
        if (!wait_for_mail(next)) return;
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

// Returns when to look again: at once when a cur/ pass ran out of its time; within a
// second when a mail was not taken now (the daemon busy or its disk full), so it does not
// wait a whole poll interval for other mail to wake the watch; else at the poll.
std::chrono::milliseconds MaildirSource::pass() {
    bool more = false;
    bool paused = false;
    const auto folder = [&](std::size_t index, bool with_cur) {
        const Step step = scan(index);
        paused |= step == Step::pause;
        if (step == Step::next && with_cur) more |= scan_cur(index);
    };
    folder(0, static_cast<bool>(inbox_since_));
    if (config_.sent_maildir) folder(1, true);
    if (more) return std::chrono::milliseconds(0);
    return paused ? std::min(poll_period(), kRetryAfter) : poll_period();
}

// Without inotify a poll is all there is: at least every second.
std::chrono::milliseconds MaildirSource::poll_period() const {
    return watch_.ok() ? config_.poll_interval : std::min(config_.poll_interval, std::chrono::milliseconds(1000));
}

// Until mail may have come (an inotify event other than our own move to cur/), the poll is
// due, or stop().
bool MaildirSource::wait_for_mail(std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + timeout;
    for (;;) {
        const auto next = look_again_at_ ? std::min(until, *look_again_at_) : until;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now());
        const auto wake = watch_.wait(std::max(left, std::chrono::milliseconds(0)));
        if (stopping()) return false;
        const auto now = Clock::now();
        if (wake.overflow || now >= until) {
            for (auto& folder : cur_) folder.dirty = true;  // look at everything, watch again what went away
            if (wake.overflow) {
                std::lock_guard lock(mu_);
                for (auto& names : self_moved_) names.clear();
            }
            watch_.refresh();
            return true;
        }
        const bool linked = look_again_at_ && now >= *look_again_at_;
        if (linked) {
            look_again_at_.reset();
            for (auto& folder : cur_) folder.dirty = true;
        }
        if (is_news(wake.changes) || linked) {
            ++stats_.woken;
            return true;
        }
    }
}

bool MaildirSource::is_news(const std::vector<MaildirWatch::Change>& changes) {
    bool news = false;
    for (const auto& c : changes) {
        const fs::path& maildir = maildir_of(c.maildir);
        const bool in_cur = c.sub == MaildirWatch::Sub::cur;
        // A regular file just created is being written (its IN_CLOSE_WRITE follows), or was
        // hard-linked from tmp/ whole (qmail's way: nothing follows): look again shortly.
        // A FIFO or a symbolic link is news at once: nothing follows either.
        if (c.created_only && maildir::not_regular(maildir / (in_cur ? "cur" : "new") / c.name).empty()) {
            if (!look_again_at_) look_again_at_ = std::chrono::steady_clock::now() + kLookAgain;
            continue;
        }
        if (in_cur) {
            std::lock_guard lock(mu_);
            if (self_moved_[c.maildir].erase(c.name)) continue;
            cur_[c.maildir].dirty = true;
        }
        news = true;
    }
    return news;
}

MaildirSource::Step MaildirSource::scan(std::size_t maildir) {
    for (const auto& name : maildir::list_new(maildir_of(maildir))) {
        if (stopping()) return Step::pause;
        const Mail m{maildir, Folder::new_mail, name};
        if (is_set_aside(m)) continue;  // the slow lane's now
        if (process(m, Lane::fast) == Step::pause) return Step::pause;
    }
    return Step::next;
}

// A pass takes at most cur_pass_budget, then new/ comes first again: after a restart a
// big cur/ is read once more, and new inquiries must not wait behind it.
bool MaildirSource::scan_cur(std::size_t maildir) {
    CurFolder& folder = cur_[maildir];
    if (!folder.dirty) return false;
    folder.dirty = false;
    const bool more = read_cur(maildir, folder);
    if (more || stopping()) folder.dirty = true;  // not all of it read: look again
    return more;
}

bool MaildirSource::read_cur(std::size_t maildir, CurFolder& folder) {
    {
        std::lock_guard lock(mu_);
        for (auto& name : taken_to_cur_[maildir]) folder.read.insert(std::move(name));
        taken_to_cur_[maildir].clear();
    }
    // Mail clients keep years of mail in cur/: list it only when files came, went or were
    // renamed. A change within the last second may share the folder's mtime: list again.
    const fs::path& dir = maildir_of(maildir);
    const auto now = fs::file_time_type::clock::now();
    std::error_code ec;
    const auto mtime = fs::last_write_time(dir / "cur", ec);
    if (!ec && folder.unchanged_since == mtime) return false;
    folder.unchanged_since.reset();
    auto since = now - config_.cur_lookback;
    if (maildir == 0) since = std::max(since, *inbox_since_);
    const auto names = maildir::list_since(dir, "cur", since);
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
        if (process({maildir, Folder::cur, name}, Lane::fast) == Step::pause) {
            folder.dirty = true;
            return false;
        }
        folder.read.insert(name);  // a mail set aside too: the slow lane has it
    }
    if (!ec && mtime < now - std::chrono::seconds(1)) folder.unchanged_since = mtime;
    return false;
}

}  // namespace ir::daemon
