# The installed zkrv's precompile store and sandbox, after the prefix has moved, with only its bin/
# on PATH and a HOME of the test's own (installed_tree.cmake):
# - `zkrv precompile list` finds the bundled first-party packages in <prefix>/share/zkrv/precompiles
#   and trusts them through the bundled trust file;
# - the blake2s example (examples/precompiles/blake2s) is built against the installed precompile
#   SDK (its circuit through the installed circuit kit), packed with its circuit, signed and
#   installed with its key trusted, its guest built by `zkrv build`, and run:
#   its library runs in the installed sandbox worker, and with that worker moved away the run fails
#   naming it, so nothing of the build tree stands in;
# - no installed file (binaries, libraries, packages, SDKs) names the source or build tree.
#   cmake -DBUILD_DIR=<build> -DSOURCE_DIR=<checkout> -DWORK=<scratch> -P installed_precompiles.cmake
cmake_policy(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/installed_tree.cmake)
set(bundled ${prefix}/share/zkrv/precompiles)
set(worker ${prefix}/libexec/zkrv/zkrv-precompile-worker)
foreach(file ${worker} ${bundled}/trust.json ${bundled}/installed/zkrv.keccak_f1600-1.0.0.zkrvpkg
        ${bundled}/installed/zkrv.keccak_absorb-1.0.0.zkrvpkg
        ${bundled}/installed/zkrv.sha256_compress-1.0.0.zkrvpkg
        ${bundled}/sdk/lib/cmake/zkrv-precompile/zkrv-precompile-config.cmake ${bundled}/sdk/include/zkrv/precompile.h
        ${bundled}/sdk/lib/libzkrv_precompile_circuit_kit.a ${bundled}/sdk/include/zkrv-circuit-kit/zkrv/circuit.hpp)
  if(NOT EXISTS ${file})
    message(FATAL_ERROR "the installed tree has no ${file}")
  endif()
endforeach()
if(EXISTS ${bundled}/keys)
  message(FATAL_ERROR "the project's signing key was installed (${bundled}/keys)")
endif()
# Binaries, libraries, packages, SDKs: no lookup can fall back on a path of the checkout.
expect_no_checkout_paths(${prefix})

# The bundled packages, trusted, and nothing of the build tree on the search path.
step(zkrv precompile list --json)
set(list_json "${step_out}")
string(JSON entries LENGTH "${list_json}" search_path)
string(JSON first GET "${list_json}" search_path 0)
string(JSON second GET "${list_json}" search_path 1)
if(NOT entries EQUAL 2 OR NOT first STREQUAL "${WORK}/home/.local/share/zkrv/precompiles"
   OR NOT second STREQUAL "${bundled}/installed")
  message(FATAL_ERROR "expected the search path HOME's and ${bundled}/installed:\n${list_json}")
endif()
string(JSON packages LENGTH "${list_json}" packages)
set(names "")
foreach(i RANGE 0 2)
  string(JSON name GET "${list_json}" packages ${i} name)
  string(JSON status GET "${list_json}" packages ${i} status)
  string(JSON trust GET "${list_json}" packages ${i} trust)
  if(NOT status STREQUAL "ok" OR NOT trust STREQUAL "trusted-signer")
    message(FATAL_ERROR "${name}: status ${status}, trust ${trust}:\n${list_json}")
  endif()
  list(APPEND names ${name})
endforeach()
if(NOT packages EQUAL 3 OR NOT names STREQUAL "zkrv.keccak_absorb;zkrv.keccak_f1600;zkrv.sha256_compress")
  message(FATAL_ERROR "expected the three first-party packages:\n${list_json}")
endif()

# A third-party package built against the installed precompile SDK, signed and trusted.
set(example ${WORK}/blake2s)
file(COPY ${SOURCE_DIR}/examples/precompiles/blake2s/ DESTINATION ${example} PATTERN build EXCLUDE)
step(zkrv precompile build ${example})
file(STRINGS ${example}/build/CMakeCache.txt prefix_path REGEX "^CMAKE_PREFIX_PATH:")
if(NOT prefix_path MATCHES "=${bundled}/sdk$")
  message(FATAL_ERROR "zkrv precompile build did not use the installed precompile SDK: ${prefix_path}")
endif()
step(zkrv precompile keygen --name example-author -o ${WORK}/keys/author.json)
if(NOT EXISTS ${example}/build/example_blake2s_compress.zkrv-circuit)
  message(FATAL_ERROR "zkrv precompile build did not encode the example's circuit with the installed kit")
endif()
step(zkrv precompile pack ${example} -o ${WORK}/blake2s.zkrvpkg)
step(zkrv precompile inspect ${WORK}/blake2s.zkrvpkg)
if(NOT step_out MATCHES "circuit +example_blake2s_compress.zkrv-circuit \\(")
  message(FATAL_ERROR "the example's package does not carry its circuit:\n${step_out}")
endif()
step(zkrv precompile sign ${WORK}/blake2s.zkrvpkg --key ${WORK}/keys/author.json)
step(zkrv precompile install ${WORK}/blake2s.zkrvpkg --trust-key ${WORK}/keys/author.pub.json)
if(NOT EXISTS ${WORK}/home/.local/share/zkrv/precompiles/example.blake2s_compress-2.0.0.zkrvpkg)
  message(FATAL_ERROR "zkrv precompile install did not write into HOME's package directory")
endif()

# Its guest, run: the signer is trusted but not to run in process, so the library runs in the worker.
step(zkrv build ${example}/guest/blake2s_guest.c -o ${WORK}/guest.elf)
step(zkrv run ${WORK}/guest.elf --input-hex 616263 --json)
string(JSON output GET "${step_out}" public_output_hex)
# BLAKE2s-256("abc"), RFC 7693 appendix B.
if(NOT output STREQUAL "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982")
  message(FATAL_ERROR "the blake2s guest printed ${output}:\n${step_out}\n${step_err}")
endif()
file(RENAME ${worker} ${worker}.away)
execute_process(COMMAND zkrv run ${WORK}/guest.elf --input-hex 616263 RESULT_VARIABLE status
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(RENAME ${worker}.away ${worker})
string(FIND "${err}" "cannot start the precompile sandbox '${worker}'" named)
if(status EQUAL 0 OR named EQUAL -1)
  message(FATAL_ERROR "without ${worker}, expected the run to fail naming it; status ${status}:\n${out}\n${err}")
endif()
message(STATUS "installed precompiles: first-party packages listed, blake2s ran in the installed sandbox")
