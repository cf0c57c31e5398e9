#pragma once
// The alerts a stream of /v1/stream sends: each as one Server-Sent Event (`id: seq`), and
// the catch-up read from the store, page by page, over the topics a caller may read.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/store/database.hpp"

namespace ir::daemon {

struct AlertFrame {
    std::int64_t seq = 0;
    std::string frame;  // "id: <seq>\nevent: alert\ndata: <JSON>\n\n"
};

struct AlertPage {
    std::vector<AlertFrame> alerts;  // by seq
    bool complete = true;            // nothing after them was stored when the page was read
};

// The event for a stored alert; "" if its payload cannot be read.
std::string sse_frame(const store::AlertRow& row);
// Whether `topic` starts with one of `prefixes` ("" reads everything).
bool on_topics(std::string_view topic, const std::vector<std::string>& prefixes);
// The first alerts after `since` on any of `prefixes`, at most about `limit`: every alert
// up to the last one returned is in the page, or on none of the prefixes.
Expected<AlertPage> read_alert_page(store::Database& db, const std::vector<std::string>& prefixes, std::int64_t since,
                                    std::size_t limit);

}  // namespace ir::daemon
