#pragma once
// Retention's side of the store: its own read-write connection, used by one thread (not the
// group committer's), in short write transactions, so commits wait at most one small batch
// for the write lock. It erases what the store keeps about resolved inquiries (the inquiry
// row, its details and labels, its events' payloads and thread ids) and keeps their
// replies as aggregates (reply_history.hpp). Each event keeps its (channel, account,
// message_id) and its seq: dedupe still knows the message if a channel delivers it again.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "ir/base/expected.hpp"
#include "ir/store/rows.hpp"

namespace ir::store {

// Meta keys: the next id to hand out, for ids whose highest row may be erased (a restart
// takes the larger of this and the highest stored id + 1, so no id is ever reused).
inline constexpr std::string_view kNextInquiryIdKey = "ids.next_inquiry";
inline constexpr std::string_view kNextCustomerIdKey = "ids.next_customer";

struct Erased {
    std::int64_t inquiries = 0;
    std::int64_t events = 0;   // payloads emptied
    std::int64_t details = 0;  // the buyer's details and the assessment
    std::int64_t replies = 0;  // folded into reply_history
    std::int64_t labels = 0;   // the team's labels of it (every one, not only the latest)
    Erased& operator+=(const Erased& o) {
        inquiries += o.inquiries;
        events += o.events;
        details += o.details;
        replies += o.replies;
        labels += o.labels;
        return *this;
    }
    bool operator==(const Erased&) const = default;
};

struct StoreSize {
    std::int64_t bytes = 0;       // the database file: pages x page size
    std::int64_t free_bytes = 0;  // free pages in it, which new rows reuse first
};

class Pruner {
public:
    static Expected<std::unique_ptr<Pruner>> open(const std::filesystem::path& path);
    ~Pruner();
    Pruner(const Pruner&) = delete;
    Pruner& operator=(const Pruner&) = delete;

    // Resolved inquiries last changed before `cutoff`, oldest first, at most `limit`.
    Expected<std::vector<InquiryRow>> resolved_before(sla::TimePoint cutoff, std::size_t limit);
    // Every inquiry row (any state) after `after_id`, by id: how erasure finds a customer's.
    Expected<std::vector<InquiryRow>> inquiries_after(std::int64_t after_id, std::size_t limit);
    // One transaction: for each inquiry its replies folded into reply_history, its details
    // and labels deleted, its events' payloads and thread ids emptied, its row deleted, and
    // the next inquiry id kept above it.
    Expected<Erased> erase_inquiries(std::span<const std::int64_t> ids);
    Expected<StoreSize> size();

private:
    struct Impl;
    explicit Pruner(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::store
