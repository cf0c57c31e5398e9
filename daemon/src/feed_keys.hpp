#pragma once
// The alert feed's CURVE server key pair, kept in the state folder: created on first start
// (curve.key, mode 0600: both keys), its public half also in curve.pub for clients.
#include <filesystem>

#include "ir/base/expected.hpp"
#include "ir/daemon/alert_publisher.hpp"

namespace ir::daemon {

Expected<CurveKeyPair> load_or_create_feed_keys(const std::filesystem::path& state_dir);

}  // namespace ir::daemon
