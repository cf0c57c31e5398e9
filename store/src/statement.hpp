#pragma once
// Thin RAII over sqlite3 and sqlite3_stmt, private to the store.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ir/base/expected.hpp"

namespace ir::store {

struct CloseConnection {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

// "what: sqlite's own words (code N)", with the database path as the field.
Error sqlite_error(sqlite3* db, int rc, std::string_view what, const std::string& where);

// Runs SQL that returns no rows we need (pragmas, DDL, several statements at once).
std::optional<Error> exec(sqlite3* db, const char* sql, std::string_view what, const std::string& where);

class Statement {
public:
    Statement() = default;
    static Expected<Statement> prepare(sqlite3* db, std::string_view sql, const std::string& where);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    bool prepared() const { return stmt_ != nullptr; }

    // Indexes start at 1. Text and blobs are not copied: they must outlive step(),
    // and the Scope below clears every binding when the statement is done.
    void bind_int(int index, std::int64_t value);
    void bind_text(int index, std::string_view text);
    void bind_blob(int index, std::string_view bytes);
    void bind_optional(int index, std::optional<std::int64_t> value);

    // SQLITE_ROW, SQLITE_DONE, or an error code (the first failed bind's, if any).
    int step();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    std::string text(int column) const;
    std::string blob(int column) const;

    // Resets on scope exit: a reader left mid-result would pin an old WAL snapshot.
    class [[nodiscard]] Scope {
    public:
        explicit Scope(Statement& s) : s_(s) {}
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
        ~Scope() { s_.reset(); }

    private:
        Statement& s_;
    };
    Scope scope() { return Scope(*this); }
    void reset();

private:
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    void note(int rc);

    sqlite3_stmt* stmt_ = nullptr;
    int bind_rc_ = SQLITE_OK;
};

}  // namespace ir::store
