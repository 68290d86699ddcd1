#!/usr/bin/env bash
# usage: run_readme_example.sh <markdown file> <build dir> <section heading> <expected text>
# Runs the first ```sh block after the heading in a scratch directory where `build` is the build
# tree, and checks that its output contains the expected text.
set -euo pipefail
doc=$1 build=$2 heading=$3 expected=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$build" "$work/build"
awk -v h="$heading" '$0 == h {f = 1; next} f && /^```sh/ {g = 1; next} g && /^```/ {exit} g' "$doc" >"$work/example.sh"
[[ -s $work/example.sh ]] || { echo "no sh block after '$heading' in $doc" >&2; exit 1; }
out=$(cd "$work" && bash -euo pipefail example.sh 2>&1) || { echo "$out"; echo "the example failed" >&2; exit 1; }
echo "$out"
grep -qF -- "$expected" <<<"$out" || { echo "expected '$expected' in the output" >&2; exit 1; }
