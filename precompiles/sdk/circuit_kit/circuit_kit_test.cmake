# The SDK's circuit kit from a package's side (testdata/circuit_project, built against the build
# tree's SDK as a package author builds it):
# - a table of degree 3: the build writes <build>/<target>.zkrv-circuit (a circuit: it starts with
#   the format's magic) and the build record names it, so `zkrv precompile pack` packs it;
# - a table with a constraint of degree 4: the build fails with the encoder's message, naming the
#   table, the constraint and its degree.
#   cmake -DSDK=<sdk> -DPROJECT=<testdata/circuit_project> -DWORK=<scratch> -P circuit_kit_test.cmake
cmake_policy(VERSION 3.25)
file(REMOVE_RECURSE ${WORK})

function(build_project degree out_status out_log)
  set(build ${WORK}/degree${degree})
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${PROJECT} -B ${build} -G Ninja -DCMAKE_BUILD_TYPE=Release
                          -DCMAKE_PREFIX_PATH=${SDK} -DZKRV_TEST_DEGREE=${degree}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "configuring the project at degree ${degree} failed (${status}):\n${out}\n${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(${out_status} ${status} PARENT_SCOPE)
  set(${out_log} "${out}\n${err}" PARENT_SCOPE)
endfunction()

build_project(3 status log)
set(circuit ${WORK}/degree3/test_circuit_project.zkrv-circuit)
if(NOT status EQUAL 0 OR NOT EXISTS ${circuit})
  message(FATAL_ERROR "the degree-3 table did not build into ${circuit} (${status}):\n${log}")
endif()
file(READ ${circuit} magic LIMIT 8 HEX)
if(NOT magic STREQUAL "5a4b525643495243")  # ZKRVCIRC
  message(FATAL_ERROR "${circuit} does not start with ZKRVCIRC: '${magic}'")
endif()
file(READ ${WORK}/degree3/test_circuit_project.zkrv-precompile.json record)
string(JSON named GET "${record}" circuit)
if(NOT named STREQUAL circuit)
  message(FATAL_ERROR "the build record does not name ${circuit}:\n${record}")
endif()

build_project(4 status log)
string(FIND "${log}" "zkrv circuit kit: the table is not a circuit: table power: constraint x^degree = x has degree 4 (at most 3)" named)
if(status EQUAL 0 OR named EQUAL -1)
  message(FATAL_ERROR "expected the degree-4 table to fail the build with the encoder's message (status ${status}):\n${log}")
endif()
if(EXISTS ${WORK}/degree4/test_circuit_project.zkrv-circuit)
  message(FATAL_ERROR "the failed build left a circuit behind")
endif()
message(STATUS "circuit kit: a degree-3 table encoded and recorded; a degree-4 table fails the build, named")
