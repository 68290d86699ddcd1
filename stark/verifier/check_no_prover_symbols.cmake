# cmake -DNM=<nm> -DBINARY=<executable> [-DEXPECT_PROVER=ON] -P check_no_prover_symbols.cmake
# Fails if BINARY holds any prover code: the FRI prover (fri::commit, fri::commit_ldes, fri::open),
# the multi-table prover (anything in prover::) or the evaluation-proof prover. Also fails if the
# FRI verifier is absent, so that a stripped or empty binary cannot pass. With EXPECT_PROVER it
# passes only when prover symbols are found: the self-test that shows the check sees them.
set(prover "zkrv::stark::fri::(commit|commit_ldes|open)\\(|zkrv::stark::prover::|zkrv::stark::proof::prove_evaluations\\(")
execute_process(COMMAND "${NM}" -C "${BINARY}" COMMAND grep -E "zkrv::stark::fri::verify\\(|${prover}"
                OUTPUT_VARIABLE symbols RESULTS_VARIABLE results)
list(GET results 0 nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "nm failed on ${BINARY}")
endif()
if(NOT symbols MATCHES "zkrv::stark::fri::verify\\(")
  message(FATAL_ERROR "${BINARY}: no zkrv::stark::fri::verify symbol; is this a verifier binary?")
endif()
string(REGEX MATCHALL "[^\n]*(${prover})[^\n]*" found "${symbols}")
if(EXPECT_PROVER)
  if(NOT found)
    message(FATAL_ERROR "${BINARY}: expected prover symbols, found none; the check cannot see them")
  endif()
  message(STATUS "${BINARY}: prover symbols found, as expected")
  return()
endif()
if(found)
  list(JOIN found "\n  " lines)
  message(FATAL_ERROR "${BINARY} links prover code:\n  ${lines}")
endif()
message(STATUS "${BINARY}: verifier only")
