# CMake package for writing zkrv precompiles (docs/precompiles.md, "Writing a precompile").
#
#   find_package(zkrv-precompile REQUIRED CONFIG)   # with CMAKE_PREFIX_PATH=<sdk dir>
#   zkrv_add_precompile(my_precompile SOURCES src/precompile.cc)
#   zkrv_add_precompile_circuit(my_precompile TABLE_SOURCES circuit/my_circuit.cc)   # optional (1.2)
#
# zkrv_add_precompile builds a MODULE library that exports only `zkrv_precompile_eval` (hidden
# visibility plus a version script) and writes <build>/<target>.zkrv-precompile.json naming the
# built file, which `zkrv precompile pack` reads (<build> is PROJECT_BINARY_DIR unless
# ZKRV_PRECOMPILE_BUILD_RECORD_DIR says otherwise). zkrv_add_precompile_circuit encodes the
# package's circuit from the author's table at build time, into <build>/<target>.zkrv-circuit, and
# the record names it too, so that pack packs it.
get_filename_component(ZKRV_PRECOMPILE_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(ZKRV_PRECOMPILE_ABI_VERSION 2)

if(NOT TARGET zkrv::precompile_sdk)
  add_library(zkrv::precompile_sdk INTERFACE IMPORTED)
  set_target_properties(zkrv::precompile_sdk PROPERTIES
                        INTERFACE_INCLUDE_DIRECTORIES "${ZKRV_PRECOMPILE_SDK_DIR}/include")
endif()

# The circuit kit (zkrv_add_precompile_circuit): the headers a circuit table needs (stark/air, the
# field, stark/circuit's encoder, zkrv/circuit.hpp and zkrv/circuit_buses.h) and one static library
# with the encoder. zkrv's SDKs (build tree and installed) have it; zkrv-precompile-circuit-kit.cmake says how
# zkrv compiled the library (code linked with it is compiled alike). Without it, or without the
# libraries it links (fmt, TBB, OpenSSL), ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING says why, and only
# zkrv_add_precompile_circuit fails: a precompile without a circuit builds as before.
if(NOT TARGET zkrv::precompile_circuit_kit)
  set(ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING "")
  if(NOT EXISTS "${CMAKE_CURRENT_LIST_DIR}/zkrv-precompile-circuit-kit.cmake")
    set(ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING
        "the precompile SDK at '${ZKRV_PRECOMPILE_SDK_DIR}' has no circuit kit (zkrv's build tree's SDK, <build>/precompiles/sdk, has it)")
  else()
    include("${CMAKE_CURRENT_LIST_DIR}/zkrv-precompile-circuit-kit.cmake")
    find_package(Threads QUIET)
    find_package(fmt QUIET)
    find_package(TBB QUIET)
    find_package(OpenSSL QUIET COMPONENTS Crypto)
    foreach(_zkrv_kit_dependency IN ITEMS Threads::Threads fmt::fmt TBB::tbb OpenSSL::Crypto)
      if(NOT TARGET ${_zkrv_kit_dependency})
        string(APPEND ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING " ${_zkrv_kit_dependency}")
      endif()
    endforeach()
    if(ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING)
      set(ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING "the circuit kit links libraries not found here:${ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING}")
    else()
      add_library(zkrv::precompile_circuit_kit STATIC IMPORTED)
      set_target_properties(zkrv::precompile_circuit_kit PROPERTIES
                            IMPORTED_LOCATION "${ZKRV_PRECOMPILE_SDK_DIR}/lib/libzkrv_precompile_circuit_kit.a"
                            INTERFACE_INCLUDE_DIRECTORIES "${ZKRV_PRECOMPILE_SDK_DIR}/include/zkrv-circuit-kit"
                            INTERFACE_COMPILE_FEATURES cxx_std_20
                            INTERFACE_COMPILE_OPTIONS "${ZKRV_CIRCUIT_KIT_COMPILE_OPTIONS}"
                            INTERFACE_LINK_OPTIONS "${ZKRV_CIRCUIT_KIT_LINK_OPTIONS}"
                            INTERFACE_LINK_LIBRARIES "fmt::fmt;TBB::tbb;OpenSSL::Crypto;Threads::Threads")
    endif()
  endif()
endif()

# Where the build records go: <build>, unless ZKRV_PRECOMPILE_BUILD_RECORD_DIR says otherwise.
function(_zkrv_precompile_record_dir out)
  if(ZKRV_PRECOMPILE_BUILD_RECORD_DIR)
    set(${out} "${ZKRV_PRECOMPILE_BUILD_RECORD_DIR}" PARENT_SCOPE)
  else()
    set(${out} "${PROJECT_BINARY_DIR}" PARENT_SCOPE)
  endif()
endfunction()

function(zkrv_add_precompile target)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT P_SOURCES)
    message(FATAL_ERROR "zkrv_add_precompile(${target}): no SOURCES")
  endif()
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE zkrv::precompile_sdk ${P_LIBS})
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES
                        C_VISIBILITY_PRESET hidden
                        CXX_VISIBILITY_PRESET hidden
                        VISIBILITY_INLINES_HIDDEN ON
                        POSITION_INDEPENDENT_CODE ON
                        LINK_DEPENDS "${ZKRV_PRECOMPILE_SDK_DIR}/lib/cmake/zkrv-precompile/exports.map")
  # Even symbols of static libraries linked in stay local: the library's whole interface is one
  # C function.
  target_link_options(${target} PRIVATE
                      "LINKER:--version-script=${ZKRV_PRECOMPILE_SDK_DIR}/lib/cmake/zkrv-precompile/exports.map"
                      "LINKER:--no-undefined")
  _zkrv_precompile_record_dir(record_dir)
  # "circuit" only once zkrv_add_precompile_circuit has set the property (evaluated at generation,
  # after the whole project is read).
  set(circuit "$<TARGET_PROPERTY:${target},ZKRV_PRECOMPILE_CIRCUIT>")
  file(GENERATE OUTPUT "${record_dir}/${target}.zkrv-precompile.json"
       CONTENT "{\"target\": \"${target}\", \"library\": \"$<TARGET_FILE:${target}>\"$<$<BOOL:${circuit}>:$<COMMA> \"circuit\": \"${circuit}\">}\n")
