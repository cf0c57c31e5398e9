// The streams of GET /v1/stream on a real SQLite file and the real read thread: catch-up
// then live, every alert after the resume point once and in order, only the stream's
// topics, whatever is committed while the catch-up reads; pings; change hints.
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <functional>

#include "alert_page.hpp"
#include "alert_streams.hpp"
#include "inquiry/v1/alert.pb.h"
#include "ir/router/engine.hpp"
#include "read_thread.hpp"

using namespace ir;
using namespace ir::daemon;
using namespace std::chrono_literals;

namespace {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ir_streams_XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// What a connection would send: everything written, in order.
struct Recorder final : StreamWriter {
    std::string text;
    bool ended = false;
    bool write(std::string_view data) override {
        if (ended) return false;
        text += data;
        return true;
    }
    std::size_t queued_bytes() const override { return 0; }
    void end() override { ended = true; }

    // The `id:` of every event, in order.
    std::vector<std::int64_t> ids() const {
        std::vector<std::int64_t> out;
        for (std::size_t at = 0; (at = text.find("\nid: ", at)) != std::string::npos; at += 5)
            out.push_back(std::stoll(text.substr(at + 5, text.find('\n', at + 5) - at - 5)));
        return out;
    }
};

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> out;
    for (auto i = from; i <= to; ++i) out.push_back(i);
    return out;
}

struct Fixture {
    explicit Fixture(StreamOptions options = {}) {
        store::Options o;
        o.path = dir.file("inquiryd.db");
        writer = store::Database::open(o).value();
        reads = ReadThread::open(o.path, 64).value();
        hub = std::make_unique<AlertStreams>(
            ioc, *reads, [] { return sla::from_unix_ms(1'800'000'000'000); }, options);
    }
    ~Fixture() {
        reads.reset();  // its last reads post to ioc: it goes before the hub and the io_context
        hub.reset();
    }

    // Committed (in the store) and, unless told not to, published as the pipeline does.
    store::AlertRow commit(const std::string& topic, bool publish = true) {
        inquiry::v1::Alert a;
        a.set_seq(static_cast<std::uint64_t>(next_seq));
        a.set_topic(topic);
        a.set_kind(inquiry::v1::ALERT_KIND_WARNING);
        store::AlertRow row{next_seq++, topic, sla::from_unix_ms(1'800'000'000'000), a.SerializeAsString()};
        store::Change change;
        change.alerts.push_back(row);
        REQUIRE_FALSE(writer->apply(change).has_value());
        if (publish) hub->publish({row});
        return row;
    }

    std::shared_ptr<Recorder> open(std::vector<std::string> topics, std::int64_t since = 0,
                                   std::function<bool()> allowed = {}) {
        auto producer = hub->open(StreamRequest{std::move(topics), since, "{}", std::move(allowed)});
        auto recorder = std::make_shared<Recorder>();
        producer->on_open(recorder);  // the head is written: the stream starts
        producers.push_back(producer);
        return recorder;
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            ioc.restart();
            ioc.run_one_for(5ms);
        }
        return true;
    }

    TempDir dir;
    boost::asio::io_context ioc;
    std::unique_ptr<store::Database> writer;
    std::unique_ptr<ReadThread> reads;
    std::unique_ptr<AlertStreams> hub;
    std::vector<std::shared_ptr<StreamProducer>> producers;
    std::int64_t next_seq = 1;
};

}  // namespace

TEST_CASE("streams: the stored alerts of the stream's topics, then the live ones", "[alert_streams]") {
    Fixture f;
    for (int i = 0; i < 6; ++i) f.commit(i % 2 ? "agent/bob/" : "agent/amy/", false);
    auto amy = f.open({"agent/amy/"});
    REQUIRE(f.run_until([&] { return amy->ids().size() == 3; }));
    f.commit("agent/amy/");
    f.commit("agent/bob/");
    f.commit("queue/alibaba-apparel/");
    REQUIRE(f.run_until([&] { return amy->ids().size() == 4; }));
    f.run_until([] { return false; }, 50ms);  // nothing else comes
    CHECK(amy->ids() == std::vector<std::int64_t>{1, 3, 5, 7});
    CHECK(amy->text.starts_with("retry: 1000\n\nevent: hello\ndata: {}\n\n"));
    CHECK(amy->text.find("\"topic\":\"agent/bob/\"") == std::string::npos);
}

TEST_CASE("streams: a resumed stream sends what came after its seq, nothing before", "[alert_streams]") {
    Fixture f;
    for (int i = 0; i < 5; ++i) f.commit("agent/amy/", false);
    auto amy = f.open({"agent/amy/"}, 3);
    REQUIRE(f.run_until([&] { return amy->ids().size() == 2; }));
    f.commit("agent/amy/");
    REQUIRE(f.run_until([&] { return amy->ids().size() == 3; }));
    CHECK(amy->ids() == range(4, 6));
}

