#include "labels_command.hpp"

#include <CLI/CLI.hpp>

#include <boost/json.hpp>

#include <fstream>
#include <ostream>
#include <system_error>

#include "label_fixture.hpp"

namespace ir::cli {
namespace {

constexpr std::size_t kPage = 500;  // labels read at a time

struct Counts {
    std::size_t written = 0, suspect = 0;
    std::vector<std::string> skipped;
};

// Every labelled inquiry, by id, as one line each.
std::optional<Error> write_lines(store::Database& db, std::ostream& out, Counts& counts) {
    for (std::int64_t after = 0;;) {
        auto page = db.latest_labels(after, kPage);
        if (!page) return page.error();
        for (const auto& label : *page) {
            auto fixture = label_fixture(db, label);
            if (!fixture) return fixture.error();
            if (!fixture->line) {
                counts.skipped.push_back(std::move(fixture->skipped));
                continue;
            }
            out << boost::json::serialize(*fixture->line) << "\n";
            ++counts.written;
            if (label.suspect) ++counts.suspect;
        }
        if (page->size() < kPage) return std::nullopt;
        after = page->back().inquiry_id;
    }
}

Expected<std::unique_ptr<store::Database>> open_store(const LabelsOptions& o) {
    auto path = store_file(o.source, "--store FILE, --state-dir DIR or --config FILE");
    if (!path) return path.error();
    std::error_code ec;
    if (!std::filesystem::exists(*path, ec)) return Error{path->string() + ": no store here"};
    auto db = store::Database::open({.path = *path, .read_only = true});
    if (!db) return Error{path->string() + ": " + db.error().message};
    return std::move(*db);
}

// Into `path` through a temporary file beside it: a failed export leaves no half file.
std::optional<Error> write_file(const std::string& path, store::Database& db, Counts& counts) {
    const std::string tmp = path + ".tmp";
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) return Error{tmp + ": cannot create"};
    auto error = write_lines(db, file, counts);
    file.close();
    if (!error && !file) error = Error{tmp + ": cannot write"};
    std::error_code ec;
    if (!error) std::filesystem::rename(tmp, path, ec);
    if (!error && ec) error = Error{path + ": " + ec.message()};
    if (error) std::filesystem::remove(tmp, ec);
    return error;
}

}  // namespace

CLI::App* add_labels_subcommand(CLI::App& app, LabelsOptions& o) {
    auto* labels = app.add_subcommand("labels", "The team's labels of inquiries (supervisors' labels, scam declines)");
    labels->require_subcommand(1);
    auto* cmd = labels->add_subcommand(
        "export", "Write every labelled inquiry as a fixture line (event, context, expect) for score");
    cmd->add_option("--store", o.source.store, "The store file (inquiryd.db), read only");
    cmd->add_option("--state-dir", o.source.state_dir, "Or inquiryd's state folder");
    cmd->add_option("--config", o.source.config, "Or inquiryd's config file: the store in its state_dir");
    cmd->add_option("--out", o.out, "Output file (default: standard output)");
    return cmd;
}

int run_labels_export(const LabelsOptions& o, std::ostream& out, std::ostream& err) {
    auto db = open_store(o);
    if (!db) {
        err << "inquiryctl labels export: " << db.error().message << "\n";
        return 2;
    }
    Counts counts;
    const bool to_stdout = o.out.empty() || o.out == "-";
    auto error = to_stdout ? write_lines(**db, out, counts) : write_file(o.out, **db, counts);
    if (error) {
        err << "inquiryctl labels export: " << error->message << "\n";
        return 1;
    }
    for (const auto& why : counts.skipped) err << "inquiryctl labels export: skipped " << why << "\n";
    err << "inquiryctl labels export: " << counts.written << " labelled inquiries (" << counts.suspect
        << " suspect) to " << (to_stdout ? "standard output" : o.out) << "\n";
    return 0;
}

}  // namespace ir::cli
