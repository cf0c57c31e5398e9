#pragma once
// Mail at once: a real inquiryd on a real Maildir; each buyer's mail is written into tmp/
// and rename()d into new/, as a delivery agent does, and the time from the rename to its
// ASSIGNED alert on the daemon's ZeroMQ feed is measured, one mail at a time.
// `mails` mails, p50/p90/p99/max, and the daemon's stage times beside them.
#include <cstddef>
#include <filesystem>

namespace ir::bench {

void mail_latency(const std::filesystem::path& dir, std::size_t mails);
// `slow` crafted mails that take GMime seconds each, then one buyer's mail: how long that
// one waits for its ASSIGNED, beside what the parse budget promises (parse_budget.hpp).
void slow_mail(const std::filesystem::path& dir, std::size_t slow);

}  // namespace ir::bench
