#pragma once
// Connection settings and schema migrations, applied once per open.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ir/base/expected.hpp"
#include "ir/store/database.hpp"

namespace ir::store {

// Marks the file as ours, so a foreign SQLite file is refused instead of altered.
inline constexpr std::int64_t kApplicationId = 0x49525452;  // "IRTR"

// Pragmas, then the schema: migrated (read-write) or checked (read-only).
std::optional<Error> configure(sqlite3* db, const Options& options);

std::optional<Error> set_max_page_count(sqlite3* db, std::int64_t pages, const std::string& where);

}  // namespace ir::store
