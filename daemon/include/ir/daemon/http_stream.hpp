#pragma once
// A response whose body is written while it is produced (Server-Sent Events): the handler
// answers with a head and a StreamProducer; once the head is on the wire the producer gets
// a StreamWriter and writes chunks as they come. Both live on the io thread.
#include <cstddef>
#include <memory>
#include <string_view>

namespace ir::daemon {

class StreamWriter {
public:
    virtual ~StreamWriter() = default;
    // Queues `data` to be sent. false, and the connection closes, when it would leave more
    // than the server's stream_buffer_limit unsent: a client too slow to read is dropped
    // (it reconnects and catches up), never buffered without bound.
    virtual bool write(std::string_view data) = 0;
    virtual std::size_t queued_bytes() const = 0;
    // Sends what is queued and the end of the body, then closes the connection.
    virtual void end() = 0;
};

class StreamProducer {
public:
    virtual ~StreamProducer() = default;
    // The head is written. The producer keeps `writer` until on_closed().
    virtual void on_open(std::shared_ptr<StreamWriter> writer) = 0;
    virtual void on_drained() {}  // everything queued has been written
    // The connection ended (the peer left, a write failed or timed out, the buffer limit,
    // end(), the server stopping), or the head could not be sent. Called once.
    virtual void on_closed() = 0;
};

}  // namespace ir::daemon
