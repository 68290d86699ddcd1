#!/usr/bin/env bash
# bench/run.sh <builddir>: every benchmark in the tree (`make bench`).
#  1. The VM guests of bench/vm/ (built with clang for rv32imac and gcc for rv32im): each runs on
#     `zkrv run --json` and under qemu-riscv32; their checksums must agree. Prints instructions,
#     seconds and MIPS per guest (zkrv's wall-time figure, and instructions per CPU second, which a
#     busy shared machine disturbs less), qemu's wall time and the MIPS it equals, then the median
#     and the minimum zkrv MIPS per compiler.
#  2. Hashing 1 MiB with and without the precompiles: the regions of examples/hash_accel.
#  3. Every executable named bench_* in the build tree: Google Benchmark binaries (linked with
#     libbenchmark) with a short minimum time, other drivers with no arguments.
# Exits non-zero if a run fails or a checksum differs; figures are recorded in docs/benchmarks.md.
set -euo pipefail

build=${1:?usage: bash bench/run.sh <builddir>}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
min_time=${BENCH_MIN_TIME:-0.2}  # seconds per Google Benchmark case

[[ -f $build/CMakeCache.txt ]] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
targets=(zkrv $(cmake --build "$build" --target help | sed -n 's/^\(bench_[A-Za-z0-9_]*\): .*/\1/p'))
grep -q '^ZKRV_BUILD_GUESTS:BOOL=ON' "$build/CMakeCache.txt" && targets+=(zkrv_bench_vm_guests)
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

status=0
zkrv="$build/cli/zkrv"
qemu=$(command -v qemu-riscv32 || true)
guests=(sha256 keccak sort u256_mont u64_arith pointer_chase bytecode json_scan)

json_field() {  # json_field <name> <json>: a top-level number from zkrv's report
  sed -n "s/^  \"$1\": \([0-9.e+-]*\),\{0,1\}$/\1/p" <<<"$2"
}

median_and_min() {  # reads one number a line; prints "median min"
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a n/a"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f %.0f\n", m, v[1] }'
}

echo "== VM interpreter: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ! -d $build/bench/vm/clang ]]; then
  echo "(no guests: configure with -DZKRV_BUILD_GUESTS=ON to build bench/vm)"
else
  [[ -n $qemu ]] || echo "(qemu-riscv32 not found: qemu columns left empty)"
  printf '%-20s %11s %7s %9s %8s %7s %9s  %s\n' guest instructions zkrv_s zkrv_MIPS cpu_MIPS qemu_s qemu_MIPS checksum
  declare -A mips_by_compiler cpu_mips_by_compiler
  log=$(mktemp) report_file=$(mktemp) cpu_file=$(mktemp)
  trap 'rm -f "$log" "$report_file" "$cpu_file"' EXIT
  TIMEFORMAT='%U %S'
  for compiler in clang gcc; do
    for guest in "${guests[@]}"; do
      elf="$build/bench/vm/$compiler/$guest.elf"
      name="$compiler/$guest"
      # The CPU time (user + sys) beside zkrv's own wall time: on a shared machine the two differ.
      if ! { time "$zkrv" run --json "$elf" >"$report_file" 2>"$log"; } 2>"$cpu_file"; then
        echo "$name: zkrv run failed: $(grep -m1 '"status"' "$report_file" || true) $(tail -n 2 "$log")"
        status=1
        continue
      fi
      report=$(<"$report_file")
      zkrv_sum=$(grep -m1 '^checksum: ' "$log" || true)
      instructions=$(json_field total_num_cycles "$report")
      zkrv_seconds=$(json_field wall_seconds "$report")
      zkrv_mips=$(json_field mips "$report")
      cpu_mips=$(awk -v n="$instructions" '{ printf "%.0f", n / ($1 + $2) / 1e6 }' "$cpu_file")
      mips_by_compiler[$compiler]+="$zkrv_mips "
      cpu_mips_by_compiler[$compiler]+="$cpu_mips "
      qemu_seconds="-" qemu_mips="-" verdict="zkrv only"
      if [[ -n $qemu ]]; then
        start=$(date +%s.%N)
        qemu_out=$("$qemu" "$elf") || { echo "$name: qemu-riscv32 exited with $?"; status=1; }
        end=$(date +%s.%N)
        qemu_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        qemu_mips=$(awk -v n="$instructions" -v s="$qemu_seconds" 'BEGIN { printf "%.0f", n / s / 1e6 }')
        qemu_sum=$(grep -m1 '^checksum: ' <<<"$qemu_out" || true)
        if [[ -n $zkrv_sum && $zkrv_sum == "$qemu_sum" ]]; then
          verdict="${zkrv_sum#checksum: } (equal)"
        else
          verdict="DIFFERENT: zkrv '${zkrv_sum}' qemu '${qemu_sum}'"
          status=1
        fi
      fi
      printf '%-20s %11s %7.3f %9.0f %8s %7s %9s  %s\n' "$name" "$instructions" "$zkrv_seconds" "$zkrv_mips" \
        "$cpu_mips" "$qemu_seconds" "$qemu_mips" "$verdict"
    done
  done
  for compiler in clang gcc; do
    read -r median minimum < <(tr ' ' '\n' <<<"${mips_by_compiler[$compiler]:-}" | grep . | median_and_min)
    read -r cpu_median cpu_minimum < <(tr ' ' '\n' <<<"${cpu_mips_by_compiler[$compiler]:-}" | grep . | median_and_min)
    echo "zkrv MIPS over the $compiler guests: median $median, minimum $minimum" \
      "(CPU-time MIPS: median $cpu_median, minimum $cpu_minimum; target: median >= 800, minimum >= 350)"
  done
fi

# Hashing 1 MiB with and without the precompiles (examples/hash_accel: each path in its own region).
accel_guest="$build/examples/clang/hash_accel.elf"
if [[ -f $accel_guest ]]; then
  echo
  echo "== Hashing 1 MiB with and without the precompiles (examples/hash_accel, clang)"
  hint=$(mktemp)
  head -c 1048576 /dev/urandom >"$hint"
  "$zkrv" run "$accel_guest" --hint "$hint" 2>&1 | grep -E '^  (region|precompile|instructions|time)' || status=1
  rm -f "$hint"
fi

echo
echo "== bench_* binaries (Google Benchmark ones with --benchmark_min_time=$min_time, others with no arguments)"
while IFS= read -r binary; do
  echo "-- ${binary#"$build"/}"
  arguments=()
  grep -q libbenchmark < <(ldd "$binary" 2>/dev/null) && arguments=(--benchmark_min_time="$min_time")
  "$binary" "${arguments[@]}" || { echo "${binary##*/} failed"; status=1; }
done < <(find "$build" -path '*/CMakeFiles' -prune -o -type f -name 'bench_*' -perm -u+x -print | sort)
exit $status
