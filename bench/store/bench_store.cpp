// Store throughput: the daemon's writes (one events insert + one inquiries upsert per
// event) with its pragmas (WAL, synchronous=FULL), at 1, 10, 100 and 1000 events per
// commit, then through GroupCommitter with 16 submitting threads. About 2.5 s a case.
// Usage: bench_store [folder] [seconds per case]. "rows" below counts events.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "ir/store/database.hpp"
#include "ir/store/group_committer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using ir::store::Change;

constexpr int kThreads = 16;

struct Result {
    std::uint64_t rows = 0;
    double seconds = 0;
    std::vector<double> commit_us;  // one per commit
    std::uint64_t batches = 0;
};

// Each inquiry gets two events, so half of the upserts update an existing row.
Change make_change(std::uint64_t n) {
    const auto now = ir::sla::from_unix_ms(1'700'000'000'000 + static_cast<std::int64_t>(n));
    const auto inquiry_id = static_cast<std::int64_t>(n / 2 + 1);
    Change c;
    auto& e = c.events.emplace_back();
    e.channel = "chat";
    e.account = "account-" + std::to_string(n % 50);
    e.message_id = "wamid." + std::to_string(n) + ".HBgMNDkxNTExMjM0NTY3FQIAEhgg";
    e.thread_id = "thread-" + std::to_string(inquiry_id);
    e.received_at = e.accepted_at = now;
    e.direction = "inbound";
    e.inquiry_id = inquiry_id;
    e.payload = std::string(600, 'e');  // a typical serialized InquiryEvent
    c.inquiries.push_back({inquiry_id, e.account, "new", now, std::string(300, 'i')});
    return c;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

double micros(Clock::duration d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

std::filesystem::path fresh_file(const std::filesystem::path& dir, const std::string& name) {
    const auto path = dir / (name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path;
}

Result run_direct(const std::filesystem::path& path, std::size_t batch, Clock::duration budget) {
    auto db = ir::store::Database::open({.path = path});
    if (!db) {
        std::fprintf(stderr, "%s: %s\n", db.error().field.c_str(), db.error().message.c_str());
        std::exit(1);
    }
    Result r;
    std::vector<Change> changes(batch);
    const auto start = Clock::now();
    while (Clock::now() - start < budget) {
        for (auto& c : changes) c = make_change(r.rows++);
        const auto t0 = Clock::now();
        if (auto error = (*db)->apply(changes)) {
            std::fprintf(stderr, "commit failed: %s\n", error->message.c_str());
            std::exit(1);
        }
        r.commit_us.push_back(micros(Clock::now() - t0));
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.batches = r.commit_us.size();
    return r;
}

std::unique_ptr<ir::store::GroupCommitter> start_committer(const std::filesystem::path& path, Result& r) {
    auto committer = ir::store::GroupCommitter::start(
        {.database = {.path = path}, .on_commit = [&r](const ir::store::CommitSample& s) {
             r.commit_us.push_back(static_cast<double>(s.latency.count()));
         }});
    if (!committer) {
        std::fprintf(stderr, "%s\n", committer.error().message.c_str());
        std::exit(1);
    }
    return std::move(*committer);
}

// Like 16 HTTP clients: each waits for its 202 (the ack) before sending the next.
Result run_ack_wait(const std::filesystem::path& path, Clock::duration budget, std::vector<double>& ack_us) {
    Result r;
    auto committer = start_committer(path, r);
    std::atomic<std::uint64_t> next{0};
    std::vector<std::vector<double>> acks(kThreads);
    const auto start = Clock::now();
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                std::binary_semaphore acked(0);
                while (Clock::now() - start < budget) {
                    const auto t0 = Clock::now();
                    if (!committer->submit(make_change(next++), [&](auto) { acked.release(); })) continue;
                    acked.acquire();
                    acks[static_cast<std::size_t>(t)].push_back(micros(Clock::now() - t0));
                }
            });
        }
    }
    committer->stop();
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.rows = committer->stats().changes;
    r.batches = committer->stats().batches;
    for (const auto& a : acks) ack_us.insert(ack_us.end(), a.begin(), a.end());
    return r;
}

// 16 threads submitting as fast as the queue takes them: the committer's ceiling.
Result run_flood(const std::filesystem::path& path, Clock::duration budget) {
    Result r;
    auto committer = start_committer(path, r);
    std::atomic<std::uint64_t> next{0};
    const auto start = Clock::now();
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&] {
                while (Clock::now() - start < budget) {
                    Change c = make_change(next++);
                    while (!committer->submit(c, ir::store::GroupCommitter::Done{}) && Clock::now() - start < budget) {
                        std::this_thread::yield();  // full: a daemon would answer 503 here
                    }
                }
            });
        }
    }
    committer->stop();  // commits what is queued: counted in the time
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.rows = committer->stats().changes;
    r.batches = committer->stats().batches;
    return r;
}

void print(const std::string& label, const Result& r, const std::string& extra = "") {
    std::printf("store: %s rows/s=%.0f commit_p50_us=%.0f commit_p99_us=%.0f commits=%llu%s\n", label.c_str(),
                static_cast<double>(r.rows) / r.seconds, percentile(r.commit_us, 0.50), percentile(r.commit_us, 0.99),
                static_cast<unsigned long long>(r.batches), extra.c_str());
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"bench_store: the store's write throughput, direct and through GroupCommitter"};
    std::string folder;
    double seconds = 2.5;
    app.add_option("FOLDER", folder, "where the test files go (default: a temporary folder, removed after)");
    app.add_option("SECONDS", seconds, "seconds per case")->capture_default_str()->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
    const bool temporary = folder.empty();
    const std::filesystem::path dir =
        temporary ? std::filesystem::temp_directory_path() / ("ir_bench_store_" + std::to_string(getpid()))
                  : std::filesystem::path(folder);
    const auto budget = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::filesystem::create_directories(dir);
    std::printf("# %s, WAL, synchronous=FULL, %.1f s a case; rows = events (insert + upsert)\n", dir.c_str(), seconds);
    for (std::size_t batch : {1, 10, 100, 1000}) {
        const auto r = run_direct(fresh_file(dir, "batch" + std::to_string(batch)), batch, budget);
        print("batch=" + std::to_string(batch), r);
    }
    std::vector<double> ack_us;
    const auto acked = run_ack_wait(fresh_file(dir, "ack_wait"), budget, ack_us);
    char extra[96];
    std::snprintf(extra, sizeof extra, " avg_batch=%.1f ack_p50_us=%.0f ack_p99_us=%.0f",
                  static_cast<double>(acked.rows) / static_cast<double>(std::max<std::uint64_t>(acked.batches, 1)),
                  percentile(ack_us, 0.50), percentile(ack_us, 0.99));
    print("committer threads=16 wait=ack", acked, extra);
    const auto flood = run_flood(fresh_file(dir, "flood"), budget);
    std::snprintf(extra, sizeof extra, " avg_batch=%.1f",
                  static_cast<double>(flood.rows) / static_cast<double>(std::max<std::uint64_t>(flood.batches, 1)));
    print("committer threads=16 wait=none", flood, extra);
    if (temporary) std::filesystem::remove_all(dir);
    return 0;
}
