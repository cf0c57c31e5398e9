#pragma once
// An alert as JSON: what GET /v1/alerts answers and `inquiryctl tail --json` prints,
// field for field the same whether it came from the store or the live feed.
#include <boost/json/object.hpp>

#include "inquiry/v1/alert.pb.h"

namespace ir::adapters {

boost::json::object alert_to_json(const inquiry::v1::Alert& a);

}  // namespace ir::adapters
