# `cmake --install` lays out what the Debian package ships (scripts/package.sh):
#   <prefix>/lib/inquiryd/inquiryd             the daemon
#   <prefix>/lib/inquiryd/inquiryd-mailparse   the mail parser it spawns
#   <prefix>/sbin/inquiryd -> ../lib/inquiryd/inquiryd
#   <prefix>/bin/inquiryctl
# The daemon looks for inquiryd-mailparse beside its own executable (/proc/self/exe, which
# resolves the symlink), so both live in one private folder and sbin holds a link.
include(GNUInstallDirs)
set(IR_INSTALL_PKGLIBDIR "lib/inquiryd" CACHE STRING "inquiryd and inquiryd-mailparse, relative to the prefix")

install(TARGETS inquiryd inquiryd-mailparse RUNTIME DESTINATION ${IR_INSTALL_PKGLIBDIR})
install(TARGETS inquiryctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
file(RELATIVE_PATH IR_SBIN_TO_PKGLIB /${CMAKE_INSTALL_SBINDIR} /${IR_INSTALL_PKGLIBDIR})
install(CODE "
  set(sbin \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SBINDIR}\")
  file(MAKE_DIRECTORY \"\${sbin}\")
  message(STATUS \"Installing: \${sbin}/inquiryd -> ${IR_SBIN_TO_PKGLIB}/inquiryd\")
  file(CREATE_LINK \"${IR_SBIN_TO_PKGLIB}/inquiryd\" \"\${sbin}/inquiryd\" SYMBOLIC)
")
