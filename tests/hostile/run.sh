#!/usr/bin/env bash
# Runs zkrv on the hostile corpus (make_corpus.cc) and on hostile command lines; each case names
# the exit status and a piece of the message it must print. Every case runs under a time limit:
# a hang is a failure, not a stuck CI job.
#   run.sh ZKRV MAKE_CORPUS
set -uo pipefail
zkrv=${1:?usage: run.sh ZKRV MAKE_CORPUS}
make_corpus=${2:?usage: run.sh ZKRV MAKE_CORPUS}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$make_corpus" "$work" || { echo "make_corpus failed"; exit 1; }
mkfifo "$work/fifo"
mkdir "$work/dir"
failures=0

# expect STATUS MESSAGE -- ARGS...: runs `zkrv ARGS` with stdin from $stdin_text (if set).
expect() {
  local status=$1 message=$2
  shift 3
  local got output
  output=$(printf '%s' "${stdin_text:-}" | timeout 60 "$zkrv" "$@" 2>&1)
  got=$?
  if [[ $got -ne $status ]] || [[ "$output" != *"$message"* ]]; then
    echo "FAIL: zkrv $*"
    echo "  expected status $status and a message containing: $message"
    echo "  got status $got:"
    printf '%s\n' "$output" | head -5 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: zkrv $* -> $got"
  fi
}

c=$work
# Guest-controlled sums and sizes.
expect 2 "--max-output: 4294967295 is out of range" -- run "$c/wou_top_offset.elf" --max-output 4294967295
expect 3 "output tape offset 0xfffffffc is beyond the maximum output" -- run "$c/wou_top_offset.elf" --max-output 1073741824
expect 3 "len=4294967295): the buffer is not readable guest memory" -- run "$c/write_4gib.elf"
# Guest-driven host time and memory.
# Past the region bounds the calls are ignored with one warning line (docs/abi.md, "System calls").
expect 0 "warning: 391808 region calls ignored (the first at pc 0x" -- run "$c/regions_200k.elf"
expect 0 "would nest 257 deep; the limit is 256); regions only feed the report" -- run "$c/regions_deep.elf"
# Files that are not files.
expect 5 "is a FIFO, not a regular file" -- run "$c/fifo"
expect 5 "is a directory, not a regular file" -- run "$c/dir"
expect 5 "is a named FIFO, which zkrv does not open" -- run "$c/echo_length.elf" --input "$c/fifo"
expect 5 "is a directory, not a regular file" -- run "$c/echo_length.elf" --input "$c/dir"
expect 5 "is a character device" -- run "$c/echo_length.elf" --hint /dev/zero
expect 5 "not an ELF file" -- run "$c/not_an_elf.elf"
expect 5 "truncated" -- run "$c/truncated.elf"
# Standard input and pipes are tapes.
stdin_text=abc expect 1 "exit 3" -- run "$c/echo_length.elf" --input -
expect 1 "exit 5" -- run "$c/echo_length.elf" --input <(printf hello)
expect 2 "both name standard input" -- run "$c/echo_length.elf" --input - --hint -
# Limits on the command line.
expect 2 "--max-cycles: 0 is out of range (expected 1 to" -- run "$c/echo_length.elf" --max-cycles 0
expect 2 "--max-cycles: '-1' is not a whole number" -- run "$c/echo_length.elf" --max-cycles -1
expect 2 "--max-input: '-5' is not a whole number" -- run "$c/echo_length.elf" --max-input -5
expect 2 "--count: '1e3' is not a whole number" -- trace "$c/echo_length.elf" --count 1e3

# A misspelt command names itself and the commands there are.
expect 2 "'frobnicate' is not a zkrv command (commands: run, inspect" -- frobnicate
expect 2 "Usage: zkrv [OPTIONS] SUBCOMMAND" --

if [[ $failures -ne 0 ]]; then
  echo "$failures hostile case(s) failed"
  exit 1
fi
echo "all hostile cases behaved"
