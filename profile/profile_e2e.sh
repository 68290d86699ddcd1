#!/usr/bin/env bash
# profile_e2e.sh <zkrv> <calls.c> <misaligned.c>: builds the known guest, runs it with a profile in
# each format and checks the stacks: leaf under middle under main, with at least its loop's
# instructions, and nothing of leaf elsewhere; then that proving-cost weights cost a misaligned
# load more than an aligned one (misaligned.c).
set -euo pipefail
zkrv=$1 source=$2 misaligned_source=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$zkrv" build "$source" -O1 -o "$dir/calls.elf" 2>/dev/null
"$zkrv" run "$dir/calls.elf" -q --profile "$dir/p.folded" --profile "$dir/p.json" --profile "$dir/p.svg"
cat "$dir/p.folded"
leaf=$(awk '$1 == "_start;main;middle;leaf" { print $2 }' "$dir/p.folded")
[[ -n $leaf && $leaf -ge 20000 ]] || { echo "FAIL: _start;main;middle;leaf has '${leaf}' instructions, want >= 20000"; exit 1; }
if grep -v '^_start;main;middle;leaf ' "$dir/p.folded" | grep -q 'leaf'; then
  echo "FAIL: leaf appears under another stack"; exit 1
fi
total=$(awk '{ s += $NF } END { print s }' "$dir/p.folded")
reported=$("$zkrv" run "$dir/calls.elf" --json | sed -n 's/^  "total_num_cycles": \([0-9]*\),$/\1/p')
[[ $total == "$reported" ]] || { echo "FAIL: the profile counts $total instructions, the run $reported"; exit 1; }
python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["profiles"][0]; assert sum(p["weights"]) == int(sys.argv[2])' \
  "$dir/p.json" "$total"
grep -q '<title>leaf (' "$dir/p.svg" || { echo "FAIL: no leaf frame in the SVG"; exit 1; }
# Weighed by proving cost: the same stacks, each instruction worth its table row's cells (>= 70).
"$zkrv" run "$dir/calls.elf" -q --profile "$dir/cells.folded" --profile-weight cells
cells=$(awk '$1 == "_start;main;middle;leaf" { print $2 }' "$dir/cells.folded")
[[ -n $cells && $cells -ge $((leaf * 70)) ]] || { echo "FAIL: leaf weighs '${cells}' cells for $leaf instructions"; exit 1; }
# The same instructions at an aligned and a misaligned address: as many cycles, but a misaligned LW
# is a Misaligned row, which commits more cells than the LoadStore row of an aligned one.
"$zkrv" build "$misaligned_source" -O1 -o "$dir/misaligned.elf" 2>/dev/null
"$zkrv" run "$dir/misaligned.elf" -q --profile "$dir/m-cycles.folded"
"$zkrv" run "$dir/misaligned.elf" -q --profile "$dir/m-cells.folded" --profile-weight cells
weight() { awk -v stack="$2" '$1 == stack { print $2 }' "$1"; }
aligned=_start\;main\;aligned_loads\;loads misaligned=_start\;main\;misaligned_loads\;loads
[[ -n $(weight "$dir/m-cycles.folded" "$aligned") && $(weight "$dir/m-cycles.folded" "$aligned") == \
   "$(weight "$dir/m-cycles.folded" "$misaligned")" ]] || { echo "FAIL: the two load loops differ in cycles"; exit 1; }
aligned_cells=$(weight "$dir/m-cells.folded" "$aligned") misaligned_cells=$(weight "$dir/m-cells.folded" "$misaligned")
[[ -n $aligned_cells && -n $misaligned_cells && $misaligned_cells -gt $aligned_cells ]] ||
  { echo "FAIL: 1000 misaligned loads weigh '${misaligned_cells}' cells, aligned ones '${aligned_cells}'"; exit 1; }
echo "ok: $leaf instructions in leaf, $total in all; misaligned loads $misaligned_cells cells, aligned $aligned_cells"
