#include "notify_command.hpp"

#include <CLI/CLI.hpp>

#include <ostream>
#include <variant>

#include "ir/daemon/config.hpp"
#include "ir/daemon/secret_ref.hpp"
#include "ir/notify/outgoing.hpp"
#include "ir/notify/sender.hpp"

namespace ir::cli {
namespace {

sla::TimePoint wall_now() {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

const char* outcome_name(notify::Verdict::Outcome o) {
    switch (o) {
        case notify::Verdict::delivered:
            return "delivered";
        case notify::Verdict::retry:
            return "not delivered (the daemon would retry with backoff)";
        case notify::Verdict::wait:
            return "not delivered (rate limited: the daemon would wait)";
        case notify::Verdict::rejected:
            return "refused (the daemon would not retry)";
    }
    return "?";
}

// What goes out, without the secret: the URL's query may carry DingTalk's signature only.
std::string shown_url(const notify::Destination& d, const std::string& url) {
    if (d.spec.kind != notify::Kind::telegram) return url;
    const std::string token(d.secret.reveal());
    std::string u = url;
    if (auto at = u.find(token); at != std::string::npos) u.replace(at, token.size(), "<token>");
    return u;
}

}  // namespace

CLI::App* add_notify_subcommand(CLI::App& app, NotifyTestOptions& o) {
    auto* notify = app.add_subcommand("notify", "Notification destinations ([[notify.destinations]])");
    notify->require_subcommand(1);
    auto* test = notify->add_subcommand("test", "Send one sample message to a destination; print the answer");
    test->add_option("NAME", o.name, "The destination's name")->required();
    test->add_option("--config", o.config, "inquiryd's config file")->capture_default_str();
    return notify;
}

int run_notify_test(const NotifyTestOptions& o, std::ostream& out, std::ostream& err) {
    auto loaded = daemon::load_config(o.config);
    for (const auto& e : loaded.errors) err << "inquiryctl notify test: " << e << "\n";
    if (!loaded.errors.empty()) return 2;
    const auto& targets = loaded.config.notify.destinations;
    auto it = std::find_if(targets.begin(), targets.end(), [&](const auto& t) { return t.spec.name == o.name; });
    if (it == targets.end()) {
        err << "inquiryctl notify test: " << o.config << " has no destination named \"" << o.name << "\"\n";
        return 2;
    }
    notify::Destination d;
    d.spec = it->spec;
    if (it->secret.given()) {
        if (auto e = daemon::load_secret(it->secret, d.secret)) {
            err << "inquiryctl notify test: " << *e << "\n";
            return 2;
        }
    }
    notify::MessageContext ctx{loaded.config.notify.console_url, loaded.config.routing.contacts};
    const auto now = wall_now();
    const auto batch = notify::sample_batch(d.spec.name, now);
    const auto message = notify::single_message(batch.items.front(), ctx, d.spec.language, now);
    const auto outgoing = notify::build_outgoing(d, batch, message, now);
    if (const auto* post = std::get_if<notify::HttpPost>(&outgoing))
        out << "POST " << shown_url(d, post->url) << "\n" << post->body << "\n\n";
    else
        out << "running " << std::get<notify::Command>(outgoing).argv.front() << " with the message on stdin\n\n";
    notify::Sender sender;
    const auto attempt = sender.send(d, outgoing, now);
    out << d.spec.name << " (" << notify::to_string(d.spec.kind) << "): " << outcome_name(attempt.verdict.outcome)
        << "\n"
        << "the endpoint answered:\n"
        << attempt.answer << "\n";
    return attempt.verdict.outcome == notify::Verdict::delivered ? 0 : 1;
}

}  // namespace ir::cli
