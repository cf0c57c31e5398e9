#include "ir/notify/seq_ranges.hpp"

namespace ir::notify {

std::string SeqRanges::run(std::int64_t first, std::int64_t last) {
    return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

void SeqRanges::add(std::int64_t seq) {
    if (last_ >= first_ && seq == last_ + 1) {
        last_ = seq;
    } else {
        if (last_ >= first_) closed_ += run(first_, last_) + ",";
        first_ = last_ = seq;
    }
    str_size_ = closed_.size() + run(first_, last_).size();
}

std::string SeqRanges::str() const {
    return last_ >= first_ ? closed_ + run(first_, last_) : std::string();
}

}  // namespace ir::notify
