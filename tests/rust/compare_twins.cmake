# Runs two guests (-DRUST_ELF, -DC_ELF) on the same public input (-DINPUT=hex) through
# `zkrv run --json` and fails unless both succeed with the same public output.
set(args run --json)
if(NOT "${INPUT}" STREQUAL "")
  list(APPEND args --input-hex ${INPUT})
endif()
foreach(side IN ITEMS RUST C)
  execute_process(COMMAND ${ZKRV} ${args} ${${side}_ELF}
                  RESULT_VARIABLE status OUTPUT_VARIABLE report ERROR_VARIABLE log)
  string(JSON output_hex ERROR_VARIABLE json_error GET "${report}" public_output_hex)
  if(NOT status EQUAL 0 OR json_error)
    message(FATAL_ERROR "${${side}_ELF}: zkrv exit status ${status}\n${report}\n${log}")
  endif()
  set(${side}_OUTPUT "${output_hex}")
endforeach()
if(NOT RUST_OUTPUT STREQUAL C_OUTPUT OR RUST_OUTPUT STREQUAL "")
  message(FATAL_ERROR "twins differ:\n  Rust ${RUST_OUTPUT}\n  C    ${C_OUTPUT}")
endif()
message(STATUS "twins agree: ${RUST_OUTPUT}")
