#!/usr/bin/env bash
# usage: run_readme_example.sh <markdown file> <build dir> <section heading> <expected text> [file]
# Runs the first ```sh block after the heading in a scratch directory where `build` is the build
# tree, and checks that its output (or the file it wrote, when one is named) contains the expected
# text.
set -euo pipefail
doc=$1 build=$2 heading=$3 expected=$4 written=${5:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$build" "$work/build"
# Examples that name files of the checkout (a guide's sample sources) get those folders linked in.
for source in ${ZKRV_DOC_SOURCE_LINKS:-}; do ln -s "$source" "$work/$(basename "$source")"; done
# The example runs as a new user would, in a folder of its own: a private HOME (so cargo's home and
# zkrv's package and trust directories are this test's alone) and no inherited target directory.
mkdir "$work/home"
export HOME=$work/home
unset CARGO_HOME CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
awk -v h="$heading" '$0 == h {f = 1; next} f && /^```sh/ {g = 1; next} g && /^```/ {exit} g' "$doc" >"$work/example.sh"
[[ -s $work/example.sh ]] || { echo "no sh block after '$heading' in $doc" >&2; exit 1; }
out=$(cd "$work" && bash -euo pipefail example.sh 2>&1) || { echo "$out"; echo "the example failed" >&2; exit 1; }
echo "$out"
if [[ -n $written ]]; then
  [[ -f $work/$written ]] || { echo "the example wrote no $written" >&2; exit 1; }
  grep -qF -- "$expected" "$work/$written" || { cat "$work/$written"; echo "expected '$expected' in $written" >&2; exit 1; }
else
  grep -qF -- "$expected" <<<"$out" || { echo "expected '$expected' in the output" >&2; exit 1; }
fi
