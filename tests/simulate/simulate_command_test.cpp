// inquiryctl simulate and simulate generate, run as a user would: a real process, real files.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

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

class Dir {
public:
    Dir() : path_(fs::temp_directory_path() / ("ir-sim-cli-" + std::to_string(::getpid()))) {
        fs::create_directories(path_);
    }
    ~Dir() { fs::remove_all(path_); }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name) << text;
        return path_ / name;
    }
    Run run(const std::string& args) const {
        const std::string cmd = std::string(IR_BIN_DIR) + "/inquiryctl " + args + " >" + (path_ / "out").string() +
                                " 2>" + (path_ / "err").string();
        const int status = std::system(cmd.c_str());
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(path_ / "out"), slurp(path_ / "err")};
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

const std::string kCatalog = std::string(IR_FIXTURES_DIR) + "/catalog.json";
const std::string kConfig = "catalog = \"" + kCatalog +
                            "\"\n[[agents]]\nid = \"amy\"\n[[agents]]\nid = \"sam\"\nrole = \"senior\"\n"
                            "[simulate]\nseed = 3\n";

std::string event(const std::string& id, const std::string& at) {
    return R"({"event":{"channel":"email","account":"alibaba-electronics","message_id":")" + id + R"(","thread_id":")" +
           id + R"(","received_at":")" + at +
           R"(","direction":"inbound","sender":{"name":"Jo","email":"jo@shop.de"},"subject":"","body":"100 X9 Smart Watch?"}})";
}

}  // namespace

TEST_CASE("policies side by side, a bad line reported with its number and skipped (exit 1)") {
    Dir d;
    const auto config = d.write("c.toml", kConfig);
    const auto traffic = d.write("t.jsonl", event("a", "2026-11-23T08:00:00Z") + "\n{\"event\": 3}\n" +
                                                event("b", "2026-11-23T08:10:00Z") + "\n");
    const auto r = d.run("simulate --config " + config.string() + " --traffic " + traffic.string() +
                         " --policy ours --policy round-robin");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(traffic.string() + ":2: event: ") != std::string::npos);
    CHECK(r.err.find("1 input line(s) skipped") != std::string::npos);
    CHECK(r.out.find("policy") != std::string::npos);
    CHECK(r.out.find("ours") != std::string::npos);
    CHECK(r.out.find("round-robin") != std::string::npos);
    CHECK(r.out.find("tier 1") != std::string::npos);
}

TEST_CASE("with --json one object, and the same run twice gives the same bytes") {
    Dir d;
    const auto config = d.write("c.toml", kConfig);
    std::string lines;
    for (int i = 0; i < 20; ++i)
        lines += event("m" + std::to_string(i),
                       "2026-11-23T08:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z") +
                 "\n";
    const auto traffic = d.write("t.jsonl", lines);
    const std::string args = "simulate --json --config " + config.string() + " --traffic " + traffic.string();
    const auto a = d.run(args);
    const auto b = d.run(args);
    REQUIRE(a.exit_code == 0);
    CHECK(a.out == b.out);
    CHECK(a.out.rfind("{\"policies\":[{\"policy\":\"ours\",\"seed\":3,", 0) == 0);
    CHECK(d.run(args + " --seed 4").out.find("\"seed\":4") != std::string::npos);
}

TEST_CASE("out-of-order traffic is an error naming the line (exit 2)") {
    Dir d;
    const auto config = d.write("c.toml", kConfig);
    const auto traffic =
        d.write("t.jsonl", event("a", "2026-11-23T09:00:00Z") + "\n" + event("b", "2026-11-23T08:00:00Z") + "\n");
    const auto r = d.run("simulate --config " + config.string() + " --traffic " + traffic.string());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(traffic.string() + ":2: received_at 2026-11-23T08:00:00Z is earlier than line 1's") !=
          std::string::npos);
    CHECK(r.out.empty());
}

TEST_CASE("config problems name file, line and key, the daemon's and [simulate]'s alike (exit 2)") {
    Dir d;
    const auto config = d.write("c.toml", "[sla]\nfast = \"soon\"\n[simulate]\nparalel = 2\n");
    const auto traffic = d.write("t.jsonl", event("a", "2026-11-23T09:00:00Z") + "\n");
    const auto r = d.run("simulate --config " + config.string() + " --traffic " + traffic.string());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(config.string() + ":2: sla.fast: must be a duration") != std::string::npos);
    CHECK(r.err.find(config.string() + ":4: simulate.paralel: unknown key") != std::string::npos);
    CHECK(d.run("simulate --config " + config.string()).err.find("--traffic FILE.jsonl or --from-store") !=
          std::string::npos);
    const auto good = d.write("g.toml", kConfig);
    const auto p = d.run("simulate --config " + good.string() + " --traffic " + traffic.string() + " --policy fifo");
    CHECK(p.exit_code == 2);
    CHECK(p.err.find("--policy fifo: unknown") != std::string::npos);
    const auto s = d.run("simulate --config " + good.string() + " --from-store " + (d.path() / "nothing").string());
    CHECK(s.exit_code == 2);
    CHECK(s.err.find("no store here") != std::string::npos);
}

TEST_CASE("simulate generate writes traffic that simulate reads, the same seed the same file") {
    Dir d;
    const auto a = d.run("simulate generate --days 2 --per-day 30 --seed 8 --catalog " + kCatalog);
    REQUIRE(a.exit_code == 0);
    CHECK(a.err.find("generated ") == 0);
    CHECK(a.out == d.run("simulate generate --days 2 --per-day 30 --seed 8 --catalog " + kCatalog).out);
    const auto config = d.write("c.toml", kConfig);
    const auto traffic = d.write("t.jsonl", a.out);
    const auto out = d.write("g.jsonl", "");
    CHECK(
        d.run("simulate generate --days 2 --per-day 30 --seed 8 --config " + config.string() + " --out " + out.string())
            .exit_code == 0);
    CHECK(slurp(out) == a.out);
    const auto r = d.run("simulate --json --config " + config.string() + " --traffic " + traffic.string());
    CHECK(r.exit_code == 0);
    CHECK(d.run("simulate generate --days 1").err.find("needs --catalog") != std::string::npos);
}
