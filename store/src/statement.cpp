#include "statement.hpp"

#include <utility>

namespace ir::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view what, const std::string& where) {
    // The connection's message is more precise, but only if it is about this error.
    const bool own = db != nullptr && sqlite3_extended_errcode(db) == rc;
    std::string message(what);
    message += ": ";
    message += own ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    message += " (sqlite code " + std::to_string(rc) + ")";
    return Error{std::move(message), where};
}

std::optional<Error> exec(sqlite3* db, const char* sql, std::string_view what, const std::string& where) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db, rc, what, where);
    return std::nullopt;
}

Expected<Statement> Statement::prepare(sqlite3* db, std::string_view sql, const std::string& where) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqlite_error(db, rc, "cannot prepare \"" + std::string(sql) + "\"", where);
    }
    return Statement(stmt);
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        bind_rc_ = other.bind_rc_;
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

void Statement::note(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::bind_int(int index, std::int64_t value) {
    note(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::bind_text(int index, std::string_view text) {
    // data() of an empty view may be null, which SQLite would store as NULL.
    const char* data = text.empty() ? "" : text.data();
    note(sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8));
}

void Statement::bind_blob(int index, std::string_view bytes) {
    if (bytes.empty()) {
        note(sqlite3_bind_zeroblob(stmt_, index, 0));
        return;
    }
    note(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC));
}

void Statement::bind_optional(int index, std::optional<std::int64_t> value) {
    if (value) {
        bind_int(index, *value);
    } else {
        note(sqlite3_bind_null(stmt_, index));
    }
}

int Statement::step() {
    if (bind_rc_ != SQLITE_OK) return bind_rc_;
    return sqlite3_step(stmt_);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);  // after the pointer, per the docs
    if (data == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string Statement::blob(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr) return {};
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

void Statement::reset() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
}

}  // namespace ir::store
