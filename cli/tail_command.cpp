#include "tail_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <csignal>
#include <fstream>
#include <memory>
#include <iostream>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "alert_text.hpp"
#include "alerts_api.hpp"
#include "desktop_notifier.hpp"
#include "http_get.hpp"
#include "seq_merger.hpp"

namespace ir::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPageLimit = 1000;
constexpr std::chrono::milliseconds kPollStep{100};
constexpr std::chrono::milliseconds kRetryAfter{1000};

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) {
    g_stop = 1;
}

// SIGINT and SIGTERM only set a flag the loop checks; the old handlers come back after.
class StopSignals {
public:
    StopSignals() {
        g_stop = 0;
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int_);
        sigaction(SIGTERM, &sa, &old_term_);
    }
    ~StopSignals() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

bool valid_name(const std::string& s) {
    return !s.empty() && s.find('/') == std::string::npos;
}

sla::TimePoint wall_now() {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

class Tail {
public:
    Tail(const TailOptions& o, std::string topic, HostPort server, HttpClientOptions client, std::ostream& out,
         std::ostream& err)
        : options_(o),
          topic_(std::move(topic)),
          http_(std::move(server), std::move(client)),
          out_(out),
          err_(err),
          sub_(ctx_, zmq::socket_type::sub),
          merger_(0) {
        if (o.notify) desktop_ = std::make_unique<DesktopNotifier>(err);
    }

    // Subscribes first, then finds the starting point and back-fills. False: cannot start.
    bool start();
    // Follows the live stream until the deadline (if any) or a stop signal.
    void run(std::optional<Clock::time_point> deadline);

private:
    bool fetch_pending();
    void drain_socket();
    void take_message(const std::vector<zmq::message_t>& parts);
    void print_ready();

    const TailOptions& options_;
    std::string topic_;
    HttpGetClient http_;
    std::ostream& out_;
    std::ostream& err_;
    zmq::context_t ctx_;
    zmq::socket_t sub_;
    SeqMerger merger_;
    std::unique_ptr<DesktopNotifier> desktop_;
    bool api_down_ = false;
    Clock::time_point retry_at_{};
    Clock::time_point last_live_ = Clock::now();
};

// "<40 characters>" or a file whose first line is the key.
std::string key_from(const std::string& text) {
    if (text.size() == 40 && text.find('/') == std::string::npos) return text;
    std::ifstream in(text);
    std::string line;
    std::getline(in, line);
    return line;
}

bool Tail::start() {
    try {
        if (!options_.curve_key.empty()) {  // the daemon requires access: CURVE, as a registered key
            std::ifstream in(options_.curve_key);
            std::string pub, sec;
            const std::string server = key_from(options_.server_key);
            if (!std::getline(in, pub) || !std::getline(in, sec) || pub.size() != 40 || sec.size() != 40 ||
                server.size() != 40) {
                err_ << "inquiryctl tail: --curve-key needs inquiryctl keygen's two lines, and --server-key the "
                        "daemon's public key (its state folder's curve.pub)\n";
                return false;
            }
            sub_.set(zmq::sockopt::curve_publickey, pub);
            sub_.set(zmq::sockopt::curve_secretkey, sec);
            sub_.set(zmq::sockopt::curve_serverkey, server);
        }
        sub_.set(zmq::sockopt::linger, 0);
        sub_.set(zmq::sockopt::rcvhwm, 100'000);
        sub_.set(zmq::sockopt::subscribe, topic_);
        sub_.connect(options_.sub);
    } catch (const zmq::error_t& e) {
        err_ << "inquiryctl tail: --sub " << options_.sub << ": not a usable ZeroMQ endpoint (e.g. tcp://HOST:PORT, "
             << "ipc://PATH): " << e.what() << "\n";
        return false;
    }
    if (options_.since) {
        merger_ = SeqMerger(*options_.since, /*backfill=*/true);
    } else {  // only new alerts: start after whatever is stored now
        auto page = fetch_alerts(http_, static_cast<std::uint64_t>(INT64_MAX), topic_, 1);
        if (!page) {
            err_ << "inquiryctl tail: " << page.error().message << " (" << page.error().field << ")\n";
            return false;
        }
        merger_ = SeqMerger(page->last_seq);
    }
    if (!fetch_pending()) return false;
    print_ready();
    return true;
}

// Pages through GET /v1/alerts while the merger asks for it. False when the API failed.
bool Tail::fetch_pending() {
    while (merger_.needs_fetch()) {
        auto page = fetch_alerts(http_, merger_.fetch_after(), topic_, kPageLimit);
        if (!page) {
            if (!api_down_) err_ << "inquiryctl tail: " << page.error().message << " (" << page.error().field << ")\n";
            api_down_ = true;
            retry_at_ = Clock::now() + kRetryAfter;
            return false;
        }
        if (api_down_) err_ << "inquiryctl tail: the HTTP API answers again\n";
        api_down_ = false;
        const bool complete = page->alerts.size() < kPageLimit;
        merger_.on_fetched(std::move(page->alerts), complete);
    }
    return true;
}

void Tail::run(std::optional<Clock::time_point> deadline) {
    while (g_stop == 0) {
        const auto now = Clock::now();
        if (deadline && now >= *deadline) break;
        auto wait = kPollStep;
        if (deadline) wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*deadline - now));
        zmq::pollitem_t item{sub_.handle(), 0, ZMQ_POLLIN, 0};
        try {
            zmq::poll(&item, 1, wait);
        } catch (const zmq::error_t& e) {
            if (e.num() != EINTR) throw;
            continue;  // a signal: the loop condition decides
        }
        if ((item.revents & ZMQ_POLLIN) != 0) drain_socket();
        if (!merger_.needs_fetch() && Clock::now() - last_live_ >= options_.quiet_check) {
            merger_.request_fetch();  // quiet: did the live stream lose the last alerts?
            last_live_ = Clock::now();
        }
        if (merger_.needs_fetch() && Clock::now() >= retry_at_) fetch_pending();
        print_ready();
    }
}

