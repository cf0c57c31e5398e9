# Points ExecStart at the built binary, then runs systemd-analyze verify; any output fails.
file(READ ${UNIT} text)
string(REPLACE "/usr/local/bin/inquiryd" "${BINARY}" text "${text}")
file(WRITE ${OUT} "${text}")
execute_process(COMMAND ${ANALYZE} verify ${OUT} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "systemd-analyze verify failed (${rc}):\n${out}${err}")
endif()
