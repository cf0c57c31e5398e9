#pragma once
// Store account names interned as small AccountIds, so no clock or queue entry carries a
// string. Ids are dense, start at 1 (0 is "no account") and never change within a run;
// only names are stored, so a restart interns them anew.
#include "ir/base/name_table.hpp"
#include "ir/sla/ids.hpp"

namespace ir::sla {

using AccountNames = NameTable<AccountId>;

}  // namespace ir::sla
