// One mail of a Maildir source, in either lane: read, parse in the lane's worker, submit,
// then move the file (or quarantine what was read).
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "ir/base/text.hpp"
#include "ir/daemon/maildir_files.hpp"
#include "ir/daemon/maildir_source.hpp"
#include "ir/daemon/maildir_worker.hpp"

namespace ir::daemon {
namespace fs = std::filesystem;

namespace {

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

const fs::path& MaildirSource::maildir_of(std::size_t index) const {
    return index == 0 ? config_.maildir : *config_.sent_maildir;
}

fs::path MaildirSource::path_of(const Mail& m) const {
    return maildir_of(m.maildir) / (m.folder == Folder::cur ? "cur" : "new") / m.name;
}

adapters::MailOptions MaildirSource::options_for(const maildir::MailFile& content, bool outbound) const {
    adapters::MailOptions opts;
    opts.account = config_.account;
    opts.own_addresses = config_.own_addresses;
    opts.trusted_authserv_id = config_.trusted_authserv_id;
    // Arrival: the file's mtime (when the delivery agent wrote it), never later than now.
    opts.arrival = std::min(wall_now(), std::chrono::time_point_cast<sla::Duration>(content.mtime));
    opts.date_skew = config_.date_skew;
    opts.max_bytes = config_.max_bytes;
    opts.outbound = outbound;
    return opts;
}

// A client's cur/ file is copied, ours moved; a copy is made of the bytes read (and the
// rest of them from the same open file), never of whatever the path names by then.
MaildirSource::Step MaildirSource::quarantine(const Mail& m, const std::string& reason,
                                              const maildir::MailFile* content) {
    const fs::path file = path_of(m);
    ++stats_.quarantined;
    log_->warn("account {}: {} quarantined: {}", config_.account, file.string(), reason);
    const auto keep = m.folder == Folder::cur ? maildir::Keep::original : maildir::Keep::move;
    if (auto err = maildir::quarantine(file, config_.quarantine, reason, keep, content); !err.empty())
        log_->error("account {}: {}", config_.account, err);
    return Step::next;
}

MaildirSource::Step MaildirSource::process(const Mail& m, Lane lane) {
    std::string error, kind;
    auto content = maildir::read_mail(path_of(m), config_.max_bytes, error, kind);
    if (!content && !kind.empty()) return quarantine(m, "not a regular file: " + kind + ", never opened", nullptr);
    if (!content) {
        if (!error.empty()) log_->error("account {}: {}", config_.account, error);
        return Step::next;  // vanished (another reader moved it) or unreadable: next scan
    }
    if (content->bytes.size() > config_.max_bytes)
        return quarantine(
            m,
            "mail too big: " + std::to_string(std::max<std::uint64_t>(content->size, content->bytes.size())) +
                " bytes, the limit is " + std::to_string(config_.max_bytes),
            &*content);
    const auto given = lane == Lane::fast ? fast_budget() : config_.parse_timeout;
    MailParseWorker& worker = lane == Lane::fast ? *worker_ : *slow_worker_;
    auto result = worker.parse(content->bytes, options_for(*content, m.maildir == 1), given);
    if (auto* failure = std::get_if<WorkerFailure>(&result)) {
        using Kind = WorkerFailure::Kind;
        if (failure->kind == Kind::interrupted) return Step::pause;
        if (failure->kind == Kind::unavailable) {
            log_->error("account {}: {}; mail left where it is", config_.account, failure->reason);
            return Step::pause;
        }
        if (failure->kind == Kind::timed_out) {
            if (lane == Lane::fast && budget_.worth_slow_lane(given)) return set_aside(m, given);
            return quarantine(m, "parse timed out after " + std::to_string(given.count()) + " ms", &*content);
        }
        return quarantine(m, "the parser failed: " + failure->reason, &*content);
    }
    if (!worker.date_note().empty()) log_->info("account {}: {}: {}", config_.account, m.name, worker.date_note());
    return parsed(m, lane, std::move(std::get<adapters::MailResult>(result)), *content);
}

MaildirSource::Step MaildirSource::parsed(const Mail& m, Lane lane, adapters::MailResult result,
                                          const maildir::MailFile& content) {
    if (auto* error = std::get_if<adapters::MailError>(&result)) return quarantine(m, error->reason, &content);
    if (auto* ni = std::get_if<adapters::MailNotInquiry>(&result)) {
        ++stats_.not_inquiries;
        log_->info("account {}: {} is not an inquiry: {} (from {}, {})", config_.account, path_of(m).string(),
                   ni->reason, ni->from, ni->message_id);
        file_away(m);
        return Step::next;
    }
    if (lane == Lane::slow) log_->info("account {}: {} parsed in the slow lane", config_.account, m.name);
    return handle_event(m, std::move(std::get<router::Event>(result)), content);
}

MaildirSource::Step MaildirSource::handle_event(const Mail& m, router::Event event, const maildir::MailFile& content) {
    const std::string message_id = event.message_id;
    const bool untrusted_own = event.direction == router::Direction::inbound && is_own_address(event.sender.email);
    auto outcome = submit_and_wait(std::move(event));
    if (!outcome) return Step::pause;  // stopping: the next run resubmits it
    using Kind = SubmitOutcome::Kind;
    switch (outcome->kind) {
        case Kind::committed:
        case Kind::duplicate: {
            ++(outcome->kind == Kind::committed ? stats_.events : stats_.duplicates);
            log_->info("inq={} account {}: {} {} ({})", outcome->inquiry, config_.account, m.name,
                       outcome->kind == Kind::committed ? "committed" : "already committed", message_id);
            if (untrusted_own)
                log_->warn(
                    "inq={} account {}: {} is From our own address {} without a dmarc=pass from {}: "
                    "taken as an inbound mail, not as our reply",
                    outcome->inquiry, config_.account, m.name, message_id,
                    config_.trusted_authserv_id.empty() ? "a trusted server (none configured)"
                                                        : config_.trusted_authserv_id);
            file_away(m);
            return Step::next;
        }
        case Kind::rejected:
            if (outcome->permanent) return quarantine(m, "rejected: " + outcome->reason, &content);
            [[fallthrough]];
        case Kind::retry_later:
            ++stats_.retries;
            log_->info("account {}: {} not taken now ({}); retried within a second", config_.account, m.name,
                       outcome->reason);
            return Step::pause;
    }
    return Step::pause;
}

// Where a mail goes once taken (committed, a duplicate, or no inquiry at all): new/ mail
// moves to cur/; a cur/ mail stays where its client keeps it.
void MaildirSource::file_away(const Mail& m) {
    if (m.folder == Folder::cur) return;
    const std::string moved = maildir::cur_name(m.name);
    const bool cur_read = m.maildir == 1 || inbox_since_;  // and watched: our own move is no news
    if (cur_read) {
        std::lock_guard lock(mu_);
        if (self_moved_[m.maildir].size() > 10000) self_moved_[m.maildir].clear();  // events lost: bounded anyway
        self_moved_[m.maildir].insert(moved);
    }
    if (auto err = maildir::move_to_cur(maildir_of(m.maildir), m.name); !err.empty()) {
        log_->error("account {}: {}", config_.account, err);
        std::lock_guard lock(mu_);
        self_moved_[m.maildir].erase(moved);
        return;
    }
    if (!cur_read) return;
    std::lock_guard lock(mu_);
    taken_to_cur_[m.maildir].push_back(moved);  // not again from cur/
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
