#pragma once
// The connection and its cached statements, shared by database.cpp (open, writes)
// and database_reads.cpp.
#include <array>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "ir/store/database.hpp"
#include "statement.hpp"

namespace ir::store {

extern const char* const kInsertLabel;  // labels.cpp: prepared with the others
// An events row of the columns events_since selects, in its order (database_reads.cpp).
EventRow read_event(const Statement& st);

struct Database::Impl {
    Impl(Connection connection, std::filesystem::path file)
        : db(std::move(connection)), path(std::move(file)), where(path.string()) {}

    std::optional<Error> prepare_all();
    std::optional<Error> write_all(std::span<const Change> changes);
    std::optional<Error> insert_event(const EventRow& row);
    std::optional<Error> upsert_inquiry(const InquiryRow& row);
    std::optional<Error> upsert_detail(const DetailRow& row);
    std::optional<Error> upsert_customer(const CustomerRow& row);
    std::optional<Error> upsert_alias(const CustomerAliasRow& row);
    std::optional<Error> insert_reply(const ReplyRow& row);
    std::optional<Error> insert_audit(const AuditRow& row);
    std::optional<Error> insert_label(const LabelRow& row);  // labels.cpp
    std::optional<Error> insert_alert(const AlertRow& row, std::int64_t& next_seq);
    std::optional<Error> upsert_meta(const std::string& key, const std::string& value);
    std::optional<Error> erase_customer(std::int64_t id);
    // Steps a statement that returns no rows; resets it whatever happens. The
    // message is only built on failure: the write path runs once per row.
    template <class What>
    std::optional<Error> run_with(Statement& st, What what) {
        const auto scope = st.scope();
        const int rc = st.step();
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) return fail(rc, what());
        return std::nullopt;
    }
    std::optional<Error> run(Statement& st, std::string_view what) {
        return run_with(st, [what] { return what; });
    }
    Expected<std::int64_t> scalar(Statement& st, std::string_view what);
    Statement* inquiries_statement(const InquiryFilter& filter, std::optional<Error>& error);

    Error fail(int rc, std::string_view what) const { return sqlite_error(db.get(), rc, what, where); }

    template <class Row, class ReadRow>
    Expected<std::vector<Row>> collect(Statement& st, ReadRow read_row, std::string_view what) {
        std::vector<Row> rows;
        int rc = SQLITE_OK;
        while ((rc = st.step()) == SQLITE_ROW) rows.push_back(read_row(st));
        if (rc != SQLITE_DONE) return fail(rc, what);
        return rows;
    }

    Connection db;  // first: closed after every statement is finalized
    std::filesystem::path path;
    std::string where;  // the path as text, for errors

    Statement begin, commit, rollback;
    Statement insert_event_st, upsert_inquiry_st, update_inquiry_st, upsert_detail_st, insert_alert_st, upsert_meta_st;
    Statement upsert_customer_st, upsert_alias_st, insert_reply_st, insert_audit_st, insert_label_st, erase_customer_st,
        erase_aliases_st;
    Statement max_alert_st, max_inquiry_st, max_event_st, event_count_st;
    Statement event_key_st, events_since_st, inquiry_st, open_inquiries_st, alerts_since_st;
    Statement alerts_by_topic_st, alerts_on_topic_st;
    Statement meta_st, detail_st;
    // One per filter shape (state?, account?), so each gets the plan that fits it.
    std::array<Statement, 4> inquiries_st;
};

}  // namespace ir::store
