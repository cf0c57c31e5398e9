#pragma once
// The HTTP API's JSON shape for inquiries (alerts: ir/adapters/alert_json.hpp).
#include <boost/json/object.hpp>

#include "ir/daemon/proto_convert.hpp"

namespace ir::daemon {

// `now` decides whether a running clock is already past its deadline.
boost::json::object inquiry_json(const InquiryView& v, sla::TimePoint now);

}  // namespace ir::daemon
