#pragma once
// The edge between the core's plain structs and the protobuf contract: events for the
// journal, inquiries for the snapshot table, alerts for storage and ZeroMQ.
#include <optional>
#include <string>

#include "inquiry/v1/alert.pb.h"
#include "inquiry/v1/event.pb.h"
#include "inquiry/v1/stored.pb.h"
#include "ir/router/alert.hpp"
#include "ir/router/engine.hpp"
#include "ir/router/event.hpp"

namespace ir::daemon {

inquiry::v1::InquiryEvent to_proto(const router::Event& e);

inquiry::v1::StoredInquiry to_stored(const router::InquiryRecord& r, const std::optional<sla::ClockState>& clock);
std::optional<router::StoredInquiry> from_stored(const std::string& payload);

inquiry::v1::Alert to_proto(const router::Alert& a);

}  // namespace ir::daemon
