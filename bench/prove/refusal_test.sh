#!/usr/bin/env bash
# refusal_test.sh <bench_riscv_prove> <guests dir>: a sweep with a size one proof does not cover
# (2^23 cycles, above the 2^22 steps of one proof) prints "refused: ..." for that size, still runs the
# size after it, and exits 0; the refusal is found before any proving work, so this stays cheap.
set -euo pipefail
bench=$1 guests=$2
out=$("$bench" --guests "$guests" --only hash --log-cycles 23,10 --profiles fast) || {
  echo "FAIL: exit status $?"; echo "$out"; exit 1; }
echo "$out"
grep -Eq '^hash +fast +2\^23 refused: [0-9]+ steps: one proof covers at most 2\^22 steps' <<<"$out" || {
  echo "FAIL: no refusal line for 2^23"; exit 1; }
grep -Eq '^hash +fast +2\^10 +[0-9]+ cyc .* exit 0$' <<<"$out" || { echo "FAIL: the size after the refusal did not run"; exit 1; }
