# Shared by the -P scripts that check a guide against what it documents (host/example_test.cmake,
# host/guide_mirrors_example.cmake): reading a fenced code block out of a Markdown guide.

# guide_block(<var> <text> <info> [AFTER <marker>]): sets <var> to the lines of the first fenced
# block of <text> whose opening line is exactly ```<info> (<info> "" for a plain ``` block), each
# with its newline, without the fences. With AFTER, the search starts at the end of the block that
# holds the first <marker> (the output block after the command that prints it). Missing block or
# marker: a fatal error that names them.
function(guide_block var text info)
  cmake_parse_arguments(PARSE_ARGV 3 arg "" "AFTER" "")
  set(rest "\n${text}")
  if(DEFINED arg_AFTER)
    string(FIND "${rest}" "${arg_AFTER}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "no '${arg_AFTER}' in the guide")
    endif()
    string(SUBSTRING "${rest}" ${at} -1 rest)
    string(FIND "${rest}" "\n```\n" at)  # the end of the block that holds the marker
    if(at EQUAL -1)
      message(FATAL_ERROR "the block with '${arg_AFTER}' has no end")
    endif()
    math(EXPR at "${at} + 4")
    string(SUBSTRING "${rest}" ${at} -1 rest)
  endif()
  set(opening "\n```${info}\n")
  string(FIND "${rest}" "${opening}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no ```${info} block in the guide")
  endif()
  string(LENGTH "${opening}" skip)
  math(EXPR at "${at} + ${skip}")
  string(SUBSTRING "${rest}" ${at} -1 rest)
  string(FIND "\n${rest}" "\n```\n" end)
  if(end EQUAL -1)
    message(FATAL_ERROR "the ```${info} block in the guide has no end")
  endif()
  string(SUBSTRING "${rest}" 0 ${end} block)
  set(${var} "${block}" PARENT_SCOPE)
endfunction()
