# Sourced by gdb_session.sh and run_debugging_guide.sh: what both need to serve a guest to
# gdb-multiarch without leaving a process or a folder behind.
#   $work          a scratch folder, removed on exit (after zkrv, $pid when set, is killed)
#   fail MESSAGE   prints "FAIL: MESSAGE", then gdb's output and zkrv's stderr ($work/gdb, $work/err)
#                  where they exist, and exits 1
#   wait_for_port  after `zkrv run ... --gdb 127.0.0.1:0 2>"$work/err" &` and pid=$!: sets $port to
#                  the port zkrv printed (the kernel's choice, so parallel tests never collide)
command -v gdb-multiarch >/dev/null || { echo "FAIL: gdb-multiarch is not installed (scripts/install-deps.sh)"; exit 1; }
work=$(mktemp -d)
pid=
cleanup() {
  [[ -z $pid ]] || kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in gdb err; do [[ ! -f $work/$f ]] || { echo "--- $f"; cat "$work/$f"; }; done
  exit 1
}
wait_for_port() {
  port=
  for _ in $(seq 200); do
    port=$(sed -n 's/^waiting for gdb on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$work/err")
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || fail "zkrv ended before listening"
    sleep 0.05
  done
  [[ -n $port && $port != 0 ]] || fail "zkrv printed no port"
}
