# Warnings for the project's own code only (generated protobuf code is exempt). They are
# errors only with IR_WERROR=ON (scripts/test.sh and CI): a packager's or a newer
# compiler's flags must not break a build over a new false positive.
option(IR_WERROR "Treat compiler warnings as errors" OFF)

function(ir_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
    -Woverloaded-virtual -Wimplicit-fallthrough)
  if(IR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s operator+(const char*, string&&)
    # ("literal" + std::string temporary), a false positive in the library's inlined code,
    # not in ours (GCC PR 105651, fixed in GCC 13). It stays a warning there, not an error.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
       AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
endfunction()

# Compiles a text file into the binary as `std::string_view NS::FUNC()`; returns the
# generated source in OUT_VAR.
function(ir_embed_text IN NS FUNC OUT_VAR)
  get_filename_component(name ${IN} NAME_WE)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}_embedded.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${IN} -DOUT=${out} -DNS=${NS} -DFUNC=${FUNC}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    DEPENDS ${IN} ${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake
    COMMENT "Embedding ${name}")
  set(${OUT_VAR} ${out} PARENT_SCOPE)
endfunction()
