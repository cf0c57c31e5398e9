#pragma once
// The daemon's end of the mail parsing worker (inquiryd-mailparse): spawns it with
// posix_spawn (no fork of the multi-threaded daemon, every other fd closed), sends one
// mail, waits for the answer with a deadline, and on a timeout kills it (SIGKILL); the
// next parse starts a fresh worker. Blocking: call from a thread other than the io thread.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <variant>

#include "ir/adapters/mail_parser.hpp"

namespace ir::daemon {

struct WorkerFailure {
    enum class Kind { timed_out, crashed, unavailable, interrupted };
    Kind kind;
    std::string reason;
};

using WorkerResult = std::variant<adapters::MailResult, WorkerFailure>;

// Where inquiryd finds the worker by default: next to its own executable (/proc/self/exe).
std::filesystem::path default_mailparse_path();

class MailParseWorker {
public:
    explicit MailParseWorker(std::filesystem::path path);
    ~MailParseWorker();
    MailParseWorker(const MailParseWorker&) = delete;
    MailParseWorker& operator=(const MailParseWorker&) = delete;

    WorkerResult parse(std::string_view raw, const adapters::MailOptions& options, std::chrono::milliseconds timeout);
    // After a parse that gave an event: why its Date: was not taken ("" when it was).
    const std::string& date_note() const { return date_note_; }
    // From any thread: makes a parse in progress return `interrupted` at once.
    void interrupt();
    pid_t pid() const { return pid_; }

private:
    std::string spawn();
    void kill_child();
    WorkerResult exchange(const std::string& request, std::chrono::steady_clock::time_point deadline);

    std::filesystem::path path_;
    pid_t pid_ = -1;
    int to_child_ = -1;
    int from_child_ = -1;
    int wake_[2] = {-1, -1};
    std::string date_note_;
};

}  // namespace ir::daemon
