// Spawning, talking to and killing inquiryd-mailparse.
#include "ir/daemon/maildir_worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "ir/adapters/mail_wire.hpp"

extern char** environ;  // NOLINT: POSIX

namespace ir::daemon {
namespace {

constexpr std::size_t kMaxAnswerBytes = std::size_t{64} << 20;

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// A write to a dead worker must fail with EPIPE, not kill the daemon: SIGPIPE is blocked
// on this thread while talking, and a pending one is consumed afterwards.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &set_, &old_);
    }
    ~SigpipeGuard() {
        const timespec zero{0, 0};
        while (sigtimedwait(&set_, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }

private:
    sigset_t set_{}, old_{};
};

std::string describe(int status) {
    if (WIFSIGNALED(status)) return "worker killed by signal " + std::to_string(WTERMSIG(status));
    if (WIFEXITED(status)) return "worker exited with status " + std::to_string(WEXITSTATUS(status));
    return "worker stopped";
}

}  // namespace

std::filesystem::path default_mailparse_path() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (ec ? std::filesystem::path(".") : self.parent_path()) / "inquiryd-mailparse";
}

MailParseWorker::MailParseWorker(std::filesystem::path path, bool keep_spare)
    : path_(std::move(path)), keep_spare_(keep_spare) {
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

MailParseWorker::~MailParseWorker() {
    kill(current_);
    kill(spare_);
    reap(/*wait=*/true);
    close_fd(wake_[0]);
    close_fd(wake_[1]);
}

void MailParseWorker::interrupt() {
    if (wake_[1] >= 0) [[maybe_unused]]
        auto n = ::write(wake_[1], "x", 1);
}

std::string MailParseWorker::spawn(Child& c) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]), ::close(in[1]);
        return std::string("pipe: ") + std::strerror(errno);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);  // nothing of the daemon's leaks in
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    const std::string prog = path_.string();
    char* argv[] = {const_cast<char*>(prog.c_str()), nullptr};
    const int rc = ::posix_spawn(&c.pid, prog.c_str(), &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        c.pid = -1;
        ::close(in[1]), ::close(out[0]);
        return prog + ": cannot start the mail parser: " + std::strerror(rc);
    }
    c.to = in[1];
    c.from = out[0];
    c.ready = false;
    ::fcntl(c.to, F_SETFL, O_NONBLOCK);
    ::fcntl(c.from, F_SETFL, O_NONBLOCK);
    return {};
}

void MailParseWorker::kill(Child& c) {
    close_fd(c.to);
    close_fd(c.from);
    if (c.pid > 0) {
        ::kill(c.pid, SIGKILL);
        dying_.push_back(c.pid);
    }
    c = Child{};
}

void MailParseWorker::reap(bool wait) {
    std::erase_if(dying_, [wait](pid_t pid) {
        int status = 0;
        pid_t r;
        while ((r = ::waitpid(pid, &status, wait ? 0 : WNOHANG)) < 0 && errno == EINTR) {
        }
        return r != 0;  // reaped (or not ours any more)
    });
}

void MailParseWorker::replace_current() {
    kill(current_);
    if (!keep_spare_) return;
    current_ = std::exchange(spare_, Child{});
    if (current_.pid < 0) spawn(current_);
    spawn(spare_);  // starts loading now, while this one parses
}

// The current worker started and its "ready" read: the time that takes is not the mail's.
std::optional<WorkerFailure> MailParseWorker::make_ready() {
    using Kind = WorkerFailure::Kind;
    if (current_.pid < 0)
        if (auto err = spawn(current_); !err.empty()) return WorkerFailure{Kind::unavailable, err};
    if (current_.ready) return std::nullopt;
    std::string answer;
    auto failure =
        read_frame(current_, {}, answer, std::chrono::steady_clock::now() + kStartTimeout, /*starting=*/true);
    if (!failure && answer.substr(answer.find('\n') + 1) != adapters::kWorkerReady)
        failure = WorkerFailure{Kind::unavailable, "the mail parser did not say it was ready"};
    if (failure) {
        if (failure->kind != Kind::interrupted) kill(current_);
        return failure;
    }
    current_.ready = true;
    return std::nullopt;
}

WorkerResult MailParseWorker::parse(std::string_view raw, const adapters::MailOptions& options,
                                    std::chrono::milliseconds timeout) {
    SigpipeGuard guard;
    date_note_.clear();
    reap(/*wait=*/false);
    if (auto failure = make_ready()) return *failure;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto result = exchange(adapters::frame(adapters::encode_mail_request(raw, options)), deadline);
    if (std::holds_alternative<WorkerFailure>(result)) replace_current();  // never reuse a worker in doubt
    return result;
}

std::optional<WorkerFailure> MailParseWorker::read_frame(Child& c, const std::string& request, std::string& answer,
                                                         std::chrono::steady_clock::time_point deadline,
                                                         bool starting) {
    using Kind = WorkerFailure::Kind;
    std::size_t written = 0;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return starting ? WorkerFailure{Kind::unavailable, "the mail parser did not start within " +
                                                                   std::to_string(kStartTimeout.count()) + " s"}
                            : WorkerFailure{Kind::timed_out, "parse timed out"};
        pollfd fds[3] = {{c.from, POLLIN, 0}, {wake_[0], POLLIN, 0}, {c.to, POLLOUT, 0}};
        const nfds_t n = written < request.size() ? 3 : 2;
        if (::poll(fds, n, static_cast<int>(std::min<long>(left.count(), 1000))) < 0 && errno != EINTR)
            return WorkerFailure{Kind::crashed, std::string("poll: ") + std::strerror(errno)};
        if (fds[1].revents) {
            char drain[64];
            while (::read(wake_[0], drain, sizeof drain) > 0) {
            }
            return WorkerFailure{Kind::interrupted, "interrupted"};
        }
        if (n == 3 && fds[2].revents) {
            const ssize_t w = ::write(c.to, request.data() + written, request.size() - written);
            if (w < 0 && errno != EAGAIN && errno != EINTR) return WorkerFailure{Kind::crashed, "worker gone"};
            if (w > 0) written += static_cast<std::size_t>(w);
        }
        if (!fds[0].revents) continue;
        char buf[65536];
        const ssize_t r = ::read(c.from, buf, sizeof buf);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
            int status = 0;
            ::kill(c.pid, SIGKILL);
            ::waitpid(c.pid, &status, 0);
            c.pid = -1;
            return WorkerFailure{starting ? Kind::unavailable : Kind::crashed, describe(status)};
        }
        if (r > 0) answer.append(buf, static_cast<std::size_t>(r));
        auto header = adapters::read_frame_header(answer, kMaxAnswerBytes);
        if (!header) return WorkerFailure{Kind::crashed, "worker protocol error: " + header.error().message};
        if (*header && answer.size() >= (*header)->header_bytes + (*header)->payload_bytes) return std::nullopt;
    }
}

WorkerResult MailParseWorker::exchange(const std::string& request, std::chrono::steady_clock::time_point deadline) {
    std::string answer;
    if (auto failure = read_frame(current_, request, answer, deadline, /*starting=*/false)) return *failure;
    const auto header = **adapters::read_frame_header(answer, kMaxAnswerBytes);
    auto decoded = adapters::decode_mail_result(
        std::string_view(answer).substr(header.header_bytes, header.payload_bytes), &date_note_);
    if (!decoded) return WorkerFailure{WorkerFailure::Kind::crashed, decoded.error().message};
    return std::move(*decoded);
}

}  // namespace ir::daemon
