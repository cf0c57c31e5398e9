#include <ir/bench/load_generator.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace ir::bench {

std::vector<std::string> load_jsonl_bodies(const std::string& path, std::string_view field) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<std::string> bodies;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (field.empty()) {
            bodies.push_back(line);
            continue;
        }
        boost::system::error_code ec;
        const auto value = boost::json::parse(line, ec);
        const auto* object = ec ? nullptr : value.if_object();
        const auto* body = object ? object->if_contains(field) : nullptr;
        if (!body)
            throw std::runtime_error(path + ":" + std::to_string(number) + ": no \"" + std::string(field) + "\"");
        bodies.push_back(boost::json::serialize(*body));
    }
    return bodies;
}

std::string format_result(std::string_view label, const LoadOptions& options, const LoadResult& r) {
    const std::string rate =
        options.rate > 0 ? std::string(" rate=").append(std::to_string(static_cast<long long>(options.rate))) : "";
    char line[512];
    std::snprintf(line, sizeof line,
                  "%.*s: conns=%zu threads=%zu%s requests/s=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f "
                  "p99.9_us=%.0f max_us=%.0f requests=%llu errors=%llu",
                  static_cast<int>(label.size()), label.data(), options.connections, options.threads, rate.c_str(),
                  r.requests_per_second, r.p50_us, r.p90_us, r.p99_us, r.p999_us, r.max_us,
                  static_cast<unsigned long long>(r.requests), static_cast<unsigned long long>(r.errors));
    std::string out = line;
    if (r.not_sent > 0) out += " not_sent=" + std::to_string(r.not_sent);
    out += " status=";
    bool first = true;
    for (const auto& [status, n] : r.by_status) {
        out.append(first ? "" : ",").append(std::to_string(status)).append(":").append(std::to_string(n));
        first = false;
    }
    if (first) out += "none";
    return out;
}

}  // namespace ir::bench
