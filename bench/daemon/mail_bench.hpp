#pragma once
// A real inquiryd with one [[adapters.email]] Maildir and one agent (so every inquiry is
// ASSIGNED), a SUB socket on its feed, and buyers' mail made from the dev set's events.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "daemon_harness.hpp"

namespace ir::bench {

class MailBench {
public:
    using Clock = std::chrono::steady_clock;
    // `extra_email_config`: more keys of the [[adapters.email]] table.
    explicit MailBench(const std::filesystem::path& dir, const std::string& extra_email_config = "");
    ~MailBench();

    const std::filesystem::path& maildir() const { return maildir_; }
    Daemon& daemon() { return *daemon_; }
    // Mail number n: a new conversation from a buyer of its own.
    std::string buyer_mail(std::size_t n) const;
    // Writes tmp/NAME, then rename()s it into new/: the time of the rename.
    Clock::time_point deliver(const std::string& name, const std::string& text) const;
    // When the next ASSIGNED of an inquiry not seen before arrived; nullopt after `timeout`.
    std::optional<Clock::time_point> next_assigned(std::chrono::milliseconds timeout);
    // Mails until an ASSIGNED arrives: the parser process is started, the subscription is in.
    void warm_up();

private:
    std::filesystem::path maildir_;
    std::unique_ptr<Daemon> daemon_;
    zmq::context_t ctx_;
    zmq::socket_t sub_{ctx_, zmq::socket_type::sub};
    std::vector<std::string> events_;  // the dev set's inbound events (JSON)
    std::set<std::uint64_t> assigned_;
};

// The q-quantile (0..1) of `v`, nearest rank.
double percentile(std::vector<double> v, double q);
// "2 cores, load 1.23": the machine as the run found it.
std::string machine_load();

}  // namespace ir::bench
