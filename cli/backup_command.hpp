#pragma once
// `inquiryctl backup DEST`: a consistent copy of the store while inquiryd runs and takes
// events, read from the state folder directly (so it needs the right to read it, as the
// inquiryd user or root, on the daemon's machine). It prints what it copied once
// PRAGMA integrity_check has passed on the copy.
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace ir::cli {

struct BackupOptions {
    std::string config;     // --config FILE: its state_dir
    std::string state_dir;  // --state-dir DIR
    std::string dest;       // a new file
};

CLI::App* add_backup_subcommand(CLI::App& app, BackupOptions& o);
// 0: copied and checked; 2: bad options; 1: the copy failed (nothing is left at DEST).
int run_backup(const BackupOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
