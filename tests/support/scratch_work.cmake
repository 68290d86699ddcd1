# Shared by the -P scripts that drive zkrv as a user would, in a scratch folder of the test's own
# (tests/install/installed_tree.cmake, tests/rust/scaffold.cmake).

# zkrv_fresh_work(<dir> [VARIABLE...]): empties <dir>, gives it a HOME of its own (so no user's or
# other test's configuration applies) and unsets each environment VARIABLE.
macro(zkrv_fresh_work dir)
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir}/home)
  set(ENV{HOME} ${dir}/home)
  foreach(variable ${ARGN})
    unset(ENV{${variable}})
  endforeach()
endmacro()

# step(<command>...): runs a command that must succeed; its output in step_out and step_err.
function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " line "${ARGN}")
    message(FATAL_ERROR "`${line}` failed with exit status ${status}:\n${out}\n${err}")
  endif()
  set(step_out "${out}" PARENT_SCOPE)
  set(step_err "${err}" PARENT_SCOPE)
endfunction()
