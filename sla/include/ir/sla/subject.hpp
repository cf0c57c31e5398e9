#pragma once
// What a reply clock is about: the data attached to its opaque key.
#include "ir/sla/ids.hpp"

namespace ir::sla {

struct Subject {
    ClockId clock{};
    InquiryId inquiry{};
    AccountId account{};
    Tier tier = Tier::four;
    // DOMAIN.md: a weakly interested large buyer is followed up again within 1-3 days.
    bool weak_large_buyer = false;
    bool operator==(const Subject&) const = default;
};

}  // namespace ir::sla
