#pragma once
// One account's Maildir as an inquiry source. A dedicated thread reads new/ as soon as
// inotify reports mail there (maildir_watch.hpp), and besides at start and every
// poll_interval (what inotify cannot see: another host's writes over NFS, dropped events);
// without inotify it polls every second at most. It has each mail parsed by the worker
// (maildir_worker.hpp) within parse_budget, or sets it aside for the account's slow lane
// (parse_budget.hpp), and hands events to `submit` on the daemon's io_context; only after
// the answer `committed` or `duplicate` is the file renamed to cur/NAME:2,S. Bounces and
// auto-replies are logged and moved to cur/; unreadable mail, parse timeouts, oversize
// mail and permanent rejections go to the quarantine folder with NAME.reason beside it.
// `retry_later` leaves the mail in new/ for the next scan. Nothing is ever deleted.
// A crash between commit and rename resubmits the same Message-ID: `duplicate`, moved.
// Recent mail in cur/ is read too, because mail clients and IMAP syncers (mutt, mbsync,
// offlineimap) file mail that is already seen there directly: our sent replies always,
// and a buyer's mail that someone read on the phone before the sync. Those files belong
// to the client: they are never moved (a broken one is copied to quarantine), and a file
// read once is not read again while it stays; after a restart they come back as
// duplicates. In the inbox only mail from after the first start counts (recorded in the
// state folder), so pointing inquiryd at an old mailbox does not make its read mail
// inquiries.
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstdint>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ir/adapters/mail_parser.hpp"
#include "ir/daemon/maildir_files.hpp"
#include "ir/daemon/maildir_watch.hpp"
#include "ir/daemon/parse_budget.hpp"
#include "ir/router/event.hpp"

namespace spdlog {
class logger;
}

namespace ir::daemon {

class MailParseWorker;

struct MaildirConfig {
    std::string account;
    std::filesystem::path maildir;                                   // has new/, cur/, tmp/
    std::optional<std::filesystem::path> sent_maildir;               // our replies: outbound events
    std::filesystem::path quarantine;                                // created when first needed
    std::vector<std::string> own_addresses;                          // From one of these: outbound if trusted
    std::string trusted_authserv_id;                                 // whose dmarc=pass makes inbox own mail ours
    std::filesystem::path worker;                                    // empty: default_mailparse_path()
    std::chrono::milliseconds parse_budget{1000};                    // the fast lane's time per mail
    std::chrono::milliseconds parse_timeout{5000};                   // the slow lane's; past it: quarantined
    std::size_t slow_parses_per_minute = 6;                          // see parse_budget.hpp
    std::chrono::milliseconds date_skew = std::chrono::minutes(15);  // see adapters/mail_date.hpp
    std::chrono::milliseconds poll_interval{30000};                  // a full look without an inotify event
    std::size_t max_bytes = std::size_t{10} << 20;
    std::chrono::milliseconds cur_lookback = std::chrono::hours(24 * 14);  // how old a cur/ mail may be
    std::filesystem::path state_dir;  // keeps the inbox's first-watched time; empty: its cur/ is not read
    std::chrono::milliseconds cur_pass_budget{200};  // cur/ reading per pass, before new/ is looked at again
};

struct SubmitOutcome {
    enum class Kind { committed, duplicate, rejected, retry_later };
    Kind kind = Kind::committed;
    std::string reason;         // for rejected
    bool permanent = true;      // rejected and permanent: quarantine; otherwise retried
    std::uint64_t inquiry = 0;  // committed or duplicate: the inquiry it belongs to (0: none)
};

// Called on the io_context thread; `done` may be called from any thread, exactly once.
using SubmitFn = std::function<void(router::Event, std::function<void(SubmitOutcome)>)>;

struct MaildirStats {
    std::atomic<std::uint64_t> events{0};  // committed
    std::atomic<std::uint64_t> duplicates{0};
    std::atomic<std::uint64_t> not_inquiries{0};
    std::atomic<std::uint64_t> quarantined{0};
    std::atomic<std::uint64_t> retries{0};
    std::atomic<std::uint64_t> scans{0};         // completed passes over new/ (and recent cur/)
    std::atomic<std::uint64_t> woken{0};         // passes that inotify started (the rest: start, poll)
    std::atomic<std::uint64_t> set_aside{0};     // mail over parse_budget, handed to the slow lane
    std::atomic<std::uint64_t> slow_parses{0};   // parses the slow lane started
    std::atomic<std::uint64_t> slow_waiting{0};  // mail waiting for the slow lane now
};

class MaildirSource {
public:
    MaildirSource(boost::asio::io_context& ioc, MaildirConfig config, SubmitFn submit,
                  std::shared_ptr<spdlog::logger> log = nullptr);
    ~MaildirSource();  // stop()
    MaildirSource(const MaildirSource&) = delete;
    MaildirSource& operator=(const MaildirSource&) = delete;

