// test_mailparse: inquiryd-mailparse for the tests, with two switches in the mail itself,
// so that a test chooses which mail hangs the parser and which is merely slow:
//   X-Test-Hang: yes      never answers (as GMime 3.2.13 does on some crafted mail);
//   X-Test-Parse-Ms: N    answers after N ms.
// Everything else is the real worker: the same protocol, the same parser.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "ir/adapters/mail_wire.hpp"

namespace {

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
        if (n <= 0) return false;
        off += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

int main() {
    ir::adapters::init_gmime();
    if (!write_all(ir::adapters::frame(ir::adapters::kWorkerReady))) return 1;
    std::string buf;
    for (;;) {
        auto header = ir::adapters::read_frame_header(buf, std::size_t{64} << 20);
        if (!header) return 1;
        if (!*header) {
            if (!fill(buf, buf.size() + 1)) return 0;
            continue;
        }
        const auto [hbytes, pbytes] = **header;
        if (!fill(buf, hbytes + pbytes)) return 0;
        auto request = ir::adapters::decode_mail_request(buf.substr(hbytes, pbytes));
        buf.erase(0, hbytes + pbytes);
        if (!request) return 1;
        const std::string& raw = request->raw;
        if (raw.find("X-Test-Hang: yes") != std::string::npos) ::pause();
        if (auto at = raw.find("X-Test-Parse-Ms: "); at != std::string::npos)
            std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(raw.substr(at + 17))));
        std::string note;
        const auto result = ir::adapters::parse_mail(raw, request->options, &note);
        if (!write_all(ir::adapters::frame(ir::adapters::encode_mail_result(result, note)))) return 1;
    }
}
