// Reads: each statement runs in its own implicit transaction, so in WAL mode it sees
// the last commit made before it started and never waits for the writer.
#include <algorithm>
#include <limits>

#include "database_impl.hpp"
#include "reply_history.hpp"

namespace ir::store {
namespace {

std::int64_t clamp_limit(std::size_t limit) {
    constexpr auto max = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(std::min(limit, max));
}

std::optional<std::int64_t> optional_int(const Statement& st, int column) {
    if (st.is_null(column)) return std::nullopt;
    return st.int64(column);
}

InquiryRow read_inquiry(const Statement& st) {
    return InquiryRow{st.int64(0), st.text(1), st.text(2), sla::from_unix_ms(st.int64(3)), st.blob(4)};
}

// The columns of kWithDetail: the snapshot, then its details when there are any.
InquiryRow read_inquiry_with_detail(const Statement& st) {
    InquiryRow row = read_inquiry(st);
    if (st.is_null(5)) return row;
    row.detail = DetailRow{row.id,     st.blob(5),  st.text(6),  st.text(7), st.text(8),
                           st.text(9), st.text(10), st.text(11), st.text(12)};
    return row;
}

AlertRow read_alert(const Statement& st) {
    return AlertRow{st.int64(0), st.text(1), sla::from_unix_ms(st.int64(2)), st.blob(3)};
}

constexpr const char* kInquiryColumns =
    "SELECT i.id, i.account, i.state, i.updated_at_ms, i.payload, d.assessment, d.name, d.email, d.company,"
    " d.phone, d.address, d.country, d.im FROM inquiries i LEFT JOIN inquiry_details d ON d.id = i.id"
    " WHERE i.id > ?1";

}  // namespace

EventRow read_event(const Statement& st) {
    EventRow row;
    row.seq = st.int64(0);
    row.channel = st.text(1);
    row.account = st.text(2);
    row.message_id = st.text(3);
    row.thread_id = st.text(4);
    row.received_at = sla::from_unix_ms(st.int64(5));
    row.direction = st.text(6);
    row.accepted_at = sla::from_unix_ms(st.int64(7));
    row.inquiry_id = optional_int(st, 8);
    row.payload = st.blob(9);
    return row;
}

Statement* Database::Impl::inquiries_statement(const InquiryFilter& filter, std::optional<Error>& error) {
    const std::size_t shape = (filter.state ? 1U : 0U) | (filter.account ? 2U : 0U);
    Statement& st = inquiries_st[shape];
    if (!st.prepared()) {
        std::string sql = kInquiryColumns;
        if (filter.state) sql += " AND i.state = ?2";
        if (filter.account) sql += " AND i.account = ?3";
        sql += " ORDER BY i.id LIMIT ?4";
        auto prepared = Statement::prepare(db.get(), sql, where);
        if (!prepared) {
            error = prepared.error();
            return nullptr;
        }
        st = std::move(*prepared);
    }
    return &st;
}

Expected<std::optional<EventKey>> Database::event_key(std::int64_t seq) {
    Statement& st = impl_->event_key_st;
    const auto scope = st.scope();
    st.bind_int(1, seq);
    const int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<EventKey>();
    if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read event " + std::to_string(seq));
    return std::optional<EventKey>(EventKey{st.int64(0), st.text(1), st.text(2), st.text(3), optional_int(st, 4)});
}

std::optional<Error> Database::scan_event_keys(
    const std::function<void(std::int64_t, std::string_view, std::string_view, std::string_view)>& visit) {
    auto st = Statement::prepare(impl_->db.get(), "SELECT seq, channel, account, message_id FROM events ORDER BY seq",
                                 impl_->where);
    if (!st) return st.error();
    int rc = SQLITE_OK;
    while ((rc = st->step()) == SQLITE_ROW) visit(st->int64(0), st->text(1), st->text(2), st->text(3));
    if (rc != SQLITE_DONE) return impl_->fail(rc, "cannot scan events");
    return std::nullopt;
}

Expected<std::vector<EventRow>> Database::events_since(std::int64_t seq, std::size_t limit) {
    Statement& st = impl_->events_since_st;
    const auto scope = st.scope();
    st.bind_int(1, seq);
    st.bind_int(2, clamp_limit(limit));
    return impl_->collect<EventRow>(st, read_event, "cannot read events");
}

Expected<std::optional<InquiryRow>> Database::inquiry(std::int64_t id) {
    Statement& st = impl_->inquiry_st;
    const auto scope = st.scope();
    st.bind_int(1, id);
    const int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<InquiryRow>();
    if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read inquiry " + std::to_string(id));
    return std::optional<InquiryRow>(read_inquiry_with_detail(st));
}

Expected<std::optional<DetailRow>> Database::detail(std::int64_t id) {
    Statement& st = impl_->detail_st;
    const auto scope = st.scope();
    st.bind_int(1, id);
    const int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<DetailRow>();
    if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read the details of inquiry " + std::to_string(id));
    return std::optional<DetailRow>(DetailRow{st.int64(0), st.blob(1), st.text(2), st.text(3), st.text(4), st.text(5),
                                              st.text(6), st.text(7), st.text(8)});
}

Expected<std::vector<InquiryRow>> Database::inquiries(const InquiryFilter& filter) {
    std::optional<Error> error;
    Statement* st = impl_->inquiries_statement(filter, error);
    if (st == nullptr) return *error;
    const auto scope = st->scope();
    st->bind_int(1, filter.after_id);
    if (filter.state) st->bind_text(2, *filter.state);
    if (filter.account) st->bind_text(3, *filter.account);
    st->bind_int(4, clamp_limit(filter.limit));
    return impl_->collect<InquiryRow>(*st, read_inquiry_with_detail, "cannot list inquiries");
}

Expected<std::vector<InquiryRow>> Database::open_inquiries() {
    Statement& st = impl_->open_inquiries_st;
    const auto scope = st.scope();
    return impl_->collect<InquiryRow>(st, read_inquiry, "cannot list open inquiries");
}

namespace {

// The first string after every string starting with `prefix` ("queue/" -> "queue0"), or
// nullopt when there is none (empty, or only 0xff bytes).
std::optional<std::string> prefix_end(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
    if (end.empty()) return std::nullopt;
    end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
    return end;
}

// Above this many alerts on the topic after `since`, the topic is dense enough that
// walking along seq finds a page sooner than sorting the topic's alerts.
constexpr std::int64_t kSparseTopic = 20'000;

void bind_topic(Statement& st, std::int64_t seq, std::string_view prefix, const std::string* end) {
    st.bind_int(1, seq);
    st.bind_text(2, prefix);
    if (end) st.bind_text(4, *end);
}

}  // namespace

// The cost is bounded whatever the store's size: counting at most kSparseTopic index
// entries, then either sorting at most that many or walking along seq where at least
// that many match.
Expected<std::vector<AlertRow>> Database::alerts_since(std::int64_t seq, std::string_view topic_prefix,
                                                       std::size_t limit) {
    bool sparse = false;
    const auto end = prefix_end(topic_prefix);
    if (end) {  // a prefix (else every topic matches: the walk along seq is the plan)
        Statement& count = impl_->alerts_on_topic_st;
        const auto scope = count.scope();
        bind_topic(count, seq, topic_prefix, &*end);
        count.bind_int(3, kSparseTopic);
        const int rc = count.step();
        if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read alerts");
        sparse = count.int64(0) < kSparseTopic;
    }
    Statement& st = sparse ? impl_->alerts_by_topic_st : impl_->alerts_since_st;
    const auto scope = st.scope();
    bind_topic(st, seq, topic_prefix, sparse ? &*end : nullptr);
    st.bind_int(3, clamp_limit(limit));
    return impl_->collect<AlertRow>(st, read_alert, "cannot read alerts");
}

Expected<std::int64_t> Database::max_alert_seq() {
    return impl_->scalar(impl_->max_alert_st, "cannot read the last alert seq");
}

Expected<std::int64_t> Database::max_inquiry_id() {
    return impl_->scalar(impl_->max_inquiry_st, "cannot read the last inquiry id");
}

Expected<std::int64_t> Database::max_event_seq() {
    return impl_->scalar(impl_->max_event_st, "cannot read the last event seq");
}

Expected<std::int64_t> Database::event_count() {
    return impl_->scalar(impl_->event_count_st, "cannot count events");
}

Expected<std::optional<std::string>> Database::meta(std::string_view key) {
    Statement& st = impl_->meta_st;
    const auto scope = st.scope();
    st.bind_text(1, key);
    const int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read meta " + std::string(key));
    return std::optional<std::string>(st.text(0));
}

// Rare reads (start-up, reports): prepared when run, not kept.
Expected<std::vector<std::pair<std::string, std::string>>> Database::meta_with_prefix(std::string_view prefix) {
    auto st = Statement::prepare(impl_->db.get(),
                                 "SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
                                 impl_->where);
    if (!st) return st.error();
    st->bind_text(1, prefix);
    return impl_->collect<std::pair<std::string, std::string>>(
        *st,
        [](const Statement& s) {
            return std::pair{s.text(0), s.text(1)};
        },
        "cannot read meta");
}

Expected<std::vector<CustomerRow>> Database::customers() {
    auto st = Statement::prepare(impl_->db.get(), "SELECT id, payload FROM customers ORDER BY id", impl_->where);
    if (!st) return st.error();
    return impl_->collect<CustomerRow>(
        *st,
        [](const Statement& s) {
            return CustomerRow{s.int64(0), s.blob(1)};
        },
        "cannot read customers");
}

Expected<std::vector<CustomerAliasRow>> Database::customer_aliases() {
    auto st =
        Statement::prepare(impl_->db.get(), "SELECT id, survivor FROM customer_aliases ORDER BY id", impl_->where);
    if (!st) return st.error();
    return impl_->collect<CustomerAliasRow>(
        *st,
        [](const Statement& s) {
            return CustomerAliasRow{s.int64(0), s.int64(1)};
        },
        "cannot read customer aliases");
}

Expected<std::vector<ReplyRow>> Database::replies(const ReplyFilter& filter) {
    auto st = Statement::prepare(impl_->db.get(),
                                 "SELECT inquiry_id, account, agent, buyer_at_ms, replied_at_ms FROM replies"
                                 " WHERE replied_at_ms >= ?1 AND (?2 IS NULL OR account = ?2) ORDER BY seq",
                                 impl_->where);
    if (!st) return st.error();
    st->bind_int(1, sla::to_unix_ms(filter.since));
    if (filter.account) st->bind_text(2, *filter.account);
    auto rows = impl_->collect<ReplyRow>(
        *st,
        [](const Statement& s) {
            return ReplyRow{s.int64(0), s.text(1), s.text(2), sla::from_unix_ms(s.int64(3)),
                            sla::from_unix_ms(s.int64(4))};
        },
        "cannot read replies");
    if (!rows) return rows;
    // The replies of erased inquiries, kept as aggregates (reply_history.hpp).
    if (auto e = append_reply_history(impl_->db.get(), filter, *rows, impl_->where)) return *e;
    return rows;
}

}  // namespace ir::store
