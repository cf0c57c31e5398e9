// The team's labels: appended in the transaction of the request that made them, read back
// (the latest per inquiry, with the message it judged) by `inquiryctl labels export`.
#include <algorithm>
#include <limits>

#include "database_impl.hpp"

namespace ir::store {

const char* const kInsertLabel =
    "INSERT INTO labels(inquiry_id, suspect, tier, identity, role, at_ms, source) VALUES(?1,?2,?3,?4,?5,?6,?7)";

namespace {

// The row with the highest seq of each inquiry: the last one committed.
constexpr const char* kLatestLabels =
    "SELECT l.inquiry_id, l.suspect, l.tier, l.identity, l.role, l.at_ms, l.source FROM labels l"
    " WHERE l.inquiry_id > ?1 AND l.seq = (SELECT max(seq) FROM labels WHERE inquiry_id = l.inquiry_id)"
    " ORDER BY l.inquiry_id LIMIT ?2";

// The columns of read_event. Retention empties a payload but keeps the row (dedupe): such
// a row tells nothing.
constexpr const char* kLastInboundEvent =
    "SELECT seq, channel, account, message_id, thread_id, received_at_ms, direction, accepted_at_ms, inquiry_id,"
    " payload FROM events WHERE inquiry_id = ?1 AND direction = 'inbound' AND length(payload) > 0"
    " ORDER BY seq DESC LIMIT 1";

LabelRow read_label(const Statement& st) {
    LabelRow row;
    row.inquiry_id = st.int64(0);
    row.suspect = st.int64(1) != 0;
    row.tier = static_cast<int>(st.int64(2));
    row.identity = st.text(3);
    row.role = st.text(4);
    row.at = sla::from_unix_ms(st.int64(5));
    row.source = st.text(6);
    return row;
}

}  // namespace

std::optional<Error> Database::Impl::insert_label(const LabelRow& row) {
    Statement& st = insert_label_st;
    st.bind_int(1, row.inquiry_id);
    st.bind_int(2, row.suspect ? 1 : 0);
    st.bind_int(3, row.tier);
    st.bind_text(4, row.identity);
    st.bind_text(5, row.role);
    st.bind_int(6, sla::to_unix_ms(row.at));
    st.bind_text(7, row.source);
    return run_with(st, [&row] { return "cannot store the label of inquiry " + std::to_string(row.inquiry_id); });
}

// Rare reads (an export): prepared when run, not kept.
Expected<std::vector<LabelRow>> Database::latest_labels(std::int64_t after_inquiry, std::size_t limit) {
    auto st = Statement::prepare(impl_->db.get(), kLatestLabels, impl_->where);
    if (!st) return st.error();
    constexpr auto max = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    st->bind_int(1, after_inquiry);
    st->bind_int(2, static_cast<std::int64_t>(std::min(limit, max)));
    return impl_->collect<LabelRow>(*st, read_label, "cannot read labels");
}

Expected<std::optional<EventRow>> Database::last_inbound_event(std::int64_t inquiry_id) {
    auto st = Statement::prepare(impl_->db.get(), kLastInboundEvent, impl_->where);
    if (!st) return st.error();
    st->bind_int(1, inquiry_id);
    const int rc = st->step();
    if (rc == SQLITE_DONE) return std::optional<EventRow>();
    if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read the events of inquiry " + std::to_string(inquiry_id));
    return std::optional<EventRow>(read_event(*st));
}

}  // namespace ir::store
