#pragma once
// `inquiryd --restore FILE --state-dir DIR`: puts a backup (inquiryctl backup) in place of
// the store in DIR. Refused while an inquiryd holds DIR's lock; the store it replaces is
// kept aside (inquiryd.db.before-restore-<UTC time>), never overwritten.
#include <filesystem>
#include <iosfwd>

#include "ir/daemon/config.hpp"
#include "ir/sla/time.hpp"

namespace ir::daemon {

// 0: restored (what it holds is printed); 1: refused or failed, the state folder unchanged.
int restore_store(const Config& config, const std::filesystem::path& file, sla::TimePoint now, std::ostream& out,
                  std::ostream& err);

}  // namespace ir::daemon
