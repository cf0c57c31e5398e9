#pragma once
// Interned strings (accounts, categories, languages): routing compares small integers.
// Id 0 is always "" (not known / no preference).
#include <cstdint>

#include "ir/base/name_table.hpp"

namespace ir::routing {

using Names = NameTable<std::uint32_t>;

}  // namespace ir::routing
