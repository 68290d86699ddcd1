# Install rules for the `zkrv` command and the host libraries, and the CMake package
# (find_package(zkrv) with zkrv::host and zkrv::verifier; docs/guides/host.md). Included at the end
# of the top-level CMakeLists.txt: it walks link dependencies, so every target must exist.
#
# The libraries are static, so their link dependencies install with them: the walk below collects
# every first-party library zkrv_host links (they install as archives only; their headers are not
# part of the API) and checks that every third-party one is one zkrvConfig.cmake finds.
include(CMakePackageConfigHelpers)

set(ZKRV_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/zkrv)
# Third-party targets the installed libraries link; zkrvConfig.cmake.in finds each.
set(_zkrv_known_dependencies fmt::fmt TBB::tbb OpenSSL::Crypto nlohmann_json::nlohmann_json PkgConfig::SODIUM
    PkgConfig::SECCOMP zkrv::precompile_sdk)

function(_zkrv_link_closure target out)
  set(seen ${${out}})
  if(target IN_LIST seen)
    return()
  endif()
  list(APPEND seen ${target})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    get_target_property(deps ${target} INTERFACE_LINK_LIBRARIES)
  else()
    get_target_property(deps ${target} LINK_LIBRARIES)
  endif()
  foreach(dep IN LISTS deps)
    if(dep MATCHES "^::@" OR NOT TARGET ${dep})
      continue()  # directory markers, plain library names (dl)
    endif()
    get_target_property(aliased ${dep} ALIASED_TARGET)
    if(aliased)
      set(dep ${aliased})
    endif()
    get_target_property(imported ${dep} IMPORTED)
    if(imported)
      if(NOT dep IN_LIST _zkrv_known_dependencies)
        message(FATAL_ERROR "${target} links ${dep}: find it in host/zkrvConfig.cmake.in and list it in host/install.cmake")
      endif()
      continue()
    endif()
    _zkrv_link_closure(${dep} seen)
  endforeach()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

set(_zkrv_exported "")
_zkrv_link_closure(zkrv_host _zkrv_exported)
foreach(_target IN LISTS _zkrv_exported)
  # Source-tree include directories are for building only: the installed API is include/zkrv.
  get_target_property(_dirs ${_target} INTERFACE_INCLUDE_DIRECTORIES)
  if(_dirs)
    set(_wrapped "")
    foreach(_dir IN LISTS _dirs)
      if(_dir MATCHES "^\\$<")
        list(APPEND _wrapped "${_dir}")
      else()
        list(APPEND _wrapped "$<BUILD_INTERFACE:${_dir}>")
      endif()
    endforeach()
    set_target_properties(${_target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_wrapped}")
  endif()
  get_target_property(_name ${_target} EXPORT_NAME)
  if(NOT _name)
    string(REGEX REPLACE "^zkrv_" "" _name ${_target})
    set_target_properties(${_target} PROPERTIES EXPORT_NAME ${_name})
  endif()
endforeach()

install(TARGETS zkrv EXPORT zkrvTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT zkrv_cli)
install(TARGETS ${_zkrv_exported} EXPORT zkrvTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT zkrv_host)
install(FILES ${PROJECT_SOURCE_DIR}/host/include/zkrv/host.h ${PROJECT_SOURCE_DIR}/host/include/zkrv/verifier.h
              ${PROJECT_SOURCE_DIR}/host/include/zkrv/verify.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/zkrv COMPONENT zkrv_host)
install(EXPORT zkrvTargets NAMESPACE zkrv:: DESTINATION ${ZKRV_INSTALL_CMAKEDIR} COMPONENT zkrv_host)
configure_package_config_file(${PROJECT_SOURCE_DIR}/host/zkrvConfig.cmake.in ${CMAKE_BINARY_DIR}/host/zkrvConfig.cmake
                              INSTALL_DESTINATION ${ZKRV_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API (semver.org, item 4).
write_basic_package_version_file(${CMAKE_BINARY_DIR}/host/zkrvConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/host/zkrvConfig.cmake ${CMAKE_BINARY_DIR}/host/zkrvConfigVersion.cmake
        DESTINATION ${ZKRV_INSTALL_CMAKEDIR} COMPONENT zkrv_host)
