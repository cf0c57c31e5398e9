#pragma once
// The simulated people's timeline: what each of them will do, and when. Ordered by
// (moment, order of planning), so actions planned for the same moment come out as they were
// planned and every run with the same seed is the same.
#include <cstdint>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::simulate {

struct Action {
    enum class Kind : std::uint8_t {
        accept,        // take the offer (ends the reservation)
        finish_reply,  // the reply being written is sent
        wake,          // a shift starts: go back to the held work
        look,          // with no routing: look at the shared queue and take the best inquiry
        resolve,       // answered and quiet long enough: the owner closes it
    };
    Kind kind = Kind::wake;
    std::uint32_t person = 0;
    std::uint64_t inquiry = 0;
    std::uint32_t generation = 0;  // the holding it was planned for; a newer one makes it stale
};

class Agenda {
public:
    void plan(sla::TimePoint at, Action a) { queue_.push(Entry{at, order_++, a}); }
    std::optional<sla::TimePoint> next() const {
        return queue_.empty() ? std::nullopt : std::optional<sla::TimePoint>(queue_.top().at);
    }
    std::pair<sla::TimePoint, Action> pop() {
        const Entry e = queue_.top();
        queue_.pop();
        return {e.at, e.action};
    }
    bool empty() const { return queue_.empty(); }

private:
    struct Entry {
        sla::TimePoint at;
        std::uint64_t order = 0;
        Action action;
        bool operator>(const Entry& o) const { return at != o.at ? at > o.at : order > o.order; }
    };
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
    std::uint64_t order_ = 0;
};

}  // namespace ir::simulate
