# Every regex in tests/asan_skip.txt must still name at least one test of this build, so the list
# `make test-asan` leaves out cannot drift (a renamed test would otherwise silently run again, or a
# typo silently skip nothing), and must not name more than twenty (one test family at most: a broad regex would skip a suite).
#   cmake -DSKIP_LIST=... -DBUILD_DIR=... -DCTEST=... -P check_asan_skip.cmake
file(STRINGS "${SKIP_LIST}" lines)
set(failures "")
foreach(line IN LISTS lines)
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  execute_process(COMMAND "${CTEST}" -N -R "${line}" WORKING_DIRECTORY "${BUILD_DIR}"
                  OUTPUT_VARIABLE listing RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT listing MATCHES "Total Tests: ([0-9]+)")
    string(APPEND failures "  ${line}: ctest -N failed\n")
    continue()
  endif()
  set(count "${CMAKE_MATCH_1}")
  if(count EQUAL 0)
    string(APPEND failures "  ${line}: names no test\n")
  elseif(count GREATER 20)
    string(APPEND failures "  ${line}: names ${count} tests (more than 20)\n")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "tests/asan_skip.txt:\n${failures}")
endif()
message(STATUS "tests/asan_skip.txt: every regex names a test")
