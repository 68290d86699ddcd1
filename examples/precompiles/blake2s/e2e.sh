#!/usr/bin/env bash
# The README's walk-through, run for real: e2e.sh <zkrv> package|run [<blake2s_write_circuit>]
#   package: new (the scaffold builds and packs) -> build (the library and, through the SDK's
#            circuit kit, the circuit) -> keygen -> pack (with the circuit) -> sign -> install
#            (refused until the signer is trusted) -> list -> verify -> check (the circuit against the library: clean), plus the CLI's refusals of
#            tampered, truncated and unexpected packages (exit status 5);
#   run:     the same, then builds the guest and runs it on zkrv; `zkrv prove` refuses the run while
#            the installed package has no circuit (packed with --no-circuit); then, with the
#            circuit the build made (the same bytes as zkrv's in-tree writer, circuit/write_circuit.cc,
#            makes), `zkrv prove` and `zkrv verify` of the run, and verify's refusals of a tampered
#            circuit, of a signer in no trust file (until --trust-key), of a key edited to name
#            another package (another program), of an installed circuit the machine refuses (cannot
#            verify, naming the package) and of another circuit installed in the package's place; a
#            newer version with another circuit installed beside it does not stop the proof
#            verifying (the key's circuit digest picks the version).
set -euo pipefail
zkrv=$1
mode=${2:-package}
write_circuit=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home ZKRV_PRECOMPILE_PATH=$work/installed ZKRV_TRUST_FILE=$work/trust.json
unset XDG_DATA_HOME XDG_CONFIG_HOME

step() { echo "== $*" >&2; }
expect_status() {
  local expected=$1
  shift
  set +e
  "$@" >"$work/out" 2>"$work/err"
  local status=$?
  set -e
  if [[ $status -ne $expected ]]; then
    echo "FAIL: '$*' exited $status, expected $expected" >&2
    cat "$work/out" "$work/err" >&2
    exit 1
  fi
  cat "$work/err" >&2
}

step "new: a fresh scaffold builds and packs"
"$zkrv" precompile new "$work/scaffold" --name acme.scaffold
"$zkrv" precompile build "$work/scaffold"
"$zkrv" precompile pack "$work/scaffold"
test -f "$work/scaffold/acme.scaffold-0.1.0.zkrvpkg"

step "build the example"
mkdir -p "$work/blake2s"
cp -r "$here/CMakeLists.txt" "$here/zkrv-precompile.json" "$here/src" "$here/circuit" "$here/guest" "$work/blake2s/"
"$zkrv" precompile build "$work/blake2s" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
(cd "$work/blake2s/build" && ctest --output-on-failure)
circuit=$work/blake2s/build/example_blake2s_compress.zkrv-circuit
test -s "$circuit"
grep -q "zkrv precompile build: circuit '.*/build/example_blake2s_compress.zkrv-circuit' ($(stat -c %s "$circuit") bytes)" "$work/err" \
  || { cat "$work/err" >&2; exit 1; }
grep -q "\"circuit\": \"$circuit\"" "$work/blake2s/build/example_blake2s_compress.zkrv-precompile.json"
# A record naming a circuit that is gone: pack refuses, naming it and what to run.
mv "$circuit" "$work/circuit.away"
expect_status 5 "$zkrv" precompile pack "$work/blake2s" -o "$work/gone.zkrvpkg"
grep -q "names the circuit '$circuit', which does not exist (run \`zkrv precompile build $work/blake2s\`)" "$work/err"
mv "$work/circuit.away" "$circuit"

step "keygen, pack, sign"
"$zkrv" precompile keygen --name example-author -o "$work/keys/author.json"
"$zkrv" precompile pack "$work/blake2s" -o "$work/blake2s.zkrvpkg"
"$zkrv" precompile sign "$work/blake2s.zkrvpkg" --key "$work/keys/author.json"
"$zkrv" precompile inspect "$work/blake2s.zkrvpkg" >"$work/report"
grep -q "signature       ed25519:.* (verifies)" "$work/report"
grep -q "circuit         example_blake2s_compress.zkrv-circuit ($(stat -c %s "$circuit") bytes, sha256 $(sha256sum "$circuit" | cut -d' ' -f1))" \
  "$work/report" || { cat "$work/report" >&2; exit 1; }

