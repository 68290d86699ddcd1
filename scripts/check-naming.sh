#!/usr/bin/env bash
# Checks the naming style (docs/style.md, options in .clang-tidy) with clang-tidy's
# readability-identifier-naming over every first-party .cc in BUILD_DIR/compile_commands.json,
# and the repository's own headers they include. Exits non-zero on any violation.
#   scripts/check-naming.sh BUILD_DIR [JOBS]      (JOBS defaults to 2)
set -euo pipefail

build_dir=${1:?usage: scripts/check-naming.sh BUILD_DIR [JOBS]}
jobs=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "$build_dir" && pwd)
db="$build_dir/compile_commands.json"
[[ -f "$db" ]] || { echo "check-naming: $db is missing (configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 2; }
tidy=${CLANG_TIDY:-$(command -v clang-tidy || command -v clang-tidy-14 || true)}
[[ -n "$tidy" ]] || { echo "check-naming: clang-tidy not found" >&2; exit 2; }

# First-party folders: every top-level directory of the repository that is not a build output.
folders=$(cd "$root" && find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' ! -name 'build*' -printf '%f\n' | sort | paste -sd'|')
header_filter="^$root/($folders)/"

# Translation units: first-party .cc files only (no build dirs, no generated or fetched sources).
# clang-tidy parses with clang; GCC-only flags the build uses (interpreter tuning, GCC warning
# switches) are dropped from a private copy of the compile database.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$(python3 - "$db" "$header_filter" "$tmp/compile_commands.json" <<'PY'
import json, re, shlex, sys
db, pattern, out = sys.argv[1], re.compile(sys.argv[2]), sys.argv[3]
gcc_only = {"-fno-gcse", "-fno-crossjumping", "-fno-tree-tail-merge", "-Wno-maybe-uninitialized"}
entries, seen = [], set()
for entry in json.load(open(db)):
    path = entry["file"]
    if not path.startswith("/"):
        path = entry["directory"] + "/" + path
    if not (path.endswith(".cc") and pattern.match(path)) or path in seen:
        continue
    seen.add(path)
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    entries.append({"directory": entry["directory"], "file": path,
                    "arguments": [a for a in args if a not in gcc_only]})
    print(path)
json.dump(entries, open(out, "w"))
PY
)
count=$(wc -l <<<"$files")
echo "check-naming: $count files, $jobs jobs, clang-tidy $("$tidy" --version | grep -o 'version [0-9.]*')"

status=0
xargs -P "$jobs" -n 1 "$tidy" -p "$tmp" --quiet --config-file="$root/.clang-tidy" \
  -header-filter="$header_filter" -warnings-as-errors='*' --extra-arg=-Wno-unknown-warning-option <<<"$files" \
  2> >(grep -v -E '^[0-9]+ warnings? generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter=|^Use -system-headers' >&2) \
  || status=$?
if [[ $status -ne 0 ]]; then
  echo "check-naming: naming violations (docs/style.md; see the errors above)" >&2
  exit 1
fi
echo "check-naming: ok"
