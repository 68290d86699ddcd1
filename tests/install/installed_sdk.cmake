# Installs the build tree into WORK/installed, moves it to WORK/relocated (the installed tree must
# not care where it lies), then, with that bin/ first on PATH and no folder of the checkout on it:
# `zkrv sdk-path` names the installed SDK, and `zkrv new --lang LANG` + `zkrv build` + `zkrv run`
# work as in tests/rust/scaffold.cmake. Neither the installed SDK nor the scaffold may hold a path
# of the source or build tree.
#   cmake -DBUILD_DIR=<build> -DSOURCE_DIR=<checkout> -DWORK=<scratch> -DLANG=c|rust -P installed_sdk.cmake
# WORK is this test's alone (prefix, projects, a private HOME and so cargo home); it is removed first.
cmake_policy(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/installed_tree.cmake)
set(sdk ${prefix}/share/zkrv/sdk)
foreach(file zkrv.ld sdk.cfg cmake/zkrv-riscv32.cmake include/zkrv/zkrv.h include/zkvm_io.h
        lib/rv32imac/libzkrv.a lib/rv32im/libzkrv.a rust/Cargo.toml rust/precompiles/Cargo.toml)
  if(NOT EXISTS ${sdk}/${file})
    message(FATAL_ERROR "the installed SDK has no ${file}")
  endif()
endforeach()
expect_no_checkout_paths(${sdk})

step(zkrv sdk-path)
string(STRIP "${step_out}" printed)
get_filename_component(sdk_real ${sdk} REALPATH)
get_filename_component(printed_real "${printed}" REALPATH)
if(NOT printed_real STREQUAL sdk_real)
  message(FATAL_ERROR "zkrv sdk-path printed '${printed}', expected the installed ${sdk}")
endif()
step(zkrv sdk-path --json)
string(JSON found_by GET "${step_out}" found_by)
string(JSON c_cxx GET "${step_out}" c_cxx)
string(JSON rust GET "${step_out}" rust)
if(NOT found_by STREQUAL "installed" OR NOT c_cxx OR NOT rust)
  message(FATAL_ERROR "zkrv sdk-path --json: expected found_by installed, c_cxx and rust true:\n${step_out}")
endif()

set(project ${WORK}/my-guest)
set(elf ${WORK}/my-guest.elf)
step(zkrv new --lang ${LANG} ${project})
expect_no_checkout_paths(${project})
if(LANG STREQUAL "rust")
  file(READ ${project}/Cargo.toml manifest)
  string(FIND "${manifest}" "${sdk_real}/rust" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the Rust scaffold does not depend on the installed ${sdk_real}/rust:\n${manifest}")
  endif()
endif()

# Output 06000000 and the log line for input 01 02 03 (the scaffold's program).
function(expect_sum elf)
  step(zkrv run --json --input-hex 010203 ${elf})
  string(JSON output ERROR_VARIABLE json_error GET "${step_out}" public_output_hex)
  string(FIND "${step_err}" "summed 3 bytes" logged)
  if(json_error OR NOT output STREQUAL "06000000" OR logged EQUAL -1)
    message(FATAL_ERROR "${elf}: expected output 06000000 and the log 'summed 3 bytes':\n${step_out}\n${step_err}")
  endif()
endfunction()

step(zkrv build ${project} -o ${elf})
message(STATUS "${step_err}")
expect_sum(${elf})
if(LANG STREQUAL "c")
  # A plain CMake build of the C scaffold, which asks `zkrv sdk-path` for the toolchain file.
  step(${CMAKE_COMMAND} -S ${project} -B ${WORK}/plain-build -G Ninja)
  step(${CMAKE_COMMAND} --build ${WORK}/plain-build)
  expect_sum(${WORK}/plain-build/my-guest.elf)
  # ZKRV_SDK overrides the lookup; a folder that is no SDK is refused.
  set(ENV{ZKRV_SDK} ${sdk})
  step(zkrv sdk-path --json)
  string(JSON found_by GET "${step_out}" found_by)
  if(NOT found_by STREQUAL "ZKRV_SDK")
    message(FATAL_ERROR "with ZKRV_SDK set, zkrv sdk-path --json says:\n${step_out}")
  endif()
  set(ENV{ZKRV_SDK} ${WORK}/home)
  execute_process(COMMAND zkrv sdk-path RESULT_VARIABLE status ERROR_VARIABLE err OUTPUT_QUIET)
  if(NOT status EQUAL 5 OR NOT err MATCHES "is no guest SDK")
    message(FATAL_ERROR "zkrv sdk-path with ZKRV_SDK=${WORK}/home: expected exit status 5, got ${status}:\n${err}")
  endif()
  unset(ENV{ZKRV_SDK})
endif()
message(STATUS "installed ${LANG} scaffold: output 06000000")