step "install: refused while the signer is untrusted, then accepted with --trust-key"
expect_status 5 "$zkrv" precompile install "$work/blake2s.zkrvpkg"
grep -q "which is in no trust file" "$work/err"
"$zkrv" precompile install "$work/blake2s.zkrvpkg" --trust-key "$work/keys/author.pub.json"
installed=$work/installed/example.blake2s_compress-2.0.0.zkrvpkg
"$zkrv" precompile list | grep -q "example.blake2s_compress"
"$zkrv" precompile list --json | grep -q '"status": "ok"'
digest=$("$zkrv" precompile verify "$installed" --json | sed -n 's/.*"package_sha256": "\([0-9a-f]*\)".*/\1/p')
test ${#digest} -eq 64
"$zkrv" precompile verify "$installed" --expect-sha256 "$digest"

step "check: the package's circuit is clean against its library, by file and by installed name; a package without a circuit cannot be checked (status 5); bad options (2)"
"$zkrv" precompile check "$installed" --calls 16 --cells 128 >"$work/report"
grep -q "clean" "$work/report" || { cat "$work/report" >&2; exit 1; }
"$zkrv" precompile check example.blake2s_compress --calls 16 --cells 128 --json | grep -q '"clean": true'
"$zkrv" precompile pack "$work/blake2s" --no-circuit -o "$work/check-no-circuit.zkrvpkg"
expect_status 5 "$zkrv" precompile check "$work/check-no-circuit.zkrvpkg"
grep -q "the package has no circuit" "$work/err"
expect_status 5 "$zkrv" precompile check "$work/no-such.zkrvpkg"
expect_status 2 "$zkrv" precompile check "$installed" --calls 0

step "refusals: unexpected digest, tampered library, truncated and garbage files, unsigned package"
expect_status 5 "$zkrv" precompile verify "$installed" --expect-sha256 "$(printf '0%.0s' {1..64})"
cp "$installed" "$work/tampered.zkrvpkg"
size=$(stat -c %s "$work/tampered.zkrvpkg")
printf '\x00' | dd of="$work/tampered.zkrvpkg" bs=1 seek=$((size - 200)) conv=notrunc status=none
expect_status 5 "$zkrv" precompile verify "$work/tampered.zkrvpkg"
grep -q "damaged or tampered with" "$work/err"
expect_status 5 "$zkrv" precompile install "$work/tampered.zkrvpkg" --force
head -c 100 "$installed" >"$work/truncated.zkrvpkg"
expect_status 5 "$zkrv" precompile inspect "$work/truncated.zkrvpkg"
grep -q "truncated" "$work/err"
echo "not a package" >"$work/garbage.zkrvpkg"
expect_status 5 "$zkrv" precompile verify "$work/garbage.zkrvpkg"
grep -q "no ZKRVPKG magic" "$work/err"
expect_status 5 "$zkrv" precompile verify "$work/scaffold/acme.scaffold-0.1.0.zkrvpkg"
grep -q "is unsigned" "$work/err"
"$zkrv" precompile install "$work/scaffold/acme.scaffold-0.1.0.zkrvpkg" --allow-untrusted
"$zkrv" precompile list --json | grep -q '"trust": "allowed-digest"'

if [[ $mode == run ]]; then
  step "run: a guest that uses the precompile (the library runs in the sandbox)"
  "$zkrv" build "$work/blake2s/guest/blake2s_guest.c" -o "$work/guest.elf"
  "$zkrv" run "$work/guest.elf" --input-hex 616263 --output "$work/digest.bin" >"$work/report" 2>&1
  test "$(od -An -tx1 -v "$work/digest.bin" | tr -d ' \n')" = 508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982
  grep -q "example.blake2s_compress 1 call$" "$work/report"

  step "run: a call the circuit could not prove (overlapping buffers) faults, naming both"
  "$zkrv" build "$work/blake2s/guest/overlap_guest.c" -o "$work/overlap.elf"
  set +e
  "$zkrv" run "$work/overlap.elf" >"$work/out" 2>"$work/err"
  status=$?
  set -e
  test $status -ne 0
  grep -q "example.blake2s_compress: the state (32 bytes at 0x[0-9a-f]*) and the parameters (76 bytes at 0x[0-9a-f]*) overlap" "$work/err" \
    || { cat "$work/out" "$work/err" >&2; exit 1; }

  step "prove: a package without a circuit runs, but a run that calls it is refused, naming it"
  "$zkrv" precompile pack "$work/blake2s" --no-circuit -o "$work/no-circuit.zkrvpkg"
  "$zkrv" precompile inspect "$work/no-circuit.zkrvpkg" | grep -q "circuit         none"
  "$zkrv" precompile sign "$work/no-circuit.zkrvpkg" --key "$work/keys/author.json"
  "$zkrv" precompile install "$work/no-circuit.zkrvpkg" --force
  "$zkrv" run "$work/guest.elf" --input-hex 616263 >/dev/null
  expect_status 6 "$zkrv" prove "$work/guest.elf" --input-hex 616263 -o "$work/guest.proof"
  grep -q "the run calls precompile example.blake2s_compress (1 call): no circuit proves it" "$work/err"

  if [[ -n $write_circuit ]]; then
    step "the circuit the SDK build made is the in-tree writer's, byte for byte; reinstall the package with it"
    "$write_circuit" "$work/blake2s.circuit"
    test "$(sha256sum <"$work/blake2s.circuit")" = "$(sha256sum <"$circuit")"
    "$zkrv" precompile install "$work/blake2s.zkrvpkg" --force
    "$zkrv" inspect "$work/guest.elf" >"$work/report"
    grep -q "circuit: the package's, digest [0-9a-f]\{64\}$" "$work/report" || { cat "$work/report" >&2; exit 1; }

    step "prove and verify the run; verify lists the package circuit the statement relies on"
    "$zkrv" prove "$work/guest.elf" --input-hex 616263 -o "$work/guest.proof" >"$work/report"
    grep -q "circuit .*example.blake2s_compress 2.0.0 (package), digest [0-9a-f]\{64\}" "$work/report" \
      || { cat "$work/report" >&2; exit 1; }
    "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf" --expect-input-hex 616263 \
      --expect-output-hex 508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982 >"$work/report"
    grep -q "valid" "$work/report"
    grep -q "circuit .*example.blake2s_compress 2.0.0 (package), digest [0-9a-f]\{64\}, signed by trusted key 'example-author'" "$work/report" \
      || { cat "$work/report" >&2; exit 1; }
    "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf" --json >"$work/report.json"
    grep -q '"package_circuits": \[' "$work/report.json"
    grep -q '"name": "example.blake2s_compress"' "$work/report.json"

    step "verify refuses a tampered circuit blob in the installed package, naming both SHA-256s"
    installed=$work/installed/example.blake2s_compress-2.0.0.zkrvpkg
    cp "$installed" "$work/good.zkrvpkg"
    offset=$(grep -obUa ZKRVCIRC "$installed" | head -1 | cut -d: -f1)
    printf '\x01' | dd of="$installed" bs=1 seek=$((offset + 4000)) conv=notrunc status=none
    expect_status 5 "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf"
    grep -q "example.blake2s_compress@2.0.0 .* is damaged or tampered with: the circuit's SHA-256 is [0-9a-f]\{64\} but the manifest says [0-9a-f]\{64\}" "$work/err"
    cp "$work/good.zkrvpkg" "$installed"

    id=$(sed -n 's/.*"program_id": "\([0-9a-f]*\)".*/\1/p' "$work/report.json")

    step "verify refuses the package circuit while its signer is in no trust file, then accepts it with --trust-key"
    ZKRV_TRUST_FILE=$work/no-trust.json expect_status 5 "$zkrv" verify "$work/guest.proof" --program-id "$id"
    grep -q "cannot verify: .*example.blake2s_compress.* trust its signer (--trust-key)" "$work/err"
    ZKRV_TRUST_FILE=$work/no-trust.json "$zkrv" verify "$work/guest.proof" --program-id "$id" \
      --trust-key "$work/keys/author.pub.json" >/dev/null

    step "a proof whose key was edited to name an uninstalled package is for another program, before any lookup"
    perl -0777 -pe 's/example\.blake2s_compress/example.blake2s_compresx/g' "$work/guest.proof" >"$work/forged.proof"
    if cmp -s "$work/guest.proof" "$work/forged.proof"; then echo "FAIL: the key names no package" >&2; exit 1; fi
    expect_status 7 "$zkrv" verify "$work/forged.proof" --program-id "$id"
    grep -q "invalid proof: the proof is for another program" "$work/err"
    expect_status 7 "$zkrv" verify "$work/forged.proof" --elf "$work/guest.elf"
    grep -q "invalid proof: the proof is for another program" "$work/err"

    step "verify rejects the proof when another circuit is installed in the package's place, naming both digests"
    "$write_circuit" "$work/other.circuit" --table-name blake2s_compress_v2
    "$zkrv" precompile pack "$work/blake2s" --circuit "$work/other.circuit" -o "$work/other.zkrvpkg"
    "$zkrv" precompile sign "$work/other.zkrvpkg" --key "$work/keys/author.json"
    "$zkrv" precompile install "$work/other.zkrvpkg" --force
    expect_status 7 "$zkrv" verify "$work/guest.proof" --program-id "$id"
    grep -q "invalid proof: no installed package example.blake2s_compress satisfying '.*' carries the circuit of digest [0-9a-f]\{64\} the proof was made with (installed: 2.0.0 ('.*'): circuit digest [0-9a-f]\{64\})" "$work/err"
    expect_status 7 "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf"

    step "an installed circuit the machine refuses: verify --elf cannot verify, naming the package (not 'does not prove it')"
    printf 'not a circuit' >"$work/refused.circuit"
    "$zkrv" precompile pack "$work/blake2s" --circuit "$work/refused.circuit" -o "$work/refused.zkrvpkg"
    "$zkrv" precompile sign "$work/refused.zkrvpkg" --key "$work/keys/author.json"
    "$zkrv" precompile install "$work/refused.zkrvpkg" --force
    expect_status 5 "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf"
    grep -q "cannot verify: .* declares a precompile package whose circuit cannot be used here: the circuit of precompile package example.blake2s_compress is refused" "$work/err"
    cp "$work/good.zkrvpkg" "$installed"
    "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf" >/dev/null

    step "a newer version (2.1.0) with another circuit installed beside 2.0.0: verify picks 2.0.0 by the key's digest"
    mkdir -p "$work/blake2s-2.1"
    cp -r "$here/CMakeLists.txt" "$here/zkrv-precompile.json" "$here/src" "$here/circuit" "$work/blake2s-2.1/"
    sed -i 's/"version": "2.0.0"/"version": "2.1.0"/' "$work/blake2s-2.1/zkrv-precompile.json"
    sed -i 's/"example.blake2s_compress", "2.0.0"/"example.blake2s_compress", "2.1.0"/' "$work/blake2s-2.1/src/precompile.cc"
    "$zkrv" precompile build "$work/blake2s-2.1" >/dev/null
    # An explicit --circuit wins over the one the build made.
    "$zkrv" precompile pack "$work/blake2s-2.1" --circuit "$work/other.circuit" -o "$work/newer.zkrvpkg"
    "$zkrv" precompile inspect "$work/newer.zkrvpkg" | grep -q "circuit         other.circuit"
    "$zkrv" precompile sign "$work/newer.zkrvpkg" --key "$work/keys/author.json"
    "$zkrv" precompile install "$work/newer.zkrvpkg"
    for program in --program-id=$id --elf=$work/guest.elf; do
      "$zkrv" verify "$work/guest.proof" "$program" >"$work/report"
      grep -q "circuit .*example.blake2s_compress 2.0.0 (package)" "$work/report" || { cat "$work/report" >&2; exit 1; }
    done
    step "a guest pinning 2.0.0's package SHA-256 is proven and verified with 2.0.0's circuit, 2.1.0 installed beside it"
    pinned=$("$zkrv" precompile verify "$installed" --json | sed -n 's/.*"package_sha256": "\([0-9a-f]*\)".*/\1/p')
    bytes=$(echo "$pinned" | sed 's/\(..\)/0x\1, /g; s/, $//')
    sed "s|^ZKRV_PRECOMPILE(blake2s_compress, 0, \"example.blake2s_compress\", \"^2.0\")|ZKRV_PRECOMPILE_PINNED(blake2s_compress, 0, \"example.blake2s_compress\", \"^2.0\", {$bytes})|" \
      "$work/blake2s/guest/blake2s_guest.c" >"$work/blake2s/guest/pinned_guest.c"
    grep -q ZKRV_PRECOMPILE_PINNED "$work/blake2s/guest/pinned_guest.c"
    "$zkrv" build "$work/blake2s/guest/pinned_guest.c" -o "$work/pinned.elf"
    "$zkrv" prove "$work/pinned.elf" --input-hex 616263 -o "$work/pinned.proof" >"$work/report"
    grep -q "circuit .*example.blake2s_compress 2.0.0 (package)" "$work/report" || { cat "$work/report" >&2; exit 1; }
    "$zkrv" verify "$work/pinned.proof" --elf "$work/pinned.elf" >"$work/report"
    grep -q "circuit .*example.blake2s_compress 2.0.0 (package)" "$work/report" || { cat "$work/report" >&2; exit 1; }
    # Both carry another circuit than the proof's: the rejection names each installed version.
    cp "$work/other.zkrvpkg" "$installed"
    expect_status 7 "$zkrv" verify "$work/guest.proof" --program-id "$id"
    grep -q "(installed: 2.1.0 ('.*'): circuit digest [0-9a-f]\{64\}; 2.0.0 ('.*'): circuit digest [0-9a-f]\{64\})" "$work/err"
    cp "$work/good.zkrvpkg" "$installed"
    rm "$work/installed/example.blake2s_compress-2.1.0.zkrvpkg"
    "$zkrv" verify "$work/guest.proof" --elf "$work/guest.elf" >/dev/null
  fi

  step "a damaged installed package: list and inspect say so in their exit status, run names the cause"
  "$zkrv" inspect "$work/guest.elf" >/dev/null
  echo '{"format": not json' >"$work/installed/example.blake2s_compress-2.0.0.zkrvpkg"
  expect_status 5 "$zkrv" precompile list
  expect_status 5 "$zkrv" inspect "$work/guest.elf"
  expect_status 5 "$zkrv" run "$work/guest.elf" --input-hex 616263
  grep -q "its package '.*example.blake2s_compress-2.0.0.zkrvpkg' cannot be read" "$work/err"
fi
echo "e2e ($mode): ok" >&2
