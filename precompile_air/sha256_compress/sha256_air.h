// The SHA-256 compression table: one compression a row (FIPS 180-4 section 6.2.2: the message
// schedule, 64 rounds, the feed-forward into the chaining value), laid out as sha256_columns.h
// says. Every constraint is local to the row (no transition, no selector), of degree <= 3:
//   bits        H, W, the new a and e, H', the schedule and feed-forward carries are 0 or 1
//   digits      round carries' digits are in {0, 1, 2}
//   schedule    W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16] mod 2^32 (t >= 16)
//   round t     new a = h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t] + Sigma0(a) + Maj(a, b, c)
//               new e = d + h + Sigma1(e) + Ch(e, f, g) + K[t] + W[t]                 mod 2^32
//               with (a, b, c, d) the new a of rounds t-1 .. t-4 (H[0..3] before round 0) and
//               (e, f, g, h) likewise; round 63's sums add H[0] and H[4] and land in H'[0], H'[4]
//   feed-forward H'[i] = H[i] + the final a, b, c (i = 1..3) or e, f, g (i = 5..7) mod 2^32
//   calls       active is a bit; state_lo = 4 state_word, block_lo = 4 block_word
// Each addition mod 2^32 is two equations over 16-bit limbs: lo + 2^16 c_lo = sum of the terms'
// low limbs, hi + 2^16 c_hi = sum of their high limbs + c_lo. Sigma, sigma, Ch and Maj are
// polynomials of degree <= 3 in the bits (the xor of three bits, x y + (1 - x) z, the majority),
// so they enter the sums unpacked and cost no cells. Why no sum wraps modulo p: README.md.
// With `buses` set (the RISC-V machine's precompile buses, docs/proof-system.md "Precompile calls"),
// the table answers the calls of one custom-0 index, one call a row: an active row receives the
// call (index, ts, state_lo, state_hi, block_lo, block_hi, rd = 0, 0) and range-checks state_word
// and block_word below 2^16 (so both pointers are word aligned); it sends each state word
// (ts + 2, state_word + 2^14 state_hi + i, H[i]) and (ts + 3, same address, H'[i]) on the word bus,
// and each block word (ts + 2, block_word + 2^14 block_hi + t, the little-endian memory word whose
// bytes are W[t]'s big-endian ones) once on the read bus. Every limb is packed from the row's
// bits, so a call costs 8 columns and no word limbs. Padding rows (active = 0) emit nothing.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "precompile_air/sha256_compress/sha256_columns.h"
#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace zkrv::precompile_air::sha256_compress {

namespace internal {

// Constraint names; they outlive every builder.
struct ConstraintNames {
  std::string input_bit, schedule_bit, a_bit, e_bit, output_bit, schedule_carry_bit, output_carry_bit, round_carry_digit;
  std::string schedule[kRounds][kLimbs];  // t >= 16
  std::string new_a[kRounds][kLimbs], new_e[kRounds][kLimbs];
  std::string feed_forward[kStateWords][kLimbs];
};
const ConstraintNames& constraint_names();

// What a compression applies at each step. Tests replace one function at one round (or schedule
// word) to build forgeries that are consistent everywhere but there.
struct Steps {
  uint32_t (*big_sigma0)(size_t round, uint32_t a);
  uint32_t (*big_sigma1)(size_t round, uint32_t e);
  uint32_t (*ch)(size_t round, uint32_t e, uint32_t f, uint32_t g);
  uint32_t (*maj)(size_t round, uint32_t a, uint32_t b, uint32_t c);
  uint32_t (*small_sigma0)(size_t t, uint32_t w);  // t: the word being computed
  uint32_t (*small_sigma1)(size_t t, uint32_t w);
  bool feed_forward = true;
};
// FIPS 180-4's functions (section 4.1.2).
const Steps& fips_steps();

// Writes the row of one compression computed with `steps` (every cell: the row must be zero
// before) and returns its output H'.
ChainingValue fill_row(const Compression& call, std::span<stark::air::Fp> row, const Steps& steps = fips_steps());

}  // namespace internal

struct Sha256Table {
  using Columns = Sha256Columns;

  // The buses a call reaches the table through, and the custom-0 index it answers: `word` carries
  // the state's read-then-written words, `read` the block's only-read words.
  struct CallBuses {
    stark::air::BusId call = 0, word = 0, read = 0, range16 = 0;
    uint32_t index = 0;
  };
  std::optional<CallBuses> buses;
  // A machine with the table more than once (one per custom-0 index) names each differently.
  std::string name = "sha256_compress";

