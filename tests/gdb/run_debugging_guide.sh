#!/usr/bin/env bash
# usage: run_debugging_guide.sh <guide.md> <build dir>
#        run_debugging_guide.sh --self-test <guide.md> <build dir>
# Runs docs/guides/debugging.md's "## A session" as written, in a scratch folder where `build` is the
# build tree: its first ```sh block (write and build the guest), its second (one command: serve the
# guest with `zkrv run ... --gdb 127.0.0.1:0`, in the background), then gdb-multiarch in batch mode
# with the ```gdb block as its -x script, started as the ```console transcript's `$` line says. The
# one change made to the guide's commands: the port in `target remote` becomes the one zkrv printed
# (port 0, so that parallel tests never collide). Then every line of the transcript that is not a
# `$` line must appear in gdb's output, in order, with each `(gdb) command` matched by gdb's echo of
# it (`set trace-commands on`; `Remote debugging using` and `Continuing.` aside, which gdb prints
# only for typed commands) and every hex number (addresses, register values) taken as equal to
# any other, and gdb and zkrv must end as the guide says. Both processes run under `timeout`, and
# zkrv is killed on the way out: a gdb that dies cannot hang the test.
# --self-test: runs the guide with `break main` changed to `break bump` (in the gdb block only, then
# in the transcript too), which must fail on the line that no longer matches.
set -euo pipefail
if [[ $1 == --self-test ]]; then
  guide=$2 build=$3
  copy=$(mktemp -d)
  trap 'rm -rf "$copy"' EXIT
  # must_fail <sed script> <the failure expected>: the guide changed by the script must fail so.
  must_fail() {
    sed "$1" "$guide" >"$copy/debugging.md"
    ! cmp -s "$guide" "$copy/debugging.md" || { echo "FAIL: '$1' changes nothing in the guide"; exit 1; }
    if out=$(bash "$0" "$copy/debugging.md" "$build" 2>&1); then
      echo "$out"
      echo "FAIL: the guide changed by '$1' still passed"
      exit 1
    fi
    grep -qF "FAIL: $2" <<<"$out" || { echo "$out"; echo "FAIL: the guide changed by '$1' did not fail with: $2"; exit 1; }
    echo "ok: the guide changed by '$1' fails with: $2"
  }
  # A command changed in the gdb block only: the transcript's command is not what gdb ran.
  must_fail 's/^break main$/break bump/' "the guide's line '(gdb) break main' is not in gdb's output"
  # A command changed in the block and the transcript alike: gdb's answer is not the transcript's.
  must_fail 's/^\(.gdb. \)\{0,1\}break main$/\1break bump/' \
    "the guide's line 'Breakpoint 1 at 0x?: file counter.c, line 9.' is not in gdb's output"
  exit 0
fi

guide=$1 build=$2
heading='## A session'
# shellcheck source=tests/gdb/gdb_common.sh
source "$(dirname "$0")/gdb_common.sh"
ln -s "$build" "$work/build"
mkdir "$work/home"
export HOME=$work/home

