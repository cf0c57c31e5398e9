// inquiryctl labels export, run as a user would, on a real SQLite store written as the
// daemon writes it (the journal's protobuf payloads, the snapshot's context): every
// labelled inquiry becomes a fixture line that inquiryctl score reads and judges exactly as
// it judges the original fixture line.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <sys/wait.h>

#include "inquiry/v1/stored.pb.h"
#include "ir/adapters/event_json.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "ir/store/database.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace ir;

namespace {

const std::string fixtures = IR_FIXTURES_DIR;

struct Run {
    int exit_code = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class Folder {
public:
    Folder() : path_(fs::temp_directory_path() / ("ir-cli-labels-" + std::to_string(::getpid()))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~Folder() { fs::remove_all(path_); }
    fs::path file(const std::string& name) const { return path_ / name; }

    Run run(const std::string& args) const {
        const std::string cmd = std::string(IR_BIN_DIR) + "/inquiryctl " + args + " >" + file("out").string() + " 2>" +
                                file("err").string();
        const int status = std::system(cmd.c_str());
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(file("out")), slurp(file("err"))};
    }

private:
    fs::path path_;
};

std::vector<json::object> dev_lines(std::size_t n) {
    std::ifstream in(fixtures + "/inquiries.dev.jsonl");
    std::vector<json::object> out;
    for (std::string line; out.size() < n && std::getline(in, line);) out.push_back(json::parse(line).as_object());
    return out;
}

// Inquiry i + 1 as the daemon stores it: its journaled event, its snapshot with the context.
store::Change stored_inquiry(std::int64_t id, const json::object& fixture) {
    const auto event = adapters::parse_event(fixture.at("event")).value();
    const auto context = adapters::parse_context(fixture.at("context")).value();
    store::Change c;
    store::EventRow row;
    row.channel = std::string(router::to_string(event.channel));
    row.account = event.account;
    row.message_id = event.message_id;
    row.thread_id = event.thread_id;
    row.received_at = event.received_at;
    row.direction = std::string(router::to_string(event.direction));
    row.accepted_at = event.received_at;
    row.inquiry_id = id;
    row.payload = daemon::to_proto(event).SerializeAsString();
    c.events.push_back(row);
    inquiry::v1::StoredInquiry stored;
    auto* ctx = stored.mutable_context();
    ctx->set_customer_messages_in_thread(context.customer_messages_in_thread);
    ctx->set_orders(context.orders);
    ctx->set_sample_orders(context.sample_orders);
    ctx->set_visited_company(context.visited_company);
    ctx->set_local_influence(context.local_influence);
    c.inquiries.push_back({id, event.account, "resolved", event.received_at, stored.SerializeAsString()});
    return c;
}

store::LabelRow label_of(std::int64_t id, const json::object& fixture) {
    const auto& expect = fixture.at("expect").as_object();
    return {id,
            expect.at("suspect").as_bool(),
            static_cast<int>(expect.at("tier").as_int64()),
            "sue",
            "supervisor",
            sla::from_unix_ms(1'800'000'000'000),
            "label"};
}

// `score`'s answer for a line without its id (the ids differ: dev-0001, inquiry-1).
std::vector<std::string> verdicts(const std::string& out) {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) v.push_back(line.substr(line.find(",\"tier\"")));
    return v;
}

}  // namespace

TEST_CASE("labels export writes fixture lines that score reads as it reads the originals") {
    Folder dir;
    const auto dev = dev_lines(24);
    {
        auto db = store::Database::open({.path = dir.file("inquiryd.db")}).value();
        std::vector<store::Change> changes;
        for (std::size_t i = 0; i < dev.size(); ++i) changes.push_back(stored_inquiry(std::int64_t(i) + 1, dev[i]));
        REQUIRE_FALSE(db->apply(changes));
        store::Change labels;
        labels.labels.push_back({3, true, 1, "alice", "agent", sla::from_unix_ms(1'700'000'000'000), "decline"});
        for (std::size_t i = 0; i < dev.size(); i += 2) labels.labels.push_back(label_of(std::int64_t(i) + 1, dev[i]));
        labels.labels.push_back({100, true, 2, "sue", "supervisor", {}, "label"});  // its messages are erased
        REQUIRE_FALSE(db->apply(labels));
    }
    std::ofstream originals(dir.file("originals.jsonl"));
    for (std::size_t i = 0; i < dev.size(); i += 2) originals << json::serialize(dev[i]) << "\n";
    originals.close();

    const auto exported = dir.run("labels export --store " + dir.file("inquiryd.db").string() + " --out " +
                                  dir.file("labels.jsonl").string());
    INFO(exported.err);
    REQUIRE(exported.exit_code == 0);
    CHECK_THAT(exported.err, Catch::Contains("12 labelled inquiries") &&
                                 Catch::Contains("skipped inquiry 100: no buyer message of it is stored"));
    std::ifstream in(dir.file("labels.jsonl"));
    std::size_t n = 0;
    for (std::string line; std::getline(in, line); ++n) {
        const auto got = json::parse(line).as_object();
        const auto& want = dev[2 * n];
        CHECK(got.at("id") == json::value("inquiry-" + std::to_string(2 * n + 1)));  // 3's decline is overridden
        CHECK(adapters::parse_event(got.at("event")).value() == adapters::parse_event(want.at("event")).value());
        CHECK(adapters::parse_context(got.at("context")).value() ==
              adapters::parse_context(want.at("context")).value());
        CHECK(got.at("expect") == want.at("expect"));
    }
    CHECK(n == 12);

    const std::string catalog = "--catalog " + fixtures + "/catalog.json ";
    const auto ours = dir.run("score " + catalog + dir.file("labels.jsonl").string());
    const auto theirs = dir.run("score " + catalog + dir.file("originals.jsonl").string());
    CHECK(ours.exit_code == 0);
    CHECK_THAT(ours.err, Catch::Contains("tier accuracy:"));
    CHECK(ours.err == theirs.err);  // the same summary: the same labels, judged alike
    CHECK(verdicts(ours.out) == verdicts(theirs.out));
}

TEST_CASE("labels export says what is wrong with its options or store") {
    Folder dir;
    auto r = dir.run("labels export");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("give --store FILE, --state-dir DIR or --config FILE"));
    r = dir.run("labels export --store " + dir.file("missing.db").string());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("no store here"));
    r = dir.run("labels export --help");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("--out"));
    {  // an empty store: nothing labelled, an empty file
        auto db = store::Database::open({.path = dir.file("inquiryd.db")}).value();
    }
    r = dir.run("labels export --state-dir " + dir.file("").string() + " --out " + dir.file("none.jsonl").string());
    CHECK(r.exit_code == 0);
    CHECK(fs::file_size(dir.file("none.jsonl")) == 0);
    CHECK_THAT(r.err, Catch::Contains("0 labelled inquiries"));
}
