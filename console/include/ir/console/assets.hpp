#pragma once
// The console's static files (console/web/), embedded at build time.
#include <span>
#include <string_view>

namespace ir::console {

struct Asset {
    std::string_view name;  // "index.html", "main.js", ...
    std::string_view content_type;
    std::string_view etag;  // quoted, from the file's SHA-256
    std::string_view body;
};

std::span<const Asset> assets();
const Asset* find_asset(std::string_view name);  // nullptr when there is none

}  // namespace ir::console
