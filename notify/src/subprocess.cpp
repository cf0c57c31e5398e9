#include "ir/notify/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace ir::notify {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxOutput = 16 * 1024;

struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

int ms_until(Clock::time_point t) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1000));
}

// Feeds `input` and collects the output until both are done or the deadline passes.
bool pump(Fd& in, Fd& out, const std::string& input, std::string& output, Clock::time_point deadline,
          const std::atomic<bool>* cancel) {
    std::size_t written = 0;
    if (input.empty()) in.reset();
    while (out.fd >= 0) {
        if (Clock::now() >= deadline || (cancel && cancel->load())) return false;
        pollfd fds[2] = {{out.fd, POLLIN, 0}, {in.fd, POLLOUT, 0}};
        const int n = ::poll(fds, in.fd >= 0 ? 2 : 1, std::min(100, ms_until(deadline)));
        if (n < 0 && errno != EINTR) return false;
        if (n <= 0) continue;
        if (in.fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const ssize_t w = ::write(in.fd, input.data() + written, input.size() - written);
            if (w > 0) written += static_cast<std::size_t>(w);
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in.reset();  // EPIPE: it quit
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[4096];
            const ssize_t r = ::read(out.fd, buf, sizeof buf);
            if (r > 0 && output.size() < kMaxOutput)
                output.append(buf, std::min<std::size_t>(static_cast<std::size_t>(r), kMaxOutput - output.size()));
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) out.reset();
        }
    }
    return true;
}

// Starts argv with `child_in` as its stdin and `child_out` as its stdout and stderr, every
// signal at its default and none blocked. Returns the errno of a failed start.
int spawn(const std::vector<std::string>& argv, const Fd& child_in, const Fd& child_out, pid_t& pid) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_in.fd, 0);
    posix_spawn_file_actions_adddup2(&actions, child_out.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, child_out.fd, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc;
}

// Waits for the child, killing it once the deadline passes (or we stop): it may have closed
// its output and still be running.
void reap(pid_t pid, Clock::time_point deadline, const std::atomic<bool>* cancel, CommandResult& result) {
    if (result.timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    for (;;) {
        const pid_t w = ::waitpid(pid, &status, result.timed_out ? 0 : WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) break;
        if (w != 0) continue;
        if (Clock::now() >= deadline || (cancel && cancel->load())) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace

Expected<CommandResult> run_command(const std::vector<std::string>& argv, const std::string& input,
                                    std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
    if (argv.empty()) return Error("no program to run", "command");
    // A program that exits before reading its input must not kill us with SIGPIPE: blocked
    // in this thread, write() returns EPIPE instead.
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);

    int in_pipe[2], out_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0) return Error(std::strerror(errno), "pipe");
    Fd in{in_pipe[1]}, child_in{in_pipe[0]};
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Error(std::strerror(errno), "pipe");
    Fd out{out_pipe[0]}, child_out{out_pipe[1]};
    ::fcntl(in.fd, F_SETFL, O_NONBLOCK);
    pid_t pid = -1;
    const int rc = spawn(argv, child_in, child_out, pid);
    child_in.reset();
    child_out.reset();
    if (rc != 0) return Error(argv[0] + ": cannot run: " + std::strerror(rc), "command");

    CommandResult result;
    const auto deadline = Clock::now() + timeout;
    if (!pump(in, out, input, result.output, deadline, cancel)) result.timed_out = true;
    reap(pid, deadline, cancel, result);
    return result;
}

}  // namespace ir::notify
