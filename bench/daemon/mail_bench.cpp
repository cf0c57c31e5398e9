// The mail benchmarks' daemon, Maildir and feed.
#include "mail_bench.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <zmq_addon.hpp>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "inquiry/v1/alert.pb.h"
#include "ir/bench/load_generator.hpp"

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string rfc5322_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

}  // namespace

MailBench::MailBench(const fs::path& dir, const std::string& extra_email_config) : maildir_(dir / "Maildir") {
    for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(maildir_ / sub);
    const std::string config =
        "[[agents]]\nid = \"bench\"\ncapacity = 100000\n[[adapters.email]]\n"
        "account = \"alibaba-electronics\"\nmaildir = \"" +
        maildir_.string() + "\"\nquarantine = \"" + (dir / "quarantine").string() + "\"\n" + extra_email_config;
    daemon_ = std::make_unique<Daemon>(dir, config);
    sub_.set(zmq::sockopt::linger, 0);
    sub_.set(zmq::sockopt::rcvhwm, 100'000);
    sub_.set(zmq::sockopt::subscribe, "");
    sub_.connect("ipc://" + (dir / "pub.sock").string());
    for (const auto& text : load_jsonl_bodies(std::string(IR_FIXTURES_DIR) + "/inquiries.dev.jsonl")) {
        const auto e = boost::json::parse(text).as_object();
        if (e.at("direction").as_string() == "inbound") events_.push_back(text);
    }
}

MailBench::~MailBench() = default;

std::string MailBench::buyer_mail(std::size_t n) const {
    const auto e = boost::json::parse(events_[n % events_.size()]).as_object();
    const auto& sender = e.at("sender").as_object();
    const std::string id = "<bench-" + std::to_string(n) + "-" + std::to_string(::getpid()) + "@buyer.example>";
    return "From: " + std::string(sender.at("name").as_string()) + " <buyer" + std::to_string(n) + "@shop" +
           std::to_string(n) +
           ".example>\r\nTo: sales@seller.example\r\nSubject: " + std::string(e.at("subject").as_string()) +
           "\r\nMessage-ID: " + id + "\r\nDate: " + rfc5322_now() +
           "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
           std::string(e.at("body").as_string()) + "\r\n";
}

Clock::time_point MailBench::deliver(const std::string& name, const std::string& text) const {
    {
        std::ofstream out(maildir_ / "tmp" / name, std::ios::binary);
        out << text;
    }
    const auto at = Clock::now();
    fs::rename(maildir_ / "tmp" / name, maildir_ / "new" / name);
    return at;
}

std::optional<Clock::time_point> MailBench::next_assigned(std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
        zmq::pollitem_t item{sub_.handle(), 0, ZMQ_POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (zmq::poll(&item, 1, std::max(left, 0ms)) <= 0) continue;
        std::vector<zmq::message_t> parts;
        if (!zmq::recv_multipart(sub_, std::back_inserter(parts), zmq::recv_flags::dontwait)) continue;
        const auto at = Clock::now();
        inquiry::v1::Alert alert;
        if (parts.size() != 2 || !alert.ParseFromArray(parts[1].data(), static_cast<int>(parts[1].size()))) continue;
        if (alert.kind() == inquiry::v1::ALERT_KIND_ASSIGNED && assigned_.insert(alert.inquiry_id()).second) return at;
    }
    return std::nullopt;
}

// The first mail starts the parser process, and a SUB socket misses what is published
// before its subscription arrives: mail until one ASSIGNED is seen.
void MailBench::warm_up() {
    for (int attempt = 0; attempt < 10; ++attempt) {
        deliver("warm-" + std::to_string(attempt), buyer_mail(1'000'000 + static_cast<std::size_t>(attempt)));
        if (next_assigned(5s)) return;
    }
    throw std::runtime_error("no ASSIGNED alert on the feed: is routing on?");
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

std::string machine_load() {
    std::ifstream in("/proc/loadavg");
    std::string one;
    in >> one;
    return std::to_string(std::thread::hardware_concurrency()) + " cores, load " + one;
}

}  // namespace ir::bench
