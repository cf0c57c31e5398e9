#pragma once
// The documented webhook payloads of tests/webhooks/payloads/ (also the fuzz seeds).
#include <fstream>
#include <sstream>
#include <string>

#include "ir/adapters/event_json.hpp"

namespace ir::test {

inline std::string payload(const std::string& name) {
    std::ifstream in(std::string(IR_SOURCE_DIR) + "/tests/webhooks/payloads/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("missing payload " + name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string when(sla::TimePoint t) {
    return adapters::format_rfc3339(t);
}

}  // namespace ir::test
