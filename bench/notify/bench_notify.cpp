// bench_notify [SECONDS] [RATE] [limits|unlimited]: alerts committed to a real store at
// RATE a second (default 1,000) for SECONDS (default 5), 10 destinations each delivering
// all of them over loopback HTTP as DingTalk robots. "unlimited": every alert its own POST;
// "limits" (the default): DingTalk's 20 a minute, so what is over the limit goes in digests. Prints per
// destination the alerts delivered, messages, and the lag from commit to arrival.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "ir/notify/notifier.hpp"
#include "ir/store/database.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// Answers every POST with 200 "ok" and notes when each alert seq arrived, per path.
class Receiver {
public:
    Receiver() : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
        accept();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~Receiver() {
        ioc_.stop();
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    struct Stats {
        std::vector<std::int64_t> arrival_ms;  // by seq
        std::size_t messages = 0, alerts = 0;
    };
    std::map<std::string, Stats> stats() {
        std::lock_guard lock(mutex_);
        return stats_;
    }

private:
    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket s) {
            if (!ec) serve(std::make_shared<asio::ip::tcp::socket>(std::move(s)));
            accept();
        });
    }
    void serve(std::shared_ptr<asio::ip::tcp::socket> s) {
        auto buf = std::make_shared<beast::flat_buffer>();
        auto req = std::make_shared<http::request<http::string_body>>();
        http::async_read(*s, *buf, *req, [this, s, buf, req](boost::system::error_code ec, std::size_t) {
            if (ec) return;
            record(*req);
            auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, 11);
            res->body() = "ok";
            res->keep_alive(false);
            res->prepare_payload();
            http::async_write(*s, *res, [s, res](boost::system::error_code, std::size_t) {});
        });
    }
    void record(const http::request<http::string_body>& req) {
        const auto at = now_ms();
        std::lock_guard lock(mutex_);
        auto& st = stats_[std::string(req.target())];
        ++st.messages;
        std::string seqs(req["X-Inquiry-Alert-Seqs"]);
        for (std::size_t pos = 0; pos < seqs.size();) {
            const auto comma = std::min(seqs.find(',', pos), seqs.size());
            const auto seq = std::strtoull(seqs.substr(pos, comma - pos).c_str(), nullptr, 10);
            if (st.arrival_ms.size() <= seq) st.arrival_ms.resize(seq + 1, 0);
            if (st.arrival_ms[seq] == 0) ++st.alerts, st.arrival_ms[seq] = at;
            pos = comma + 1;
        }
    }
    asio::io_context ioc_;
    asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    std::mutex mutex_;
    std::map<std::string, Stats> stats_;
};

