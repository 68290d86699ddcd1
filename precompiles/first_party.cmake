# First-party precompiles are packed, signed and installed by the build with the `zkrv` command,
# like any third-party package. The project signing key is generated once into the build tree (never
# committed) and its public key is the build tree's trust file's only key.
set(_keys ${ZKRV_PRECOMPILE_DIR}/keys)
set(_project_key ${_keys}/zkrv-project.json)
set(_project_public_key ${_keys}/zkrv-project.pub.json)
set(_trust_file ${ZKRV_PRECOMPILE_DIR}/trust.json)
set(_installed ${ZKRV_PRECOMPILE_DIR}/installed)

execute_process(COMMAND git -C ${PROJECT_SOURCE_DIR} rev-parse HEAD OUTPUT_VARIABLE _revision
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT _revision)
  set(_revision unknown)
endif()

add_custom_command(OUTPUT ${_project_key} ${_project_public_key}
  COMMAND zkrv precompile keygen --name zkrv-project -o ${_project_key}
  COMMENT "Generating the project's precompile signing key")

set(_stamps "")
foreach(_precompile IN ITEMS keccak_f1600 keccak_absorb sha256_compress)
  set(_package ${ZKRV_PRECOMPILE_DIR}/packages/zkrv.${_precompile}.zkrvpkg)
  set(_stamp ${ZKRV_PRECOMPILE_DIR}/packages/zkrv.${_precompile}.installed)
  add_custom_command(OUTPUT ${_stamp}
    COMMAND zkrv precompile pack --manifest ${CMAKE_CURRENT_SOURCE_DIR}/${_precompile}/zkrv-precompile.json
            --library $<TARGET_FILE:zkrv_precompile_${_precompile}> --revision ${_revision}
            --key ${_project_key} -o ${_package}
    COMMAND zkrv precompile install ${_package} --into ${_installed} --trust-file ${_trust_file}
            --trust-key ${_project_public_key} --run-in-process --force
    COMMAND ${CMAKE_COMMAND} -E touch ${_stamp}
    DEPENDS zkrv_precompile_${_precompile} ${CMAKE_CURRENT_SOURCE_DIR}/${_precompile}/zkrv-precompile.json
            ${_project_key} ${_project_public_key}
    COMMENT "Packing, signing and installing zkrv.${_precompile}"
    VERBATIM)
  list(APPEND _stamps ${_stamp})
endforeach()
add_custom_target(zkrv_first_party_precompiles ALL DEPENDS ${_stamps})

# Installed with zkrv in the build tree's layout (store.h, bundled_*): the signed packages and the
# trust file that trusts the project key, never the key itself.
install(DIRECTORY ${_installed}/ DESTINATION ${ZKRV_PRECOMPILE_INSTALL_DIR}/installed COMPONENT zkrv_cli)
install(FILES ${_trust_file} DESTINATION ${ZKRV_PRECOMPILE_INSTALL_DIR} COMPONENT zkrv_cli)