# block <info string> <n>: the n-th ``` block with that info string in the section.
block() {
  awk -v h="$heading" -v info="$1" -v n="$2" '
    $0 == h {s = 1; next}
    s && /^## / {exit}
    s && !g && $0 == "```" info && ++c == n {g = 1; next}
    g && /^```$/ {exit}
    g' "$guide"
}
block sh 1 >"$work/build.sh"
block sh 2 >"$work/serve.sh"
block gdb 1 >"$work/commands.gdb"
block console 1 >"$work/transcript"
for f in build.sh serve.sh commands.gdb transcript; do
  [[ -s $work/$f ]] || fail "no block for $f after '$heading' in $guide"
done

# The guest, built as the guide builds it.
(cd "$work" && bash -euo pipefail build.sh) >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "the build block failed"; }

# The serve block: one command, and the line it prints as a comment (the port the guide shows).
[[ $(grep -cv '^#' "$work/serve.sh") == 1 ]] || fail "the serve block is not one command"
shown_port=$(sed -n 's/^# waiting for gdb on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/serve.sh")
[[ -n $shown_port ]] || fail "the serve block does not show 'waiting for gdb on 127.0.0.1:PORT'"
grep -q -- '--gdb 127\.0\.0\.1:0\b' "$work/serve.sh" || fail "the serve block does not serve on port 0"
: >"$work/err"  # before the start: wait_for_port reads it before the server may have opened it
(cd "$work" && exec timeout 60 bash -euo pipefail serve.sh) >"$work/out" 2>"$work/err" &
pid=$!
wait_for_port

# The gdb commands, connecting to the port zkrv printed instead of the one the guide shows.
grep -qx "target remote 127\.0\.0\.1:$shown_port" "$work/commands.gdb" ||
  fail "the gdb block does not connect to 127.0.0.1:$shown_port, the port the serve block shows"
sed "s/^target remote 127\.0\.0\.1:$shown_port\$/target remote 127.0.0.1:$port/" "$work/commands.gdb" >"$work/session.gdb"
start=$(sed -n 's/^\$ gdb-multiarch //p' "$work/transcript")
[[ -n $start ]] || fail "the transcript has no '\$ gdb-multiarch ...' line"
read -ra start_args <<<"$start"
# gdb's status is checked after its output: a command that failed shows there as the line that is
# missing, which says more.
gdb_status=0
(cd "$work" && timeout 60 gdb-multiarch -batch -nx -ex 'set trace-commands on' "${start_args[@]}" -x session.gdb) \
  >"$work/gdb" 2>&1 || gdb_status=$?
status=0
wait "$pid" || status=$?
pid=

# normalize: prompts for traced commands, the guide's port, any hex number alike, blanks collapsed,
# blank lines dropped.
normalize() {
  sed -E -e 's/^\+/(gdb) /' -e "s/127\.0\.0\.1:$port\b/127.0.0.1:$shown_port/g" -e 's/0x[0-9a-f]+/0x?/g' \
    -e 's/[[:space:]]+/ /g' -e 's/ $//' | grep -v '^$' || true
}
# gdb prints `Remote debugging using` and `Continuing.` only for commands typed at its prompt (they
# come from a terminal), so the transcript shows them and a batch run cannot.
grep -Ev '^(\$ |Remote debugging using |Continuing\.$)' "$work/transcript" | normalize >"$work/want"
normalize <"$work/gdb" >"$work/got"
# Every wanted line, in order, somewhere after the previous one.
missing=$(awk 'NR == FNR {want[++n] = $0; next} i < n && $0 == want[i + 1] {i++} END {if (i < n) print want[i + 1]}' \
  "$work/want" "$work/got")
[[ -z $missing ]] || fail "the guide's line '$missing' is not in gdb's output (hex numbers aside)"
[[ $gdb_status == 0 ]] || fail "gdb-multiarch failed (status $gdb_status)"

# The transcript must show what the guide is about, so that cutting it down cannot pass.
grep -qE '^Breakpoint 1, main \(\) at counter\.c:[0-9]+$' "$work/want" || fail "the transcript does not stop at main"
grep -qE '^[0-9]+ int total = 0;$' "$work/want" || fail "the transcript shows no source line at main"
tr '\n' '|' <"$work/want" | grep -qE 'Hardware watchpoint 2: counter\|Old value = 0\|New value = 1\|(0x\? in )?bump \(by=1\)' ||
  fail "the transcript shows no watchpoint hit"
grep -qF '[Inferior 1 (Remote target) exited with code 06]' "$work/want" || fail "the transcript shows no exit code"
# zkrv's side, as the guide's text says: the run report and status 1 (the guest exited with 6).
[[ $status == 1 ]] || fail "zkrv exit status $status, want 1 (the guest's exit code 6)"
grep -q '^  result       exit 6 (guest failure)$' "$work/err" || fail "no run report with exit 6"
grep -qF 'result       exit 6 (guest failure)' "$guide" || fail "the guide does not quote the run report's result"
cat "$work/gdb"
echo ok
