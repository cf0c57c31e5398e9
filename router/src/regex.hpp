#pragma once
// Built-in patterns of the router. A built-in pattern that does not compile is a
// programmer error: fail loudly at start-up instead of silently never matching.
#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>

namespace ir::router {

inline RE2::Options case_insensitive_options() {
    RE2::Options o;
    o.set_case_sensitive(false);
    o.set_log_errors(false);
    return o;
}

struct CheckedRegex {
    RE2 re;
    explicit CheckedRegex(const char* pattern) : re(pattern, case_insensitive_options()) {
        if (!re.ok()) {
            std::fprintf(stderr, "built-in pattern does not compile: %s: %s\n", re.error().c_str(), pattern);
            std::abort();
        }
    }
};

}  // namespace ir::router
