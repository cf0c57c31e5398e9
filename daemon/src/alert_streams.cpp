#include "alert_streams.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "alert_page.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/router/engine.hpp"
#include "read_thread.hpp"

namespace ir::daemon {
namespace asio = boost::asio;

// One client's stream: catching up (live alerts held back) until the store has nothing
// more after `last_`, then live.
class AlertStreams::Stream final : public StreamProducer, public std::enable_shared_from_this<Stream> {
public:
    Stream(AlertStreams& hub, StreamRequest request) : hub_(hub), request_(std::move(request)), last_(request_.since) {}

    const StreamRequest& request() const { return request_; }
    bool reads(std::string_view topic) const { return on_topics(topic, request_.topics); }
    StreamWriter* writer() const { return writer_.get(); }

    void on_open(std::shared_ptr<StreamWriter> writer) override {
        writer_ = std::move(writer);
        const std::string hello = "retry: " + std::to_string(hub_.options_.retry.count()) +
                                  "\n\nevent: hello\ndata: " + request_.hello + "\n\n";
        if (writer_->write(hello)) hub_.read_page(shared_from_this(), last_);
    }

    void on_drained() override {
        if (!want_page_ || !writer_) return;
        want_page_ = false;
        hub_.read_page(shared_from_this(), last_);
    }

    void on_closed() override {
        writer_.reset();
        hub_.forget(this);
    }

    // A live alert on one of its topics.
    void offer(std::int64_t seq, const std::string& frame) {
        if (live_) return send(seq, frame);
        if (held_.size() >= hub_.options_.max_held) {
            held_.clear();  // read again from the store: they are all committed
            missed_ = true;
        }
        if (!missed_) held_.push_back({seq, frame});
    }

    void on_page(Expected<AlertPage> page) {
        if (!writer_) return;
        if (!page) {
            hub_.log_->warn("alert stream: catch-up failed: {}", page.error().message);
            return writer_->end();  // the client reconnects and tries again
        }
        for (const auto& a : page->alerts) send(a.seq, a.frame);
        if (!writer_) return;
        if (!page->complete || missed_) {
            missed_ = false;
            held_.clear();
            if (writer_->queued_bytes() == 0) return hub_.read_page(shared_from_this(), last_);
            want_page_ = true;  // once the client has read this one
            return;
        }
        for (const auto& a : held_) send(a.seq, a.frame);
        held_.clear();
        live_ = true;
    }

private:
    void send(std::int64_t seq, const std::string& frame) {
        if (seq <= last_ || !writer_) return;  // sent already (by the catch-up, or held twice)
        last_ = seq;
        writer_->write(frame);  // false: dropped as too slow; on_closed follows
    }

    AlertStreams& hub_;
    StreamRequest request_;
    std::shared_ptr<StreamWriter> writer_;
    std::int64_t last_;
    std::vector<AlertFrame> held_;
    bool live_ = false;
    bool missed_ = false;     // held_ overflowed: read the store again
    bool want_page_ = false;  // the next page waits for the client to read
};

AlertStreams::AlertStreams(asio::io_context& ioc, ReadThread& reads, Now now, StreamOptions options)
    : ioc_(ioc),
      reads_(reads),
      now_(std::move(now)),
      options_(options),
      log_(spdlog::get("http") ? spdlog::get("http") : spdlog::default_logger()),
      ping_timer_(ioc) {}

AlertStreams::~AlertStreams() = default;

std::shared_ptr<StreamProducer> AlertStreams::open(StreamRequest request) {
    auto stream = std::make_shared<Stream>(*this, std::move(request));
    streams_.push_back(stream);  // holds live alerts from now on
    arm_ping();
    return stream;
}

void AlertStreams::publish(const std::vector<store::AlertRow>& alerts) {
    for (const auto& row : alerts) {
        std::string frame;  // made once, for the first stream that reads its topic
        for (std::size_t i = 0; i < streams_.size(); ++i) {
            if (!streams_[i]->reads(row.topic)) continue;
            if (frame.empty()) frame = sse_frame(row);
            if (frame.empty()) break;
            streams_[i]->offer(row.seq, frame);
        }
    }
}

void AlertStreams::changed(const router::StepResult& step) {
    for (const auto& s : step.inquiries) {
        const auto& r = s.record;
        const std::string owner = r.owner.str();
        // The topics its alerts go to: its owner's (or its queue's), and its account's escalations.
        const std::string held = owner.empty() ? "queue/" + r.queue.str() + "/" : "agent/" + owner + "/";
        const std::string overseen = "escalation/" + r.account.str() + "/";
        std::string frame;
        for (std::size_t i = 0; i < streams_.size(); ++i) {
            auto* writer = streams_[i]->writer();
            if (!writer || (!streams_[i]->reads(held) && !streams_[i]->reads(overseen))) continue;
            if (frame.empty())
                frame = "event: changed\ndata: " +
                        boost::json::serialize(boost::json::object{
                            {"inquiry_id", static_cast<std::uint64_t>(r.id)},
                            {"state", router::to_string(r.state)},
                            {"owner", owner.empty() ? boost::json::value(nullptr) : boost::json::value(owner)}}) +
                        "\n\n";
            writer->write(frame);
        }
    }
}

void AlertStreams::stop() {
    stopped_ = true;
    ping_timer_.cancel();
}

// The read thread reads; the page comes back to the io thread, to a stream still open.
void AlertStreams::read_page(const std::shared_ptr<Stream>& stream, std::int64_t since) {
    std::weak_ptr<Stream> weak = stream;
    auto read = [&ioc = ioc_, weak, topics = stream->request().topics, since,
                 limit = options_.page](store::Database& db) {
        asio::post(ioc, [weak, page = read_alert_page(db, topics, since, limit)]() mutable {
            if (auto s = weak.lock()) s->on_page(std::move(page));
        });
    };
    if (!reads_.submit(std::move(read)))
        asio::post(ioc_, [weak] {
            if (auto s = weak.lock()) s->on_page(Error("too many reads wait: try again"));
        });
}

// Later, not now: a stream closes inside publish() or ping(), which walk the list.
void AlertStreams::forget(const Stream* stream) {
    asio::post(ioc_, [this, stream] { std::erase_if(streams_, [&](const auto& s) { return s.get() == stream; }); });
}

void AlertStreams::arm_ping() {
    if (ping_armed_ || stopped_ || streams_.empty()) return;
    ping_armed_ = true;
    ping_timer_.expires_after(options_.ping);
    ping_timer_.async_wait([this](boost::system::error_code ec) {
        ping_armed_ = false;
        if (!ec) ping();
    });
}

// A comment would do for proxies; an event also carries the server's clock to the page.
void AlertStreams::ping() {
    const std::string frame = "event: ping\ndata: {\"now\":\"" + adapters::format_rfc3339(now_()) + "\"}\n\n";
    for (std::size_t i = 0; i < streams_.size(); ++i) {
        auto* writer = streams_[i]->writer();
        if (!writer) continue;
        if (const auto& allowed = streams_[i]->request().allowed; allowed && !allowed()) {
            writer->write("event: denied\ndata: {\"error\":\"the token is no longer valid\"}\n\n");
            writer->end();
            continue;
        }
        writer->write(frame);
    }
    arm_ping();
}

}  // namespace ir::daemon
