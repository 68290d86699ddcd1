#!/usr/bin/env bash
# gdb_session.sh <zkrv> <counter.c>: builds counter.c for RV32 with debug info, serves it with
# `zkrv run --gdb 127.0.0.1:0` (the port the kernel picks, read from the line zkrv prints, so that
# parallel tests never collide) and drives gdb-multiarch in batch mode: a breakpoint on main with
# its source line, registers, memory, a single step, a watchpoint hit twice, and the exit code.
# Every process runs under `timeout`: a gdb that dies or a zkrv that never hears from it ends the
# test instead of hanging it.
set -euo pipefail
zkrv=$1 source=$2
command -v gdb-multiarch >/dev/null || { echo "FAIL: gdb-multiarch is not installed (scripts/install-deps.sh)"; exit 1; }
dir=$(mktemp -d)
pid=
cleanup() {
  [[ -z $pid ]] || kill "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- gdb"; cat "$dir/gdb" 2>/dev/null || true
  echo "--- zkrv stderr"; cat "$dir/err" 2>/dev/null || true
  exit 1
}

clang --target=riscv32-unknown-elf -march=rv32imac -mabi=ilp32 -g -O0 -nostdlib -static -fuse-ld=lld \
  -Wl,-e,_start -o "$dir/counter.elf" "$source"

timeout 60 "$zkrv" run "$dir/counter.elf" --gdb 127.0.0.1:0 >"$dir/out" 2>"$dir/err" &
pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's/^waiting for gdb on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$dir/err")
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || fail "zkrv ended before listening"
  sleep 0.05
done
[[ -n $port && $port != 0 ]] || fail "no port printed"

timeout 60 gdb-multiarch -batch -nx \
  -ex 'set architecture riscv:rv32' \
  -ex "target remote 127.0.0.1:$port" \
  -ex 'break main' -ex continue \
  -ex 'info registers pc' -ex 'x/4wx $sp' -ex stepi \
  -ex 'watch counter' -ex continue -ex continue \
  -ex 'delete' -ex continue \
  "$dir/counter.elf" >"$dir/gdb" 2>&1 || fail "gdb-multiarch failed"
status=0
wait "$pid" || status=$?
pid=

grep -qE '^Breakpoint 1, main \(\) at .*counter\.c:[0-9]+' "$dir/gdb" || fail "not stopped at main with its source line"
grep -qE '^[0-9]+[[:space:]]+int total = 0;' "$dir/gdb" || fail "no source line shown at main"
grep -qE '^pc[[:space:]]+0x[0-9a-f]+[[:space:]]+0x[0-9a-f]+ <main\+[0-9]+>' "$dir/gdb" || fail "no pc register in main"
grep -qE '^0x[0-9a-f]+ <stack\+[0-9]+>:([[:space:]]+0x[0-9a-f]{8}){4}$' "$dir/gdb" || fail "no memory words at sp"
grep -q '^Hardware watchpoint 2: counter' "$dir/gdb" || fail "watchpoint not set"
# Two hits, each in bump() after its store: counter goes 0 -> 1, then 1 -> 3.
[[ $(grep -c '^Hardware watchpoint 2: counter$' "$dir/gdb") == 3 ]] || fail "not set once and hit twice"
tr '\n' '|' <"$dir/gdb" | grep -qE 'Old value = 0\|New value = 1\|0x[0-9a-f]+ in bump \(by=1\)' || fail "first watchpoint hit"
tr '\n' '|' <"$dir/gdb" | grep -qE 'Old value = 1\|New value = 3\|0x[0-9a-f]+ in bump \(by=2\)' || fail "second watchpoint hit"
grep -qE 'exited with code 06\]' "$dir/gdb" || fail "exit code not reported to gdb"
[[ $status == 1 ]] || fail "zkrv exit status $status, want 1 (guest exit code 6)"
grep -q 'result       exit 6 (guest failure)' "$dir/err" || fail "no run report"
cat "$dir/gdb"
echo ok