void Tail::drain_socket() {
    for (;;) {
        std::vector<zmq::message_t> parts;
        const auto got = zmq::recv_multipart(sub_, std::back_inserter(parts), zmq::recv_flags::dontwait);
        if (!got || *got == 0) return;
        take_message(parts);
    }
}

void Tail::take_message(const std::vector<zmq::message_t>& parts) {
    inquiry::v1::Alert alert;
    if (parts.size() != 2 || !alert.ParseFromArray(parts[1].data(), static_cast<int>(parts[1].size())) ||
        alert.seq() == 0) {
        err_ << "inquiryctl tail: ignored a message that is not [topic][inquiry.v1.Alert]\n";
        return;
    }
    last_live_ = Clock::now();
    merger_.on_live({alert.seq(), alert_to_json(alert)});
}

void Tail::print_ready() {
    const auto alerts = merger_.take_ready();
    if (alerts.empty()) return;
    const auto now = wall_now();
    for (const auto& a : alerts) {
        const std::string line = format_alert_line(a.json, now);
        out_ << (options_.json ? boost::json::serialize(a.json) : line) << '\n';
        if (desktop_) desktop_->show(a.json, line);
    }
    out_.flush();
}

}  // namespace

CLI::App* add_tail_subcommand(CLI::App& app, TailOptions& o) {
    auto* cmd = app.add_subcommand("tail", "Follow alerts of inquiryd (ZeroMQ, back-filled over HTTP) in seq order");
    auto* agent = cmd->add_option("--agent", o.agent, "An agent's alerts (topic agent/<ID>/)");
    auto* esc = cmd->add_flag("--escalations", o.escalations, "Escalations (topic escalation/, or escalation/<ID>/)");
    cmd->add_option("--account", o.account, "With --escalations: one account's only")->needs(esc);
    auto* queue = cmd->add_option("--queue", o.queue, "A queue's alerts (topic queue/<NAME>/)");
    agent->excludes(esc)->excludes(queue);
    esc->excludes(queue);
    cmd->add_option_function<std::uint64_t>(
        "--since", [&o](const std::uint64_t& v) { o.since = v; },
        "Back-fill every alert after this seq first (default: only new ones)");
    cmd->add_flag("--json", o.json, "One JSON object per alert (as GET /v1/alerts)");
    cmd->add_flag("--notify", o.notify, "A desktop notification per alert too (libnotify)");
    cmd->add_option("--http", o.http, "The daemon's HTTP API, [https://]HOST:PORT")->capture_default_str();
    cmd->add_option("--sub", o.sub, "The daemon's ZeroMQ PUB endpoint")->capture_default_str();
    add_client_auth_options(cmd, o.auth);
    cmd->add_option("--curve-key", o.curve_key, "Our CURVE key pair file (inquiryctl keygen), when access is required");
    cmd->add_option("--server-key", o.server_key, "The daemon's CURVE public key, or its curve.pub file");
    cmd->add_option_function<double>(
        "--for", [&o](const double& v) { o.for_seconds = v; },
        "Stop after this many seconds (default: at SIGINT/SIGTERM)");
    return cmd;
}

Expected<std::string> tail_topic(const TailOptions& o) {
    const int chosen = (o.agent.empty() ? 0 : 1) + (o.escalations ? 1 : 0) + (o.queue.empty() ? 0 : 1);
    if (chosen != 1) return Error("choose exactly one of --agent ID, --escalations, --queue NAME", "topic");
    if (!o.account.empty() && !o.escalations) return Error("--account goes with --escalations", "--account");
    if (!o.agent.empty()) {
        if (!valid_name(o.agent)) return Error("an agent id cannot contain '/'", "--agent");
        return "agent/" + o.agent + "/";
    }
    if (!o.queue.empty()) {
        if (!valid_name(o.queue)) return Error("a queue name cannot contain '/'", "--queue");
        return "queue/" + o.queue + "/";
    }
    if (o.account.empty()) return std::string("escalation/");
    if (!valid_name(o.account)) return Error("an account id cannot contain '/'", "--account");
    return "escalation/" + o.account + "/";
}

int run_tail(const TailOptions& options, std::ostream& out, std::ostream& err) {
    auto topic = tail_topic(options);
    if (!topic) {
        err << "inquiryctl tail: " << topic.error().message << "\n";
        return 2;
    }
    auto server = parse_host_port(options.http);
    if (!server) {
        err << "inquiryctl tail: --http " << options.http << ": " << server.error().message << "\n";
        return 2;
    }
    if (options.for_seconds && !(*options.for_seconds > 0 && *options.for_seconds < 1e9)) {
        err << "inquiryctl tail: --for must be a positive number of seconds\n";
        return 2;
    }
    std::optional<Clock::time_point> deadline;
    if (options.for_seconds)
        deadline = Clock::now() +
                   std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*options.for_seconds));
    auto client = client_options(options.auth, options.http_timeout);
    if (!client) {
        err << "inquiryctl tail: " << client.error().field << ": " << client.error().message << "\n";
        return 2;
    }
    const StopSignals signals;
    try {
        Tail tail(options, std::move(*topic), std::move(*server), std::move(*client), out, err);
        if (!tail.start()) return 2;
        tail.run(deadline);
    } catch (const zmq::error_t& e) {
        err << "inquiryctl tail: ZeroMQ: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace ir::cli