  stark::air::TableInfo info() const;

  // The 16-bit limb `limb` (0: bits 0..15) of input word H[word], block word W[word] and output
  // word H'[word], as degree-1 expressions of the row's bits: what a bus message would carry.
  template <class B>
  static typename B::Expr input_limb(B& b, size_t word, size_t limb) {
    return pack(b, Columns::input(word, limb * kLimbBits));
  }
  template <class B>
  static typename B::Expr block_limb(B& b, size_t word, size_t limb) {
    return pack(b, Columns::w(word, limb * kLimbBits));
  }
  template <class B>
  static typename B::Expr output_limb(B& b, size_t word, size_t limb) {
    return pack(b, Columns::output(word, limb * kLimbBits));
  }

  // Limb `limb` of block word t as guest memory holds it: the block is 64 bytes and W[t] their
  // big-endian words (FIPS 180-4 section 5.2.1), the memory word little-endian, so memory byte j of
  // the word is W[t]'s byte 3 - j: a renaming of W[t]'s bits.
  template <class B>
  static typename B::Expr block_memory_limb(B& b, size_t word, size_t limb) {
    typename B::Expr sum = b.main(Columns::w(word, block_memory_bit(limb * kLimbBits)));
    for (size_t k = 1; k < kLimbBits; ++k) {
      sum = sum + b.constant(uint32_t{1} << k) * b.main(Columns::w(word, block_memory_bit(limb * kLimbBits + k)));
    }
    return sum;
  }
  // The bit of W[t] that is bit k of the block word's little-endian memory word.
  static constexpr size_t block_memory_bit(size_t k) { return 8 * (3 - k / 8) + k % 8; }

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    using Word = std::vector<Expr>;  // 32 bit expressions, least significant first
    const internal::ConstraintNames& names = internal::constraint_names();
    const Expr one = b.constant(1), two = b.constant(2), four = b.constant(4);
    const Expr limb_base = b.constant(uint32_t{1} << kLimbBits);

    // Bits and digits.
    const auto bools = [&b](const std::string& name, int start, int count) {
      for (int c = start; c < start + count; ++c) b.assert_bool(name.c_str(), b.main(c));
    };
    bools(names.input_bit, Columns::kInputStart, Columns::kScheduleStart - Columns::kInputStart);
    bools(names.schedule_bit, Columns::kScheduleStart, Columns::kAStart - Columns::kScheduleStart);
    bools(names.a_bit, Columns::kAStart, Columns::kEStart - Columns::kAStart);
    bools(names.e_bit, Columns::kEStart, Columns::kOutputStart - Columns::kEStart);
    bools(names.output_bit, Columns::kOutputStart, Columns::kScheduleCarryStart - Columns::kOutputStart);
    bools(names.schedule_carry_bit, Columns::kScheduleCarryStart, Columns::kRoundCarryStart - Columns::kScheduleCarryStart);
    bools(names.output_carry_bit, Columns::kOutputCarryStart, Columns::kCompressionColumns - Columns::kOutputCarryStart);
    for (int c = Columns::kRoundCarryStart; c < Columns::kOutputCarryStart; ++c) {
      const Expr d = b.main(c);
      b.assert_zero(names.round_carry_digit.c_str(), d * (d - one) * (d - two));
    }

