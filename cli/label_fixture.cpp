#include "label_fixture.hpp"

#include "event_proto.hpp"
#include "inquiry/v1/stored.pb.h"
#include "ir/adapters/event_json.hpp"

namespace ir::cli {
namespace json = boost::json;

namespace {

// The context the daemon assessed with (StoredInquiry.context), or zeros.
Expected<router::CustomerContext> stored_context(store::Database& db, std::int64_t inquiry_id) {
    auto row = db.inquiry(inquiry_id);
    if (!row) return row.error();
    inquiry::v1::StoredInquiry stored;
    if (!*row || !stored.ParseFromString((*row)->payload)) return router::CustomerContext{};
    const auto& c = stored.context();
    return router::CustomerContext{c.customer_messages_in_thread(), c.orders(), c.sample_orders(), c.visited_company(),
                                   c.local_influence()};
}

}  // namespace

Expected<LabelFixture> label_fixture(store::Database& db, const store::LabelRow& label) {
    const std::string inquiry = "inquiry " + std::to_string(label.inquiry_id);
    auto row = db.last_inbound_event(label.inquiry_id);
    if (!row) return row.error();
    if (!*row) return LabelFixture{std::nullopt, inquiry + ": no buyer message of it is stored any more"};
    auto event = event_from_proto((*row)->payload);
    if (!event)
        return LabelFixture{std::nullopt,
                            inquiry + ": event seq " + std::to_string((*row)->seq) + " is not an InquiryEvent"};
    auto context = stored_context(db, label.inquiry_id);
    if (!context) return context.error();
    json::object line;
    line["id"] = "inquiry-" + std::to_string(label.inquiry_id);
    line["event"] = adapters::to_json(*event);
    line["context"] = adapters::to_json(*context);
    line["expect"] = json::object{{"tier", label.tier}, {"suspect", label.suspect}};
    return LabelFixture{std::move(line), {}};
}

}  // namespace ir::cli
