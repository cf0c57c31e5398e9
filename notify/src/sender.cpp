#include "ir/notify/sender.hpp"

namespace ir::notify {
namespace {

google::protobuf::Timestamp timestamp(sla::TimePoint t) {
    google::protobuf::Timestamp ts;
    const auto ms = sla::to_unix_ms(t);
    ts.set_seconds(ms / 1000);
    ts.set_nanos(static_cast<int>(ms % 1000) * 1'000'000);
    return ts;
}

std::string describe(const HttpAnswer& a) {
    std::string out = "HTTP " + std::to_string(a.status) + "\n";
    for (const auto& [k, v] : a.headers) out += k + ": " + v + "\n";
    return out + "\n" + a.body;
}

}  // namespace

Attempt Sender::send(const Destination& d, const Outgoing& out, sla::TimePoint now, const std::atomic<bool>* cancel) {
    if (const auto* post = std::get_if<HttpPost>(&out)) {
        auto answer = http_.post(*post, d.spec.timeout, cancel);
        Attempt a{judge_http(d.spec.kind, answer, now), {}};
        a.answer = answer ? describe(*answer) : "no answer: " + answer.error().message;
        return a;
    }
    const auto& cmd = std::get<Command>(out);
    auto result = run_command(cmd.argv, cmd.input, d.spec.timeout, cancel);
    Attempt a{judge_command(result), {}};
    a.answer = result ? result->output : result.error().message;
    return a;
}

Batch sample_batch(const std::string& destination, sla::TimePoint now) {
    AlertItem item;
    auto& a = item.alert;
    a.set_seq(0);
    a.set_kind(inquiry::v1::ALERT_KIND_BREACH);
    a.set_clock(inquiry::v1::CLOCK_KIND_FAST);
    a.set_inquiry_id(1);
    a.set_account("sample-account");
    a.set_tier(2);
    *a.mutable_deadline() = timestamp(now - std::chrono::seconds(30));
    *a.mutable_fired_at() = timestamp(now - std::chrono::seconds(30));
    a.set_topic("queue/sample-account/");
    a.set_text("BREACH fast reply clock (a test message from inquiryctl notify test)");
    item.facts =
        InquiryFacts{"Jonas Weber", "Weber Handel GmbH", {"names a catalogue product with technical questions"}, false};
    Batch b;
    b.items.push_back(std::move(item));
    b.delivery_id = destination + ":test-" + std::to_string(sla::to_unix_ms(now));
    return b;
}

}  // namespace ir::notify
