# cmake -DBUILD_DIR=<zkrv build> -DSOURCE_DIR=<examples/host> -DWORK_DIR=<dir> -DELF=<hello.elf>
#       -DGENERATOR=<generator> -DCXX=<c++ compiler> -DGUIDE=<docs/guides/host.md> -P example_test.cmake
# Installs the build into WORK_DIR/prefix (the CLI and the host libraries' components only),
# configures and builds examples/host against that prefix alone (CMAKE_PREFIX_PATH; nothing points
# into the build tree), and runs it on hello: execute, prove, verify. What it prints must be the
# output the guide shows, line by line (the proof's size and bits aside: zero knowledge randomises
# the proof).
include(${CMAKE_CURRENT_LIST_DIR}/../tests/support/guide_block.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "${command}: ${result}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

foreach(component IN ITEMS zkrv_cli zkrv_host)
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component ${component})
endforeach()

# The installed package must not name the build or source tree: it is relocatable.
file(GLOB_RECURSE package_files ${prefix}/*.cmake)
get_filename_component(source_root ${SOURCE_DIR}/../.. ABSOLUTE)
foreach(file IN LISTS package_files)
  file(READ ${file} text)
  foreach(tree IN ITEMS ${BUILD_DIR} ${source_root})
    string(FIND "${text}" "${tree}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} names ${tree}")
    endif()
  endforeach()
endforeach()

# The installed command runs from the prefix and says the program id the example must print.
run(${prefix}/bin/zkrv inspect ${ELF})
string(REGEX MATCH "program id ([0-9a-f]+) \\(profile fast\\)" _ "${out}")
if(NOT CMAKE_MATCH_1)
  message(FATAL_ERROR "zkrv inspect printed no fast program id:\n${out}")
endif()
set(id ${CMAKE_MATCH_1})

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/host_example ${ELF} zkrv)
message(STATUS "${out}${err}")

# The guide's output block: the plain ``` block after its command that runs host_example.
file(READ ${GUIDE} guide)
guide_block(shown "${guide}" "" AFTER "host-build/host_example ")
if(NOT shown MATCHES "verified: program")
  message(FATAL_ERROR "${GUIDE}: the output block after the host_example command shows no verification:\n${shown}")
endif()
string(REPLACE "\n" ";" shown_lines "${shown}")
foreach(line IN LISTS shown_lines)
  if(line MATCHES "^proved: [0-9]+ bytes, [0-9.]+ bits conjectured$")
    set(line "proved: ")
  endif()
  string(FIND "${out}${err}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${GUIDE} shows '${line}', which host_example did not print:\n${out}${err}")
  endif()
endforeach()
foreach(line IN ITEMS "executed: exit code 0, 4 bytes of public output"
                      "verified: program ${id} (profile fast)" "exit code 0, public output \"zkrv\"" "C API: valid")
  string(FIND "${out}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "host_example did not print '${line}':\n${out}")
  endif()
endforeach()
