#!/usr/bin/env bash
# gdb_session.sh <zkrv> <counter.c>: builds counter.c for RV32 with debug info, serves it with
# `zkrv run --gdb 127.0.0.1:0` (the port the kernel picks, read from the line zkrv prints, so that
# parallel tests never collide) and drives gdb-multiarch in batch mode: a breakpoint on main with
# its source line, registers, memory, a single step, a watchpoint hit twice, and the exit code.
# Then the same guest built to fault: gdb sees SIGSEGV at the store's source line, and continuing
# ends the program. First, `--gdb-timeout`: with no gdb, zkrv gives up after it. Every process runs
# under `timeout`: a gdb that dies or a zkrv that never hears from it ends the test instead of
# hanging it. (docs/guides/debugging.md's own session is docs_guide_debugging, run_debugging_guide.sh.)
set -euo pipefail
zkrv=$1 source=$2
# shellcheck source=tests/gdb/gdb_common.sh
source "$(dirname "$0")/gdb_common.sh"

build() {  # build <elf> [flags...]
  local out=$1
  shift
  clang --target=riscv32-unknown-elf -march=rv32imac -mabi=ilp32 -g -O0 -nostdlib -static -fuse-ld=lld \
    -Wl,-e,_start "$@" -o "$out" "$source"
}

# session <elf> <gdb commands...>: serves <elf> on a port of the kernel's choosing, runs gdb on it
# with those commands; gdb's output in $work/gdb, zkrv's stderr in $work/err, its status in $status.
session() {
  local elf=$1
  shift
  : >"$work/err"  # before the start: wait_for_port must not read the previous session's port
  timeout 60 "$zkrv" run "$elf" --gdb 127.0.0.1:0 >"$work/out" 2>"$work/err" &
  pid=$!
  wait_for_port
  local args=(-ex 'set architecture riscv:rv32' -ex "target remote 127.0.0.1:$port")
  for command in "$@"; do args+=(-ex "$command"); done
  timeout 60 gdb-multiarch -batch -nx "${args[@]}" "$elf" >"$work/gdb" 2>&1 || fail "gdb-multiarch failed"
  status=0
  wait "$pid" || status=$?
  pid=
}

build "$work/counter.elf"
# No gdb comes: zkrv stops waiting after --gdb-timeout seconds, says so, and runs nothing.
status=0
timeout 30 "$zkrv" run "$work/counter.elf" --gdb 127.0.0.1:0 --gdb-timeout 1 >"$work/out" 2>"$work/err" || status=$?
[[ $status == 2 ]] || fail "zkrv with no gdb and --gdb-timeout 1: exit status $status, want 2"
grep -qE '^zkrv run: --gdb: no gdb connected to port [1-9][0-9]* within 1 s$' "$work/err" || fail "no message for the timeout"
! grep -q 'result' "$work/err" || fail "a run report after the timeout: the guest ran"
for bad in '--gdb-timeout 1' '--gdb 127.0.0.1:0 --gdb-timeout 0' '--gdb 127.0.0.1:0 --gdb-timeout 86401'; do
  status=0
  # shellcheck disable=SC2086  # the options are words
  timeout 30 "$zkrv" run "$work/counter.elf" $bad >"$work/out" 2>"$work/err" || status=$?
  [[ $status == 2 ]] || fail "zkrv run $bad: exit status $status, want 2 (usage)"
done
session "$work/counter.elf" 'break main' continue 'info registers pc' 'x/4wx $sp' stepi \
  'watch counter' continue continue delete continue

grep -qE '^Breakpoint 1, main \(\) at .*counter\.c:[0-9]+' "$work/gdb" || fail "not stopped at main with its source line"
grep -qE '^[0-9]+[[:space:]]+int total = 0;' "$work/gdb" || fail "no source line shown at main"
grep -qE '^pc[[:space:]]+0x[0-9a-f]+[[:space:]]+0x[0-9a-f]+ <main\+[0-9]+>' "$work/gdb" || fail "no pc register in main"
grep -qE '^0x[0-9a-f]+ <stack\+[0-9]+>:([[:space:]]+0x[0-9a-f]{8}){4}$' "$work/gdb" || fail "no memory words at sp"
grep -qE '^0x[0-9a-f]{8}[[:space:]]+[0-9]+[[:space:]]+int total = 0;' "$work/gdb" || fail "stepi did not stop mid-line"
# Two hits, each in bump() after its store: counter goes 0 -> 1, then 1 -> 3.
[[ $(grep -c '^Hardware watchpoint 2: counter$' "$work/gdb") == 3 ]] || fail "not set once and hit twice"
tr '\n' '|' <"$work/gdb" | grep -qE 'Old value = 0\|New value = 1\|0x[0-9a-f]+ in bump \(by=1\)' || fail "first watchpoint hit"
tr '\n' '|' <"$work/gdb" | grep -qE 'Old value = 1\|New value = 3\|0x[0-9a-f]+ in bump \(by=2\)' || fail "second watchpoint hit"
grep -qE 'exited with code 06\]' "$work/gdb" || fail "exit code not reported to gdb"
[[ $status == 1 ]] || fail "zkrv exit status $status, want 1 (guest exit code 6)"
grep -q 'result       exit 6 (guest failure)' "$work/err" || fail "no run report"
cat "$work/gdb"

build "$work/fault.elf" -DFAULT
session "$work/fault.elf" continue continue
grep -q '^Program received signal SIGSEGV' "$work/gdb" || fail "no SIGSEGV for the bad store"
grep -qE '^0x[0-9a-f]+ in main \(\) at .*counter\.c:[0-9]+' "$work/gdb" || fail "not stopped in main at the store"
grep -q '^Program terminated with signal SIGSEGV' "$work/gdb" || fail "continuing after the fault does not end the program"
[[ $status == 3 ]] || fail "zkrv exit status $status, want 3 (fault)"
grep -q 'store-fault at pc' "$work/err" || fail "no fault in the run report"
cat "$work/gdb"
echo ok
