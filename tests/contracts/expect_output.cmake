# Fails unless `COMMAND ARGS...` prints exactly the content of EXPECTED: the committed copy of
# a generated contract (docs/config.schema.json). On a difference the current output is
# written to ACTUAL and the message says how to regenerate the file.
#   cmake -DCOMMAND=... -DARGS="a;b" -DEXPECTED=... -DACTUAL=... -DREGENERATE="..." -P expect_output.cmake
execute_process(COMMAND ${COMMAND} ${ARGS} OUTPUT_VARIABLE actual RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${COMMAND} ${ARGS} failed (exit ${status})")
endif()
file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${ACTUAL}" "${actual}")
  message(FATAL_ERROR "${EXPECTED} is not what the code generates (the contract changed).\n"
                      "See the difference: diff ${EXPECTED} ${ACTUAL}\n"
                      "If the change is meant, regenerate and commit it: ${REGENERATE}")
endif()
message(STATUS "${EXPECTED} matches `${ARGS}`")
