#include "notify_wiring.hpp"

#include "ir/daemon/secret_ref.hpp"

namespace ir::daemon {

std::optional<std::string> load_notify(const Config& config, std::vector<notify::Destination>& out) {
    out.clear();
    for (const auto& target : config.notify.destinations) {
        notify::Destination d;
        d.spec = target.spec;
        if (target.secret.given())
            if (auto e = load_secret(target.secret, d.secret)) return e;
        out.push_back(std::move(d));
    }
    return std::nullopt;
}

Expected<std::unique_ptr<notify::Notifier>> start_notifier(const Config& config, const std::filesystem::path& database,
                                                           std::vector<notify::Destination> destinations) {
    if (destinations.empty()) return std::unique_ptr<notify::Notifier>();
    notify::NotifierOptions o;
    o.database = database;
    o.state_dir = config.state_dir;
    o.context.console_url = config.notify.console_url;
    o.context.agents = config.routing.contacts;
    o.poll_interval = config.notify.poll_interval;
    o.destinations = std::move(destinations);
    auto n = notify::Notifier::start(std::move(o));
    if (!n) return Error{"notify: " + n.error().message};
    return std::move(*n);
}

// The workers count on their own threads; /metrics copies their counts (which only grow).
void mirror_notify_metrics(const notify::Notifier* notifier, metrics::Registry& registry) {
    if (!notifier) return;
    for (const auto& s : notifier->status()) {
        const metrics::Labels labels{{"destination", s.name}};
        auto& sent = registry.counter("inquiryd_notify_sent_total", "Alerts delivered, by destination", labels);
        sent.inc(s.sent - sent.value());
        auto& failed = registry.counter("inquiryd_notify_failed_total",
                                        "Delivery attempts that failed (retried, or dropped if refused)", labels);
        failed.inc(s.failed - failed.value());
        auto& dropped = registry.counter("inquiryd_notify_dropped_total",
                                         "Alerts a destination refused for good (4xx, wrong signature)", labels);
        dropped.inc(s.dropped - dropped.value());
        registry.gauge("inquiryd_notify_lag_seconds", "Age of the oldest alert not yet delivered", labels)
            .set(s.lag_seconds);
    }
}

// Reported, never a reason to answer 503: the daemon itself is well.
boost::json::array failing_destinations(const notify::Notifier* notifier) {
    boost::json::array out;
    if (!notifier) return out;
    for (const auto& s : notifier->status())
        if (s.failing)
            out.push_back({{"destination", s.name},
                           {"kind", s.kind},
                           {"error", s.last_error},
                           {"pending", s.pending},
                           {"lag_seconds", s.lag_seconds}});
    return out;
}

}  // namespace ir::daemon
