#include "reply_history.hpp"

#include <algorithm>

#include "statement.hpp"

namespace ir::store {
namespace {

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

std::optional<std::uint64_t> get_varint(std::string_view bytes, std::size_t& at) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && at < bytes.size(); shift += 7) {
        const auto b = static_cast<unsigned char>(bytes[at++]);
        v |= std::uint64_t{b & 0x7FU} << shift;
        if ((b & 0x80U) == 0) return v;
    }
    return std::nullopt;
}

}  // namespace

std::string encode_reply_times(std::vector<std::int64_t> times) {
    std::sort(times.begin(), times.end());
    std::string out;
    put_varint(out, times.size());
    std::int64_t last = 0;
    for (const auto t : times) {
        put_varint(out, static_cast<std::uint64_t>(std::max<std::int64_t>(t, 0) - last));
        last = std::max<std::int64_t>(t, 0);
    }
    return out;
}

std::optional<std::vector<std::int64_t>> decode_reply_times(std::string_view bytes) {
    std::size_t at = 0;
    const auto n = get_varint(bytes, at);
    if (!n || *n > bytes.size()) return std::nullopt;  // each time takes a byte at least
    std::vector<std::int64_t> times;
    times.reserve(*n);
    std::int64_t last = 0;
    for (std::uint64_t i = 0; i < *n; ++i) {
        const auto delta = get_varint(bytes, at);
        if (!delta) return std::nullopt;
        last += static_cast<std::int64_t>(*delta);
        times.push_back(last);
    }
    if (at != bytes.size()) return std::nullopt;
    return times;
}

std::optional<Error> fold_reply_history(sqlite3* db, const ReplyHistory& more, const std::string& where) {
    if (more.empty()) return std::nullopt;
    auto read = Statement::prepare(
        db, "SELECT durations FROM reply_history WHERE hour_ms=?1 AND account=?2 AND agent=?3", where);
    auto write = Statement::prepare(db,
                                    "INSERT INTO reply_history(hour_ms, account, agent, replies, durations)"
                                    " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(hour_ms, account, agent) DO UPDATE SET"
                                    " replies=excluded.replies, durations=excluded.durations",
                                    where);
    if (!read) return read.error();
    if (!write) return write.error();
    for (const auto& [key, times] : more) {
        const auto& [hour, account, agent] = key;
        std::vector<std::int64_t> all = times;
        {
            const auto scope = read->scope();
            read->bind_int(1, hour);
            read->bind_text(2, account);
            read->bind_text(3, agent);
            const int rc = read->step();
            if (rc == SQLITE_ROW) {
                auto old = decode_reply_times(read->blob(0));
                if (!old) return Error{"reply_history holds bytes it cannot read", where};
                all.insert(all.end(), old->begin(), old->end());
            } else if (rc != SQLITE_DONE) {
                return sqlite_error(db, rc, "cannot read reply_history", where);
            }
        }
        const std::string bytes = encode_reply_times(all);
        const auto scope = write->scope();
        write->bind_int(1, hour);
        write->bind_text(2, account);
        write->bind_text(3, agent);
        write->bind_int(4, static_cast<std::int64_t>(all.size()));
        write->bind_blob(5, bytes);
        if (const int rc = write->step(); rc != SQLITE_DONE)
            return sqlite_error(db, rc, "cannot write reply_history", where);
    }
    return std::nullopt;
}

std::optional<Error> append_reply_history(sqlite3* db, const ReplyFilter& filter, std::vector<ReplyRow>& rows,
                                          const std::string& where) {
    auto st = Statement::prepare(db,
                                 "SELECT hour_ms, account, agent, durations FROM reply_history"
                                 " WHERE hour_ms >= ?1 AND (?2 IS NULL OR account = ?2) ORDER BY hour_ms",
                                 where);
    if (!st) return st.error();
    st->bind_int(1, sla::to_unix_ms(filter.since));
    if (filter.account) st->bind_text(2, *filter.account);
    int rc = SQLITE_OK;
    while ((rc = st->step()) == SQLITE_ROW) {
        auto times = decode_reply_times(st->blob(3));
        if (!times) return Error{"reply_history holds bytes it cannot read", where};
        const auto hour = sla::from_unix_ms(st->int64(0));
        for (const auto t : *times)
            rows.push_back(ReplyRow{0, st->text(1), st->text(2), hour - sla::Duration{t}, hour});
    }
    if (rc != SQLITE_DONE) return sqlite_error(db, rc, "cannot read reply_history", where);
    return std::nullopt;
}

}  // namespace ir::store
