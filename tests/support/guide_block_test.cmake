# cmake -P guide_block_test.cmake: guide_block's cases (tests/support/guide_block.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/guide_block.cmake)

function(expect_block want text info)
  guide_block(got "${text}" "${info}" ${ARGN})
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "guide_block(${info} ${ARGN}) gave '${got}', want '${want}' in:\n${text}")
  endif()
endfunction()

set(fence "```")
# A block on the text's first line; a semicolon stays in (C++ code is full of them).
expect_block("int a;\nint b;\n" "${fence}cpp\nint a;\nint b;\n${fence}\ntext\n" cpp)
# The info string is the whole line: ```cmake-x and ```cmake are different blocks.
expect_block("yes\n" "intro\n${fence}cmake-x\nno\n${fence}\n\n${fence}cmake\nyes\n${fence}\n" cmake)
# A plain block after the block that holds the marker, not the marker's own block.
set(guide "${fence}sh\ncmake --build b\nb/run x\n${fence}\n\n${fence}\nout 1\nout 2\n${fence}\n${fence}\nlater\n${fence}\n")
expect_block("out 1\nout 2\n" "${guide}" "" AFTER "b/run ")
expect_block("cmake --build b\nb/run x\n" "${guide}" sh)
# An empty block, and a fence that is not at the start of a line, which does not end the block.
expect_block("" "${fence}gdb\n${fence}\n" gdb)
expect_block("a ${fence}\nb\n" "${fence}txt\na ${fence}\nb\n${fence}\n" txt)
message(STATUS "guide_block: every case holds")
