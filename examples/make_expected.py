#!/usr/bin/env python3
"""Writes examples/<name>/expected.json: the cases the end-to-end tests run on each example guest.

Expected outputs are computed here independently of the guests (hashlib for SHA-256, Python's own
integers for Fibonacci, the json module for sums, a re-implementation of sort's generator, a
pure-Python Keccak-256 from FIPS 202 for keccak256).
Run it after changing a case: python3 examples/make_expected.py

Format of expected.json:
  example          guest name; the ELF is <build>/examples/<clang|gcc>/<example>.elf
  qemu             true when the guest uses only write/exit, so qemu-riscv32 runs it unchanged
  cases[]          one run each:
    name             short label
    input_hex        public input (zkrv run --input-hex)
    hint_hex         private input (zkrv run --hint FILE with these bytes)
    output_hex       expected public output
    exit_code        expected guest exit code, or null when the run must stop with a fault
    fault            expected VM fault kind (docs/abi.md), or null
    stdout_contains  substring of the guest's stdout log, or null
    stderr_contains  substring of the guest's stderr log, or null
    fault_source     (fault cases, optional) the fault's source line as `zkrv run` reports it; the
                     backtrace must then run from `main` to `_start`
"""
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MASK64 = (1 << 64) - 1


def case(name, input_bytes=b"", hint=b"", output=b"", exit_code=0, fault=None, stdout=None,
         stderr=None, fault_source=None):
    spec = {
        "name": name,
        "input_hex": input_bytes.hex(),
        "hint_hex": hint.hex(),
        "output_hex": output.hex(),
        "exit_code": exit_code,
        "fault": fault,
        "stdout_contains": stdout,
        "stderr_contains": stderr,
    }
    if fault_source:
        spec["fault_source"] = fault_source
    return spec


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a & MASK64


def sort_checksums(count, seed):
    state = seed
    values = []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        values.append((state >> 33) & 0xFFFFFFFF)
    records = sorted((v % 1000, i) for i, v in enumerate(values))
    fold = 14695981039346656037
    for key, ident in records:
        fold = ((fold ^ (key << 32 | ident)) * 1099511628211) & MASK64
    weighted = sum((i + 1) * v for i, v in enumerate(sorted(values))) & MASK64
    return struct.pack("<QQ", fold, weighted)


