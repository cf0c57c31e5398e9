#pragma once
// `inquiryctl labels export`: the team's labels (a supervisor's POST .../label, an agent's
// decline as scam) as fixture-format JSONL, so `inquiryctl score` measures the rules on our
// own traffic. Read from the store file directly, without writing (beside a running
// daemon too: WAL), so it needs the right to read the state folder, like backup.
#include <iosfwd>
#include <string>

#include "store_file.hpp"

namespace CLI {
class App;
}

namespace ir::cli {

struct LabelsOptions {
    StoreFileOptions source;
    std::string out;  // empty or "-": standard output
};

CLI::App* add_labels_subcommand(CLI::App& app, LabelsOptions& o);  // returns `labels export`
// 0: written (the count on `err`); 2: bad options or no store; 1: reading or writing failed.
int run_labels_export(const LabelsOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ir::cli
