#!/usr/bin/env bash
# `zkrv prove` / `zkrv verify` / `zkrv inspect`'s program id through the real command: honest proofs
# verify (by ELF and by id), and every rejection exits with its status and names its reason
# (docs/cli.md). Each case runs under a time limit.
#   run.sh ZKRV MAKE_GUESTS
set -uo pipefail
source "$(dirname "$0")/expect.sh" "$@"

# The program ids, per profile, from inspect.
expect 0 "(profile fast)" -- inspect "$g/squares.elf" --security fast
id=$(sed -n 's/^  program id \([0-9a-f]\{64\}\) (profile fast)$/\1/p' <<<"$output")
expect 0 "(profile fast)" -- inspect "$g/squares_exit_7.elf" --security fast
other_id=$(sed -n 's/^  program id \([0-9a-f]\{64\}\) (profile fast)$/\1/p' <<<"$output")
if [[ ${#id} -ne 64 || ${#other_id} -ne 64 || $id == "$other_id" ]]; then
  echo "FAIL: inspect printed no program id, or one id for two programs ('$id', '$other_id')"
  failures=$((failures + 1))
fi
expect 0 "program id none: this machine does not prove it (executable segment 0 ends at 0x4" -- inspect "$g/high_code.elf"

# An honest proof verifies, by ELF and by id.
expect 0 "exit code    0 (success)" -- prove "$g/squares.elf" -o "$g/squares.proof"
expect 0 "program id   $id (profile fast)" -- verify "$g/squares.proof" --elf "$g/squares.elf"
expect 0 ": valid" -- verify "$g/squares.proof" --program-id "$id" --expect-exit 0 --expect-output-hex "" --expect-input-hex ""
expect 0 ": valid" -- verify "$g/squares.proof" --program-id "$id" --security fast
# --profile, the security option's first name, is a deprecated alias (`zkrv run --profile` is the
# cycle profiler): it still works, with a warning; given with --security it is a usage error.
deprecated="warning: --profile is deprecated here, use --security fast|secure"
expect 0 ": valid" -- verify "$g/squares.proof" --program-id "$id" --profile fast
expect 0 "$deprecated" -- verify "$g/squares.proof" --program-id "$id" --profile fast
expect 0 "(profile fast)" -- inspect "$g/squares.elf" --profile fast
[[ $output == *"$deprecated"* && $output == *"$id (profile fast)"* && $output != *"(profile secure)"* ]] || {
  echo "FAIL: inspect --profile fast printed no deprecation warning, or not the fast id alone"
  failures=$((failures + 1))
}
expect 0 "$deprecated" -- prove "$g/squares.elf" -o "$g/alias.proof" --profile fast
expect 0 ": valid" -- verify "$g/alias.proof" --program-id "$id" --security fast
expect 2 "--security and --profile (its deprecated name) cannot be combined" -- prove "$g/squares.elf" -o "$g/both.proof" --security fast --profile fast
expect 2 "--security and --profile (its deprecated name) cannot be combined" -- verify "$g/squares.proof" --program-id "$id" --security fast --profile fast
expect 7 "invalid proof: made with profile fast, --security secure asked" -- verify "$g/squares.proof" --elf "$g/squares.elf" --profile secure

# A guest that calls the keccak-f[1600] precompile twice proves and verifies (docs/proof-system.md,
# "Precompile calls"); its program id commits to the declared precompile.
expect 0 "exit code    0 (success)" -- prove "$g/keccak.elf" -o "$g/keccak.proof"
expect 0 ": valid" -- verify "$g/keccak.proof" --elf "$g/keccak.elf" --expect-exit 0
expect 7 "invalid proof: the proof is for another program" -- verify "$g/keccak.proof" --program-id "$id"
# One SHA-256 compression call (FIPS 180-4's "abc" block) proves and verifies the same way.
expect 0 "exit code    0 (success)" -- prove "$g/sha256.elf" -o "$g/sha256.proof"
expect 0 ": valid" -- verify "$g/sha256.proof" --elf "$g/sha256.elf" --expect-exit 0

# Rejections: another program, a changed byte, another profile, another statement.
expect 7 "invalid proof: the proof is for another program" -- verify "$g/squares.proof" --program-id "$other_id"
expect 7 "invalid proof: the proof is for another program" -- verify "$g/squares.proof" --elf "$g/squares_exit_7.elf"
size=$(stat -c %s "$g/squares.proof")
cp "$g/squares.proof" "$g/tampered.proof"
printf '\x5a' | dd of="$g/tampered.proof" bs=1 seek=$((size / 2)) conv=notrunc status=none
if cmp -s "$g/squares.proof" "$g/tampered.proof"; then
  printf '\xa5' | dd of="$g/tampered.proof" bs=1 seek=$((size / 2)) conv=notrunc status=none
fi
expect 7 "invalid proof: " -- verify "$g/tampered.proof" --elf "$g/squares.elf"
cp "$g/squares.proof" "$g/bad_magic.proof"
printf 'X' | dd of="$g/bad_magic.proof" bs=1 seek=0 conv=notrunc status=none
expect 7 "invalid proof: malformed proof file: " -- verify "$g/bad_magic.proof" --program-id "$id"
head -c $((size - 1)) "$g/squares.proof" >"$g/truncated.proof"
expect 7 "invalid proof: malformed proof file: " -- verify "$g/truncated.proof" --program-id "$id"
expect 7 "invalid proof: made with profile fast, --security secure asked" -- verify "$g/squares.proof" --elf "$g/squares.elf" --security secure
expect 8 "valid proof, but the proof states exit code 0, expected 1" -- verify "$g/squares.proof" --elf "$g/squares.elf" --expect-exit 1
expect 8 "valid proof, but the proof states public output '', expected '01'" -- verify "$g/squares.proof" --program-id "$id" --expect-output-hex 01
expect 8 "valid proof, but the proof states public input '', expected '7a6b'" -- verify "$g/squares.proof" --program-id "$id" --expect-input-hex 7a6b

# A run that exits non-zero is proven (status 1, as `zkrv run`); verify accepts it only when asked.
expect 1 "exit code    7 (guest failure)" -- prove "$g/squares_exit_7.elf" -o "$g/exit_7.proof"
expect 8 "valid proof, but the proof states exit code 7, expected 0" -- verify "$g/exit_7.proof" --program-id "$other_id"
expect 0 ": valid" -- verify "$g/exit_7.proof" --program-id "$other_id" --expect-exit 7

# What cannot be proven says why, with its own status; nothing is written.
expect 6 "zkrv prove: cannot prove this run: executable segment 0 ends at 0x4" -- prove "$g/high_code.elf" -o "$g/high_code.proof"
expect 3 "zkrv prove: cannot prove this run: the guest faulted: load-fault" -- prove "$g/fault.elf" -o "$g/fault.proof"
expect 4 "zkrv prove: cannot prove this run: the guest did not exit within --max-cycles 5" -- prove "$g/squares.elf" -o "$g/limit.proof" --max-cycles 5
for f in high_code fault limit; do
  if [[ -e "$g/$f.proof" ]]; then
    echo "FAIL: a refused prove wrote $f.proof"
    failures=$((failures + 1))
  fi
done
expect 6 "has no program id (this machine does not prove it)" -- verify "$g/squares.proof" --elf "$g/high_code.elf"

# Usage and file errors.
expect 2 "name the program with --elf GUEST.elf or --program-id ID" -- verify "$g/squares.proof"
expect 2 "--program-id: 3 bytes of hex, a program id has 32" -- verify "$g/squares.proof" --program-id 010203
expect 2 "--expect-output-hex: 'z' at position 0 is not a hex digit" -- verify "$g/squares.proof" --program-id "$id" --expect-output-hex zz
expect 5 "no-such.proof" -- verify "$g/no-such.proof" --program-id "$id"
expect 5 "is a directory" -- verify "$work" --program-id "$id"

# JSON reports: ere's names and the statement's.
expect 0 '"total_num_cycles": ' -- prove "$g/squares.elf" -o "$g/squares2.proof" --json
for field in '"proving_time": {' '"secs": ' '"nanos": ' '"proof_size": ' '"program_id": "'"$id"'"' '"exit_code": 0' \
             '"public_output_hex": ""' '"security": {' '"conjectured_bits": ' '"proven_bits": ' '"peak_memory_bytes": '; do
  [[ "$output" == *"$field"* ]] || { echo "FAIL: prove --json lacks $field"; failures=$((failures + 1)); }
done
expect 0 '"verification_time": {' -- verify "$g/squares2.proof" --program-id "$id" --json
for field in '"valid": true' '"proof_size": ' '"program_id": "'"$id"'"' '"exit_code": 0' '"public_output_hex": ""' '"security": {'; do
  [[ "$output" == *"$field"* ]] || { echo "FAIL: verify --json lacks $field"; failures=$((failures + 1)); }
done
expect 7 '"valid": false' -- verify "$g/tampered.proof" --program-id "$id" --json

finish "prove/verify"