def integers_in(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [n for item in items for n in integers_in(item)]


def json_case(name, text):
    numbers = integers_in(json.loads(text))
    output = struct.pack("<qI", sum(numbers), len(numbers))
    return case(name, input_bytes=text.encode(), output=output,
                stdout=f"json: {len(numbers)} integers, sum {sum(numbers)}")


def keccak_f1600(a):
    """FIPS 202's keccak-f[1600] on 25 lanes (x + 5 y), its round constants from Algorithm 5's LFSR."""
    def rol(x, n):
        return ((x << n) | (x >> (64 - n))) & MASK64 if n else x
    r, constants = 1, []
    for _ in range(24):
        rc = 0
        for j in range(7):
            if r & 1:
                rc |= 1 << ((1 << j) - 1)
            r = ((r << 1) ^ (0x171 if r & 0x80 else 0)) & 0xff
        constants.append(rc)
    offsets, x, y = [0] * 25, 1, 0
    for t in range(24):
        offsets[x + 5 * y] = (t + 1) * (t + 2) // 2 % 64
        x, y = y, (2 * x + 3 * y) % 5
    for rc in constants:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        a = [a[i] ^ c[(i % 5 + 4) % 5] ^ rol(c[(i % 5 + 1) % 5], 1) for i in range(25)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rol(a[x + 5 * y], offsets[x + 5 * y])
        a = [b[i] ^ (~b[(i % 5 + 1) % 5 + i // 5 * 5] & b[(i % 5 + 2) % 5 + i // 5 * 5]) for i in range(25)]
        a[0] ^= rc
    return a


def keccak256(data):
    """Ethereum's Keccak-256: rate 136, padding 0x01 ... 0x80."""
    padded = bytearray(data) + b"\x01"
    padded += bytes(-len(padded) % 136)
    padded[-1] |= 0x80
    lanes = [0] * 25
    for block in range(0, len(padded), 136):
        for i in range(17):
            lanes[i] ^= int.from_bytes(padded[block + 8 * i:block + 8 * i + 8], "little")
        lanes = keccak_f1600(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes)[:32]


def keccak_case(name, data):
    digest = keccak256(data)
    return case(name, hint=data, output=digest, stdout=digest.hex())


def sha_case(name, data):
    digest = hashlib.sha256(data).digest()
    return case(name, hint=data, output=digest, stdout=digest.hex())


def unaligned_case(name, records):
    data = b"".join(struct.pack("<BIH", tag, value, weight) for tag, value, weight in records)
    xor = 0
    output = b""
    for tag, value, weight in records:
        xor ^= value
        output += struct.pack("<BI", tag, (value * weight) & 0xFFFFFFFF)
    output += struct.pack("<I", xor)
    return case(name, data, output=output, stdout=f"unaligned: {len(records)} records, xor {xor:08x}")


EXAMPLES = {
    "hello": (False, [
        case("four bytes", b"zkrv", output=b"zkrv", stdout="public input: 4 bytes"),
        case("empty input", b"", output=b"", stdout="hello from zkrv!"),
        case("partial word", b"hello", output=b"hello", stdout="public input: 5 bytes"),
    ]),
    "fibonacci": (False, [
        case("fib 0", struct.pack("<I", 0), output=struct.pack("<Q", fib(0)), stdout="fib(0) = 0"),
        case("fib 10", struct.pack("<I", 10), output=struct.pack("<Q", fib(10)), stdout="fib(10) = 55"),
        case("fib 90", struct.pack("<I", 90), output=struct.pack("<Q", fib(90)),
             stdout=f"fib(90) = {fib(90)}"),
        case("fib 1000 wraps mod 2^64", struct.pack("<I", 1000), output=struct.pack("<Q", fib(1000))),
        case("wrong input size", b"\x01\x02", exit_code=1,
             stderr="expected a 4-byte public input"),
    ]),
    "sha256": (False, [
        sha_case("abc", b"abc"),
        sha_case("empty", b""),
        sha_case("55 bytes (one padding block)", b"a" * 55),
        sha_case("56 bytes (two padding blocks)", b"a" * 56),
        sha_case("1000 bytes", bytes(i % 251 for i in range(1000))),
    ]),
    "json": (False, [
        json_case("nested document",
                  '{"a": [1, 2, -3], "b": {"c": 40, "d": []}, "e": "x\\"y", "f": true, "g": null}'),
        json_case("bare number", "12345"),
        json_case("array of many", "[" + ", ".join(str(i * 7 - 300) for i in range(200)) + "]"),
        case("unterminated array", b"[1, 2", exit_code=2, stderr="json: error at byte 5"),
        case("bad literal", b'{"a": tru}', exit_code=2, stderr="unknown literal"),
        case("empty input", b"", exit_code=2, stderr="unexpected end of input"),
    ]),
    "sort": (False, [
        case("1000 records", struct.pack("<II", 1000, 42), output=sort_checksums(1000, 42),
             stdout="sort: 1000 records"),
        case("no records", struct.pack("<II", 0, 1), output=sort_checksums(0, 1)),
        case("20000 records", struct.pack("<II", 20000, 7), output=sort_checksums(20000, 7)),
        case("short input", b"\x01", exit_code=1, stderr="expected 8 bytes"),
    ]),
    "shapes": (True, [
        case("registry", stdout="shapes: 3 shapes, total area 116/2"),
        case("static destructor", stdout="shapes: static destructor ran"),
    ]),
    "abort": (True, [
        case("abort", exit_code=134, stdout="calling abort()", stderr="abort() called"),
    ]),
    "assert": (True, [
        case("failed assert", exit_code=134, stdout="checking the answer",
             stderr="answer() == 42"),
    ]),
    "keccak256": (False, [
        keccak_case("empty", b""),
        keccak_case("abc", b"abc"),
        keccak_case("135 bytes (padding in one byte)", bytes(range(135))),
        keccak_case("300 bytes (two blocks and a tail)", bytes((7 * i + 3) & 0xff for i in range(300))),
    ]),
    "bad_pointer": (False, [
        case("store to null guard", exit_code=None, fault="store-fault",
             stdout="writing to address 0x100", fault_source="bad_pointer/bad_pointer.c:10"),
    ]),
    "unaligned": (False, [
        unaligned_case("three records", [(1, 0x01020304, 2), (7, 0xdeadbeef, 0xffff), (9, 5, 1000)]),
        unaligned_case("twenty records",
                       [(i, (i * 2654435761) & 0xFFFFFFFF, (i * 40503) & 0xFFFF) for i in range(20)]),
        unaligned_case("no records", []),
        case("partial record", b"\x01\x02\x03", exit_code=2, stderr="not a whole number of 7-byte records"),
    ]),
}


def main():
    for name, (qemu, cases) in EXAMPLES.items():
        path = os.path.join(HERE, name, "expected.json")
        with open(path, "w") as out:
            json.dump({"example": name, "qemu": qemu, "cases": cases}, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
