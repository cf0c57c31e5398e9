# Turns a text file into a C++ source defining `std::string_view NS::FUNC()`.
# Usage: cmake -DIN=file -DOUT=file.cpp -DNS=ir::router -DFUNC=default_rules_toml -P embed_text.cmake
file(READ ${IN} content)
set(delim "IR_EMBED_")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
  "namespace ${NS} {\nstd::string_view ${FUNC}() {\n"
  "    static constexpr std::string_view text = R\"${delim}(${content})${delim}\";\n"
  "    return text;\n}\n}  // namespace ${NS}\n")
