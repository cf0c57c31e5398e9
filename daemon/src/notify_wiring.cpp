// The notifier inside inquiryd: built from [notify] at start, woken after each commit that
// stored alerts, its counters on /metrics and its failing destinations in /healthz.
#include <spdlog/spdlog.h>

#include "ir/daemon/app.hpp"

namespace ir::daemon {

// Reads every destination's secret (also for --check-config).
std::optional<std::string> App::load_notify() {
    notify_destinations_.clear();
    for (const auto& target : config_.notify.destinations) {
        notify::Destination d;
        d.spec = target.spec;
        if (target.secret.given()) {
            auto s = adapters::resolve_secret(target.secret.key,
                                              target.secret.value.empty() ? nullptr : &target.secret.value,
                                              target.secret.file.empty() ? nullptr : &target.secret.file.native());
            if (!s) return target.secret.key + ": " + s.error().message;
            d.secret = std::move(*s);
        }
        notify_destinations_.push_back(std::move(d));
    }
    return std::nullopt;
}

std::optional<std::string> App::start_notifier() {
    if (notify_destinations_.empty()) return std::nullopt;
    notify::NotifierOptions o;
    o.database = database_path();
    o.state_dir = config_.state_dir;
    o.context.console_url = config_.notify.console_url;
    o.context.agents = config_.routing.contacts;
    o.poll_interval = config_.notify.poll_interval;
    o.destinations = std::move(notify_destinations_);
    auto n = notify::Notifier::start(std::move(o));
    if (!n) return "notify: " + n.error().message;
    notifier_ = std::move(*n);
    log_->info("notifying {} destinations", config_.notify.destinations.size());
    return std::nullopt;
}

void App::wake_notifier(const router::StepResult& step) {
    if (notifier_ && !step.alerts.empty()) notifier_->wake(static_cast<std::int64_t>(step.alerts.back().seq));
}

void App::stop_notifier() {
    if (notifier_) notifier_->stop();
}

// The workers count on their own threads; /metrics copies their counts (which only grow).
void App::mirror_notify_metrics() {
    if (!notifier_) return;
    for (const auto& s : notifier_->status()) {
        const metrics::Labels labels{{"destination", s.name}};
        auto& sent = registry_.counter("inquiryd_notify_sent_total", "Alerts delivered, by destination", labels);
        sent.inc(s.sent - sent.value());
        auto& failed = registry_.counter("inquiryd_notify_failed_total",
                                         "Delivery attempts that failed (retried, or dropped if refused)", labels);
        failed.inc(s.failed - failed.value());
        auto& dropped = registry_.counter("inquiryd_notify_dropped_total",
                                          "Alerts a destination refused for good (4xx, wrong signature)", labels);
        dropped.inc(s.dropped - dropped.value());
        registry_.gauge("inquiryd_notify_lag_seconds", "Age of the oldest alert not yet delivered", labels)
            .set(s.lag_seconds);
    }
}

// Failing destinations, for /healthz: reported, never a reason to answer 503.
boost::json::array App::failing_destinations() const {
    boost::json::array out;
    if (!notifier_) return out;
    for (const auto& s : notifier_->status())
        if (s.failing)
            out.push_back({{"destination", s.name},
                           {"kind", s.kind},
                           {"error", s.last_error},
                           {"pending", s.pending},
                           {"lag_seconds", s.lag_seconds}});
    return out;
}

}  // namespace ir::daemon
