#include "backup_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ostream>

#include "ir/store/backup.hpp"
#include "store_file.hpp"

namespace ir::cli {
namespace {

std::string mib(std::int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

}  // namespace

CLI::App* add_backup_subcommand(CLI::App& app, BackupOptions& o) {
    auto* cmd = app.add_subcommand("backup", "Copy the store while inquiryd runs, checked before it is reported");
    cmd->add_option("--config", o.config, "inquiryd's config file: the store in its state_dir");
    cmd->add_option("--state-dir", o.state_dir, "inquiryd's state folder (instead of --config)");
    cmd->add_option("DEST", o.dest, "The copy: a new file (restore it with inquiryd --restore DEST)")->required();
    return cmd;
}

int run_backup(const BackupOptions& o, std::ostream& out, std::ostream& err) {
    auto source =
        store_file({.store = {}, .state_dir = o.state_dir, .config = o.config}, "--config FILE or --state-dir DIR");
    if (!source) {
        err << "inquiryctl backup: " << source.error().message << "\n";
        return 2;
    }
    auto report = store::backup(*source, o.dest);
    if (!report) {
        const auto& e = report.error();
        err << "inquiryctl backup: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
        return 1;
    }
    const auto& c = report->copied;
    out << "copied " << source->string() << " to " << o.dest << " in " << report->took.count() << " ms\n"
        << "  schema version " << c.schema_version << ", " << mib(c.bytes) << "\n"
        << "  events " << c.events << " (last seq " << c.last_event_seq << ")\n"
        << "  inquiries " << c.inquiries << " (" << c.open_inquiries << " open)\n"
        << "  alerts " << c.alerts << " (last seq " << c.last_alert_seq << ")\n"
        << "  customers " << c.customers << "\n"
        << "  PRAGMA integrity_check: ok\n";
    return 0;
}

}  // namespace ir::cli
