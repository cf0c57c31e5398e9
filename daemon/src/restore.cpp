#include "ir/daemon/restore.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <ostream>

#include "ir/store/backup.hpp"
#include "state_lock.hpp"

namespace ir::daemon {
namespace {

// 20260314T081500Z: sorts by time, and no ':' in a file name.
std::string compact_utc(sla::TimePoint t) {
    const std::time_t secs = sla::to_unix_ms(t) / 1000;
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
    return text;
}

// Run as root for a daemon that runs as its own user: the new file goes to the folder's owner.
void give_to_folder_owner(const std::filesystem::path& dir, const std::filesystem::path& file, std::ostream& err) {
    struct stat st {};
    if (::geteuid() != 0 || ::stat(dir.c_str(), &st) != 0 || st.st_uid == 0) return;
    if (::chown(file.c_str(), st.st_uid, st.st_gid) != 0)
        err << "inquiryd: --restore: cannot give " << file.string() << " to the state folder's owner\n";
}

}  // namespace

int restore_store(const Config& config, const std::filesystem::path& file, sla::TimePoint now, std::ostream& out,
                  std::ostream& err) {
    std::error_code ec;
    std::filesystem::create_directories(config.state_dir, ec);
    if (ec) {
        err << "inquiryd: " << config.state_dir.string() << ": cannot create the state folder: " << ec.message()
            << "\n";
        return 1;
    }
    std::string why;
    auto lock = StateLock::take(config.state_dir, why);  // held until the copy is in place
    if (!lock) {
        err << "inquiryd: --restore refused: " << why << " (stop it first)\n";
        return 1;
    }
    const auto database = config.state_dir / "inquiryd.db";
    const auto aside = config.state_dir / ("inquiryd.db.before-restore-" + compact_utc(now));
    auto report = store::restore(file, database, aside);
    if (!report) {
        const auto& e = report.error();
        err << "inquiryd: --restore: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
        return 1;
    }
    give_to_folder_owner(config.state_dir, database, err);
    const auto& r = report->restored;
    out << "restored " << file.string() << " to " << database.string() << "\n"
        << "  schema version " << r.schema_version << " (migrated when inquiryd starts, if older)\n"
        << "  events " << r.events << " (last seq " << r.last_event_seq << ")\n"
        << "  inquiries " << r.inquiries << " (" << r.open_inquiries << " open)\n"
        << "  alerts " << r.alerts << " (last seq " << r.last_alert_seq << ")\n"
        << "  customers " << r.customers << "\n";
    if (report->kept_aside) out << "  the previous store is kept as " << report->kept_aside->string() << "\n";
    return 0;
}

}  // namespace ir::daemon
