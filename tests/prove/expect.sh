# Sourced by run.sh and segments.sh (tests/prove): the guests in a fresh temporary folder ($g), and
# `expect`, which runs one zkrv command under a time limit and counts what fails ($failures).
#   source expect.sh ZKRV MAKE_GUESTS
zkrv=${1:?usage: $0 ZKRV MAKE_GUESTS}
make_guests=${2:?usage: $0 ZKRV MAKE_GUESTS}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$make_guests" "$work" || { echo "make_guests failed"; exit 1; }
failures=0
g=$work

# expect STATUS MESSAGE -- ARGS...: `zkrv ARGS` exits with STATUS and prints MESSAGE (stdout or stderr).
expect() {
  local status=$1 message=$2
  shift 3
  local got
  output=$(timeout 120 "$zkrv" "$@" 2>&1)
  got=$?
  if [[ $got -ne $status ]] || [[ "$output" != *"$message"* ]]; then
    echo "FAIL: zkrv $*"
    echo "  expected status $status and a message containing: $message"
    echo "  got status $got:"
    printf '%s\n' "$output" | head -8 | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: zkrv $* -> $got"
  fi
}

# finish WHAT: the summary line, and a failing exit status when a case failed.
finish() {
  if [[ $failures -ne 0 ]]; then
    echo "$failures $1 case(s) failed"
    exit 1
  fi
  echo "all $1 cases behaved"
}
