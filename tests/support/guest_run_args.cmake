# Shared by the -P scripts that run a guest through zkrv with the tape options of `zkrv run`
# (tests/prove/prove_example.cmake, tests/rust/run_rust_guest.cmake), so both read INPUT, HINT and
# OUTPUT_HEX the same way.

# zkrv_tape_args(<out>): --input-hex INPUT and --hint-hex HINT for those that are set and non-empty.
function(zkrv_tape_args out)
  set(args "")
  if(NOT "${INPUT}" STREQUAL "")
    list(APPEND args --input-hex ${INPUT})
  endif()
  if(NOT "${HINT}" STREQUAL "")
    list(APPEND args --hint-hex ${HINT})
  endif()
  set(${out} ${args} PARENT_SCOPE)
endfunction()

# zkrv_expected_output(<check> <expected>): whether OUTPUT_HEX asks for a check of the public
# output, and the bytes it expects. OUTPUT_HEX=EMPTY expects no output (an empty -D value would not
# survive a test's command line as a request).
function(zkrv_expected_output check expected)
  if(OUTPUT_HEX STREQUAL "EMPTY")
    set(${check} TRUE PARENT_SCOPE)
    set(${expected} "" PARENT_SCOPE)
  elseif(NOT "${OUTPUT_HEX}" STREQUAL "")
    set(${check} TRUE PARENT_SCOPE)
    set(${expected} "${OUTPUT_HEX}" PARENT_SCOPE)
  else()
    set(${check} FALSE PARENT_SCOPE)
    set(${expected} "" PARENT_SCOPE)
  endif()
endfunction()
