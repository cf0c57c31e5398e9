#pragma once
// GET /v1/alerts of inquiryd: the alerts after a seq on topics starting with a prefix,
// answered as {"alerts":[...],"last_seq":N}.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http_get.hpp"
#include "ir/base/expected.hpp"
#include "seq_merger.hpp"

namespace ir::cli {

struct AlertsPage {
    std::vector<TailAlert> alerts;  // in seq order
    std::uint64_t last_seq = 0;     // the highest seq stored, on any topic
};

// "/v1/alerts?since=S&topic=T&limit=L", the topic percent-encoded.
std::string alerts_target(std::uint64_t since, std::string_view topic, std::size_t limit);

// The response body; errors name what is wrong with it.
Expected<AlertsPage> parse_alerts_page(std::string_view body);

// One request; a status other than 200 is an error carrying the daemon's message.
Expected<AlertsPage> fetch_alerts(const HttpGetClient& http, std::uint64_t since, std::string_view topic,
                                  std::size_t limit);

}  // namespace ir::cli
