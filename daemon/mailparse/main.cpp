// inquiryd-mailparse: reads framed requests on stdin, answers each on stdout, exits at
// end of input. Protocol: adapters/mail_wire.hpp. Started and killed by inquiryd only.
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <string>
#include <string_view>

#include "ir/adapters/mail_wire.hpp"

namespace {

constexpr std::size_t kMaxRequestBytes = std::size_t{64} << 20;
constexpr rlim_t kCpuSecondsPerMail = 10;

// Reads until `buf` holds `want` bytes; false at end of input or on error.
bool fill(std::string& buf, std::size_t want) {
    char chunk[65536];
    while (buf.size() < want) {
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
}

bool write_all(const std::string& s) {
    for (std::size_t off = 0; off < s.size();) {
        const ssize_t n = ::write(STDOUT_FILENO, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

// Memory is capped for the process; CPU per mail (the daemon's deadline is the real bound,
// this one also holds if the daemon is gone). ASan reserves terabytes of address space.
void limit_resources() {
#if !defined(__SANITIZE_ADDRESS__) && !defined(IR_NO_RLIMIT_AS)
    const rlimit as{rlim_t{2} << 30, rlim_t{2} << 30};
    ::setrlimit(RLIMIT_AS, &as);
#endif
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    rlimit cpu{};
    ::getrlimit(RLIMIT_CPU, &cpu);
    const rlim_t soft = static_cast<rlim_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + kCpuSecondsPerMail;
    cpu.rlim_cur = cpu.rlim_max == RLIM_INFINITY ? soft : std::min(soft, cpu.rlim_max);
    ::setrlimit(RLIMIT_CPU, &cpu);
}

// One request from `buf` (reading more as needed); false at end of input.
bool next_request(std::string& buf, std::string& payload) {
    for (;;) {
        auto header = ir::adapters::read_frame_header(buf, kMaxRequestBytes);
        if (!header) return false;
        if (*header) {
            const auto [hbytes, pbytes] = **header;
            if (!fill(buf, hbytes + pbytes)) return false;
            payload = buf.substr(hbytes, pbytes);
            buf.erase(0, hbytes + pbytes);
            return true;
        }
        if (!fill(buf, buf.size() + 1)) return false;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1) {  // inquiryd starts it without arguments; a person typing it gets the usage
        const std::string_view arg = argv[1];
        const bool help = arg == "--help" || arg == "-h";
        (help ? std::cout : std::cerr)
            << (help ? "" : "inquiryd-mailparse: takes no arguments\n")
            << "Usage: inquiryd-mailparse\n"
               "Parses framed mail requests on standard input (adapters/mail_wire.hpp) and answers\n"
               "each on standard output until end of input. inquiryd starts it; it is not run by hand.\n";
        return help ? 0 : 2;
    }
    ir::adapters::init_gmime();
    // Started and initialised: the daemon's deadline for the first mail starts now, not
    // while this process was still loading.
    if (!write_all(ir::adapters::frame(ir::adapters::kWorkerReady))) return 1;
    std::string buf, payload;
    while (next_request(buf, payload)) {
        limit_resources();
        auto request = ir::adapters::decode_mail_request(payload);
        std::string date_note;
        const ir::adapters::MailResult result =
            request ? ir::adapters::parse_mail(request->raw, request->options, &date_note)
                    : ir::adapters::MailResult{ir::adapters::MailError{"bad request: " + request.error().message}};
        if (!write_all(ir::adapters::frame(ir::adapters::encode_mail_result(result, date_note)))) return 1;
    }
    return 0;
}
