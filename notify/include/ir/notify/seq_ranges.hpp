#pragma once
// The alert seqs a delivery carries, as the X-Inquiry-Alert-Seqs header says them: runs
// collapsed ("3-5,9"), so a digest of thousands of consecutive alerts stays a few bytes
// (servers refuse header lines past about 8 KB: Beast and nginx by default).
#include <cstddef>
#include <cstdint>
#include <string>

namespace ir::notify {

class SeqRanges {
public:
    // Seqs come in increasing order.
    void add(std::int64_t seq);
    std::string str() const;
    std::size_t size() const { return str_size_; }  // str().size(), without building it

private:
    static std::string run(std::int64_t first, std::int64_t last);
    std::string closed_;  // the runs before the current one, each followed by ','
    std::int64_t first_ = 0, last_ = -1;
    std::size_t str_size_ = 0;
};

}  // namespace ir::notify
