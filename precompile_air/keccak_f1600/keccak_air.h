// The keccak-f[1600] table: one round a row, 24 rows a permutation, laid out as keccak_columns.h
// says. Each row proves one round R = iota o chi o pi o rho o theta (FIPS 202 section 3.3) from
// its input A (implicit: A' xor D) to its committed output limbs; the link flag chains a
// permutation's rows, so the output on the row of round 23 is keccak-f[1600] of the input on the
// row of round 0. Constraints, all of degree <= 3:
//   bits        A', C', D are 0 or 1
//   theta       C'[x][z] = parity of A'[x][.][z]      (sum - C' in {0, 2, 4})
//               D[x][z] = C[x-1][z] xor C[x+1][z-1] with C = C' xor D, the parity of A
//               (the sum of D[x][z] and those four bits in {0, 2, 4})
//   rho, pi     no constraint: chi reads A''s bits at the moved positions
//   chi         each output limb = sum 2^i chi(B)_i of its bits
//   iota        lane (0, 0)'s 7 bits that a round constant can touch go through committed cells
//               (chi(B) there is degree 3, the constant a degree-2 function of the counter)
//   counter     u = e_0, v = e_0 on the first row; v rotates every row, u when v wraps
//   link        link = transition * (1 - [round 23]); link * (output - next row's A) = 0
//   calls       active is a bit, the same on a permutation's rows (link * (active' - active)), as are
//               the call's ts, ptr and rs2; first = active [round 0], last = active [round 23];
//               first * (word limb - the input's 16 bits) = 0 (A' xor D, degree 2), last * (word
//               limb - output limb) = 0; ptr_lo = 4 ptr_word
// With `buses` set (the RISC-V machine's precompile bus, docs/proof-system.md "Precompile calls"),
// the table answers the calls of one custom-0 index: on a first row it receives the call
// (index, ts, ptr_lo, ptr_hi, rs2_lo, rs2_hi, rd = 0, 0) and range-checks ptr_word below 2^16 (so
// ptr is word aligned), and on its first and last rows it sends each of the 50 state words
// (ts + 2 + last, ptr_word + 2^14 ptr_hi + w, lo, hi) to the table that makes the memory accesses:
// the input at slot ts + 2, the output at ts + 3. Padding permutations (active = 0) emit nothing.
// With `buses->absorb` (zkrv.keccak_absorb, precompile_air/keccak_absorb), the call's rs2 is a
// block's pointer (rs2_lo = 4 rs2_word, rs2_word range-checked, else rs2_word = 0) and the words go
// instead to the absorb table on the handoff bus, one message each per first and last row:
// (ts, state word address, block word address, w < 34, last, lo, hi), the permutation's input
// (the XORed state) on round 0 and its output on round 23; the absorb table makes the accesses.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "precompile_air/keccak_f1600/keccak_columns.h"
#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::precompile_air::keccak_f1600 {

namespace internal {

// Constraint names; they outlive every builder.
struct ConstraintNames {
  std::string group_first[kRoundGroups], step_first[kRoundsPerGroup];
  std::string group_step[kRoundGroups], step_step[kRoundsPerGroup];
  std::string link_flag;
  std::string a_prime_bit, c_prime_bit, d_bit;
  std::string parity[5][kLaneBits], theta_d[5][kLaneBits];
  std::string chi[5][5][kLimbsPerLane];  // lane (0, 0): "chi+iota ..."
  std::string iota[kIotaBits.size()];
  std::string link[5][5][kLimbsPerLane];
};
const ConstraintNames& constraint_names();

// Writes the row of round `round` (0..23) with input `input` (every cell: the row must be zero
// before) and returns the round's output. Tests build consistent forgeries from it.
State fill_round(const State& input, size_t round, bool link, std::span<stark::air::Fp> row);

}  // namespace internal

struct KeccakTable {
  using Columns = KeccakColumns;

