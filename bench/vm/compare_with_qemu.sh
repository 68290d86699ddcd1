#!/usr/bin/env bash
# compare_with_qemu.sh <zkrv> <qemu-riscv32> <guest.elf>: runs the guest on both, and fails unless
# both exit 0 and print the same "checksum: ..." line. Used by the bench_vm_smoke_* CTest checks.
set -uo pipefail
zkrv=$1 qemu=$2 elf=$3
zkrv_log=$("$zkrv" run --quiet "$elf") || { echo "FAIL: zkrv run $elf exited with $?"; exit 1; }
qemu_log=$("$qemu" "$elf") || { echo "FAIL: qemu-riscv32 $elf exited with $?"; exit 1; }
zkrv_sum=$(grep '^checksum: ' <<<"$zkrv_log")
qemu_sum=$(grep '^checksum: ' <<<"$qemu_log")
if [[ -z $zkrv_sum || $zkrv_sum != "$qemu_sum" ]]; then
  echo "FAIL: $elf: zkrv printed '${zkrv_sum:-no checksum}', qemu-riscv32 printed '${qemu_sum:-no checksum}'"
  exit 1
fi
echo "ok: $elf: $zkrv_sum on both"
