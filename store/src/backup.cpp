// Online backup (SQLite's backup API in one step: one read transaction on the live file),
// the checks a copy passes before anyone relies on it, and restore.
#include "ir/store/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "ir/store/database.hpp"
#include "schema.hpp"
#include "statement.hpp"

namespace ir::store {
namespace {

using Clock = std::chrono::steady_clock;

Error io_error(const std::string& what, const std::filesystem::path& path) {
    return Error{what + ": " + std::strerror(errno), path.string()};
}

std::optional<Error> sync_path(const std::filesystem::path& path, bool directory) {
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot open to sync", path);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return io_error("cannot sync", path);
    return std::nullopt;
}

Expected<Connection> open_file(const std::filesystem::path& path, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Connection db(raw);
    if (rc != SQLITE_OK) return sqlite_error(raw, rc, "cannot open database", path.string());
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    return db;
}

Expected<std::int64_t> scalar(sqlite3* db, const char* sql, const std::string& where) {
    auto st = Statement::prepare(db, sql, where);
    if (!st) return st.error();
    const int rc = st->step();
    if (rc != SQLITE_ROW) return sqlite_error(db, rc, std::string("cannot run ") + sql, where);
    return st->int64(0);
}

// An Inquiry Router file whose schema this build can open.
Expected<std::int64_t> check_ours(sqlite3* db, const std::string& where) {
    auto version = scalar(db, "PRAGMA user_version", where);
    if (!version) return version.error();
    auto id = scalar(db, "PRAGMA application_id", where);
    if (!id) return id.error();
    if (*id != kApplicationId || *version == 0)
        return Error{"not an Inquiry Router database (a SQLite file of another program?)", where};
    if (*version > kSchemaVersion)
        return Error{"schema version " + std::to_string(*version) + " is newer than this build understands (" +
                         std::to_string(kSchemaVersion) + ")",
                     where};
    return *version;
}

std::optional<Error> integrity_ok(sqlite3* db, const std::string& where) {
    auto st = Statement::prepare(db, "PRAGMA integrity_check", where);
    if (!st) return st.error();
    std::vector<std::string> problems;
    int rc = SQLITE_OK;
    while ((rc = st->step()) == SQLITE_ROW) problems.push_back(st->text(0));
    if (rc != SQLITE_DONE) return sqlite_error(db, rc, "cannot check integrity", where);
    if (problems.size() == 1 && problems.front() == "ok") return std::nullopt;
    std::string text = "PRAGMA integrity_check failed:";
    for (std::size_t i = 0; i < problems.size() && i < 3; ++i) text += " " + problems[i] + ";";
    return Error{text, where};
}

Expected<StoreSummary> summarize(sqlite3* db, std::int64_t version, const std::string& where) {
    StoreSummary s;
    s.schema_version = version;
    const std::pair<std::int64_t*, const char*> counts[] = {
        {&s.bytes, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"},
        {&s.events, "SELECT count(*) FROM events"},
        {&s.last_event_seq, "SELECT coalesce(max(seq), 0) FROM events"},
        {&s.inquiries, "SELECT count(*) FROM inquiries"},
        {&s.open_inquiries, "SELECT count(*) FROM inquiries WHERE state <> 'resolved'"},
        {&s.alerts, "SELECT count(*) FROM alerts"},
        {&s.last_alert_seq, "SELECT coalesce(max(seq), 0) FROM alerts"},
        {&s.customers, "SELECT count(*) FROM sqlite_schema WHERE name = 'customers'"},
    };
    for (const auto& [out, sql] : counts) {
        auto v = scalar(db, sql, where);
        if (!v) return v.error();
        *out = *v;
    }
    if (s.customers != 0) {  // the table came with schema v2
        auto v = scalar(db, "SELECT count(*) FROM customers", where);
        if (!v) return v.error();
        s.customers = *v;
    }
    return s;
}

// Copies `source` (a live store, or a copy) page by page into a new file `dest`, in one
// read transaction; the new file is checked and synced, then given its name.
Expected<StoreSummary> copy_checked(const std::filesystem::path& source, const std::filesystem::path& dest) {
    const std::string from = source.string();
    auto src = open_file(source, SQLITE_OPEN_READONLY);
    if (!src) return src.error();
    auto version = check_ours(src->get(), from);
    if (!version) return version.error();
    const auto tmp = dest.parent_path() / ("." + dest.filename().string() + ".partial");
    std::error_code ec;
    std::filesystem::remove(tmp, ec);  // a copy a crash left behind
    // Buyers' data: readable by the owner only, whatever the umask.
    const int fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("cannot create", tmp);
    ::close(fd);
    auto dst = open_file(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dst) return dst.error();
    sqlite3_backup* b = sqlite3_backup_init(dst->get(), "main", src->get(), "main");
    if (b == nullptr) return sqlite_error(dst->get(), sqlite3_errcode(dst->get()), "cannot start the copy", from);
    const int step = sqlite3_backup_step(b, -1);  // every page, in one read transaction
    const int finish = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) return sqlite_error(dst->get(), step, "cannot copy", from);
    if (finish != SQLITE_OK) return sqlite_error(dst->get(), finish, "cannot copy", from);
    src->reset();
    const std::string where = tmp.string();
    if (auto e = exec(dst->get(), "PRAGMA journal_mode=DELETE", "cannot make the copy one file", where)) return *e;
    if (auto e = integrity_ok(dst->get(), where)) return *e;
    auto summary = summarize(dst->get(), *version, where);
    if (!summary) return summary.error();
    dst->reset();
    if (auto e = sync_path(tmp, false)) return *e;
    std::filesystem::rename(tmp, dest, ec);
    if (ec) return Error{"cannot rename the copy: " + ec.message(), dest.string()};
    if (auto e = sync_path(dest.parent_path().empty() ? "." : dest.parent_path(), true)) return *e;
    return summary;
}

std::optional<Error> move_if_there(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::error_code ec;
    if (!std::filesystem::exists(from, ec)) return std::nullopt;
    std::filesystem::rename(from, to, ec);
    if (ec) return Error{"cannot move it aside to " + to.string() + ": " + ec.message(), from.string()};
    return std::nullopt;
}

}  // namespace

Expected<BackupReport> backup(const std::filesystem::path& source, const std::filesystem::path& dest) {
    const auto start = Clock::now();
    std::error_code ec;
    if (!std::filesystem::exists(source, ec)) return Error{"no store here", source.string()};
    if (std::filesystem::exists(dest, ec)) return Error{"already exists: give a new file name", dest.string()};
    auto copied = copy_checked(source, dest);
    if (!copied) return copied.error();
    return BackupReport{*copied, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
}

Expected<StoreSummary> verify_copy(const std::filesystem::path& file) {
    const std::string where = file.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return Error{"no such file", where};
    auto db = open_file(file, SQLITE_OPEN_READONLY);
    if (!db) return db.error();
    auto version = check_ours(db->get(), where);
    if (!version) return version.error();
    if (auto e = integrity_ok(db->get(), where)) return *e;
    return summarize(db->get(), *version, where);
}

Expected<RestoreReport> restore(const std::filesystem::path& file, const std::filesystem::path& database,
                                const std::filesystem::path& aside) {
    auto checked = verify_copy(file);
    if (!checked) return checked.error();
    std::error_code ec;
    if (!database.parent_path().empty()) std::filesystem::create_directories(database.parent_path(), ec);
    if (ec) return Error{"cannot create the state folder: " + ec.message(), database.parent_path().string()};
    RestoreReport report;
    if (std::filesystem::exists(database, ec)) {
        if (std::filesystem::exists(aside, ec)) return Error{"already exists", aside.string()};
        if (auto e = move_if_there(database, aside)) return *e;
        if (auto e = move_if_there(database.string() + "-wal", aside.string() + "-wal")) return *e;
        report.kept_aside = aside;
    }
    std::filesystem::remove(database.string() + "-wal", ec);  // none may outlive its database
    std::filesystem::remove(database.string() + "-shm", ec);
    auto restored = copy_checked(file, database);
    if (!restored) return restored.error();
    report.restored = *restored;
    return report;
}

}  // namespace ir::store
