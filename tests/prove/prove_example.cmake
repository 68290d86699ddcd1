# Proves one run of an example guest through the real command and verifies the proof against the
# statement `zkrv run` reports for the same run (tests/prove/CMakeLists.txt registers the cases).
#   cmake -DZKRV=<zkrv> -DELF=<elf> [-DINPUT=hex] [-DHINT=hex] [-DEXIT_CODE=n] [-DOUTPUT_HEX=hex|EMPTY]
#         -P prove_example.cmake
#     `zkrv run --json` (its exit code and public output must be EXIT_CODE and OUTPUT_HEX when
#     given), then `zkrv prove --json` (status 0, or 1 for a non-zero exit code, as `run`; the
#     statement equals the run's), then `zkrv verify --elf --expect-exit --expect-output-hex
#     --expect-input-hex` with the run's values (valid) and with another exit code (status 8).
#     -DMISALIGNED=ON: the run's misaligned-access count must not be 0 (a guest built for unaligned
#     access whose code holds misaligned loads and stores, not one that happens to be aligned).
#   cmake -DZKRV=<zkrv> -DELF=<elf> [-DINPUT=hex] [-DHINT=hex] -DREFUSE_STATUS=n "-DREFUSE_MESSAGE=text|text..."
#         -P prove_example.cmake
#     a run that cannot be proven by design: `zkrv prove` exits with REFUSE_STATUS, prints
#     "cannot prove this run: " and each text of REFUSE_MESSAGE ("|" between them; CMake lists do
#     not survive a test's command line), and writes no proof file.
foreach(required ZKRV ELF)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "prove_example.cmake: -D${required}=... is required")
  endif()
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/../support/guest_run_args.cmake)
zkrv_tape_args(tape_args)
zkrv_expected_output(check_output expected_output)

execute_process(COMMAND mktemp -d OUTPUT_VARIABLE work OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE mktemp_status)
if(NOT mktemp_status EQUAL 0)
  message(FATAL_ERROR "mktemp -d failed")
endif()
set(proof ${work}/run.proof)
set(failures "")
set(transcript "")
# zkrv(<prefix> args...): runs zkrv, leaving <prefix>_status, <prefix>_out and <prefix>_err.
macro(zkrv prefix)
  execute_process(COMMAND ${ZKRV} ${ARGN} RESULT_VARIABLE ${prefix}_status OUTPUT_VARIABLE ${prefix}_out
                  ERROR_VARIABLE ${prefix}_err TIMEOUT 600)
  string(REPLACE ";" " " command_line "${ARGN}")
  string(APPEND transcript "$ zkrv ${command_line}\n-> status ${${prefix}_status}\n${${prefix}_out}${${prefix}_err}\n")
endmacro()
# json_field(<out var> <json> <key>): the field, or a failure when it is missing.
function(json_field out json key)
  string(JSON value ERROR_VARIABLE json_error GET "${json}" ${key})
  if(json_error)
    set(failures "${failures}no '${key}' in the JSON report: ${json_error}\n" PARENT_SCOPE)
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

if(DEFINED REFUSE_STATUS)
  zkrv(prove prove ${ELF} ${tape_args} -o ${proof})
  if(NOT prove_status STREQUAL "${REFUSE_STATUS}")
    string(APPEND failures "zkrv prove exited with ${prove_status}, expected ${REFUSE_STATUS}\n")
  endif()
  string(REPLACE "|" ";" texts "zkrv prove: cannot prove this run: |${REFUSE_MESSAGE}")
  foreach(text IN LISTS texts)
    string(FIND "${prove_err}" "${text}" found)
    if(found EQUAL -1)
      string(APPEND failures "zkrv prove did not say '${text}'\n")
    endif()
  endforeach()
  if(EXISTS ${proof})
    string(APPEND failures "zkrv prove wrote a proof file although it refused\n")
  endif()
