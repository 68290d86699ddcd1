// The keccak absorb table (zkrv.keccak_absorb: state[0..34) ^= block, then keccak-f[1600]), the
// half of its circuit that the keccak-f table (precompile_air/keccak_f1600, with
// CallBuses::absorb) does not do: one row per state word of a call, laid out as absorb_columns.h
// says. The keccak-f table answers the call (receives it on the precompile bus, checks both
// pointers' alignment, computes the 50 state and block word addresses) and, instead of sending its
// words to the memory table, hands each word's input (round 0) and output (round 23) to this table
// on the handoff bus. A row:
//   receives  (ts, addr, block_addr, has_block, 0, input_lo, input_hi)   the permutation's input
//             (ts, addr, block_addr, has_block, 1, out_lo, out_hi)       its output
//   looks up  (before_k, block_k, input_k) on BYTE, k = 0..3: bytes, and input = before xor block
//   sends     (ts + 2, addr, before) and (ts + 3, addr, out) on the word bus: the state word's access
//             (ts + 2, block_addr, block) on the read bus when has_block: the block word, which the
//             call only reads (PrecompileMemory leaves it as it was, so it may be read-only memory)
// and has_block = 0 forces the block bytes to zero, so the 16 words past the rate enter the
// permutation unchanged. has_block is the keccak-f table's constant (w < 34) carried by the
// messages, never the prover's choice. Constraints are of degree <= 2; a padding row (is_real = 0)
// has has_block = 0 and emits nothing.
//
// Each word of a call is one memory access at the call's slot ts + 2 (PrecompileMemory), so a
// block that overlaps the state names an address twice at one timestamp, which the memory argument
// cannot order: aliased buffers are unprovable (the VM faults on them before a proof is asked for).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "precompile_air/keccak_absorb/absorb_columns.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::precompile_air::keccak_absorb {

struct AbsorbTable {
  using Columns = AbsorbColumns;

  // The buses the table talks on: the keccak-f table's handoff, the memory table's word bus (the
  // state's read-then-written words), its read bus (the block's only-read words) and the byte XOR
  // lookup ((x, y, x xor y) for bytes x, y).
  struct Buses {
    stark::air::BusId handoff = 0, word = 0, read = 0, byte_xor = 0;
  };
  Buses buses;
  std::string name = "keccak_absorb";

  stark::air::TableInfo info() const;

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    const auto cell = [&b](int c) { return b.main(c); };
    const Expr one = b.constant(1);
    const Expr real = cell(Columns::kIsReal), has_block = cell(Columns::kHasBlock);
    b.assert_bool("absorb: is_real is a bit", real);
    b.assert_zero("absorb: has_block only on a real row", has_block * (one - real));
    for (int k = 0; k < 4; ++k) {
      b.assert_zero("absorb: no block byte past the rate", (one - has_block) * cell(Columns::block(k)));
    }
    const auto limb = [&](int start, int k) { return cell(start + 2 * k) + b.constant(256) * cell(start + 2 * k + 1); };
    for (int k = 0; k < 4; ++k) {
      b.send(buses.byte_xor, {cell(Columns::before(k)), cell(Columns::block(k)), cell(Columns::input(k))}, real);
    }
    const Expr ts = cell(Columns::kTs), addr = cell(Columns::kAddr), block_addr = cell(Columns::kBlockAddr);
    b.receive(buses.handoff,
              {ts, addr, block_addr, has_block, b.constant(0), limb(Columns::kInputStart, 0), limb(Columns::kInputStart, 1)},
              real);
    b.receive(buses.handoff, {ts, addr, block_addr, has_block, one, cell(Columns::kOutLo), cell(Columns::kOutHi)}, real);
    const Expr read = ts + b.constant(2), write = ts + b.constant(3);
    b.send(buses.word, {read, addr, limb(Columns::kBeforeStart, 0), limb(Columns::kBeforeStart, 1)}, real);
    b.send(buses.word, {write, addr, cell(Columns::kOutLo), cell(Columns::kOutHi)}, real);
    b.send(buses.read, {read, block_addr, limb(Columns::kBlockStart, 0), limb(Columns::kBlockStart, 1)}, has_block);
  }
};

// One call: the state before it, the block, the call's ts and both pointers (word aligned).
struct Call {
  keccak_f1600::State state{};
  std::array<uint64_t, keccak_f1600::kAbsorbBlockWords / 2> block{};
  uint32_t ts = 0, ptr = 0, block_ptr = 0;
};

// The permutation's input: the block XORed into the state's first 136 bytes.
keccak_f1600::State absorbed(const Call& call);
// The keccak-f table's call for it (CallBuses::absorb: rs2 = the block's pointer).
keccak_f1600::Call keccak_call(const Call& call);

// The table's rows: call c on rows 50 c .. 50 c + 49, word w on row 50 c + w; the height is the
// smallest power of two with room for them and `reserved_rows` (left zero for the prover).
stark::air::TableWitness absorb_witness(std::span<const Call> calls, size_t reserved_rows = 0);

}  // namespace zkrv::precompile_air::keccak_absorb
