#include "score_summary.hpp"

#include <cstdio>
#include <ostream>

namespace ir::cli {

void ScoreSummary::add(int expected_tier, bool expected_suspect, const router::Assessment& got) {
    ++labelled_;
    if (expected_tier == got.tier) ++tier_correct_;
    if (expected_tier >= 1 && expected_tier <= 4)
        ++confusion_[static_cast<std::size_t>(expected_tier - 1)][static_cast<std::size_t>(got.tier - 1)];
    if (got.suspect && expected_suspect) ++true_pos_;
    if (got.suspect && !expected_suspect) ++false_pos_;
    if (!got.suspect && expected_suspect) ++false_neg_;
}

void ScoreSummary::print(std::ostream& err) const {
    auto ratio = [](int a, int b) { return b == 0 ? 1.0 : static_cast<double>(a) / b; };
    char line[160];
    std::snprintf(line, sizeof line, "tier accuracy: %.3f (%d/%d)\n", ratio(tier_correct_, labelled_), tier_correct_,
                  labelled_);
    err << line << "confusion (rows: expected tier, columns: assessed tier)\n        t1   t2   t3   t4\n";
    for (std::size_t r = 0; r < 4; ++r) {
        std::snprintf(line, sizeof line, "  t%zu  %4d %4d %4d %4d\n", r + 1, confusion_[r][0], confusion_[r][1],
                      confusion_[r][2], confusion_[r][3]);
        err << line;
    }
    std::snprintf(line, sizeof line, "suspect precision: %.3f (%d/%d)  recall: %.3f (%d/%d)\n",
                  ratio(true_pos_, true_pos_ + false_pos_), true_pos_, true_pos_ + false_pos_,
                  ratio(true_pos_, true_pos_ + false_neg_), true_pos_, true_pos_ + false_neg_);
    err << line;
}

}  // namespace ir::cli
