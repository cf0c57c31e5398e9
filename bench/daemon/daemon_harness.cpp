#include "daemon_harness.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "ir/adapters/event_json.hpp"
#include "ir/bench/load_generator.hpp"

extern char** environ;

namespace ir::bench {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
std::string& inquiryd_path() {
    static std::string path = IR_INQUIRYD;
    return path;
}
}  // namespace

void set_inquiryd(std::string path) {
    inquiryd_path() = std::move(path);
}

Daemon::Daemon(const fs::path& dir, const std::string& extra_config, const std::string& http_config) {
    std::ofstream(dir / "bench.toml") << "catalog = \"" << IR_FIXTURES_DIR << "/catalog.json\"\n"
                                      << "state_dir = \"" << (dir / "state").string() << "\"\n"
                                      << "[http]\nlisten = \"127.0.0.1:0\"\n"
                                      << http_config
                                      << "[log]\nlevel = \"warn\"\n"
                                      << "[zmq]\npub_endpoint = \"ipc://" << (dir / "pub.sock").string() << "\"\n"
                                      << extra_config;
    const std::string config = (dir / "bench.toml").string();
    const char* argv[] = {inquiryd_path().c_str(), "--config", config.c_str(), nullptr};
    if (posix_spawn(&pid_, inquiryd_path().c_str(), nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
        throw std::runtime_error("cannot start inquiryd");
    const auto port_file = dir / "state" / "http.port";
    for (auto end = Clock::now() + 10s; Clock::now() < end && !fs::exists(port_file);)
        std::this_thread::sleep_for(20ms);
    std::ifstream(port_file) >> port_;
    if (port_ == 0) throw std::runtime_error("inquiryd did not start");
}

Daemon::~Daemon() {
    stop();
}

int Daemon::stop() {
    if (stopped_) return -1;
    stopped_ = true;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    return status;
}

bool Daemon::running() const {
    if (stopped_) return false;
    siginfo_t info{};  // WNOWAIT: look without reaping, so stop() still gets the status
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

std::size_t Daemon::rss_bytes() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    return 0;
}

std::size_t Daemon::open_fds() const {
    std::error_code ec;
    const fs::directory_iterator fds("/proc/" + std::to_string(pid_) + "/fd", ec);
    return ec ? 0 : static_cast<std::size_t>(std::distance(fds, fs::directory_iterator()));
}

std::map<std::string, double> Daemon::thread_cpu() const {
    std::map<std::string, double> out;
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid_) + "/task")) {
        std::string stat;
        std::getline(std::ifstream(task.path() / "stat"), stat);
        const auto open = stat.find('('), close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 2));
        std::string skip;
        for (int field = 3; field < 14; ++field) rest >> skip;  // state .. cmajflt
        double utime = 0, stime = 0;
        rest >> utime >> stime;
        out[stat.substr(open + 1, close - open - 1)] += (utime + stime) / tick;
    }
    return out;
}

std::vector<std::string> make_bodies(std::size_t copies, bool unique_buyers) {
    const auto events = load_jsonl_bodies(std::string(IR_FIXTURES_DIR) + "/inquiries.dev.jsonl");
    const std::string now =
        adapters::format_rfc3339(std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now()));
    std::vector<std::string> out;
    for (std::size_t c = 0; c < copies; ++c)
        for (const auto& text : events) {
            auto e = boost::json::parse(text).as_object();
            e["received_at"] = now;
            e["thread_id"] = std::string(e["thread_id"].as_string()) + "-" + std::to_string(c);
            if (unique_buyers) {
                auto& sender = e["sender"].as_object();
                sender["email"] = "buyer" + std::to_string(out.size()) + "@shop" + std::to_string(c) + ".example";
                if (sender.contains("phone")) sender.erase("phone");
                if (sender.contains("im")) sender.erase("im");
            }
            out.push_back(boost::json::serialize(e));
        }
    return out;
}

std::map<std::string, double> scrape(std::uint16_t port) {
    namespace beast = boost::beast;
    boost::asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect({boost::asio::ip::address_v4::loopback(), port});
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, "/metrics", 11};
    req.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(stream, buffer, res);
    std::map<std::string, double> samples;
    std::istringstream lines(res.body());
    for (std::string line; std::getline(lines, line);) {
        const auto space = line.rfind(' ');
        if (line.empty() || line[0] == '#' || space == std::string::npos) continue;
        samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return samples;
}

double quantile_bound(const std::map<std::string, double>& metrics, const std::string& series, double q) {
    std::vector<std::pair<double, double>> buckets;  // (le, cumulative count)
    for (const auto& [name, value] : metrics) {
        if (name.rfind(series, 0) != 0 || name.find("le=\"+Inf\"") != std::string::npos) continue;
        const auto le = name.find("le=\"");
        if (le != std::string::npos) buckets.emplace_back(std::stod(name.substr(le + 4)), value);
    }
    std::sort(buckets.begin(), buckets.end());
    if (buckets.empty()) return 0;
    for (const auto& [le, count] : buckets)
        if (count >= q * buckets.back().second) return le;
    return buckets.back().first;
}

}  // namespace ir::bench