  // The buses a call reaches the table through, and the custom-0 index it answers.
  struct CallBuses {
    stark::air::BusId call = 0, word = 0, range16 = 0;
    uint32_t index = 0;
    // zkrv.keccak_absorb: the words go to the absorb table on `handoff` (above).
    bool absorb = false;
    stark::air::BusId handoff = 0;
  };
  std::optional<CallBuses> buses;
  // A machine with the table more than once (one per custom-0 index) names each differently.
  std::string name = "keccak_f1600";

  stark::air::TableInfo info() const;

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    const internal::ConstraintNames& names = internal::constraint_names();
    const auto cell = [&b](int c) { return b.main(c); };
    const auto one = b.constant(1);
    const auto two = b.constant(2);
    const auto four = b.constant(4);
    const auto xor2 = [&two](const Expr& p, const Expr& q) { return p + q - two * p * q; };
    // s in {0, 2, 4}: over sums of at most 5 bits, "s is even".
    const auto even = [&two, &four](const Expr& s) { return s * (s - two) * (s - four); };

    // The round counter.
    for (size_t i = 0; i < kRoundGroups; ++i) {
      b.assert_zero_first(names.group_first[i].c_str(), cell(Columns::group(i)) - (i == 0 ? one : b.constant(0)));
    }
    for (size_t j = 0; j < kRoundsPerGroup; ++j) {
      b.assert_zero_first(names.step_first[j].c_str(), cell(Columns::step(j)) - (j == 0 ? one : b.constant(0)));
    }
    const Expr wrap = cell(Columns::step(kRoundsPerGroup - 1));
    for (size_t i = 0; i < kRoundGroups; ++i) {
      const Expr u = cell(Columns::group(i));
      const Expr previous = cell(Columns::group((i + kRoundGroups - 1) % kRoundGroups));
      b.assert_zero_transition(names.group_step[i].c_str(), b.main_next(Columns::group(i)) - (u + wrap * (previous - u)));
    }
    for (size_t j = 0; j < kRoundsPerGroup; ++j) {
      b.assert_zero_transition(names.step_step[j].c_str(),
                               b.main_next(Columns::step(j)) - cell(Columns::step((j + kRoundsPerGroup - 1) % kRoundsPerGroup)));
    }
    const Expr link = cell(Columns::kLink);
    const Expr last_round = cell(Columns::group(kRoundGroups - 1)) * wrap;
    b.assert_zero(names.link_flag.c_str(), link - b.is_transition() * (one - last_round));

    // Bits.
    for (size_t k = 0; k < 25 * kLaneBits; ++k) b.assert_bool(names.a_prime_bit.c_str(), cell(Columns::kAPrimeStart + static_cast<int>(k)));
    for (size_t k = 0; k < 5 * kLaneBits; ++k) b.assert_bool(names.c_prime_bit.c_str(), cell(Columns::kCPrimeStart + static_cast<int>(k)));
    for (size_t k = 0; k < 5 * kLaneBits; ++k) b.assert_bool(names.d_bit.c_str(), cell(Columns::kDStart + static_cast<int>(k)));

    // Theta.
    for (size_t x = 0; x < 5; ++x) {
      for (size_t z = 0; z < kLaneBits; ++z) {
        Expr sum = cell(Columns::a_prime(x, 0, z));
        for (size_t y = 1; y < 5; ++y) sum = sum + cell(Columns::a_prime(x, y, z));
        b.assert_zero(names.parity[x][z].c_str(), even(sum - cell(Columns::c_prime(x, z))));
        const size_t left = (x + 4) % 5, right = (x + 1) % 5, below = (z + kLaneBits - 1) % kLaneBits;
        b.assert_zero(names.theta_d[x][z].c_str(),
                      even(cell(Columns::d(x, z)) + cell(Columns::c_prime(left, z)) + cell(Columns::d(left, z)) +
                           cell(Columns::c_prime(right, below)) + cell(Columns::d(right, below))));
      }
    }