std::string alert_payload(std::uint64_t seq, std::int64_t ms) {
    inquiry::v1::Alert a;
    a.set_seq(seq);
    a.set_kind(inquiry::v1::ALERT_KIND_BREACH);
    a.set_clock(inquiry::v1::CLOCK_KIND_FAST);
    a.set_inquiry_id(seq);
    a.set_account("alibaba-electronics");
    a.set_tier(2);
    a.mutable_deadline()->set_seconds(ms / 1000);
    a.mutable_fired_at()->set_seconds(ms / 1000);
    a.mutable_fired_at()->set_nanos(static_cast<int>(ms % 1000) * 1'000'000);
    a.set_topic("queue/alibaba-electronics/");
    return a.SerializeAsString();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 5;
    const int rate = argc > 2 ? std::atoi(argv[2]) : 1000;
    const bool unlimited = argc > 3 && std::string(argv[3]) == "unlimited";
    const auto dir = std::filesystem::temp_directory_path() / ("ir_bench_notify_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ir::store::Options so;
    so.path = dir / "inquiryd.db";
    auto db = ir::store::Database::open(so);
    if (!db) return std::fprintf(stderr, "%s\n", db.error().message.c_str()), 1;
    Receiver receiver;
    ir::notify::NotifierOptions o;
    o.database = so.path;
    o.state_dir = dir;
    for (int i = 0; i < 10; ++i) {
        ir::notify::Destination d;
        d.spec.name = "dest" + std::to_string(i);
        d.spec.kind = ir::notify::Kind::dingtalk;  // its documented limits, its signature
        d.secret = ir::adapters::Secret("SECbench");
        d.spec.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/d" + std::to_string(i);
        d.spec.allow_plain_http = true;
        if (unlimited)
            d.spec.unlimited = true;
        else
            d.spec.rate_limits = {{20, 60s}};
        o.destinations.push_back(std::move(d));
    }
    auto notifier = ir::notify::Notifier::start(std::move(o));
    if (!notifier) return std::fprintf(stderr, "%s\n", notifier.error().message.c_str()), 1;
    std::map<std::uint64_t, std::int64_t> committed_ms;
    std::uint64_t seq = 0;
    const auto start = std::chrono::steady_clock::now();
    const int per_tick = std::max(1, rate / 100);  // a commit every 10 ms
    for (int tick = 0; tick < seconds * 100; ++tick) {
        std::this_thread::sleep_until(start + tick * 10ms);
        ir::store::Change c;
        const auto ms = now_ms();
        for (int i = 0; i < per_tick; ++i) {
            ++seq;
            c.alerts.push_back({static_cast<std::int64_t>(seq), "queue/alibaba-electronics/", ir::sla::from_unix_ms(ms),
                                alert_payload(seq, ms)});
        }
        if (auto e = (*db)->apply(c)) return std::fprintf(stderr, "%s\n", e->message.c_str()), 1;
        const auto done = now_ms();
        for (auto s = seq - static_cast<std::uint64_t>(per_tick) + 1; s <= seq; ++s) committed_ms[s] = done;
        (*notifier)->wake(static_cast<std::int64_t>(seq));
    }
    const auto produced_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Drain: every destination has every alert, or 120 s.
    for (int i = 0; i < 1200; ++i) {
        auto st = receiver.stats();
        if (st.size() == 10 && std::all_of(st.begin(), st.end(), [&](auto& kv) { return kv.second.alerts == seq; }))
            break;
        std::this_thread::sleep_for(100ms);
    }
    const auto total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("bench_notify: %llu alerts in %.2f s (%.0f/s committed), 10 destinations, %s\n",
                static_cast<unsigned long long>(seq), produced_s, static_cast<double>(seq) / produced_s,
                unlimited ? "no rate limit (one POST per alert)" : "DingTalk's limits, 20 messages/min each (digests)");
    std::vector<double> all;
    std::size_t delivered = 0;
    for (const auto& [path, st] : receiver.stats()) {
        std::vector<double> lags;
        for (std::uint64_t s = 1; s < st.arrival_ms.size(); ++s)
            if (st.arrival_ms[s]) lags.push_back(static_cast<double>(st.arrival_ms[s] - committed_ms[s]) / 1000.0);
        all.insert(all.end(), lags.begin(), lags.end());
        delivered += st.alerts;
        std::printf("  %-4s %6zu alerts in %5zu messages; lag p50 %.3f s  p99 %.3f s  max %.3f s\n", path.c_str(),
                    st.alerts, st.messages, percentile(lags, 0.5), percentile(lags, 0.99), percentile(lags, 1.0));
    }
    std::printf("throughput: %.0f alerts/s delivered in total (%zu of %llu x 10) until the last arrived at %.2f s\n",
                static_cast<double>(delivered) / total_s, delivered, static_cast<unsigned long long>(seq), total_s);
    std::printf("lag over all destinations: p50 %.3f s  p99 %.3f s  max %.3f s\n", percentile(all, 0.5),
                percentile(all, 0.99), percentile(all, 1.0));
    (*notifier)->stop();
    std::filesystem::remove_all(dir);
    return 0;
}