    const auto word = [&b](int first) {
      Word bits;
      bits.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) bits.push_back(b.main(first + static_cast<int>(k)));
      return bits;
    };
    const auto limb = [&b](const Word& bits, size_t l) {
      Expr sum = bits[l * kLimbBits];
      for (size_t k = 1; k < kLimbBits; ++k) sum = sum + b.constant(uint32_t{1} << k) * bits[l * kLimbBits + k];
      return sum;
    };
    const auto xor2 = [&two](const Expr& x, const Expr& y) { return x + y - two * x * y; };
    const auto xor3 = [&two, &four](const Expr& x, const Expr& y, const Expr& z) {
      return x + y + z - two * (x * y + y * z + x * z) + four * x * y * z;
    };
    // Bit k of ROTR^r1(x) xor ROTR^r2(x) xor (ROTR or SHR)^r3(x) (FIPS 180-4 section 4.1.2).
    const auto sigma = [&](const Word& x, size_t r1, size_t r2, size_t r3, bool shift) {
      Word out;
      out.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) {
        const Expr& p = x[(k + r1) % kWordBits];
        const Expr& q = x[(k + r2) % kWordBits];
        if (shift && k + r3 >= kWordBits) {
          out.push_back(xor2(p, q));
        } else {
          out.push_back(xor3(p, q, x[(k + r3) % kWordBits]));
        }
      }
      return out;
    };
    // Two limb equations: target + 2^16 c_lo = sum_lo, target_hi + 2^16 c_hi = sum_hi + c_lo.
    const auto add = [&](const std::string (&name)[kLimbs], const Word& target, const std::vector<const Word*>& terms,
                         uint32_t constant, const Expr (&carry)[kLimbs]) {
      for (size_t l = 0; l < kLimbs; ++l) {
        Expr sum = b.constant(constant >> (l * kLimbBits) & 0xffff);
        for (const Word* term : terms) sum = sum + limb(*term, l);
        if (l > 0) sum = sum + carry[l - 1];
        b.assert_zero(name[l].c_str(), limb(target, l) + limb_base * carry[l] - sum);
      }
    };

    // The message schedule.
    std::vector<Word> w;
    w.reserve(kRounds);
    for (size_t t = 0; t < kRounds; ++t) w.push_back(word(Columns::w(t, 0)));
    for (size_t t = kBlockWords; t < kRounds; ++t) {
      const Word s1 = sigma(w[t - 2], 17, 19, 10, true);
      const Word s0 = sigma(w[t - 15], 7, 18, 3, true);
      const Expr carry[kLimbs] = {b.main(Columns::schedule_carry(t, 0, 0)) + two * b.main(Columns::schedule_carry(t, 0, 1)),
                                  b.main(Columns::schedule_carry(t, 1, 0)) + two * b.main(Columns::schedule_carry(t, 1, 1))};
      add(names.schedule[t], w[t], {&s1, &w[t - 7], &s0, &w[t - 16]}, 0, carry);
    }

    // The rounds: chain_a[t + 4] is the new a of round t, chain_a[0..3] = H[3], H[2], H[1], H[0].
    std::vector<Word> chain_a, chain_e;
    chain_a.reserve(kChainedRounds + 4);
    chain_e.reserve(kChainedRounds + 4);
    for (size_t i = 0; i < 4; ++i) {
      chain_a.push_back(word(Columns::input(3 - i, 0)));
      chain_e.push_back(word(Columns::input(7 - i, 0)));
    }
    const Word h0 = word(Columns::input(0, 0)), h4 = word(Columns::input(4, 0));
    const Word out0 = word(Columns::output(0, 0)), out4 = word(Columns::output(4, 0));
    for (size_t t = 0; t < kRounds; ++t) {
      const Word &a = chain_a[t + 3], &word_b = chain_a[t + 2], &c = chain_a[t + 1], &d = chain_a[t];
      const Word &e = chain_e[t + 3], &f = chain_e[t + 2], &g = chain_e[t + 1], &h = chain_e[t];
      const Word s1 = sigma(e, 6, 11, 25, false);
      const Word s0 = sigma(a, 2, 13, 22, false);
      Word ch, maj;
      ch.reserve(kWordBits);
      maj.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) {
        ch.push_back(e[k] * f[k] + (one - e[k]) * g[k]);
        maj.push_back(a[k] * word_b[k] + a[k] * c[k] + word_b[k] * c[k] - two * a[k] * word_b[k] * c[k]);
      }
      const auto carry = [&](size_t sum, size_t l) {
        return b.main(Columns::round_carry(t, sum, l, 0)) + b.constant(3) * b.main(Columns::round_carry(t, sum, l, 1));
      };
      const Expr carry_a[kLimbs] = {carry(0, 0), carry(0, 1)};
      const Expr carry_e[kLimbs] = {carry(1, 0), carry(1, 1)};
      if (t < kChainedRounds) {
        chain_a.push_back(word(Columns::a(t, 0)));
        chain_e.push_back(word(Columns::e(t, 0)));
        add(names.new_a[t], chain_a.back(), {&h, &s1, &ch, &w[t], &s0, &maj}, kRoundConstants[t], carry_a);
        add(names.new_e[t], chain_e.back(), {&d, &h, &s1, &ch, &w[t]}, kRoundConstants[t], carry_e);
      } else {
        add(names.new_a[t], out0, {&h0, &h, &s1, &ch, &w[t], &s0, &maj}, kRoundConstants[t], carry_a);
        add(names.new_e[t], out4, {&h4, &d, &h, &s1, &ch, &w[t]}, kRoundConstants[t], carry_e);
      }
    }

    // The feed-forward of the other six words: the final (b, c, d) are the new a of rounds 62, 61, 60.
    for (size_t index = 0; index < kFeedForwardWords.size(); ++index) {
      const size_t i = kFeedForwardWords[index];
      const Word input = word(Columns::input(i, 0));
      const Word& final_word = i < 4 ? chain_a[kRounds + 3 - i] : chain_e[kRounds + 3 - (i - 4)];
      const Expr carry[kLimbs] = {b.main(Columns::output_carry(index, 0)), b.main(Columns::output_carry(index, 1))};
      add(names.feed_forward[i], word(Columns::output(i, 0)), {&input, &final_word}, 0, carry);
    }

    // Calls.
    const Expr active = b.main(Columns::kActive);
    b.assert_bool("call: active is a bit", active);
    b.assert_zero("call: state_lo = 4 state_word", b.main(Columns::kStateLo) - four * b.main(Columns::kStateWord));
    b.assert_zero("call: block_lo = 4 block_word", b.main(Columns::kBlockLo) - four * b.main(Columns::kBlockWord));
    if (!buses) return;
    const Expr zero = b.constant(0), ts = b.main(Columns::kTs);
    b.receive(buses->call,
              {b.constant(buses->index), ts, b.main(Columns::kStateLo), b.main(Columns::kStateHi), b.main(Columns::kBlockLo),
               b.main(Columns::kBlockHi), zero, zero},
              active);
    b.send(buses->range16, {b.main(Columns::kStateWord)}, active);
    b.send(buses->range16, {b.main(Columns::kBlockWord)}, active);
    const Expr page = b.constant(1u << 14);
    const Expr state = b.main(Columns::kStateWord) + page * b.main(Columns::kStateHi);
    const Expr block = b.main(Columns::kBlockWord) + page * b.main(Columns::kBlockHi);
    for (size_t i = 0; i < kStateWords; ++i) {
      const Expr address = state + b.constant(static_cast<uint32_t>(i));
      b.send(buses->word, {ts + two, address, input_limb(b, i, 0), input_limb(b, i, 1)}, active);
      b.send(buses->word, {ts + b.constant(3), address, output_limb(b, i, 0), output_limb(b, i, 1)}, active);
    }
    for (size_t t = 0; t < kBlockWords; ++t) {
      b.send(buses->read,
             {ts + two, block + b.constant(static_cast<uint32_t>(t)), block_memory_limb(b, t, 0), block_memory_limb(b, t, 1)},
             active);
    }
  }

 private:
  template <class B>
  static typename B::Expr pack(B& b, int first) {
    typename B::Expr sum = b.main(first);
    for (size_t k = 1; k < kLimbBits; ++k) sum = sum + b.constant(uint32_t{1} << k) * b.main(first + static_cast<int>(k));
    return sum;
  }
};

