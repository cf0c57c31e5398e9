// inquiryctl score, run as a user would: a real process, real files.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

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

Run run(const std::string& args) {
    const fs::path dir = fs::temp_directory_path() / ("ir-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string cmd = std::string(IR_BIN_DIR) + "/inquiryctl " + args + " >" + (dir / "out").string() + " 2>" +
                            (dir / "err").string();
    const int status = std::system(cmd.c_str());
    Run r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
    fs::remove_all(dir);
    return r;
}

const std::string fixtures = IR_FIXTURES_DIR;

}  // namespace

TEST_CASE("score prints one JSON object per line and the labelled summary") {
    const auto r = run("score --catalog " + fixtures + "/catalog.json " + fixtures + "/inquiries.dev.jsonl");
    CHECK(r.exit_code == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 64);
    CHECK(r.out.find(R"({"id":"dev-0001","tier":3,"suspect":false,)") == 0);
    CHECK(r.err.find("tier accuracy:") != std::string::npos);
    CHECK(r.err.find("suspect precision:") != std::string::npos);
}

TEST_CASE("a malformed line is reported with its number and skipped; the exit code is 1") {
    const fs::path input = fs::temp_directory_path() / ("ir-cli-input-" + std::to_string(::getpid()) + ".jsonl");
    {
        std::ifstream dev(fixtures + "/inquiries.dev.jsonl");
        std::string first, second;
        std::getline(dev, first);
        std::getline(dev, second);
        std::ofstream out(input);
        out << first << "\n{not json\n"
            << R"({"id":"x","event":{"channel":"fax"}})"
            << "\n"
            << second << "\n";
    }
    const auto r = run("score --catalog " + fixtures + "/catalog.json " + input.string());
    fs::remove(input);
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // the two good lines
    CHECK(r.err.find(":2: ") != std::string::npos);
    CHECK(r.err.find(":3: event.") != std::string::npos);
}

TEST_CASE("a missing catalogue or rules file is a clear error, exit code 2") {
    CHECK(run("score --catalog /nonexistent/catalog.json " + fixtures + "/inquiries.dev.jsonl").exit_code == 2);
    const auto r = run("score --rules /nonexistent/rules.toml " + fixtures + "/inquiries.dev.jsonl");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/nonexistent/rules.toml") != std::string::npos);
}
