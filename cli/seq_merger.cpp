#include "seq_merger.hpp"

#include <algorithm>

namespace ir::cli {

SeqMerger::SeqMerger(std::uint64_t printed_through, bool backfill)
    : known_(printed_through), cursor_(printed_through), fetching_(backfill) {}

void SeqMerger::on_live(TailAlert alert) {
    if (alert.seq <= known_ || held_.contains(alert.seq)) return;  // printed already, or held
    if (!fetching_ && alert.seq == known_ + 1) {                   // no jump: nothing can be missing before it
        known_ = alert.seq;
        ready_.push_back(std::move(alert));
        return;
    }
    if (!fetching_) {
        fetching_ = true;
        cursor_ = known_;
    }
    live_max_ = std::max(live_max_, alert.seq);
    held_.emplace(alert.seq, std::move(alert));
}

void SeqMerger::on_fetched(std::vector<TailAlert> page, bool complete) {
    for (auto& a : page) {
        cursor_ = std::max(cursor_, a.seq);
        if (a.seq > known_) held_.try_emplace(a.seq, std::move(a));
    }
    if (!complete) {  // pages come in seq order: everything up to the cursor is in hand
        release_through(cursor_);
        return;
    }
    release_through(std::max(cursor_, live_max_));
    fetching_ = false;
    live_max_ = 0;
}

void SeqMerger::request_fetch() {
    if (fetching_) return;
    fetching_ = true;
    cursor_ = known_;
}

void SeqMerger::release_through(std::uint64_t seq) {
    while (!held_.empty() && held_.begin()->first <= seq) {
        ready_.push_back(std::move(held_.begin()->second));
        held_.erase(held_.begin());
    }
    known_ = std::max(known_, seq);
}

std::vector<TailAlert> SeqMerger::take_ready() {
    std::vector<TailAlert> out;
    out.swap(ready_);
    return out;
}

}  // namespace ir::cli
