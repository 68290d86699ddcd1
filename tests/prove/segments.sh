#!/usr/bin/env bash
# `zkrv prove --segment-steps N` and `zkrv verify` of the run-proof file through the real command:
# a run cut in three proves and verifies (text and JSON report the segments), a tampered or foreign
# run proof is rejected, what segment mode does not prove yet is refused naming why, and an N out
# of [1, 2^22] is a usage error (docs/cli.md). Each case runs under a time limit.
#   segments.sh ZKRV MAKE_GUESTS
set -uo pipefail
source "$(dirname "$0")/expect.sh" "$@"

# squares runs 66 steps: segments of 30 make three.
expect 0 "segments     3 of at most 30 steps" -- prove "$g/squares.elf" -o "$g/squares.run" --segment-steps 30
expect 0 ": valid run proof" -- verify "$g/squares.run" --elf "$g/squares.elf" --expect-exit 0 --expect-output-hex ""
[[ $output == *"segments     3 (30, 30, "* ]] || { echo "FAIL: verify does not list the segments"; failures=$((failures + 1)); }
expect 0 '"segments": 3' -- prove "$g/squares.elf" -o "$g/squares2.run" --segment-steps 30 --json
expect 0 '"valid": true' -- verify "$g/squares2.run" --elf "$g/squares.elf" --json
[[ $output == *'"proof_kind": "run"'* && $output == *'"segments": 3'* ]] || {
  echo "FAIL: verify --json does not report the run's segments"
  failures=$((failures + 1))
}
expect 8 "the proof states exit code 0, expected 7" -- verify "$g/squares.run" --elf "$g/squares.elf" --expect-exit 7

# Rejected: another program's ELF, a flipped byte in the last segment's proof, a truncated file;
# a run proof needs the ELF.
expect 7 "another program" -- verify "$g/squares.run" --elf "$g/squares_exit_7.elf"
size=$(stat -c %s "$g/squares.run")
cp "$g/squares.run" "$g/tampered.run"
printf '\x55' | dd of="$g/tampered.run" bs=1 seek=$((size - 100)) conv=notrunc status=none
expect 7 "invalid proof: segment 2:" -- verify "$g/tampered.run" --elf "$g/squares.elf"
head -c $((size - 1)) "$g/squares.run" >"$g/truncated.run"
expect 7 "malformed run-proof file" -- verify "$g/truncated.run" --elf "$g/squares.elf"
expect 2 "is a run proof (segments): verify it with --elf" -- verify "$g/squares.run" --program-id "$(printf '%064d' 0)"

# What segment mode does not prove yet, refused before proving, with no file written.
expect 6 "segment mode does not prove tapes yet" -- prove "$g/squares.elf" -o "$g/input.run" --segment-steps 30 --input-hex 01020304
expect 6 "segment mode does not prove precompile calls yet" -- prove "$g/keccak.elf" -o "$g/keccak.run" --segment-steps 30
expect 6 "misaligned accesses, and segment mode does not prove them yet" -- prove "$g/misaligned.elf" -o "$g/misaligned.run" --segment-steps 30
for f in input keccak misaligned; do
  [[ ! -e "$g/$f.run" ]] || { echo "FAIL: a refused prove wrote $f.run"; failures=$((failures + 1)); }
done

# N out of range is a usage error.
expect 2 "--segment-steps" -- prove "$g/squares.elf" -o "$g/zero.run" --segment-steps 0
expect 2 "--segment-steps" -- prove "$g/squares.elf" -o "$g/big.run" --segment-steps 4194305

finish "segment"
