#pragma once
// The notifier inside inquiryd: its destinations' secrets read at check, started once the
// pipeline has recovered, woken by the pipeline after each commit that stored alerts, its
// counters on /metrics and its failing destinations in /healthz.
#include <boost/json/array.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/daemon/config.hpp"
#include "ir/daemon/metrics.hpp"
#include "ir/notify/notifier.hpp"

namespace ir::daemon {

// Every destination with its secret (files or inline); an error names the key.
std::optional<std::string> load_notify(const Config& config, std::vector<notify::Destination>& out);
// Starts one worker per destination (none: nullptr). Errors: a cursor that cannot be read.
Expected<std::unique_ptr<notify::Notifier>> start_notifier(const Config& config, const std::filesystem::path& database,
                                                           std::vector<notify::Destination> destinations);
// inquiryd_notify_{sent,failed,dropped}_total and inquiryd_notify_lag_seconds per destination.
void mirror_notify_metrics(const notify::Notifier* notifier, metrics::Registry& registry);
// The destinations whose last attempt failed, for /healthz.
boost::json::array failing_destinations(const notify::Notifier* notifier);

}  // namespace ir::daemon
