// The "done when": every msg_*.txt of CPython's email test corpus, dropped into a
// Maildir, becomes an event, is recognised as not an inquiry (moved to cur/), or lands in
// quarantine with a reason. None crashes or hangs the source, none is lost.
#include <catch2/catch.hpp>

#include <cstdio>
#include <iostream>

#include "maildir_fixture.hpp"

using namespace ir;
using namespace ir::test;

namespace {

// The data folder of the Python on this machine: `python3`'s own test package first, then
// Debian's (package libpython3.11-testsuite). Override with IR_EMAIL_CORPUS.
fs::path find_corpus() {
    if (const char* env = std::getenv("IR_EMAIL_CORPUS")) return env;
    std::vector<fs::path> candidates;
    if (FILE* p = ::popen("python3 -c 'import os, test; print(os.path.dirname(test.__file__))' 2>/dev/null", "r")) {
        char buf[4096];
        if (std::fgets(buf, sizeof buf, p)) {
            std::string dir(buf);
            while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
            candidates.push_back(fs::path(dir) / "test_email" / "data");
        }
        ::pclose(p);
    }
    for (const char* v : {"3.13", "3.12", "3.11", "3.10", "3.9"})
        candidates.push_back(fs::path("/usr/lib/python") += std::string(v) + "/test/test_email/data");
    for (const auto& c : candidates)
        if (fs::exists(c / "msg_01.txt")) return c;
    return {};
}

}  // namespace

TEST_CASE("CPython's email corpus: every message becomes an event, a not-inquiry or a quarantined file") {
    const fs::path corpus = find_corpus();
    if (corpus.empty()) {
        WARN("SKIPPED: CPython's test_email corpus not found (install libpython3.11-testsuite or set IR_EMAIL_CORPUS)");
        return;
    }
    TempDir tmp;
    IoThread io;
    FakeIngest ingest;
    auto cfg = config_for(tmp.path);
    std::size_t total = 0;
    for (const auto& entry : fs::directory_iterator(corpus)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("msg_", 0) != 0 || entry.path().extension() != ".txt") continue;
        fs::create_directories(cfg.maildir / "new");
        fs::copy_file(entry.path(), cfg.maildir / "new" / name);
        ++total;
    }
    REQUIRE(total >= 40);
    daemon::MaildirSource source(io.ioc, cfg, ingest.fn());
    source.start();
    REQUIRE(wait_until([&] { return count_files(cfg.maildir / "new") == 0; }, std::chrono::seconds(120)));
    source.stop();
    const std::size_t in_cur = count_files(cfg.maildir / "cur");
    const std::size_t quarantined = count_files(cfg.quarantine) / 2;  // each mail has its .reason
    const auto& s = source.stats();
    std::cout << "CPython email corpus (" << corpus.string() << "): " << total << " messages, " << s.events
              << " events, " << s.not_inquiries << " not inquiries, " << s.quarantined << " quarantined\n";
    CHECK(in_cur + quarantined == total);
    CHECK(count_files(cfg.quarantine) % 2 == 0);
    CHECK(s.events + s.not_inquiries + s.quarantined == total);
    CHECK(s.events == ingest.count());
    CHECK(s.events >= total / 2);
}
