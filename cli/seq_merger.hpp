#pragma once
// The ordering rules of `inquiryctl tail`, with no sockets: alerts arrive live (ZeroMQ,
// possibly with losses) and from the HTTP API (back-fill, gap repair); each alert is
// printed exactly once, in seq order.
//
// Seq numbers are global across topics, so a subscriber of one prefix sees jumps that are
// not losses. Whenever a live alert does not follow the last alert known to be complete,
// the merger holds it and asks for a fetch of "alerts after fetch_after() on my prefix".
// The daemon publishes an alert only after every alert with a smaller seq was committed,
// so a fetch made after live alert S has arrived returns every alert of the prefix below
// S: once the answer is complete, everything up to max(S, the last fetched seq) is known
// and printed.
//
// Usage: feed on_live() and on_fetched(); while needs_fetch(), fetch pages starting after
// fetch_after(); print take_ready() after each call.
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <vector>

namespace ir::cli {

struct TailAlert {
    std::uint64_t seq = 0;
    boost::json::object json;  // as GET /v1/alerts returns it
};

class SeqMerger {
public:
    // Everything at or below `printed_through` counts as printed already. With
    // `backfill`, the merger starts by asking for every alert after it.
    explicit SeqMerger(std::uint64_t printed_through, bool backfill = false);

    void on_live(TailAlert alert);

    // One page of GET /v1/alerts?since=fetch_after(); `complete` when the page had fewer
    // alerts than the limit asked for (nothing more was committed at that moment).
    void on_fetched(std::vector<TailAlert> page, bool complete);

    // Asks for a fetch without a gap, e.g. after a quiet spell, to find trailing alerts
    // the live stream lost.
    void request_fetch();

    bool needs_fetch() const { return fetching_; }
    std::uint64_t fetch_after() const { return cursor_; }

    // Alerts to print now, in seq order; each is returned once.
    std::vector<TailAlert> take_ready();

    // Every alert of the prefix at or below this has been handed out by take_ready().
    std::uint64_t printed_through() const { return known_; }

private:
    void release_through(std::uint64_t seq);

    std::uint64_t known_;         // all of the prefix at or below it: released
    std::uint64_t cursor_;        // the next fetch page starts after it
    std::uint64_t live_max_ = 0;  // the highest live seq held while a fetch is due
    bool fetching_;
    std::map<std::uint64_t, TailAlert> held_;
    std::vector<TailAlert> ready_;
};

}  // namespace ir::cli