else()
  zkrv(run run ${ELF} ${tape_args} --json)
  json_field(run_exit_code "${run_out}" exit_code)
  json_field(run_output "${run_out}" public_output_hex)
  if(DEFINED EXIT_CODE AND NOT run_exit_code STREQUAL "${EXIT_CODE}")
    string(APPEND failures "zkrv run: exit code ${run_exit_code}, expected ${EXIT_CODE}\n")
  endif()
  if(check_output AND NOT run_output STREQUAL "${expected_output}")
    string(APPEND failures "zkrv run: public output '${run_output}', expected '${expected_output}'\n")
  endif()
  if(MISALIGNED)
    json_field(run_misaligned "${run_out}" misaligned_accesses)
    if(run_misaligned STREQUAL "" OR run_misaligned EQUAL 0)
      string(APPEND failures "zkrv run: ${run_misaligned} misaligned accesses, expected some (a guest built for "
                             "unaligned access)\n")
    endif()
  endif()

  zkrv(prove prove ${ELF} ${tape_args} -o ${proof} --json)
  # As `zkrv run`: 0 for exit code 0, 1 for any other exit code (docs/cli.md).
  set(expected_status 0)
  if(NOT run_exit_code STREQUAL "0")
    set(expected_status 1)
  endif()
  if(NOT prove_status STREQUAL "${expected_status}")
    string(APPEND failures "zkrv prove exited with ${prove_status}, expected ${expected_status}\n")
  endif()
  json_field(proved_exit_code "${prove_out}" exit_code)
  json_field(proved_output "${prove_out}" public_output_hex)
  json_field(proved_input "${prove_out}" public_input_hex)
  if(NOT proved_exit_code STREQUAL "${run_exit_code}" OR NOT proved_output STREQUAL "${run_output}"
     OR NOT proved_input STREQUAL "${INPUT}")
    string(APPEND failures "the proven statement (exit code ${proved_exit_code}, output '${proved_output}', input "
                           "'${proved_input}') is not the run's (exit code ${run_exit_code}, output '${run_output}', "
                           "input '${INPUT}')\n")
  endif()

  # verify(<prefix> <exit code>): the run's output and input are passed quoted, so that an empty one
  # stays an argument ("" is a statement too).
  macro(verify prefix exit_code)
    execute_process(COMMAND ${ZKRV} verify ${proof} --elf ${ELF} --expect-exit ${exit_code}
                            --expect-output-hex "${run_output}" --expect-input-hex "${INPUT}"
                    RESULT_VARIABLE ${prefix}_status OUTPUT_VARIABLE ${prefix}_out ERROR_VARIABLE ${prefix}_err
                    TIMEOUT 600)
    string(APPEND transcript "$ zkrv verify ${proof} --elf ${ELF} --expect-exit ${exit_code} --expect-output-hex "
                             "'${run_output}' --expect-input-hex '${INPUT}'\n-> status ${${prefix}_status}\n"
                             "${${prefix}_out}${${prefix}_err}\n")
  endmacro()
  verify(verify "${run_exit_code}")
  string(FIND "${verify_out}" ": valid" found_valid)
  if(NOT verify_status STREQUAL "0" OR found_valid EQUAL -1)
    string(APPEND failures "zkrv verify did not accept the proof with the run's statement (status ${verify_status})\n")
  endif()
  # The same proof against another exit code: the check above can fail.
  math(EXPR other_exit_code "${run_exit_code} + 1")
  verify(wrong "${other_exit_code}")
  if(NOT wrong_status STREQUAL "8")
    string(APPEND failures "zkrv verify --expect-exit ${other_exit_code} exited with ${wrong_status}, expected 8\n")
  endif()
endif()

file(REMOVE_RECURSE ${work})
if(NOT failures STREQUAL "")
  message(FATAL_ERROR "${ELF}:\n${failures}\n${transcript}")
endif()
message(STATUS "${transcript}")
