# cmake -DGUIDE=<docs/guides/host.md> -DEXAMPLE=<examples/host> -P guide_mirrors_example.cmake
# The guide's ```cmake and ```cpp blocks are examples/host's CMakeLists.txt and host_example.cc,
# character for character: what the reader copies is what host_example_installed builds.
include(${CMAKE_CURRENT_LIST_DIR}/../tests/support/guide_block.cmake)
file(READ ${GUIDE} guide)
foreach(pair IN ITEMS "cmake:CMakeLists.txt" "cpp:host_example.cc")
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 language)
  list(GET pair 1 file)
  guide_block(block "${guide}" ${language})
  file(READ ${EXAMPLE}/${file} expected)
  if(NOT block STREQUAL expected)
    message(FATAL_ERROR "${GUIDE}: the ```${language} block differs from ${EXAMPLE}/${file}")
  endif()
endforeach()
message(STATUS "${GUIDE} mirrors ${EXAMPLE}")
