# CMake package for writing zkrv precompiles (docs/precompiles.md, "Writing a precompile").
#
#   find_package(zkrv-precompile REQUIRED CONFIG)   # with CMAKE_PREFIX_PATH=<sdk dir>
#   zkrv_add_precompile(my_precompile SOURCES src/precompile.cc)
#
# zkrv_add_precompile builds a MODULE library that exports only `zkrv_precompile_eval` (hidden
# visibility plus a version script) and writes <build>/<target>.zkrv-precompile.json naming the
# built file, which `zkrv precompile pack` reads (<build> is PROJECT_BINARY_DIR unless
# ZKRV_PRECOMPILE_BUILD_RECORD_DIR says otherwise).
get_filename_component(ZKRV_PRECOMPILE_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(ZKRV_PRECOMPILE_ABI_VERSION 2)

if(NOT TARGET zkrv::precompile_sdk)
  add_library(zkrv::precompile_sdk INTERFACE IMPORTED)
  set_target_properties(zkrv::precompile_sdk PROPERTIES
                        INTERFACE_INCLUDE_DIRECTORIES "${ZKRV_PRECOMPILE_SDK_DIR}/include")
endif()

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
  if(NOT ZKRV_PRECOMPILE_BUILD_RECORD_DIR)
    set(ZKRV_PRECOMPILE_BUILD_RECORD_DIR "${PROJECT_BINARY_DIR}")
  endif()
  file(GENERATE OUTPUT "${ZKRV_PRECOMPILE_BUILD_RECORD_DIR}/${target}.zkrv-precompile.json"
       CONTENT "{\"target\": \"${target}\", \"library\": \"$<TARGET_FILE:${target}>\"}\n")
endfunction()
