#pragma once
// What a replay is fed, in the order it happened: buyer messages and our own messages (the
// traffic), and, when replaying a daemon's store with its recorded people, the replies and
// resolves made through its API.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "ir/router/event.hpp"
#include "ir/sla/time.hpp"

namespace ir::simulate {

struct Input {
    enum class Kind : std::uint8_t {
        event,    // a message from the traffic (inbound, or outbound: one of our people replied)
        reply,    // a recorded reply (POST /v1/inquiries/{id}/reply, a decline): `agent` replied
        resolve,  // a recorded resolve
    };
    Kind kind = Kind::event;
    sla::TimePoint at{};                             // the virtual moment it happens: the core's `now`
    router::Event event;                             // kind event
    std::optional<router::CustomerContext> context;  // what our records knew (orders: tier 1)
    std::string agent;                               // kind reply
    // A store's inquiry id: events name the inquiry they went to, replies and resolves the
    // inquiry they were about; the replay maps them to its own ids. 0: not from a store.
    std::uint64_t recorded_inquiry = 0;
    std::size_t line = 0;  // the traffic file's line, for messages; 0 when not from a file
};

// A stream of inputs in time order, with one input of look-ahead (the replay starts its
// core at the first input's moment).
class InputSource {
public:
    virtual ~InputSource() = default;
    const Input* peek();
    std::optional<Input> next();

protected:
    virtual std::optional<Input> read() = 0;

private:
    std::optional<Input> ahead_;
    bool peeked_ = false;
};

}  // namespace ir::simulate
