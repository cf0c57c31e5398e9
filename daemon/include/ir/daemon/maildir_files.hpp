#pragma once
// File moves of the Maildir source: listing new/ in a stable order, delivering to cur/,
// quarantining with a reason file. Rename where possible; never delete a mail.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ir::daemon::maildir {

// Regular files of DIR/new, by (mtime, name); tmp/ is never read; dot files are skipped.
std::vector<std::string> list_new(const std::filesystem::path& maildir);

// new/NAME to cur/NAME:2,S (seen). Empty on success, else the error.
std::string move_to_cur(const std::filesystem::path& maildir, const std::string& name);

// Writes QUARANTINE/NAME.reason (reason, time, source) then moves the mail beside it.
std::string quarantine(const std::filesystem::path& file, const std::filesystem::path& folder,
                       const std::string& reason);

// Reads at most max_bytes + 1 bytes; nullopt when the file vanished.
std::optional<std::string> read_mail(const std::filesystem::path& file, std::size_t max_bytes, std::string& error);

}  // namespace ir::daemon::maildir
