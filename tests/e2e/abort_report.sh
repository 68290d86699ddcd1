#!/usr/bin/env bash
# abort_report.sh <zkrv> <vector_at.cc>: a C++ guest that calls std::vector::at out of range, built
# by both stock compilers; `zkrv run` must exit 1 (guest failure, exit code 134), name
# std::out_of_range and show the backtrace through `pick` and `main` with source lines, in the
# report and in --json.
set -euo pipefail
zkrv=$1 source=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for compiler in clang gcc; do
  "$zkrv" build "$source" --compiler "$compiler" -o "$dir/at-$compiler.elf" 2>/dev/null
  status=0
  "$zkrv" run "$dir/at-$compiler.elf" >"$dir/out" 2>"$dir/report" || status=$?
  cat "$dir/report"
  [[ $status == 1 ]] || { echo "FAIL ($compiler): exit status $status, want 1"; exit 1; }
  grep -q '^  exception    std::out_of_range would have been thrown' "$dir/report" ||
    { echo "FAIL ($compiler): no exception line"; exit 1; }
  grep -qE '^ +#[0-9]+ 0x[0-9a-f]{8} pick\(.*\(inlined: .*\bat\b' "$dir/report" ||
    { echo "FAIL ($compiler): no frame of pick or vector::at"; exit 1; }
  grep -qE '^ +#[0-9]+ 0x[0-9a-f]{8} main at guests/vector_at.cc:[0-9]+' "$dir/report" ||
    { echo "FAIL ($compiler): no frame of main with its source line"; exit 1; }
  "$zkrv" run "$dir/at-$compiler.elf" --json 2>/dev/null >"$dir/json" || true
  python3 - "$dir/json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["exit_code"] == 134, report["exit_code"]
assert report["abort"]["exception"] == "std::out_of_range", report["abort"]
functions = [frame["function"] for frame in report["abort"]["backtrace"]]
assert "main" in functions and functions[-1] == "_start", functions
PY
done
echo ok
