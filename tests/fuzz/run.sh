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

failed=()
while read -r name binary seeds; do
  [[ -n $name ]] || continue
  corpus="$builddir/fuzz-corpus/$name"
  artifacts="$builddir/fuzz-artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  inputs=("$corpus")
  if [[ $seeds != - ]]; then
    seed_dir="$builddir/fuzz-seeds/$name"
    rm -rf "$seed_dir"
    "$seeds" "$seed_dir"
    inputs+=("$seed_dir")
  fi
  log="$builddir/fuzz-$name.log"
  if [[ -n ${FUZZ_RUNS:-} ]]; then
    budget=(-runs="$FUZZ_RUNS")
    echo "== $name: $FUZZ_RUNS executions (corpus $corpus, log $log)"
  else
    budget=(-max_total_time="$seconds")
    echo "== $name: ${seconds}s (corpus $corpus, log $log)"
  fi
  if "$binary" "${budget[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "${inputs[@]}" >"$log" 2>&1; then
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::new_units_added)' "$log" || true
  else
    echo "!! $name failed; last lines of $log:"
    tail -n 40 "$log"
    failed+=("$name")
  fi
done <"$list"

if ((${#failed[@]})); then
  echo "run.sh: fuzzers with findings: ${failed[*]}" >&2
  exit 1
fi
echo "run.sh: all fuzzers ran ${FUZZ_RUNS:+$FUZZ_RUNS executions}${FUZZ_RUNS:-${seconds}s} without findings"
