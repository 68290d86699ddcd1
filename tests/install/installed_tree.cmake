# Shared by the installed-tree tests (included, with BUILD_DIR, SOURCE_DIR and WORK set): WORK is
# emptied and given a HOME of its own, the build tree's zkrv_cli component is installed into WORK/installed and moved to
# WORK/relocated (`prefix`: the installed tree must not care where it lies), and PATH becomes that
# bin/ followed by the caller's PATH without any folder of the checkout. Defines step() (a command
# that must succeed; its output in step_out and step_err), checkout_paths and
# expect_no_checkout_paths(dir) (no file under dir, binaries included, names the checkout).
include(${CMAKE_CURRENT_LIST_DIR}/../support/scratch_work.cmake)
zkrv_fresh_work(${WORK} ZKRV_SDK ZKRV_PRECOMPILE_PATH ZKRV_TRUST_FILE ZKRV_PRECOMPILE_WORKER ZKRV_PRECOMPILE_SDK
                XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME CARGO_HOME CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR)

# The checkout's paths as given and as resolved (a symlinked checkout has both).
set(checkout_paths)
foreach(dir ${SOURCE_DIR} ${BUILD_DIR})
  get_filename_component(real "${dir}" REALPATH)
  list(APPEND checkout_paths "${dir}" "${real}")
endforeach()
list(REMOVE_DUPLICATES checkout_paths)
get_filename_component(work_real "${WORK}" REALPATH)
# Every printable string of every file under `dir` (binaries included: libzkrv.a's debug info).
# WORK lies in the build tree, so paths inside it (the installed prefix) are taken out first.
function(expect_no_checkout_paths dir)
  file(GLOB_RECURSE files LIST_DIRECTORIES false "${dir}/*")
  if(NOT files)
    message(FATAL_ERROR "${dir} holds no files")
  endif()
  foreach(file ${files})
    if(IS_SYMLINK "${file}")
      file(READ_SYMLINK "${file}" strings)
    else()
      file(STRINGS "${file}" strings)
    endif()
    string(REPLACE "${WORK}" "<work>" strings "${strings}")
    string(REPLACE "${work_real}" "<work>" strings "${strings}")
    foreach(path ${checkout_paths})
      string(FIND "${strings}" "${path}" at)
      if(NOT at EQUAL -1)
        message(FATAL_ERROR "${file} names the checkout's ${path}")
      endif()
    endforeach()
  endforeach()
endfunction()

# The CLI's component alone: what a user who wants the command line installs must be enough for
# every use of it (host_example_installed installs the host component).
step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/installed --component zkrv_cli)
file(RENAME ${WORK}/installed ${WORK}/relocated)
set(prefix ${WORK}/relocated)

# PATH: the installed bin/ first, then the caller's PATH without any folder of the checkout (cmake,
# ninja, the compilers and cargo stay reachable; no build tree zkrv does).
string(REPLACE ":" ";" path_entries "$ENV{PATH}")
set(new_path ${prefix}/bin)
foreach(entry ${path_entries})
  set(inside FALSE)
  foreach(path ${checkout_paths})
    string(FIND "${entry}" "${path}" at)
    if(at EQUAL 0)
      set(inside TRUE)
    endif()
  endforeach()
  if(NOT inside)
    list(APPEND new_path "${entry}")
  endif()
endforeach()
string(REPLACE ";" ":" new_path "${new_path}")
set(ENV{PATH} "${new_path}")
find_program(zkrv zkrv NO_CACHE REQUIRED)
if(NOT zkrv STREQUAL "${prefix}/bin/zkrv")
  message(FATAL_ERROR "zkrv on PATH is ${zkrv}, not the installed ${prefix}/bin/zkrv")
endif()
