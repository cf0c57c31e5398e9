#pragma once
// The console's static files (console/web/), embedded at build time.
#include <string_view>

namespace ir::console {
std::string_view index_html();
std::string_view app_js();
std::string_view style_css();
}  // namespace ir::console
