# Every dependency comes from Debian 12 packages (see scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json url)
find_package(Protobuf REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(cppzmq REQUIRED)
if(IR_BUILD_TESTS)
  find_package(Catch2 REQUIRED)  # only the tests use it: the package builds without
endif()
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)
# Howard Hinnant's date/tz (libdate-tz, reads the system tzdata): agents' working hours.
find_package(date REQUIRED)

# CLD2 ships no CMake or pkg-config file.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
add_library(cld2::cld2 UNKNOWN IMPORTED)
set_target_properties(cld2::cld2 PROPERTIES IMPORTED_LOCATION ${CLD2_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CLD2_INCLUDE_DIR})
