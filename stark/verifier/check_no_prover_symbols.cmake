# cmake -DNM=<nm> -DBINARY=<executable> -P check_no_prover_symbols.cmake
# Fails if BINARY holds any prover code: the FRI prover (fri::commit, fri::commit_ldes, fri::open),
# the multi-table prover (anything in prover::) or the evaluation-proof prover. Also fails if the
# FRI verifier is absent, so that a stripped or empty binary cannot pass.
execute_process(COMMAND "${NM}" -C "${BINARY}" OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${BINARY}")
endif()
string(REGEX MATCH "zkrv::stark::fri::verify\\(" present "${symbols}")
if(NOT present)
  message(FATAL_ERROR "${BINARY}: no zkrv::stark::fri::verify symbol; is this a verifier binary?")
endif()
set(found "")
foreach(pattern "zkrv::stark::fri::commit\\(" "zkrv::stark::fri::commit_ldes\\(" "zkrv::stark::fri::open\\("
                "zkrv::stark::prover::" "zkrv::stark::proof::prove_evaluations\\(")
  string(REGEX MATCHALL "[^\n]*${pattern}[^\n]*" hits "${symbols}")
  if(hits)
    list(APPEND found ${hits})
  endif()
endforeach()
if(found)
  list(JOIN found "\n  " lines)
  message(FATAL_ERROR "${BINARY} links prover code:\n  ${lines}")
endif()
message(STATUS "${BINARY}: verifier only")
