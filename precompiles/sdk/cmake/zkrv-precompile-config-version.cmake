set(PACKAGE_VERSION "1.2.0")  # 1.1: precompile ABI 2 (the witness call); 1.2: zkrv_add_precompile_circuit; sources of 1.0 and 1.1 build unchanged
if(PACKAGE_FIND_VERSION_MAJOR AND NOT PACKAGE_FIND_VERSION_MAJOR EQUAL 1)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
