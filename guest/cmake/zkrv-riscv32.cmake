# CMake toolchain file for zkrv guests (RISC-V 32-bit, ABI v1, picolibc + the zkrv SDK).
#
#   cmake -S my-guest -B build -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=<sdk>/cmake/zkrv-riscv32.cmake \
#         [-DZKRV_COMPILER=clang|gcc] [-DZKRV_ARCH=rv32imac|rv32im]
#
# Use the copy inside an SDK tree (<build>/guest/sdk/cmake/): it finds the SDK one folder up, or
# wherever ZKRV_SDK_DIR points. Executables get the suffix .elf and link with the SDK's linker
# script, crt0, libzkrv, picolibc and libgcc. C++ is built without exceptions and RTTI against
# libc++'s headers.
set(CMAKE_SYSTEM_NAME Generic)

# With no build type CMake adds no -O flag at all, and a guest built at -O0 runs about 2.4 times
# the cycles (a hot loop: 366 against 151), which is proving time. Default to Release, as the
# bundled examples build; -DCMAKE_BUILD_TYPE=Debug (or any other) still wins. `zkrv build` passes
# its own -O level with CMAKE_BUILD_TYPE=None.
set(CMAKE_BUILD_TYPE_INIT Release)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

if(NOT ZKRV_SDK_DIR)
  if(DEFINED ENV{ZKRV_SDK_DIR})
    set(ZKRV_SDK_DIR "$ENV{ZKRV_SDK_DIR}")
  else()
    get_filename_component(ZKRV_SDK_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
  endif()
endif()
if(NOT ZKRV_COMPILER)
  set(ZKRV_COMPILER clang)
endif()
if(NOT ZKRV_ARCH)
  set(ZKRV_ARCH rv32imac)
endif()
if(NOT ZKRV_COMPILER MATCHES "^(clang|gcc)$")
  message(FATAL_ERROR "zkrv: ZKRV_COMPILER must be clang or gcc, not '${ZKRV_COMPILER}'")
endif()
if(NOT ZKRV_ARCH MATCHES "^(rv32imac|rv32im)$")
  message(FATAL_ERROR "zkrv: ZKRV_ARCH must be rv32imac or rv32im, not '${ZKRV_ARCH}'")
endif()
# try_compile projects read this file again; hand them the same choices.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ZKRV_SDK_DIR ZKRV_COMPILER ZKRV_ARCH ZKRV_EXTRA_FLAGS
     ZKRV_EXTRA_LINK_FLAGS)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# sdk.cfg (written when the SDK is built) says where the host's toolchain pieces are.
set(_zkrv_cfg "${ZKRV_SDK_DIR}/sdk.cfg")
if(NOT EXISTS "${_zkrv_cfg}")
  message(FATAL_ERROR "zkrv: ${_zkrv_cfg} not found; ZKRV_SDK_DIR must point at a built SDK tree")
endif()
file(STRINGS "${_zkrv_cfg}" _zkrv_cfg_lines REGEX "^[a-z_]+=")
foreach(_line IN LISTS _zkrv_cfg_lines)
  string(REGEX MATCH "^([a-z_]+)=(.*)$" _ "${_line}")
  set(_zkrv_cfg_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
endforeach()

set(_zkrv_arch_flags "-march=${ZKRV_ARCH} -mabi=ilp32")
if(ZKRV_COMPILER STREQUAL "clang")
  set(CMAKE_C_COMPILER "${_zkrv_cfg_clang}")
  set(CMAKE_CXX_COMPILER "${_zkrv_cfg_clangxx}")
  set(CMAKE_ASM_COMPILER "${_zkrv_cfg_clang}")
  set(CMAKE_C_COMPILER_TARGET riscv32-unknown-elf)
  set(CMAKE_CXX_COMPILER_TARGET riscv32-unknown-elf)
  set(CMAKE_ASM_COMPILER_TARGET riscv32-unknown-elf)
  # LLD 14 does not implement RISC-V linker relaxation.
  string(APPEND _zkrv_arch_flags " -mno-relax")
  set(_zkrv_system_includes "-nostdlibinc")
  set(_zkrv_linker "-fuse-ld=lld -Wno-unused-command-line-argument")
else()
  set(CMAKE_C_COMPILER "${_zkrv_cfg_gcc}")
  set(CMAKE_CXX_COMPILER "${_zkrv_cfg_gxx}")
  set(CMAKE_ASM_COMPILER "${_zkrv_cfg_gcc}")
  set(_zkrv_system_includes "")
  set(_zkrv_linker "")
endif()

# ZKRV_EXTRA_FLAGS / ZKRV_EXTRA_LINK_FLAGS add to these flags (`zkrv build` passes its options so).
# -g: fault reports, backtraces and `zkrv trace` show source lines from DWARF; debug sections are
# never loaded, so they change neither the run nor the program id.
set(_zkrv_common
    "${_zkrv_arch_flags} -g -ffunction-sections -fdata-sections -ftls-model=local-exec ${_zkrv_system_includes} -isystem ${ZKRV_SDK_DIR}/include -isystem ${_zkrv_cfg_picolibc}/include/release ${ZKRV_EXTRA_FLAGS}")
set(CMAKE_C_FLAGS_INIT "${_zkrv_common}")
set(CMAKE_ASM_FLAGS_INIT "${_zkrv_common}")
# libc++ declares posix_memalign & co., which picolibc shows only with _DEFAULT_SOURCE.
# libc++'s own <math.h> etc. wrap picolibc's with #include_next, so its directory comes first.
set(CMAKE_CXX_FLAGS_INIT
    "-nostdinc++ -isystem ${ZKRV_SDK_DIR}/include/libcxx -isystem ${_zkrv_cfg_libcxx_include} ${_zkrv_common} -D_DEFAULT_SOURCE -fno-exceptions -fno-rtti -fno-threadsafe-statics")

execute_process(
  COMMAND "${_zkrv_cfg_gcc}" -march=${ZKRV_ARCH} -mabi=ilp32 -print-libgcc-file-name
  OUTPUT_VARIABLE _zkrv_libgcc OUTPUT_STRIP_TRAILING_WHITESPACE)
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "${_zkrv_arch_flags} ${_zkrv_linker} -nostdlib -T ${ZKRV_SDK_DIR}/zkrv.ld -Wl,--gc-sections -L${ZKRV_SDK_DIR}/lib/${ZKRV_ARCH} -L${_zkrv_cfg_picolibc}/lib/release/${ZKRV_ARCH}/ilp32 ${ZKRV_EXTRA_LINK_FLAGS}")
set(_zkrv_libs "-Wl,--start-group -lzkrv -lc -lm ${_zkrv_libgcc} -Wl,--end-group")
set(CMAKE_C_STANDARD_LIBRARIES "${_zkrv_libs}")
set(CMAKE_CXX_STANDARD_LIBRARIES "${_zkrv_libs}")
set(CMAKE_ASM_STANDARD_LIBRARIES "${_zkrv_libs}")

set(CMAKE_EXECUTABLE_SUFFIX ".elf")
set(CMAKE_EXECUTABLE_SUFFIX_C ".elf")
set(CMAKE_EXECUTABLE_SUFFIX_CXX ".elf")
set(CMAKE_EXECUTABLE_SUFFIX_ASM ".elf")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(ZKRV_GUEST_TOOLCHAIN TRUE)
