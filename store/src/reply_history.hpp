#pragma once
// The replies of erased inquiries, kept as aggregates in reply_history: one row per hour
// of the reply (UTC), account and agent, holding how many replies and their exact reply
// times (sorted, delta-coded varints). The ranking needs only the agent, the account and
// the reply time of each reply, so reading a row back as that many replies at the start
// of its hour gives the same shares, medians and p90s; only a `since` inside an hour of
// aggregates counts that hour from its start.
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/store/rows.hpp"

namespace ir::store {

inline constexpr std::int64_t kHourMs = 3'600'000;

// (hour_ms, account, agent) -> reply times in ms.
using ReplyHistory = std::map<std::tuple<std::int64_t, std::string, std::string>, std::vector<std::int64_t>>;

// Sorted reply times <-> the column's bytes. decode returns nullopt for bytes it did not write.
std::string encode_reply_times(std::vector<std::int64_t> times);
std::optional<std::vector<std::int64_t>> decode_reply_times(std::string_view bytes);

// Adds `more` to the stored rows (inside the caller's write transaction).
std::optional<Error> fold_reply_history(sqlite3* db, const ReplyHistory& more, const std::string& where);

// Appends the aggregated replies the filter selects, one ReplyRow each (inquiry_id 0,
// replied at the start of the hour, the buyer's message that long before).
std::optional<Error> append_reply_history(sqlite3* db, const ReplyFilter& filter, std::vector<ReplyRow>& rows,
                                          const std::string& where);

}  // namespace ir::store
