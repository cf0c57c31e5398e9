#pragma once
// An inquiry as routing needs it: where it belongs, how urgent, who had the customer before.
#include <cstdint>
#include <string>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::routing {

struct Item {
    std::uint64_t inquiry = 0;
    std::string account;
    std::string category;  // product line; "" = not known (any agent of the account)
    std::string language;  // ISO 639-1; "" = not known (no preference)
    int tier = 4;          // 1..4 (DOMAIN.md); anything else counts as 4
    bool suspect = false;
    std::vector<std::string> reasons;  // why it is suspect, shown in the verification queue
    sla::TimePoint fast_deadline;      // the 5-minute clock's deadline: queue order and reservations
    std::string preferred_owner;       // the customer's previous owner; "" = none
    bool operator==(const Item&) const = default;
};

// Where a queued item waits: "verify/<account>" for suspects, else "<account>/<category>"
// ("<account>/uncategorised" when the category is not known).
std::string queue_name(const Item& item);

}  // namespace ir::routing