endfunction()

# zkrv_add_precompile_circuit(<target> TABLE_SOURCES ... [INCLUDE_DIRECTORIES ...] [LIBS ...]): the
# circuit of the precompile <target> (made by zkrv_add_precompile first). TABLE_SOURCES are the
# author's table (columns / air with its templated `eval` / generation) and one source with
# ZKRV_DEFINE_CIRCUIT(<expression making the table>) (zkrv/circuit.hpp). They are linked with the
# kit's main into <target>_circuit_generator, which the build runs to write the table's canonical
# encoding to <build>/<target>.zkrv-circuit; an encoder error (a constraint of degree 4, ...) fails
# the build with the encoder's message. The build record names the file, and `zkrv precompile pack`
# packs it (an explicit --circuit wins).
function(zkrv_add_precompile_circuit target)
  cmake_parse_arguments(P "" "" "TABLE_SOURCES;INCLUDE_DIRECTORIES;LIBS" ${ARGN})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "zkrv_add_precompile_circuit(${target}): no precompile target '${target}' (call zkrv_add_precompile(${target} ...) first)")
  endif()
  if(NOT P_TABLE_SOURCES)
    message(FATAL_ERROR "zkrv_add_precompile_circuit(${target}): no TABLE_SOURCES")
  endif()
  if(NOT TARGET zkrv::precompile_circuit_kit)
    message(FATAL_ERROR "zkrv_add_precompile_circuit(${target}): ${ZKRV_PRECOMPILE_CIRCUIT_KIT_MISSING}")
  endif()
  set(generator ${target}_circuit_generator)
  add_executable(${generator} ${P_TABLE_SOURCES} "${ZKRV_PRECOMPILE_SDK_DIR}/lib/zkrv-circuit-kit/circuit_main.cc")
  target_include_directories(${generator} PRIVATE ${P_INCLUDE_DIRECTORIES})
  target_link_libraries(${generator} PRIVATE zkrv::precompile_circuit_kit ${P_LIBS})
  _zkrv_precompile_record_dir(record_dir)
  set(circuit "${record_dir}/${target}.zkrv-circuit")
  add_custom_command(OUTPUT "${circuit}" COMMAND ${generator} "${circuit}" DEPENDS ${generator}
                     COMMENT "Encoding the circuit of ${target}" VERBATIM)
  add_custom_target(${target}_circuit ALL DEPENDS "${circuit}")
  set_property(TARGET ${target} PROPERTY ZKRV_PRECOMPILE_CIRCUIT "${circuit}")
endfunction()
