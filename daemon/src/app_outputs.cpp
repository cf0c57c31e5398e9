// The daemon's outputs beside the HTTP API: the ZeroMQ alert feed, the notifier, and the
// shell's gauges read by /metrics.
#include "ir/daemon/app.hpp"

#include <spdlog/spdlog.h>

#include "access_control.hpp"
#include "feed_keys.hpp"
#include "mail_sources.hpp"
#include "notify_wiring.hpp"

namespace ir::daemon {

// The alert feed: open on loopback; CURVE with registered keys when access is required.
std::optional<std::string> App::open_feed() {
    std::optional<FeedSecurity> security;
    if (config_.access.require) {
        auto keys = load_or_create_feed_keys(config_.state_dir);
        if (!keys) return keys.error().message;
        security = FeedSecurity{*keys, [this](std::string_view key) { return access_->curve_identity(key); },
                                [this](std::string_view who, std::string_view topic) {
                                    const auto* id = access_->identity(who);
                                    const access::Caller caller{id, {access::Scope::api}, false};
                                    return id && access::may_read_topic(caller, topic, access_->identities());
                                },
                                [this](std::string_view who, std::string_view topic) {
                                    access_->refused("subscription", std::string(who) + " on " + std::string(topic));
                                }};
    }
    try {
        publisher_ = std::make_unique<AlertPublisher>(zmq_, config_.pub_endpoint, ioc_, std::move(security));
    } catch (const std::exception& e) {
        return "cannot bind the alert feed " + config_.pub_endpoint + ": " + e.what();
    }
    pipeline_->add_alert_listener([this](const std::vector<store::AlertRow>& alerts) {
        for (const auto& a : alerts) publisher_->publish(a);
    });
    return std::nullopt;
}

// After recovery: the notifier resumes each destination at its cursor, and the pipeline
// wakes it after every commit that stored alerts.
std::optional<std::string> App::open_notifier() {
    auto notifier = start_notifier(config_, database_path(), std::move(notify_destinations_));
    if (!notifier) return notifier.error().message;
    notifier_ = std::move(*notifier);
    if (!notifier_) return std::nullopt;
    log_->info("notifying {} destinations", config_.notify.destinations.size());
    pipeline_->add_alert_listener([this](const std::vector<store::AlertRow>& alerts) {
        notifier_->wake(alerts.back().seq);  // never empty: the pipeline calls listeners with alerts only
    });
    return std::nullopt;
}

// The shell's gauges, read when /metrics is asked for.
void App::refresh_metrics() {
    pipeline_->refresh_metrics();
    std::error_code ec;  // no WAL file (yet): 0
    const auto wal = std::filesystem::file_size(database_path().string() + "-wal", ec);
    registry_.gauge("inquiryd_wal_bytes", "Size of the store's write-ahead log file")
        .set(ec ? 0.0 : static_cast<double>(wal));
    auto& dropped = registry_.counter("inquiryd_alerts_dropped_total",
                                      "Alerts the ZeroMQ feed dropped at its high-water mark (subscribers catch up)");
    dropped.inc(publisher_->dropped() - dropped.value());
    auto& keys =
        registry_.counter("inquiryd_auth_refused_total",
                          "Requests and subscriptions refused by access control, by reason", {{"reason", "curve_key"}});
    keys.inc(publisher_->keys_refused() - keys.value());
    mirror_mail_counts(mail_sources_, registry_);
    mirror_notify_metrics(notifier_.get(), registry_);
}

}  // namespace ir::daemon
