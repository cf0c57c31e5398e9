#include "ir/store/pruner.hpp"

#include <string>

#include "batched_wal_vfs.hpp"
#include "ir/store/database.hpp"
#include "reply_history.hpp"
#include "schema.hpp"
#include "statement.hpp"

namespace ir::store {
namespace {

namespace sql {
constexpr const char* resolved_before =
    "SELECT id, account, state, updated_at_ms, payload FROM inquiries INDEXED BY inquiries_resolved"
    " WHERE state = 'resolved' AND updated_at_ms < ?1 ORDER BY updated_at_ms, id LIMIT ?2";
constexpr const char* inquiries_after =
    "SELECT id, account, state, updated_at_ms, payload FROM inquiries WHERE id > ?1 ORDER BY id LIMIT ?2";
constexpr const char* replies_of = "SELECT account, agent, buyer_at_ms, replied_at_ms FROM replies WHERE inquiry_id=?1";
constexpr const char* delete_replies = "DELETE FROM replies WHERE inquiry_id=?1";
constexpr const char* delete_details = "DELETE FROM inquiry_details WHERE id=?1";
constexpr const char* delete_labels = "DELETE FROM labels WHERE inquiry_id=?1";
constexpr const char* empty_events =
    "UPDATE events SET payload = x'', thread_id = '' WHERE inquiry_id=?1 AND (length(payload) > 0 OR thread_id <> '')";
constexpr const char* delete_inquiry = "DELETE FROM inquiries WHERE id=?1";
constexpr const char* raise_next_id =
    "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET"
    " value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)";
}  // namespace sql

}  // namespace

struct Pruner::Impl {
    Impl(Connection connection, std::string file) : db(std::move(connection)), where(std::move(file)) {}

    Connection db;  // first: closed after every statement is finalized
    std::string where;
    Statement begin, commit, rollback, resolved_before, inquiries_after, replies_of, delete_replies, delete_details,
        delete_labels, empty_events, delete_inquiry, raise_next_id;

    Error fail(int rc, std::string_view what) const { return sqlite_error(db.get(), rc, what, where); }
    std::optional<Error> run(Statement& st, std::string_view what) {
        const auto scope = st.scope();
        const int rc = st.step();
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fail(rc, what);
        return std::nullopt;
    }
    Expected<std::vector<InquiryRow>> rows(Statement& st, std::string_view what);
    std::optional<Error> erase_one(std::int64_t id, ReplyHistory& history, Erased& erased);
};

Expected<std::unique_ptr<Pruner>> Pruner::open(const std::filesystem::path& path) {
    Options options;
    options.path = path;
    options.auto_checkpoint = false;  // the daemon's checkpointer does it
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE, batched_wal_vfs());
    Connection connection(raw);
    if (rc != SQLITE_OK) return sqlite_error(raw, rc, "cannot open database", path.string());
    if (auto e = configure(raw, options)) return *e;
    auto impl = std::make_unique<Impl>(std::move(connection), path.string());
    const std::pair<Statement*, const char*> all[] = {
        {&impl->begin, "BEGIN IMMEDIATE"},
        {&impl->commit, "COMMIT"},
        {&impl->rollback, "ROLLBACK"},
        {&impl->resolved_before, sql::resolved_before},
        {&impl->inquiries_after, sql::inquiries_after},
        {&impl->replies_of, sql::replies_of},
        {&impl->delete_replies, sql::delete_replies},
        {&impl->delete_details, sql::delete_details},
        {&impl->delete_labels, sql::delete_labels},
        {&impl->empty_events, sql::empty_events},
        {&impl->delete_inquiry, sql::delete_inquiry},
        {&impl->raise_next_id, sql::raise_next_id},
    };
    for (const auto& [st, text] : all) {
        auto prepared = Statement::prepare(impl->db.get(), text, impl->where);
        if (!prepared) return prepared.error();
        *st = std::move(*prepared);
    }
    return std::unique_ptr<Pruner>(new Pruner(std::move(impl)));
}

Pruner::Pruner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pruner::~Pruner() = default;

