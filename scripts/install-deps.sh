#!/usr/bin/env bash
# Installs every Debian package zkrv needs to build, test and benchmark. A no-op when all are present.
set -euo pipefail
packages=(
  cmake ninja-build g++ make git
  clang lld libclang-rt-14-dev              # libFuzzer, sanitizers, guest builds with stock clang
  clang-tidy                                # scripts/check-naming.sh
  libc++-14-dev                             # libc++ headers for C++ guests (header-only use)
  gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-user                                  # qemu-riscv32: the independent implementation
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev libsodium-dev nlohmann-json3-dev libcli11-dev libfmt-dev libtbb-dev
  libseccomp-dev                            # the precompile sandbox (precompiles/sandbox)
  libdw-dev                                 # source lines and functions from DWARF (debuginfo/)
  gdb-multiarch                             # tests/gdb: gdb driving `zkrv run --gdb`
  rustc-web rust-web-src cargo-web           # Rust guests: rustc 1.96 + library sources for build-std
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
