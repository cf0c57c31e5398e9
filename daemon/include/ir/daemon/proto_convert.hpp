#pragma once
// The edge between the core's plain structs and the protobuf contract: events for the
// journal, inquiries for the snapshot table, alerts for storage and ZeroMQ.
#include <google/protobuf/arena.h>

#include <optional>
#include <string>

#include "inquiry/v1/alert.pb.h"
#include "inquiry/v1/event.pb.h"
#include "inquiry/v1/stored.pb.h"
#include "ir/router/alert.hpp"
#include "ir/router/engine.hpp"
#include "ir/router/event.hpp"
#include "ir/store/rows.hpp"

namespace ir::daemon {

inquiry::v1::InquiryEvent to_proto(const router::Event& e);
// Fills `out` (e.g. a message on a protobuf Arena: the commit path builds its rows that way).
void to_proto(const router::Event& e, inquiry::v1::InquiryEvent* out);

inquiry::v1::StoredInquiry to_stored(const router::InquiryRecord& r, const std::optional<sla::ClockState>& clock,
                                     const std::optional<routing::ItemRecord>& routing = std::nullopt);
void to_stored(const router::InquiryRecord& r, const std::optional<sla::ClockState>& clock,
               const std::optional<routing::ItemRecord>& routing, inquiry::v1::StoredInquiry* out);
std::optional<router::StoredInquiry> from_stored(const std::string& payload);

// An inquiry as the API shows it: the snapshot, plus what its messages told us (the
// latest full assessment and the merged sender) from the details row when there is one,
// else from the snapshot itself (stores written before schema version 2 kept them there).
struct InquiryView {
    router::StoredInquiry stored;
    router::Assessment assessment;
    router::Sender sender;
};
std::optional<InquiryView> view_of(const store::InquiryRow& row);
// The same, for an inquiry as a committed step left it (its details from the store).
InquiryView view_of(const router::StoredInquiry& stored, const std::optional<store::DetailRow>& detail);
// `arena`: where the assessment's message is built (none: the heap).
store::DetailRow detail_row(const router::InquiryDetail& d, google::protobuf::Arena* arena = nullptr);

inquiry::v1::StoredCustomer to_proto(const routing::CustomerRecord& c);
routing::CustomerRecord from_proto(const inquiry::v1::StoredCustomer& c);

inquiry::v1::Alert to_proto(const router::Alert& a);

}  // namespace ir::daemon
