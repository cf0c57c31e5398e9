#pragma once
// Accuracy of assessments against labelled lines: tier accuracy, a 4x4 confusion
// matrix and suspect precision / recall.
#include <array>
#include <iosfwd>

#include "ir/router/assessment.hpp"

namespace ir::cli {

class ScoreSummary {
public:
    void add(int expected_tier, bool expected_suspect, const router::Assessment& got);
    bool empty() const { return labelled_ == 0; }
    void print(std::ostream& err) const;

private:
    int labelled_ = 0;
    int tier_correct_ = 0;
    std::array<std::array<int, 4>, 4> confusion_{};  // [expected][got]
    int true_pos_ = 0, false_pos_ = 0, false_neg_ = 0;
};

}  // namespace ir::cli