    // Rho and pi: B[x][y][z] = A'[x + 3y][x][z - r] (indices mod 5 and 64).
    const auto bit_b = [&cell](size_t x, size_t y, size_t z) {
      const size_t source_x = (x + 3 * y) % 5, source_y = x;
      const size_t offset = kRhoOffsets[source_x][source_y];
      return cell(Columns::a_prime(source_x, source_y, (z + kLaneBits - offset) % kLaneBits));
    };
    const auto chi = [&](size_t x, size_t y, size_t z) {
      return xor2(bit_b(x, y, z), (one - bit_b((x + 1) % 5, y, z)) * bit_b((x + 2) % 5, y, z));
    };

    // Iota's inputs, and the round constant's bit z as a function of the counter.
    for (size_t k = 0; k < kIotaBits.size(); ++k) {
      b.assert_zero(names.iota[k].c_str(), cell(Columns::iota(k)) - chi(0, 0, kIotaBits[k]));
    }
    const auto round_constant_bit = [&](size_t z) {
      Expr sum = b.constant(0);
      for (size_t r = 0; r < kRounds; ++r) {
        if ((kRoundConstants[r] >> z & 1) == 0) continue;
        sum = sum + cell(Columns::group(r / kRoundsPerGroup)) * cell(Columns::step(r % kRoundsPerGroup));
      }
      return sum;
    };
    const auto output_bit = [&](size_t x, size_t y, size_t z) {
      if (x == 0 && y == 0) {
        for (size_t k = 0; k < kIotaBits.size(); ++k) {
          if (kIotaBits[k] == z) return xor2(cell(Columns::iota(k)), round_constant_bit(z));
        }
      }
      return chi(x, y, z);
    };

    // Chi (and iota on lane (0, 0)) into the output limbs, and the link to the next row's input.
    for (size_t y = 0; y < 5; ++y) {
      for (size_t x = 0; x < 5; ++x) {
        for (size_t l = 0; l < kLimbsPerLane; ++l) {
          Expr packed = b.constant(0), next_input = b.constant(0);
          for (size_t z = kLimbStart[l]; z < kLimbStart[l + 1]; ++z) {
            const Expr weight = b.constant(uint32_t{1} << (z - kLimbStart[l]));
            packed = packed + weight * output_bit(x, y, z);
            next_input = next_input + weight * xor2(b.main_next(Columns::a_prime(x, y, z)), b.main_next(Columns::d(x, z)));
          }
          const Expr out = cell(Columns::output(x, y, l));
          b.assert_zero(names.chi[x][y][l].c_str(), out - packed);
          b.assert_zero(names.link[x][y][l].c_str(), link * (out - next_input));
        }
      }
    }

