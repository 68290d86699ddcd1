# `zkrv new` then `zkrv build` then `zkrv run`, as a user would (tests/rust/CMakeLists.txt):
# -DZKRV -DLANG=rust|c -DWORK=<scratch dir> [-DTARGET=<Rust target triple>]. The scaffold commits
# the sum of the public input bytes, so input 01 02 03 must give the output 06000000.
# WORK is this test's alone: the project, its target directory (cargo's default, inside the
# project), and a private HOME, so cargo's home is no other test's and no user's configuration
# applies. Everything from an earlier run is removed first.
set(project ${WORK}/my-guest)
set(elf ${WORK}/my-guest.elf)
include(${CMAKE_CURRENT_LIST_DIR}/../support/scratch_work.cmake)
zkrv_fresh_work(${WORK} CARGO_HOME CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR)

step(${ZKRV} new --lang ${LANG} ${project})
set(build_args)
if(TARGET)
  set(build_args --target ${TARGET})
endif()
step(${ZKRV} build ${project} -o ${elf} ${build_args})
string(FIND "${step_err}" "zkrv build: wrote ${elf}" wrote)
if(wrote EQUAL -1)
  message(FATAL_ERROR "zkrv build did not say it wrote ${elf}:\n${step_err}")
endif()
message(STATUS "${step_err}")
step(${ZKRV} run --json --input-hex 010203 ${elf})
string(JSON output ERROR_VARIABLE json_error GET "${step_out}" public_output_hex)
string(FIND "${step_err}" "summed 3 bytes" logged)
if(json_error OR NOT output STREQUAL "06000000" OR logged EQUAL -1)
  message(FATAL_ERROR "${elf}: expected output 06000000 and the log 'summed 3 bytes':\n${step_out}\n${step_err}")
endif()
message(STATUS "${LANG} scaffold: output ${output}")
