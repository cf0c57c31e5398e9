#pragma once
// The daemon's end of the mail parsing worker (inquiryd-mailparse): spawns it with
// posix_spawn (no fork of the multi-threaded daemon, every other fd closed), waits for its
// "ready" (so that a parse's deadline never includes the process start), sends one mail,
// waits for the answer with a deadline, and on a timeout kills it (SIGKILL); the next
// parse starts a fresh worker. With `keep_spare`, a worker in doubt is replaced by a spare
// started earlier, and a new spare is started at once: a flood of mail that hangs the
// parser costs each mail its deadline, not a process start besides. Blocking: call from a
// thread other than the io thread.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

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
    explicit MailParseWorker(std::filesystem::path path, bool keep_spare = false);
    ~MailParseWorker();
    MailParseWorker(const MailParseWorker&) = delete;
    MailParseWorker& operator=(const MailParseWorker&) = delete;

    // `timeout` counts from the moment the worker is ready.
    WorkerResult parse(std::string_view raw, const adapters::MailOptions& options, std::chrono::milliseconds timeout);
    // From any thread: makes a parse in progress return `interrupted` at once.
    void interrupt();
    pid_t pid() const { return current_.pid; }
    // After a parse that gave an event: why its Date: was not taken ("" when it was).
    const std::string& date_note() const { return date_note_; }

    // How long a worker may take to start before it counts as unavailable.
    static constexpr std::chrono::seconds kStartTimeout{10};

private:
    struct Child {
        pid_t pid = -1;
        int to = -1;
        int from = -1;
        bool ready = false;
    };
    std::string spawn(Child& c);
    // SIGKILL; reaped later (reap()): tearing down a parser that grew big takes a while,
    // and the next mail need not wait for it.
    void kill(Child& c);
    void reap(bool wait);
    std::optional<WorkerFailure> make_ready();
    void replace_current();  // after a failure: kill it, take the spare, start another spare
    // Polls the child's answer pipe (and the write side while `request` is unsent) until a
    // whole frame is in `answer`: nullopt then, else the failure.
    std::optional<WorkerFailure> read_frame(Child& c, const std::string& request, std::string& answer,
                                            std::chrono::steady_clock::time_point deadline, bool starting);
    WorkerResult exchange(const std::string& request, std::chrono::steady_clock::time_point deadline);

    std::filesystem::path path_;
    bool keep_spare_;
    Child current_, spare_;
    std::vector<pid_t> dying_;  // killed, not reaped yet
    int wake_[2] = {-1, -1};
    std::string date_note_;
};

}  // namespace ir::daemon