// The table alone as a machine (no buses, no public values).
stark::air::Machine sha256_machine();

// One call the table answers: the chaining value at guest address state_ptr and the block at
// block_ptr (both word aligned) before it, and the call's ts (its step's).
struct Call {
  Compression input;
  uint32_t ts = 0, state_ptr = 0, block_ptr = 0;
};

// SHA-256's compression function (FIPS 180-4 section 6.2.2, steps 1-4), computed as the rows are.
ChainingValue compress(const ChainingValue& state, const Block& block);

// The table's rows for `calls`, call c on row c. The height is the smallest power of two (at least
// 2^min_log_rows) with room for them and `reserved_rows` more (stark::protocol::reserved_rows,
// left zero for the prover); the other active rows are compressions of a zero block into a zero
// chaining value.
stark::air::TableWitness sha256_witness(std::span<const Compression> calls, size_t reserved_rows = 0, int min_log_rows = 0);
// The same for calls: row c answers calls[c] (active, its ts and pointers).
stark::air::TableWitness sha256_call_witness(std::span<const Call> calls, size_t reserved_rows = 0, int min_log_rows = 0);

// The output H' of call c, read from its row's output bits.
ChainingValue output_of(const stark::air::TableWitness& witness, size_t call);

}  // namespace zkrv::precompile_air::sha256_compress
