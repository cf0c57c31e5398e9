// Email: each [[adapters.email]] Maildir feeds the same ingest path as POST /v1/events.
#include <spdlog/spdlog.h>

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

}  // namespace ir::daemon
