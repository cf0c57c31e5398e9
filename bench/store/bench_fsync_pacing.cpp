// Why the checkpointer syncs every 32 pages (store/src/batched_wal_vfs.hpp): this disk's
// WAL fsync latency while checkpoint-like writes run beside it. One thread appends 40 KiB
// and fdatasyncs, like a commit of a few events; another writes 3,000 random 4 KiB pages
// of a 200 MiB file every 250 ms, like a checkpoint pass, synced either once at the end
// or every N pages. Prints the commit fsync's latency for each case.
// Usage: bench_fsync_pacing [folder] [seconds per case]   (default: a temporary folder, 5 s)
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr long kPage = 4096;
constexpr long kDatabasePages = 51'200;  // 200 MiB
constexpr int kPassPages = 3'000;
constexpr long kWalBytes = 64L << 20;

class Fd {
public:
    explicit Fd(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_CREAT | O_RDWR, 0644)) {
        if (fd_ < 0) throw std::runtime_error("cannot open " + path.string());
    }
    ~Fd() { ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void write_all(int fd, const char* data, long n, long offset) {
    if (::pwrite(fd, data, static_cast<std::size_t>(n), offset) != n) throw std::runtime_error("short write");
}

// A database file of real blocks, so the passes overwrite rather than allocate.
void fill(int fd) {
    const std::vector<char> chunk(1 << 20, 'd');
    for (long off = 0; off < kDatabasePages * kPage; off += static_cast<long>(chunk.size()))
        write_all(fd, chunk.data(), static_cast<long>(chunk.size()), off);
    ::fdatasync(fd);
}

// sync_every = 0: the pass's pages go out with one fdatasync at its end.
void run_case(const std::filesystem::path& dir, int sync_every, double seconds) {
    Fd wal(dir / "wal");
    Fd db(dir / "db");
    std::atomic<bool> stop{false};
    std::thread checkpointer([&] {
        std::mt19937 rng(7);
        const std::vector<char> page(kPage, 'p');
        while (!stop) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            std::vector<long> pages(kPassPages);
            for (auto& p : pages) p = static_cast<long>(rng() % kDatabasePages);
            std::sort(pages.begin(), pages.end());  // SQLite copies in page order too
            for (int i = 0; i < kPassPages && !stop; ++i) {
                write_all(db.get(), page.data(), kPage, pages[static_cast<std::size_t>(i)] * kPage);
                if (sync_every > 0 && (i + 1) % sync_every == 0) ::fdatasync(db.get());
            }
            ::fdatasync(db.get());
        }
    });
    const std::vector<char> frames(40 * 1024, 'w');
    std::vector<double> us;
    long offset = 0;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (Clock::now() < end) {
        write_all(wal.get(), frames.data(), static_cast<long>(frames.size()), offset);
        offset = (offset + static_cast<long>(frames.size())) % kWalBytes;
        const auto start = Clock::now();
        ::fdatasync(wal.get());
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        std::this_thread::sleep_for(std::chrono::microseconds(300));  // a few thousand commits a second
    }
    stop = true;
    checkpointer.join();
    std::sort(us.begin(), us.end());
    const auto at = [&](double q) {
        return us[std::min(us.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us.size())))];
    };
    std::printf(
        "fsync-pacing: checkpoint_sync_every=%s commits=%zu wal_fsync_p50_us=%.0f p99_us=%.0f p99.9_us=%.0f "
        "max_us=%.0f\n",
        sync_every == 0 ? "pass" : std::to_string(sync_every).c_str(), us.size(), at(0.50), at(0.99), at(0.999),
        us.back());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_fsync_pacing: WAL fsync latency beside checkpoint-like writes"};
    std::string folder;
    double seconds = 5.0;
    app.add_option("FOLDER", folder, "where the test files go (default: a temporary folder, removed after)");
    app.add_option("SECONDS", seconds, "seconds per case")->capture_default_str()->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
    const bool temporary = folder.empty();
    const std::filesystem::path dir =
        temporary ? std::filesystem::temp_directory_path() / ("ir_bench_fsync_" + std::to_string(::getpid()))
                  : std::filesystem::path(folder);
    std::filesystem::create_directories(dir);
    {
        Fd db(dir / "db");
        fill(db.get());
    }
    for (int sync_every : {0, 32, 16}) run_case(dir, sync_every, seconds);
    if (temporary) std::filesystem::remove_all(dir);
    return 0;
}