TEST_CASE("streams: alerts committed while the catch-up reads come once, in order", "[alert_streams]") {
    // The read thread races the commits: whether the catch-up sees them or not, each is sent once.
    for (int round = 0; round < 20; ++round) {
        Fixture f;
        for (int i = 0; i < 3; ++i) f.commit("agent/amy/", false);
        auto amy = f.open({"agent/amy/"});
        for (int i = 0; i < round % 5; ++i) f.commit("agent/amy/");
        f.commit("agent/amy/");
        const auto last = f.next_seq - 1;
        REQUIRE(f.run_until([&] { return !amy->ids().empty() && amy->ids().back() == last; }));
        CHECK(amy->ids() == range(1, last));
    }
}

TEST_CASE("streams: a long catch-up goes page by page over several topics", "[alert_streams]") {
    StreamOptions options;
    options.page = 16;
    Fixture f(options);
    const std::vector<std::string> topics{"agent/amy/", "queue/alibaba-apparel/", "agent/bob/"};
    std::vector<std::int64_t> expected;
    for (int i = 0; i < 200; ++i) {
        const auto row = f.commit(topics[static_cast<std::size_t>(i * 7 % 3)], false);
        if (row.topic != "agent/bob/") expected.push_back(row.seq);
    }
    auto amy = f.open({"agent/amy/", "queue/alibaba-apparel/"});
    REQUIRE(f.run_until([&] { return amy->ids().size() == expected.size(); }));
    CHECK(amy->ids() == expected);
}

TEST_CASE("streams: more live alerts than it holds during a catch-up: read again, none lost", "[alert_streams]") {
    StreamOptions options;
    options.max_held = 2;
    Fixture f(options);
    for (int i = 0; i < 3; ++i) f.commit("agent/amy/", false);
    auto amy = f.open({""});
    for (int i = 0; i < 7; ++i) f.commit("agent/amy/");
    REQUIRE(f.run_until([&] { return amy->ids().size() == 10; }));
    f.commit("escalation/alibaba-apparel/");
    REQUIRE(f.run_until([&] { return amy->ids().size() == 11; }));
    CHECK(amy->ids() == range(1, 11));
}

TEST_CASE("streams: pings carry the server's time; a token no longer valid ends the stream", "[alert_streams]") {
    StreamOptions options;
    options.ping = 10ms;
    Fixture f(options);
    bool valid = true;
    auto amy = f.open({"agent/amy/"}, 0, [&] { return valid; });
    REQUIRE(f.run_until(
        [&] { return amy->text.find("event: ping\ndata: {\"now\":\"2027-01-15T08:00:00Z\"}") != std::string::npos; }));
    valid = false;
    REQUIRE(f.run_until([&] { return amy->ended; }));
    CHECK(amy->text.find("event: denied") != std::string::npos);
}

TEST_CASE("streams: a change is told to the streams that may see the inquiry", "[alert_streams]") {
    Fixture f;
    auto amy = f.open({"agent/amy/", "queue/alibaba-apparel/"});
    auto bob = f.open({"agent/bob/", "queue/alibaba-outdoor/"});
    auto sue = f.open({"agent/sue/", "escalation/alibaba-apparel/"});
    router::StepResult step;
    router::StoredInquiry q;
    q.record.id = InquiryId{12};
    q.record.account = "alibaba-apparel";
    q.record.owner = "amy";
    q.record.state = router::InquiryState::replied;
    step.inquiries.push_back(q);
    f.hub->changed(step);
    const std::string told = "event: changed\ndata: {\"inquiry_id\":12,\"state\":\"replied\",\"owner\":\"amy\"}\n\n";
    CHECK(amy->text.find(told) != std::string::npos);
    CHECK(sue->text.find(told) != std::string::npos);
    CHECK(bob->text.find("changed") == std::string::npos);
}

TEST_CASE("alert page: a full prefix bounds the page, the next one starts after it", "[alert_streams]") {
    Fixture f;
    for (const char* t : {"agent/amy/", "agent/amy/", "agent/amy/", "queue/x/", "agent/amy/"}) f.commit(t, false);
    auto page = read_alert_page(*f.writer, {"agent/amy/", "queue/x/"}, 0, 2);
    REQUIRE(page);
    CHECK_FALSE(page->complete);
    std::vector<std::int64_t> seqs;
    for (const auto& a : page->alerts) seqs.push_back(a.seq);
    CHECK(seqs == std::vector<std::int64_t>{1, 2});
    auto next = read_alert_page(*f.writer, {"agent/amy/", "queue/x/"}, 2, 2);
    REQUIRE(next);
    seqs.clear();
    for (const auto& a : next->alerts) seqs.push_back(a.seq);
    CHECK(seqs == std::vector<std::int64_t>{3, 4, 5});  // amy's 3 and 5 fill the limit: whole up to 5
    CHECK_FALSE(next->complete);
    CHECK(on_topics("agent/amy/", {"agent/"}));
    CHECK_FALSE(on_topics("agent/amy/", {"agent/amelia/"}));
}
