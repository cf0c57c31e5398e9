#pragma once
// `inquiryctl score`: assess every line of a fixture-format JSONL file.
#include <iosfwd>
#include <string>

namespace ir::cli {

struct ScoreOptions {
    std::string catalog_path;  // empty: no catalogue (no product can be named)
    std::string rules_path;    // empty: the compiled-in default rules
    std::string input_path;    // "-" for standard input
};

// Prints one JSON object per input line to `out`, the labelled-data summary and any
// errors to `err`. Returns the exit code: 0, 1 if any line was bad, 2 if nothing could run.
int run_score(const ScoreOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
