# ir_e2e_test(NAME <ctest name> SCRIPT <python script> [TIMEOUT <s>]): an end-to-end test of
# the real inquiryd, a Python 3 script (Debian's /usr/bin/python3) on tests/e2e/harness/.
# Every script gets the same command line; exit code 77 means "skipped" (a tool missing, or
# strace unable to inject faults). Each starts inquiryd and times it: two at a time on a
# 2-core machine would turn a load or timing test into a scheduling test, hence the lock.
function(ir_e2e_test)
  cmake_parse_arguments(E "" "NAME;SCRIPT;TIMEOUT" "" ${ARGN})
  if(NOT E_TIMEOUT)
    set(E_TIMEOUT 300)
  endif()
  add_test(NAME ${E_NAME}
    COMMAND /usr/bin/python3 ${E_SCRIPT}
            --inquiryd $<TARGET_FILE:inquiryd> --inquiryctl $<TARGET_FILE:inquiryctl>
            --fixtures ${IR_FIXTURES_DIR}
            --protoc ${Protobuf_PROTOC_EXECUTABLE} --proto-dir ${PROJECT_SOURCE_DIR}/proto)
  set_tests_properties(${E_NAME} PROPERTIES
    TIMEOUT ${E_TIMEOUT}
    SKIP_RETURN_CODE 77
    LABELS e2e
    RESOURCE_LOCK inquiryd_e2e
    # The harness is a package in the source tree: no __pycache__ there.
    ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
endfunction()
