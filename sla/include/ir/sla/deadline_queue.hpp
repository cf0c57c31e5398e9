#pragma once
// One ordered timer queue: at most one deadline per key, earliest first, ties broken by key.
// The daemon arms a single OS timer for next(); nothing here ever waits.
//
// An indexed 4-ary min-heap: arm (insert or move), disarm and pop are O(log n); next() is
// O(1). Order is (deadline, key), so equal deadlines always come out in the same order.
// Key must be hashable (Hash), equality- and less-than-comparable, and cheap to copy.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::sla {

template <class Key, class Hash = std::hash<Key>>
class DeadlineQueue {
public:
    struct Entry {
        TimePoint at{};
        Key key{};
        bool operator==(const Entry&) const = default;
    };

    // Arms `key` for `at`; re-arming an armed key replaces (moves) its deadline.
    void arm(Key key, TimePoint at) {
        auto [it, inserted] = pos_.try_emplace(key, heap_.size());
        if (inserted) {
            heap_.push_back(Entry{at, key});
            sift_up(heap_.size() - 1);
            return;
        }
        heap_[it->second].at = at;
        restore(it->second);
    }

    // Cancels `key`; false when it was not armed.
    bool disarm(Key key) {
        const auto it = pos_.find(key);
        if (it == pos_.end()) return false;
        const std::size_t i = it->second;
        pos_.erase(it);
        remove_at(i);
        return true;
    }

    bool contains(Key key) const { return pos_.contains(key); }
    std::optional<TimePoint> deadline_of(Key key) const {
        const auto it = pos_.find(key);
        if (it == pos_.end()) return std::nullopt;
        return heap_[it->second].at;
    }

    // The earliest deadline: what the one OS timer waits for.
    std::optional<TimePoint> next() const {
        if (heap_.empty()) return std::nullopt;
        return heap_.front().at;
    }
    std::optional<Entry> top() const {
        if (heap_.empty()) return std::nullopt;
        return heap_.front();
    }

    // Removes and returns the earliest entry if it is due (at <= now).
    std::optional<Entry> pop_if_due(TimePoint now) {
        if (heap_.empty() || heap_.front().at > now) return std::nullopt;
        const Entry e = heap_.front();
        pos_.erase(e.key);
        remove_at(0);
        return e;
    }

    // Everything due at `now`, earliest first (by deadline, then key).
    std::vector<Entry> pop_due(TimePoint now) {
        std::vector<Entry> due;
        while (auto e = pop_if_due(now)) due.push_back(*e);
        return due;
    }

    std::size_t size() const { return heap_.size(); }
    bool empty() const { return heap_.empty(); }
    void reserve(std::size_t n) {
        heap_.reserve(n);
        pos_.reserve(n);
    }

private:
    static constexpr std::size_t arity = 4;

    static bool before(const Entry& a, const Entry& b) {
        if (a.at != b.at) return a.at < b.at;
        return a.key < b.key;
    }

    void place(std::size_t i, const Entry& e) {
        heap_[i] = e;
        pos_.find(e.key)->second = i;
    }

    void sift_up(std::size_t i) {
        const Entry e = heap_[i];
        while (i > 0) {
            const std::size_t parent = (i - 1) / arity;
            if (!before(e, heap_[parent])) break;
            place(i, heap_[parent]);
            i = parent;
        }
        place(i, e);
    }

    void sift_down(std::size_t i) {
        const Entry e = heap_[i];
        const std::size_t n = heap_.size();
        while (true) {
            const std::size_t first = i * arity + 1;
            if (first >= n) break;
            std::size_t best = first;
            for (std::size_t c = first + 1; c < std::min(first + arity, n); ++c) {
                if (before(heap_[c], heap_[best])) best = c;
            }
            if (!before(heap_[best], e)) break;
            place(i, heap_[best]);
            i = best;
        }
        place(i, e);
    }

    // Moves heap_[i] up or down after its deadline changed.
    void restore(std::size_t i) {
        if (i > 0 && before(heap_[i], heap_[(i - 1) / arity])) {
            sift_up(i);
        } else {
            sift_down(i);
        }
    }

    // Removes slot i (its key is already gone from pos_).
    void remove_at(std::size_t i) {
        const std::size_t last = heap_.size() - 1;
        if (i != last) {
            heap_[i] = heap_[last];
            heap_.pop_back();
            restore(i);
        } else {
            heap_.pop_back();
        }
        assert(heap_.size() == pos_.size());
    }

    std::vector<Entry> heap_;
    std::unordered_map<Key, std::size_t, Hash> pos_;
};

}  // namespace ir::sla
