# cmake -DZKRV=<zkrv> -DTEST=<host_verify_c_test> -DELF=<hello.elf> -DWORK_DIR=<dir> -P verify_c_test.cmake
# Proves hello with the input "zkrv" (which it echoes as its public output) into WORK_DIR, reads
# the program id from `zkrv prove --json`, and runs the C test program on that proof.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${ZKRV} prove ${ELF} --input-hex 7a6b7276 -o ${WORK_DIR}/hello.proof --json
                OUTPUT_VARIABLE report RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "zkrv prove failed (${result}): ${report}")
endif()
string(JSON id GET "${report}" program_id)
execute_process(COMMAND ${TEST} ${WORK_DIR}/hello.proof ${id} zkrv RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "host_verify_c_test failed (${result})")
endif()
