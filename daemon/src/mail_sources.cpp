// Email: each [[adapters.email]] Maildir feeds the same ingest path as POST /v1/events.
#include <spdlog/spdlog.h>

#include <map>
#include <utility>

#include "ir/daemon/app.hpp"

namespace ir::daemon {

void App::start_mail_sources() {
    for (const auto& e : config_.adapters.email) {
        MaildirConfig c;
        c.account = e.account;
        c.maildir = e.maildir;
        if (!e.sent_maildir.empty()) c.sent_maildir = e.sent_maildir;
        c.quarantine = e.quarantine;
        c.own_addresses = e.own_addresses;
        c.worker = e.worker;
        c.parse_timeout = e.parse_timeout;
        c.poll_interval = e.poll_interval;
        c.cur_lookback = e.cur_lookback;
        c.state_dir = config_.state_dir;
        c.max_bytes = e.max_bytes;
        auto submit = [this](router::Event event, std::function<void(SubmitOutcome)> done) {
            ingest(std::move(event), [done = std::move(done)](IngestOutcome o) {
                using Kind = SubmitOutcome::Kind;
                switch (o.kind) {
                    case IngestOutcome::accepted:
                        return done({Kind::committed, "", true});
                    case IngestOutcome::duplicate:
                        return done({Kind::duplicate, "", true});
                    case IngestOutcome::rejected:
                        return done({Kind::rejected, o.response.body(), true});
                    case IngestOutcome::retry_later:
                        return done({Kind::retry_later, o.response.body(), false});
                }
            });
        };
        auto source = std::make_unique<MaildirSource>(ioc_, std::move(c), std::move(submit));
        source->start();
        log_->info("watching {} for account {}", e.maildir.string(), e.account);
        mail_sources_.push_back(std::move(source));
    }
}

void App::stop_mail_sources() {
    for (auto& s : mail_sources_) s->stop();
}

// The sources count on their own threads; /metrics copies the counts into the registry,
// which only the io thread touches. Counts only grow, so each counter takes the difference.
void App::mirror_mail_counts() {
    std::map<std::pair<std::string, const char*>, std::uint64_t> totals;  // two Maildirs may share an account
    for (const auto& source : mail_sources_) {
        const MaildirStats& s = source->stats();
        const std::string& account = source->config().account;
        totals[{account, "committed"}] += s.events;
        totals[{account, "duplicate"}] += s.duplicates;
        totals[{account, "not_inquiry"}] += s.not_inquiries;
        totals[{account, "quarantined"}] += s.quarantined;
        totals[{account, "retried"}] += s.retries;
    }
    for (const auto& [key, total] : totals) {
        auto& c = registry_.counter("inquiryd_mail_messages_total", "Mail read from the Maildirs, by what became of it",
                                    {{"account", key.first}, {"outcome", key.second}});
        c.inc(total - c.value());
    }
}

}  // namespace ir::daemon
