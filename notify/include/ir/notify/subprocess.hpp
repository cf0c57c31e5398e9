#pragma once
// Runs a program with a text on its standard input (sendmail -t -oi, the exec kind) and a
// deadline, without a shell; what it prints is kept (bounded) for the logs.
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "ir/base/expected.hpp"

namespace ir::notify {

struct CommandResult {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    bool timed_out = false;
    std::string output;  // stdout and stderr, the first 16 KiB
};

// Error only when the program cannot be started at all. `cancel` set from another thread
// kills it (shutdown), as the timeout does.
Expected<CommandResult> run_command(const std::vector<std::string>& argv, const std::string& input,
                                    std::chrono::milliseconds timeout, const std::atomic<bool>* cancel = nullptr);

}  // namespace ir::notify
