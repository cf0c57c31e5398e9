#include "ir/store/database.hpp"

#include <system_error>
#include <utility>

#include "batched_wal_vfs.hpp"
#include "database_impl.hpp"
#include "schema.hpp"

namespace ir::store {
namespace {

std::optional<Error> create_parent(const std::filesystem::path& path) {
    const auto parent = path.parent_path();
    if (parent.empty()) return std::nullopt;
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return Error{"cannot create folder " + parent.string() + ": " + ec.message(), path.string()};
    return std::nullopt;
}

// Every statement the store runs, prepared once per connection.
namespace sql {
constexpr const char* insert_event =
    "INSERT INTO events(seq, channel, account, message_id, thread_id, received_at_ms, direction,"
    " accepted_at_ms, inquiry_id, payload) VALUES(?10,?1,?2,?3,?4,?5,?6,?7,?8,?9)";
constexpr const char* upsert_inquiry =
    "INSERT INTO inquiries(id, account, state, updated_at_ms, payload) VALUES(?1,?2,?3,?4,?5)"
    " ON CONFLICT(id) DO UPDATE SET account=excluded.account, state=excluded.state,"
    " updated_at_ms=excluded.updated_at_ms, payload=excluded.payload";
// Most changes to an inquiry keep its state and account: then only its row changes, and
// the indexes on (state, account) are left alone (an upsert rewrites their entries too).
constexpr const char* update_inquiry =
    "UPDATE inquiries SET updated_at_ms=?4, payload=?5 WHERE id=?1 AND account=?2 AND state=?3";
// Sender fields merge: a message that leaves one empty keeps what an earlier one gave.
constexpr const char* upsert_detail =
    "INSERT INTO inquiry_details(id, assessment, name, email, company, phone, address, country, im)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(id) DO UPDATE SET assessment=excluded.assessment,"
    " name=iif(excluded.name<>'', excluded.name, name), email=iif(excluded.email<>'', excluded.email, email),"
    " company=iif(excluded.company<>'', excluded.company, company),"
    " phone=iif(excluded.phone<>'', excluded.phone, phone),"
    " address=iif(excluded.address<>'', excluded.address, address),"
    " country=iif(excluded.country<>'', excluded.country, country), im=iif(excluded.im<>'', excluded.im, im)";
constexpr const char* upsert_customer =
    "INSERT INTO customers(id, payload) VALUES(?1,?2) ON CONFLICT(id) DO UPDATE SET payload=excluded.payload";
constexpr const char* upsert_alias =
    "INSERT INTO customer_aliases(id, survivor) VALUES(?1,?2) ON CONFLICT(id) DO UPDATE SET survivor=excluded.survivor";
constexpr const char* insert_reply =
    "INSERT INTO replies(inquiry_id, account, agent, buyer_at_ms, replied_at_ms) VALUES(?1,?2,?3,?4,?5)";
constexpr const char* insert_alert = "INSERT INTO alerts(seq, topic, created_at_ms, payload) VALUES(?1,?2,?3,?4)";
constexpr const char* upsert_meta =
    "INSERT INTO meta(key, value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET "
    "value=excluded.value";
constexpr const char* event_key = "SELECT seq, channel, account, message_id, inquiry_id FROM events WHERE seq=?1";
constexpr const char* events_since =
    "SELECT seq, channel, account, message_id, thread_id, received_at_ms, direction,"
    " accepted_at_ms, inquiry_id, payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2";
constexpr const char* inquiry =
    "SELECT i.id, i.account, i.state, i.updated_at_ms, i.payload, d.assessment, d.name, d.email, d.company,"
    " d.phone, d.address, d.country, d.im FROM inquiries i LEFT JOIN inquiry_details d ON d.id = i.id"
    " WHERE i.id=?1";
// The same WHERE as the partial index inquiries_open, so the planner uses it.
constexpr const char* open_inquiries =
    "SELECT id, account, state, updated_at_ms, payload FROM inquiries"
    " WHERE state <> 'resolved' ORDER BY id";
// substr/length count characters on both sides, so any UTF-8 prefix matches.
// Two plans for one question, chosen per call (Database::alerts_since): along seq, fast
// when the topic is dense after `since`; along the topic index, fast when it is sparse.
constexpr const char* alerts_since =
    "SELECT seq, topic, created_at_ms, payload FROM alerts NOT INDEXED"
    " WHERE seq > ?1 AND substr(topic, 1, length(?2)) = ?2 ORDER BY seq LIMIT ?3";
constexpr const char* alerts_since_by_topic =
    "SELECT seq, topic, created_at_ms, payload FROM alerts INDEXED BY alerts_by_topic"
    " WHERE topic >= ?2 AND topic < ?4 AND seq > ?1"
    " ORDER BY seq LIMIT ?3";
// How many alerts on the topic follow `since`, counted up to ?3 (on the index alone).
constexpr const char* alerts_on_topic =
    "SELECT count(*) FROM (SELECT 1 FROM alerts INDEXED BY alerts_by_topic"
    " WHERE topic >= ?2 AND topic < ?4 AND seq > ?1 LIMIT ?3)";
}  // namespace sql

}  // namespace

std::optional<Error> Database::Impl::prepare_all() {
    const std::pair<Statement*, const char*> all[] = {
        {&begin, "BEGIN IMMEDIATE"},
        {&commit, "COMMIT"},
        {&rollback, "ROLLBACK"},
        {&insert_event_st, sql::insert_event},
        {&upsert_inquiry_st, sql::upsert_inquiry},
        {&update_inquiry_st, sql::update_inquiry},
        {&upsert_detail_st, sql::upsert_detail},
        {&upsert_customer_st, sql::upsert_customer},
        {&upsert_alias_st, sql::upsert_alias},
        {&insert_reply_st, sql::insert_reply},
        {&insert_audit_st, "INSERT INTO audit(at_ms, identity, action, inquiry_id, detail) VALUES(?1,?2,?3,?4,?5)"},
        {&insert_label_st, kInsertLabel},
        {&insert_alert_st, sql::insert_alert},
        {&upsert_meta_st, sql::upsert_meta},
        {&erase_customer_st, "DELETE FROM customers WHERE id=?1"},
        {&erase_aliases_st, "DELETE FROM customer_aliases WHERE id=?1 OR survivor=?1"},
        {&max_alert_st, "SELECT coalesce(max(seq), 0) FROM alerts"},
        {&max_inquiry_st, "SELECT coalesce(max(id), 0) FROM inquiries"},
        {&event_count_st, "SELECT count(*) FROM events"},
        {&max_event_st, "SELECT coalesce(max(seq), 0) FROM events"},
        {&event_key_st, sql::event_key},
        {&events_since_st, sql::events_since},
        {&inquiry_st, sql::inquiry},
        {&open_inquiries_st, sql::open_inquiries},
        {&alerts_since_st, sql::alerts_since},
        {&alerts_by_topic_st, sql::alerts_since_by_topic},
        {&alerts_on_topic_st, sql::alerts_on_topic},
        {&meta_st, "SELECT value FROM meta WHERE key=?1"},
        {&detail_st,
         "SELECT id, assessment, name, email, company, phone, address, country, im FROM inquiry_details WHERE id=?1"},
    };
    for (const auto& [st, text] : all) {
        auto prepared = Statement::prepare(db.get(), text, where);
        if (!prepared) return prepared.error();
        *st = std::move(*prepared);
    }
    return std::nullopt;
}

Expected<std::unique_ptr<Database>> Database::open(const Options& options) {
    const std::string where = options.path.string();
    if (where.empty()) return Error{"no database path given", "store.path"};
    if (!options.read_only) {
        if (auto e = create_parent(options.path)) return *e;
    }
    const int flags =
        SQLITE_OPEN_NOMUTEX | (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(where.c_str(), &raw, flags, batched_wal_vfs());
    Connection connection(raw);  // closed on every early return
    if (rc != SQLITE_OK) return sqlite_error(raw, rc, "cannot open database", where);
    if (auto e = configure(raw, options)) return *e;
    auto impl = std::make_unique<Impl>(std::move(connection), options.path);
    if (auto e = impl->prepare_all()) return *e;
    return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

const std::filesystem::path& Database::path() const {
    return impl_->path;
}

Expected<std::int64_t> Database::Impl::scalar(Statement& st, std::string_view what) {
    const auto scope = st.scope();
    const int rc = st.step();
    if (rc != SQLITE_ROW) return fail(rc, what);
    return st.int64(0);
}

std::optional<Error> Database::apply(const Change& change) {
    return apply(std::span<const Change>(&change, 1));
}

std::optional<Error> Database::apply(std::span<const Change> changes) {
    Impl& d = *impl_;
    if (changes.empty()) return std::nullopt;
    if (auto e = d.run(d.begin, "cannot begin transaction")) return e;
    auto error = d.write_all(changes);
    if (!error) error = d.run(d.commit, "cannot commit");
    // Some errors (disk full, I/O) already rolled back; the first error is the one to report.
    if (error && sqlite3_get_autocommit(d.db.get()) == 0) (void)d.run(d.rollback, "rollback");
    return error;
}

std::optional<Error> Database::set_max_page_count(std::int64_t pages) {
    return store::set_max_page_count(impl_->db.get(), pages, impl_->where);
}

std::optional<Error> Database::checkpoint() {
    const int rc = sqlite3_wal_checkpoint_v2(impl_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK || rc == SQLITE_BUSY) return std::nullopt;  // BUSY: another checkpoint is running
    return impl_->fail(rc, "cannot checkpoint");
}

std::optional<Error> Database::Impl::write_all(std::span<const Change> changes) {
    std::int64_t next_alert = 0;  // read on the first alert: most changes have none
    for (const Change& change : changes) {
        for (const auto& row : change.events) {
            if (auto e = insert_event(row)) return e;
        }
        for (const auto& row : change.inquiries) {
            if (auto e = upsert_inquiry(row)) return e;
        }
        for (const auto& row : change.details) {
            if (auto e = upsert_detail(row)) return e;
        }
        for (const auto& row : change.alerts) {
            if (auto e = insert_alert(row, next_alert)) return e;
        }
        for (const auto& [key, value] : change.meta) {
            if (auto e = upsert_meta(key, value)) return e;
        }
        for (const auto& row : change.customers) {
            if (auto e = upsert_customer(row)) return e;
        }
        for (const auto& row : change.customer_aliases) {
            if (auto e = upsert_alias(row)) return e;
        }
        for (const auto& row : change.replies) {
            if (auto e = insert_reply(row)) return e;
        }
        for (const auto& row : change.audit) {
            if (auto e = insert_audit(row)) return e;
        }
        for (const auto& row : change.labels) {
            if (auto e = insert_label(row)) return e;
        }
        for (const auto id : change.erased_customers) {
            if (auto e = erase_customer(id)) return e;
        }
    }
    return std::nullopt;
}

std::optional<Error> Database::Impl::insert_event(const EventRow& row) {
    Statement& st = insert_event_st;
    st.bind_text(1, row.channel);
    st.bind_text(2, row.account);
    st.bind_text(3, row.message_id);
    st.bind_text(4, row.thread_id);
    st.bind_int(5, sla::to_unix_ms(row.received_at));
    st.bind_text(6, row.direction);
    st.bind_int(7, sla::to_unix_ms(row.accepted_at));
    st.bind_optional(8, row.inquiry_id);
    st.bind_blob(9, row.payload);
    st.bind_optional(10, row.seq == 0 ? std::nullopt : std::optional<std::int64_t>(row.seq));
    return run_with(st, [&row] {
        return "cannot insert event " + (row.seq == 0 ? std::string() : std::to_string(row.seq) + " ") + row.channel +
               "/" + row.account + "/" + row.message_id;
    });
}

std::optional<Error> Database::Impl::upsert_inquiry(const InquiryRow& row) {
    // Both statements number their parameters alike.
    const auto write = [this, &row](Statement& st) {
        st.bind_int(1, row.id);
        st.bind_text(2, row.account);
        st.bind_text(3, row.state);
        st.bind_int(4, sla::to_unix_ms(row.updated_at));
        st.bind_blob(5, row.payload);
        return run_with(st, [&row] { return "cannot write inquiry " + std::to_string(row.id); });
    };
    if (auto e = write(update_inquiry_st)) return e;
    if (sqlite3_changes(db.get()) > 0) return std::nullopt;
    return write(upsert_inquiry_st);
}

std::optional<Error> Database::Impl::upsert_detail(const DetailRow& row) {
    Statement& st = upsert_detail_st;
    st.bind_int(1, row.id);
    st.bind_blob(2, row.assessment);
    int column = 3;
    for (const std::string* field :
         {&row.name, &row.email, &row.company, &row.phone, &row.address, &row.country, &row.im})
        st.bind_text(column++, *field);
    return run_with(st, [&row] { return "cannot write the details of inquiry " + std::to_string(row.id); });
}

std::optional<Error> Database::Impl::insert_alert(const AlertRow& row, std::int64_t& next_seq) {
    if (next_seq == 0) {
        auto max = scalar(max_alert_st, "cannot read the last alert seq");
        if (!max) return max.error();
        next_seq = *max + 1;
    }
    if (row.seq != next_seq) {
        return Error{"alert seq " + std::to_string(row.seq) + " would leave a gap or repeat (next is " +
                         std::to_string(next_seq) + ")",
                     where};
    }
    Statement& st = insert_alert_st;
    st.bind_int(1, row.seq);
    st.bind_text(2, row.topic);
    st.bind_int(3, sla::to_unix_ms(row.created_at));
    st.bind_blob(4, row.payload);
    if (auto e = run_with(st, [&row] { return "cannot insert alert " + std::to_string(row.seq); })) {
        return e;
    }
    ++next_seq;
    return std::nullopt;
}

std::optional<Error> Database::Impl::upsert_customer(const CustomerRow& row) {
    Statement& st = upsert_customer_st;
    st.bind_int(1, row.id);
    st.bind_blob(2, row.payload);
    return run_with(st, [&row] { return "cannot write customer " + std::to_string(row.id); });
}

std::optional<Error> Database::Impl::upsert_alias(const CustomerAliasRow& row) {
    Statement& st = upsert_alias_st;
    st.bind_int(1, row.id);
    st.bind_int(2, row.survivor);
    return run_with(st, [&row] { return "cannot write customer alias " + std::to_string(row.id); });
}

std::optional<Error> Database::Impl::insert_reply(const ReplyRow& row) {
    Statement& st = insert_reply_st;
    st.bind_int(1, row.inquiry_id);
    st.bind_text(2, row.account);
    st.bind_text(3, row.agent);
    st.bind_int(4, sla::to_unix_ms(row.buyer_at));
    st.bind_int(5, sla::to_unix_ms(row.replied_at));
    return run_with(st, [&row] { return "cannot record the reply to inquiry " + std::to_string(row.inquiry_id); });
}

std::optional<Error> Database::Impl::insert_audit(const AuditRow& row) {
    Statement& st = insert_audit_st;
    st.bind_int(1, sla::to_unix_ms(row.at));
    st.bind_text(2, row.identity);
    st.bind_text(3, row.action);
    st.bind_optional(4, row.inquiry_id);
    st.bind_text(5, row.detail);
    return run_with(st, [&row] { return "cannot record " + row.action + " by " + row.identity; });
}

std::optional<Error> Database::Impl::upsert_meta(const std::string& key, const std::string& value) {
    Statement& st = upsert_meta_st;
    st.bind_text(1, key);
    st.bind_text(2, value);
    return run_with(st, [&key] { return "cannot write meta " + key; });
}

std::optional<Error> Database::Impl::erase_customer(std::int64_t id) {
    const auto what = [id] { return "cannot erase customer " + std::to_string(id); };
    erase_customer_st.bind_int(1, id);
    if (auto e = run_with(erase_customer_st, what)) return e;
    erase_aliases_st.bind_int(1, id);
    return run_with(erase_aliases_st, what);
}

}  // namespace ir::store