    // Calls.
    const Expr active = cell(Columns::kActive), first = cell(Columns::kFirst), last = cell(Columns::kLast);
    b.assert_bool("call: active is a bit", active);
    b.assert_zero("call: first = active on round 0",
                  first - active * cell(Columns::group(0)) * cell(Columns::step(0)));
    b.assert_zero("call: last = active on round 23", last - active * last_round);
    for (int c : {Columns::kActive, Columns::kTs, Columns::kPtrLo, Columns::kPtrHi, Columns::kPtrWord, Columns::kRs2Lo,
                  Columns::kRs2Hi, Columns::kRs2Word}) {
      b.assert_zero("call: the same on every round", link * (b.main_next(c) - cell(c)));
    }
    b.assert_zero("call: ptr_lo = 4 ptr_word", cell(Columns::kPtrLo) - four * cell(Columns::kPtrWord));
    const bool absorb = buses && buses->absorb;
    if (absorb) {
      b.assert_zero("call: rs2_lo = 4 rs2_word", cell(Columns::kRs2Lo) - four * cell(Columns::kRs2Word));
    } else {
      b.assert_zero("call: rs2_word = 0 (no block)", cell(Columns::kRs2Word));
    }
    for (size_t w = 0; w < kStateWords; ++w) {
      const size_t x = (w / 2) % 5, y = (w / 2) / 5;
      for (size_t limb = 0; limb < 2; ++limb) {
        const size_t start = 32 * (w % 2) + 16 * limb;
        Expr input = b.constant(0);
        for (size_t z = start; z < start + 16; ++z) {
          input = input + b.constant(uint32_t{1} << (z - start)) * xor2(cell(Columns::a_prime(x, y, z)), cell(Columns::d(x, z)));
        }
        const Expr word = cell(Columns::word(w, limb));
        b.assert_zero("call: the input word", first * (word - input));
        b.assert_zero("call: the output word", last * (word - cell(Columns::output(x, y, 2 * (w % 2) + limb))));
      }
    }
    if (!buses) return;
    const Expr zero = b.constant(0);
    b.receive(buses->call,
              {b.constant(buses->index), cell(Columns::kTs), cell(Columns::kPtrLo), cell(Columns::kPtrHi),
               cell(Columns::kRs2Lo), cell(Columns::kRs2Hi), zero, zero},
              first);
    b.send(buses->range16, {cell(Columns::kPtrWord)}, first);
    const Expr base = cell(Columns::kPtrWord) + b.constant(1u << 14) * cell(Columns::kPtrHi);
    if (absorb) {
      b.send(buses->range16, {cell(Columns::kRs2Word)}, first);
      const Expr block_base = cell(Columns::kRs2Word) + b.constant(1u << 14) * cell(Columns::kRs2Hi);
      for (size_t w = 0; w < kStateWords; ++w) {
        const Expr offset = b.constant(static_cast<uint32_t>(w));
        b.send(buses->handoff,
               {cell(Columns::kTs), base + offset, block_base + offset, b.constant(w < kAbsorbBlockWords ? 1 : 0), last,
                cell(Columns::word(w, 0)), cell(Columns::word(w, 1))},
               first + last);
      }
      return;
    }
    const Expr slot = cell(Columns::kTs) + two + last;
    for (size_t w = 0; w < kStateWords; ++w) {
      b.send(buses->word,
             {slot, base + b.constant(static_cast<uint32_t>(w)), cell(Columns::word(w, 0)), cell(Columns::word(w, 1))},
             first + last);
    }
  }
};

// The table alone as a machine (no buses, no public values).
stark::air::Machine keccak_machine();

// One call the table answers: the state at guest address ptr (word aligned) before it, the call's
// ts (its step's) and rs2.
struct Call {
  State input{};
  uint32_t ts = 0, ptr = 0, rs2 = 0;
};

// keccak-f[1600] (FIPS 202 section 3.4, 24 rounds), computed as the table's rows are.
void permute(State& state);

// The table's rows for `inputs`: permutation p on rows 24 p .. 24 p + 23. The height is the
// smallest power of two (at least 2^min_log_rows) with room for them and `reserved_rows` more
// (stark::protocol::reserved_rows, left zero for the prover); the active rows after the inputs
// continue with permutations of the all-zero state, the last one cut off by the reserved rows.
stark::air::TableWitness keccak_witness(std::span<const State> inputs, size_t reserved_rows = 0, int min_log_rows = 0);
// The same for calls: permutation p answers calls[p] (active, its ts, pointer and words).
// With `absorb`, rs2 is a block's pointer (word aligned) and rs2_word is filled.
stark::air::TableWitness keccak_call_witness(std::span<const Call> calls, size_t reserved_rows = 0, int min_log_rows = 0,
                                             bool absorb = false);

// The output of permutation p, read from the output limbs of its last row.
State output_of(const stark::air::TableWitness& witness, size_t permutation);

}  // namespace zkrv::precompile_air::keccak_f1600
