#pragma once
// Real Maildir folders in a temp dir, an io_context on its own thread, and a fake ingest
// whose answer each test chooses.
#include <stdlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "ir/daemon/maildir_source.hpp"

namespace ir::test {
namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/ir-mail-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

struct IoThread {
    boost::asio::io_context ioc;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{ioc.get_executor()};
    std::thread thread{[this] { ioc.run(); }};
    ~IoThread() {
        guard.reset();
        ioc.stop();
        thread.join();
    }
};

struct FakeIngest {
    std::mutex mu;
    std::vector<router::Event> events;
    std::function<daemon::SubmitOutcome(const router::Event&)> decide = [](const router::Event&) {
        return daemon::SubmitOutcome{};
    };
    daemon::SubmitFn fn() {
        return [this](router::Event e, std::function<void(daemon::SubmitOutcome)> done) {
            daemon::SubmitOutcome o;
            {
                std::lock_guard lock(mu);
                o = decide(e);
                events.push_back(std::move(e));
            }
            done(o);
        };
    }
    std::size_t count() {
        std::lock_guard lock(mu);
        return events.size();
    }
};

// As a delivery agent does: write into tmp/, then rename into new/.
inline void deliver(const fs::path& maildir, const std::string& name, const std::string& content) {
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directories(maildir / d);
    {
        std::ofstream out(maildir / "tmp" / name, std::ios::binary);
        out << content;
    }
    fs::rename(maildir / "tmp" / name, maildir / "new" / name);
}

// As mbsync or mutt file a message that is already seen: from tmp/ straight into cur/,
// flags and all (never through new/, where the source would take it at once).
inline void file_seen(const fs::path& maildir, const std::string& name, const std::string& content) {
    for (const char* d : {"tmp", "new", "cur"}) fs::create_directories(maildir / d);
    {
        std::ofstream out(maildir / "tmp" / name, std::ios::binary);
        out << content;
    }
    fs::rename(maildir / "tmp" / name, maildir / "cur" / name);
}

inline std::size_t count_files(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
}

inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

inline daemon::MaildirConfig config_for(const fs::path& root) {
    daemon::MaildirConfig c;
    c.account = "alibaba-electronics";
    c.maildir = root / "Maildir";
    c.quarantine = root / "quarantine";
    c.own_addresses = {"sales@seller.example"};
    c.worker = fs::path(IR_BIN_DIR) / "inquiryd-mailparse";
    c.poll_interval = std::chrono::milliseconds(50);
    c.parse_timeout = std::chrono::milliseconds(5000);
    return c;
}

inline std::string mail(const std::string& id, const std::string& body = "Price for 500 pcs of X9?") {
    return "From: Jonas <j@weber-handel.de>\r\nTo: sales@seller.example\r\nSubject: X9\r\nMessage-ID: <" + id +
           ">\r\nDate: Fri, 20 Nov 2026 08:15:00 +0000\r\n\r\n" + body + "\r\n";
}

}  // namespace ir::test
