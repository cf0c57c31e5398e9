#pragma once
// The streams of GET /v1/stream: committed alerts pushed to each page as Server-Sent
// Events, fed by the pipeline's publication (never by polling the store), each limited to
// the topics its caller may read. A stream resumes after a seq: it joins the live alerts
// at once (holding them back), catches up from the store on the read thread page by
// page, then sends what it held back above the last seq sent, and goes live. So every
// alert after the resume point is sent once, in seq order. io thread only.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ir/daemon/http_stream.hpp"
#include "ir/sla/time.hpp"
#include "ir/store/rows.hpp"

namespace ir::router {
struct StepResult;
}
namespace spdlog {
class logger;
}

namespace ir::daemon {

class ReadThread;

struct StreamRequest {
    std::vector<std::string> topics;  // prefixes the caller may read ("" for everything)
    std::int64_t since = 0;           // the last seq the client has
    std::string hello;                // JSON of the first event: who the stream is for
    std::function<bool()> allowed;    // asked at every ping: false (a revoked token) ends it
};

struct StreamOptions {
    std::size_t page = 256;                  // alerts per catch-up read
    std::size_t max_held = 4096;             // live alerts held during a catch-up; beyond, read again
    std::chrono::milliseconds ping{15'000};  // keeps proxies open, tells the page the server's time
    std::chrono::milliseconds retry{1'000};  // the client's reconnection delay (SSE `retry:`)
};

class AlertStreams {
public:
    using Now = std::function<sla::TimePoint()>;
    AlertStreams(boost::asio::io_context& ioc, ReadThread& reads, Now now, StreamOptions options = {});
    ~AlertStreams();
    AlertStreams(const AlertStreams&) = delete;
    AlertStreams& operator=(const AlertStreams&) = delete;

    // A new stream; it starts once the response head is written (StreamProducer::on_open).
    std::shared_ptr<StreamProducer> open(StreamRequest request);
    // The pipeline's alert listener: alerts just committed, in seq order.
    void publish(const std::vector<store::AlertRow>& alerts);
    // The pipeline's step listener: each stream that may see an inquiry the step changed
    // is told so (`event: changed`, no seq: a hint to read it again, for changes that raise
    // no alert, such as a reply; a page that reconnects reads its lists again anyway).
    void changed(const router::StepResult& step);
    // Shutdown: no more pings (the HTTP server ends the streams).
    void stop();
    std::size_t open_streams() const { return streams_.size(); }

private:
    class Stream;
    void read_page(const std::shared_ptr<Stream>& stream, std::int64_t since);
    void forget(const Stream* stream);
    void arm_ping();
    void ping();

    boost::asio::io_context& ioc_;
    ReadThread& reads_;
    Now now_;
    StreamOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    boost::asio::steady_timer ping_timer_;
    bool ping_armed_ = false;
    bool stopped_ = false;
    std::vector<std::shared_ptr<Stream>> streams_;
};

}  // namespace ir::daemon
