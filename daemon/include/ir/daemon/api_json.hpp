#pragma once
// The HTTP API's JSON shapes for inquiries and alerts.
#include <boost/json/object.hpp>

#include "inquiry/v1/alert.pb.h"
#include "ir/router/engine.hpp"

namespace ir::daemon {

// `now` decides whether a running clock is already past its deadline.
boost::json::object inquiry_json(const router::StoredInquiry& s, sla::TimePoint now);
boost::json::object alert_json(const inquiry::v1::Alert& a);

}  // namespace ir::daemon
