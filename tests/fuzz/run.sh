#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan + UBSan) and runs each for a bounded time.
# usage: tests/fuzz/run.sh <builddir> <seconds-per-fuzzer>
#        FUZZ_RUNS=N tests/fuzz/run.sh <builddir> 0     (N executions per fuzzer instead of a time)
# Exits non-zero when the build fails or any fuzzer finds a crash, sanitizer report, leak, timeout
# or out-of-memory; the reproducer is left in <builddir>/fuzz-artifacts/<fuzzer>/.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 <builddir> <seconds-per-fuzzer>" >&2
  exit 2
fi
builddir=$1
seconds=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

CC=clang CXX=clang++ cmake -S "$root" -B "$builddir" -G Ninja -DZKRV_FUZZ=ON \
  -DZKRV_BUILD_GUESTS=OFF
cmake --build "$builddir" --target fuzzers -j "${JOBS:-2}"

list="$builddir/fuzzers.txt"
if [[ ! -s $list ]]; then
  echo "run.sh: no fuzzers listed in $list" >&2
  exit 1
fi

# UBSan checks are recoverable in this build; halt on the first report so libFuzzer sees a crash.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}

# One fuzzer a core: each keeps its own budget, so the stage takes about
# ceil(fuzzers / JOBS) budgets instead of one budget a fuzzer.
jobs=${JOBS:-2}
status_dir="$builddir/fuzz-status"
rm -rf "$status_dir"
mkdir -p "$status_dir"

run_one() {
  local name=$1 binary=$2 seeds=$3
  local corpus="$builddir/fuzz-corpus/$name"
  local artifacts="$builddir/fuzz-artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  local inputs=("$corpus")
  if [[ $seeds != - ]]; then
    local seed_dir="$builddir/fuzz-seeds/$name"
    rm -rf "$seed_dir"
    if ! "$seeds" "$seed_dir" >"$builddir/fuzz-$name-seeds.log" 2>&1; then
      touch "$status_dir/$name"
      printf '%s\n' "!! $name: its seed generator failed:" "$(tail -n 20 "$builddir/fuzz-$name-seeds.log")"
      return
    fi
    inputs+=("$seed_dir")
  fi
  local log="$builddir/fuzz-$name.log" budget
  if [[ -n ${FUZZ_RUNS:-} ]]; then
    budget=(-runs="$FUZZ_RUNS")
  else
    budget=(-max_total_time="$seconds")
  fi
  # Each summary is written in one piece when its fuzzer ends, so parallel runs do not interleave.
  local summary
  if "$binary" "${budget[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "${inputs[@]}" >"$log" 2>&1; then
    summary="== $name: ${budget[0]#-} (log $log)"$'\n'
    summary+=$(grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::new_units_added)' "$log" || true)
  else
    touch "$status_dir/$name"
    summary="!! $name failed; last lines of $log:"$'\n'$(tail -n 40 "$log")
  fi
  printf '%s\n' "$summary"
}

running=0
while read -r name binary seeds; do
  [[ -n $name ]] || continue
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$name" "$binary" "$seeds" &
  running=$((running + 1))
done <"$list"
wait

failed=()
for f in "$status_dir"/*; do
  [[ -e $f ]] && failed+=("$(basename "$f")")
done

if ((${#failed[@]})); then
  echo "run.sh: fuzzers with findings: ${failed[*]}" >&2
  exit 1
fi
echo "run.sh: all fuzzers ran ${FUZZ_RUNS:+$FUZZ_RUNS executions}${FUZZ_RUNS:-${seconds}s} without findings"
