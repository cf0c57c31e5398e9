# Turns a text file into a C++ source defining ir::router::default_rules_toml().
file(READ ${IN} content)
set(delim "IR_EMBED_")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
  "namespace ir::router {\nstd::string_view default_rules_toml() {\n"
  "    static constexpr std::string_view text = R\"${delim}(${content})${delim}\";\n"
  "    return text;\n}\n}  // namespace ir::router\n")
