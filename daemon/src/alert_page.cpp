#include "alert_page.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "inquiry/v1/alert.pb.h"
#include "ir/adapters/alert_json.hpp"

namespace ir::daemon {

std::string sse_frame(const store::AlertRow& row) {
    inquiry::v1::Alert alert;
    if (!alert.ParseFromString(row.payload)) return {};
    return "id: " + std::to_string(row.seq) +
           "\nevent: alert\ndata: " + boost::json::serialize(adapters::alert_to_json(alert)) + "\n\n";
}

bool on_topics(std::string_view topic, const std::vector<std::string>& prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return topic.starts_with(p); });
}

// One read per prefix, merged. A prefix that filled its limit is complete only up to its
// last seq: the page stops there, the next one starts after it.
Expected<AlertPage> read_alert_page(store::Database& db, const std::vector<std::string>& prefixes, std::int64_t since,
                                    std::size_t limit) {
    std::vector<store::AlertRow> rows;
    std::int64_t cutoff = INT64_MAX;
    for (const auto& prefix : prefixes) {
        auto got = db.alerts_since(since, prefix, limit);
        if (!got) return got.error();
        if (got->size() >= limit && !got->empty()) cutoff = std::min(cutoff, got->back().seq);
        std::move(got->begin(), got->end(), std::back_inserter(rows));
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    AlertPage page;
    page.complete = cutoff == INT64_MAX;
    std::int64_t last = since;
    for (const auto& row : rows) {
        if (row.seq <= last) continue;  // on two prefixes
        if (row.seq > cutoff) break;
        last = row.seq;
        if (auto frame = sse_frame(row); !frame.empty()) page.alerts.push_back({row.seq, std::move(frame)});
    }
    return page;
}

}  // namespace ir::daemon
