# cmake -DZKRV=<zkrv> -DTEST=<host_verify_c_test> -DMAKE_GUESTS=<make_prove_guests> -DWORK_DIR=<dir>
#       -P verify_c_test.cmake
# Generates tests/prove's guests into WORK_DIR, proves squares (exit 0, no public output), reads
# its program id from `zkrv prove --json`, and runs the C test program on that proof.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${MAKE_GUESTS} ${WORK_DIR} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "make_prove_guests failed (${result})")
endif()
execute_process(COMMAND ${ZKRV} prove ${WORK_DIR}/squares.elf -o ${WORK_DIR}/squares.proof --json
                OUTPUT_VARIABLE report RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "zkrv prove failed (${result}): ${report}")
endif()
string(JSON id GET "${report}" program_id)
execute_process(COMMAND ${TEST} ${WORK_DIR}/squares.proof ${id} "" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "host_verify_c_test failed (${result})")
endif()