Expected<std::vector<InquiryRow>> Pruner::Impl::rows(Statement& st, std::string_view what) {
    const auto scope = st.scope();
    std::vector<InquiryRow> out;
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW)
        out.push_back({st.int64(0), st.text(1), st.text(2), sla::from_unix_ms(st.int64(3)), st.blob(4)});
    if (rc != SQLITE_DONE) return fail(rc, what);
    return out;
}

Expected<std::vector<InquiryRow>> Pruner::resolved_before(sla::TimePoint cutoff, std::size_t limit) {
    impl_->resolved_before.bind_int(1, sla::to_unix_ms(cutoff));
    impl_->resolved_before.bind_int(2, static_cast<std::int64_t>(limit));
    return impl_->rows(impl_->resolved_before, "cannot read the resolved inquiries");
}

Expected<std::vector<InquiryRow>> Pruner::inquiries_after(std::int64_t after_id, std::size_t limit) {
    impl_->inquiries_after.bind_int(1, after_id);
    impl_->inquiries_after.bind_int(2, static_cast<std::int64_t>(limit));
    return impl_->rows(impl_->inquiries_after, "cannot read the inquiries");
}

std::optional<Error> Pruner::Impl::erase_one(std::int64_t id, ReplyHistory& history, Erased& erased) {
    const std::string what = "cannot erase inquiry " + std::to_string(id);
    {
        const auto scope = replies_of.scope();
        replies_of.bind_int(1, id);
        int rc = SQLITE_OK;
        while ((rc = replies_of.step()) == SQLITE_ROW) {
            const std::int64_t replied = replies_of.int64(3);
            history[{replied - replied % kHourMs, replies_of.text(0), replies_of.text(1)}].push_back(
                replied - replies_of.int64(2));
            ++erased.replies;
        }
        if (rc != SQLITE_DONE) return fail(rc, what);
    }
    const std::pair<Statement*, std::int64_t*> steps[] = {{&delete_replies, nullptr},
                                                          {&delete_details, &erased.details},
                                                          {&delete_labels, &erased.labels},
                                                          {&empty_events, &erased.events},
                                                          {&delete_inquiry, &erased.inquiries}};
    for (const auto& [st, count] : steps) {
        st->bind_int(1, id);
        if (auto e = run(*st, what)) return e;
        if (count) *count += sqlite3_changes(db.get());
    }
    return std::nullopt;
}

Expected<Erased> Pruner::erase_inquiries(std::span<const std::int64_t> ids) {
    Impl& d = *impl_;
    Erased erased;
    if (ids.empty()) return erased;
    if (auto e = d.run(d.begin, "cannot begin transaction")) return *e;
    ReplyHistory history;
    std::int64_t highest = 0;
    std::optional<Error> error;
    for (const auto id : ids) {
        highest = std::max(highest, id);
        if ((error = d.erase_one(id, history, erased))) break;
    }
    if (!error) error = fold_reply_history(d.db.get(), history, d.where);
    if (!error) {
        const std::string next = std::to_string(highest + 1);
        d.raise_next_id.bind_text(1, kNextInquiryIdKey);
        d.raise_next_id.bind_text(2, next);
        error = d.run(d.raise_next_id, "cannot record the next inquiry id");
    }
    if (!error) error = d.run(d.commit, "cannot commit");
    if (error) {
        if (sqlite3_get_autocommit(d.db.get()) == 0) (void)d.run(d.rollback, "rollback");
        return *error;
    }
    return erased;
}

Expected<StoreSize> Pruner::size() {
    auto st = Statement::prepare(impl_->db.get(),
                                 "SELECT page_count * page_size, freelist_count * page_size"
                                 " FROM pragma_page_count(), pragma_page_size(), pragma_freelist_count()",
                                 impl_->where);
    if (!st) return st.error();
    const int rc = st->step();
    if (rc != SQLITE_ROW) return impl_->fail(rc, "cannot read the store's size");
    return StoreSize{st->int64(0), st->int64(1)};
}

}  // namespace ir::store
