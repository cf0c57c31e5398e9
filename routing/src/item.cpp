#include "ir/routing/item.hpp"

namespace ir::routing {

std::string queue_name(const Item& item) {
    if (item.suspect) return "verify/" + item.account;
    return item.account + "/" + (item.category.empty() ? std::string("uncategorised") : item.category);
}

}  // namespace ir::routing