    void start();  // creates the Maildir's new/ cur/ tmp/ if missing, starts the threads
    // Stops and joins (any thread, also the io thread): a mail waiting for its commit is
    // left in new/ and resubmitted (as a duplicate) by the next run.
    void stop();
    const MaildirStats& stats() const { return stats_; }
    const MaildirConfig& config() const { return config_; }

private:
    struct Pending;
    enum class Step { next, pause };      // pause: stop this pass (daemon busy)
    enum class Folder { new_mail, cur };  // new/ is ours to move; cur/ is the mail client's
    enum class Lane { fast, slow };
    struct Mail {                 // one file, as both lanes name it
        std::size_t maildir = 0;  // 0: the inbox, 1: Sent
        Folder folder = Folder::new_mail;
        std::string name;
    };
    struct CurFolder;

    // maildir_source.cpp: the fast lane's thread, what wakes it, its passes.
    void run();
    void watch_folders();
    std::chrono::milliseconds pass();  // one look at every folder; returns when to look again
    std::chrono::milliseconds poll_period() const;
    bool wait_for_mail(std::chrono::milliseconds timeout);  // false: stopping
    bool is_news(const std::vector<MaildirWatch::Change>& changes);
    bool stopping();
    Step scan(std::size_t maildir);
    bool scan_cur(std::size_t maildir);  // true: more to read
    bool read_cur(std::size_t maildir, CurFolder& folder);
    // maildir_mail.cpp: one mail, in either lane.
    const std::filesystem::path& maildir_of(std::size_t index) const;
    std::filesystem::path path_of(const Mail& m) const;
    Step process(const Mail& m, Lane lane);
    Step parsed(const Mail& m, Lane lane, adapters::MailResult result, const maildir::MailFile& content);
    Step handle_event(const Mail& m, router::Event event, const maildir::MailFile& content);
    Step quarantine(const Mail& m, const std::string& reason, const maildir::MailFile* content);
    adapters::MailOptions options_for(const maildir::MailFile& content, bool outbound) const;
    void file_away(const Mail& m);
    std::optional<SubmitOutcome> submit_and_wait(router::Event event);
    bool is_own_address(const std::string& email) const;
    // maildir_slow_lane.cpp
    void run_slow();
    bool is_set_aside(const Mail& m);
    Step set_aside(const Mail& m, std::chrono::milliseconds given);
    std::chrono::milliseconds fast_budget();
    std::optional<Mail> next_slow();  // waits; nullopt: stopping

    boost::asio::io_context& ioc_;
    MaildirConfig config_;
    SubmitFn submit_;
    std::shared_ptr<spdlog::logger> log_;
    MaildirStats stats_;
    std::mutex mu_;  // guards what both lanes share: below, down to cur_
    std::condition_variable cv_;
    bool stopping_ = false;
    std::set<std::string> self_moved_[2];       // cur/ names we renamed there, until inotify reports them
    std::vector<std::string> taken_to_cur_[2];  // moved to cur/ by either lane: for the read sets
    ParseBudget budget_;
    std::deque<Mail> slow_queue_;
    std::set<std::filesystem::path> slow_files_;    // waiting for or in the slow lane: the fast lane skips them
    std::unique_ptr<MailParseWorker> worker_;       // the fast lane's
    std::unique_ptr<MailParseWorker> slow_worker_;  // the slow lane's
    MaildirWatch watch_;
    std::optional<std::filesystem::file_time_type> inbox_since_;  // set: the inbox's cur/ is read
    // The fast lane's own, for the inbox [0] and Sent [1]: cur/ names taken, and the
    // folder's mtime when a pass last took everything (unchanged since: nothing to list).
    // `dirty`: something came (inotify) or a poll is due; clean folders are not looked at.
    struct CurFolder {
        std::set<std::string> read;
        std::optional<std::filesystem::file_time_type> unchanged_since;
        bool dirty = true;
    };
    CurFolder cur_[2];
    // A regular file was created (IN_CREATE) without a rename or close since: a pass then.
    static constexpr std::chrono::milliseconds kLookAgain{200};
    std::optional<std::chrono::steady_clock::time_point> look_again_at_;
    std::thread thread_, slow_thread_;
};

}  // namespace ir::daemon
