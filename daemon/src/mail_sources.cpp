#include "mail_sources.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <string>
#include <utility>

namespace ir::daemon {
namespace {

MaildirConfig maildir_config(const EmailAdapterConfig& e, const Config& config) {
    MaildirConfig c;
    c.account = e.account;
    c.maildir = e.maildir;
    if (!e.sent_maildir.empty()) c.sent_maildir = e.sent_maildir;
    c.quarantine = e.quarantine;
    c.own_addresses = e.own_addresses;
    c.trusted_authserv_id = e.trusted_authserv_id;
    c.worker = e.worker;
    c.parse_budget = e.parse_budget;
    c.parse_timeout = e.parse_timeout;
    c.slow_parses_per_minute = e.slow_parses_per_minute;
    c.date_skew = e.date_skew;
    c.poll_interval = e.poll_interval;
    c.cur_lookback = e.cur_lookback;
    c.state_dir = config.state_dir;
    c.max_bytes = e.max_bytes;
    return c;
}

SubmitOutcome submit_outcome(const IngestOutcome& o) {
    using Kind = SubmitOutcome::Kind;
    const std::string reason =
        o.refusal ? std::string(describe(*o.refusal)) + (o.detail.empty() ? "" : ": " + o.detail) : std::string();
    const std::uint64_t inquiry = o.inquiry ? raw(*o.inquiry) : 0;
    switch (o.kind) {
        case IngestOutcome::Kind::accepted:
            return {Kind::committed, "", true, inquiry};
        case IngestOutcome::Kind::duplicate:
            return {Kind::duplicate, "", true, inquiry};
        case IngestOutcome::Kind::rejected:
            return {Kind::rejected, reason, true};
        case IngestOutcome::Kind::retry_later:
            break;
    }
    return {Kind::retry_later, reason, false};
}

}  // namespace

MailSources start_mail_sources(const Config& config, boost::asio::io_context& ioc, Pipeline& pipeline) {
    MailSources sources;
    for (const auto& e : config.adapters.email) {
        auto submit = [&pipeline](router::Event event, std::function<void(SubmitOutcome)> done) {
            pipeline.ingest(std::move(event), [done = std::move(done)](IngestOutcome o) { done(submit_outcome(o)); });
        };
        auto source = std::make_unique<MaildirSource>(ioc, maildir_config(e, config), std::move(submit));
        source->start();
        spdlog::get("inquiryd")->info("watching {} for account {}", e.maildir.string(), e.account);
        sources.push_back(std::move(source));
    }
    return sources;
}

// Counts only grow, so each counter takes the difference.
void mirror_mail_counts(const MailSources& sources, metrics::Registry& registry) {
    std::map<std::pair<std::string, const char*>, std::uint64_t> totals;  // two Maildirs may share an account
    for (const auto& source : sources) {
        const MaildirStats& s = source->stats();
        const std::string& account = source->config().account;
        totals[{account, "committed"}] += s.events;
        totals[{account, "duplicate"}] += s.duplicates;
        totals[{account, "not_inquiry"}] += s.not_inquiries;
        totals[{account, "quarantined"}] += s.quarantined;
        totals[{account, "retried"}] += s.retries;
    }
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> slow;  // account -> set aside, waiting
    for (const auto& source : sources) {
        auto& [set_aside, waiting] = slow[source->config().account];
        set_aside += source->stats().set_aside;
        waiting += source->stats().slow_waiting;
    }
    for (const auto& [account, counts] : slow) {
        auto& c = registry.counter("inquiryd_mail_slow_total",
                                   "Mail whose parse took longer than parse_budget, handed to the slow lane",
                                   {{"account", account}});
        c.inc(counts.first - c.value());
        registry.gauge("inquiryd_mail_slow_waiting", "Mail waiting for the slow lane", {{"account", account}})
            .set(static_cast<double>(counts.second));
    }
    for (const auto& [key, total] : totals) {
        auto& c = registry.counter("inquiryd_mail_messages_total", "Mail read from the Maildirs, by what became of it",
                                   {{"account", key.first}, {"outcome", key.second}});
        c.inc(total - c.value());
    }
}

}  // namespace ir::daemon
