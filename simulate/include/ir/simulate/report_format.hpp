#pragma once
// The reports as JSON (one object, for scripts) and as a side-by-side table (for people).
// Both are deterministic: the same reports give the same bytes.
#include <iosfwd>
#include <string>
#include <vector>

#include "ir/simulate/report.hpp"

namespace ir::simulate {

// {"policies":[{"policy","seed","people","from","to","inputs","overall":{...},"tiers":{"1":{...},...},
//   "agents":{"ID":{"assigned","within_fast",...}},"accounts":{...},"longest_queue_wait_seconds",...}]}
std::string report_json(const std::vector<PolicyReport>& reports);

// One column per policy.
void print_side_by_side(const std::vector<PolicyReport>& reports, std::ostream& out);

}  // namespace ir::simulate
