// The BLAKE2s compression table: one compression a row (RFC 7693 section 3.2, F: the work vector
// from h, the IV, the counter and the final flag; 10 rounds of G over its columns and diagonals; the
// feed-forward h' = h ^ v[0..7] ^ v[8..15]), laid out as blake2s_columns.h says. Every constraint is
// local to the row (no transition, no selector), of degree <= 3:
//   bits     h, the counter, the flag and each G's four output words are 0 or 1
//   carries  a carry of a three-term sum is a digit in {0, 1, 2}, of a two-term sum a bit
//   G        with (a, b, c, d) its operands and (a'', b'', c'', d'') the words it leaves (bits), the
//            middle values are polynomials of those bits, since xor undoes itself:
//              d' = a'' ^ (d'' <<< 8)   a' = d ^ (d' <<< 16)   b' = c'' ^ (b'' <<< 7)   c' = b ^ (b' <<< 12)
//            (degree 2, 3, 2, 3), and G's four additions hold mod 2^32:
//              a' = a + b + x   c' = c + d'   a'' = a' + b' + y   c'' = c' + d''
//            which is all of G (RFC 7693 section 3.1): d' = (d ^ a') >>> 16 and the others follow
//   output   each 16-bit limb of h'[i] is the packing of h[i] ^ v[i] ^ v[i + 8], with v the last
//            G's words (degree 3)
//   calls    active is a bit; state_lo = 4 state_word, block_lo = 4 block_word
// Each addition mod 2^32 is two equations over 16-bit limbs: lo + 2^16 c_lo = sum of the terms'
// low limbs, hi + 2^16 c_hi = sum of their high limbs + c_lo. Every term is a limb packed from
// bits (or polynomials of bits that are 0 or 1 on bits), a constant below 2^16, or a block word's
// limb, which is a memory word's limb and so below 2^16 (docs/proof-system.md, "Memory argument":
// every record's limbs are range-checked where they are written); with at most three terms both
// sides are integers below 2^18 < p, so the field equation is the integer one and the committed
// carry is the honest one (README.md, "Why no sum wraps modulo p").
//
// With `buses` set (the RISC-V machine's precompile buses, docs/proof-system.md "Precompile
// calls"), the table answers the calls of one custom-0 index, one call a row: an active row
// receives the call (index, ts, state_lo, state_hi, block_lo, block_hi, rd = 0, 0) and
// range-checks state_word and block_word below 2^16 (so both pointers are word aligned); it sends
// each state word (ts + 2, state_word + 2^14 state_hi + i, h[i]) and (ts + 3, same address, h'[i])
// on the word bus, and each of the 19 parameter words (ts + 2, block_word + 2^14 block_hi + w,
// value) once on the read bus: the block's limbs, the counter's words packed from its bits, and
// (f, 0). Padding rows (active = 0) emit nothing; the IV's constants are gated on active, so an
// all-zero row satisfies every constraint (the RISC-V machine pads a package's table with them).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "circuit/blake2s_columns.h"
#include "src/blake2s.h"
#include "stark/air/machine.h"
#include "stark/air/witness.h"

namespace example::blake2s_circuit {

namespace air = ::zkrv::stark::air;

namespace internal {

// Constraint names; they outlive every builder.
struct ConstraintNames {
  std::string input_bit, counter_bit, final_bit, mix_bit, carry_digit, carry_bit;
  std::string sum[kMixes][kMixSums][kLimbs];
  std::string output[kStateWords][kLimbs];
};
const ConstraintNames& constraint_names();

// How fill_row computes a compression: RFC 7693's F, or, for tests' consistent forgeries, with
// one rotation of one G changed or without the feed-forward of h (every later step computed
// honestly from there).
struct Variant {
  size_t mix = kMixes;  // the G (8 round + index) whose rotation changes; kMixes: none
  size_t rotation = 0;  // which of R1..R4
  size_t amount = 0;    // used instead of kRotations[rotation]
  bool feed_forward = true;
};

// Writes the row of one compression (every compression cell: the row must be zero before) and
// returns its output h'.
State fill_row(const Compression& call, std::span<air::Fp> row, const Variant& variant = {});

}  // namespace internal

struct Blake2sTable {
  using Columns = Blake2sColumns;

  // The buses a call reaches the table through: `call` (the PrecompileCall row's message), `word`
  // (the state's read-then-written words), `read` (the parameter block's only-read words) and
  // `range16`. `index` is the custom-0 index the table answers: a constant of its constraints, so
  // the constraint digest commits to it. A first-party table knows its index when zkrv is built;
  // a third-party circuit does not (the guest's descriptor picks it). Without an index (the
  // package flavour, what a package ships) the call's message is the 7 entries after it, and the
  // RISC-V machine prepends the index it declares the package at (riscv_air/package_circuit.h).
  struct CallBuses {
    air::BusId call = 0, word = 0, read = 0, range16 = 0;
    std::optional<uint32_t> index;
  };
  std::optional<CallBuses> buses;
  // A machine with the table more than once (one per custom-0 index) names each differently.
  std::string name = "blake2s_compress";

  air::TableInfo info() const;

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    using Word = std::vector<Expr>;          // 32 bit expressions, least significant first
    using Limbs = std::array<Expr, kLimbs>;  // a word as two 16-bit limbs, low first
    const internal::ConstraintNames& names = internal::constraint_names();
    const Expr zero = b.constant(0), one = b.constant(1), two = b.constant(2), four = b.constant(4);
    const Expr limb_base = b.constant(uint32_t{1} << kLimbBits);

    // Bits and carries.
    const auto bools = [&b](const std::string& name, int start, int count) {
      for (int c = start; c < start + count; ++c) b.assert_bool(name.c_str(), b.main(c));
    };
    bools(names.input_bit, Columns::kInputStart, Columns::kCounterStart - Columns::kInputStart);
    bools(names.counter_bit, Columns::kCounterStart, Columns::kFinal - Columns::kCounterStart);
    b.assert_bool(names.final_bit.c_str(), b.main(Columns::kFinal));
    bools(names.mix_bit, Columns::kMixStart, Columns::kCarryStart - Columns::kMixStart);
    for (size_t mix = 0; mix < kMixes; ++mix) {
      for (size_t sum = 0; sum < kMixSums; ++sum) {
        for (size_t l = 0; l < kLimbs; ++l) {
          const Expr carry = b.main(Columns::carry(mix, sum, l));
          if (has_three_terms(sum)) {
            b.assert_zero(names.carry_digit.c_str(), carry * (carry - one) * (carry - two));
          } else {
            b.assert_bool(names.carry_bit.c_str(), carry);
          }
        }
      }
    }

    const auto word = [&b](int first) {
      Word bits;
      bits.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) bits.push_back(b.main(first + static_cast<int>(k)));
      return bits;
    };
    // A constant word xor a word of bits: bit k is x_k, or 1 - x_k where the constant has a 1. The
    // constants (the IV) are gated on `active`, 1 on every row that answers a call (or, the table
    // alone, on every compression), so that an all-zero row, the machine's padding, satisfies
    // every constraint; still of degree 1, so no constraint's degree grows.
    const Expr active = b.main(Columns::kActive);
    const auto constant_xor = [&active](uint32_t constant, const Word& x) {
      Word bits;
      bits.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) bits.push_back((constant >> k & 1) != 0 ? active - x[k] : x[k]);
      return bits;
    };
    const auto constant_word = [&](uint32_t constant) { return constant_xor(constant, Word(kWordBits, zero)); };
    const auto xor2 = [&two](const Expr& x, const Expr& y) { return x + y - two * x * y; };
    // x ^ (y <<< n): undoes y = (x ^ z) >>> n, giving z.
    const auto xor_rotl = [&xor2](const Word& x, const Word& y, size_t n) {
      Word out;
      out.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) out.push_back(xor2(x[k], y[(k + kWordBits - n) % kWordBits]));
      return out;
    };
    const auto pack = [&b](const Word& bits, size_t l) {
      Expr sum = bits[l * kLimbBits];
      for (size_t k = 1; k < kLimbBits; ++k) sum = sum + b.constant(uint32_t{1} << k) * bits[l * kLimbBits + k];
      return sum;
    };
    const auto limbs = [&pack](const Word& bits) { return Limbs{pack(bits, 0), pack(bits, 1)}; };
    // Two limb equations: target + 2^16 c_lo = sum_lo, target_hi + 2^16 c_hi = sum_hi + c_lo.
    const auto add = [&](size_t mix, size_t sum, const Limbs& target, std::initializer_list<Limbs> terms) {
      for (size_t l = 0; l < kLimbs; ++l) {
        Expr total = l > 0 ? b.main(Columns::carry(mix, sum, l - 1)) : zero;
        for (const Limbs& term : terms) total = total + term[l];
        b.assert_zero(names.sum[mix][sum][l].c_str(), target[l] + limb_base * b.main(Columns::carry(mix, sum, l)) - total);
      }
    };

    // The work vector (RFC 7693 section 3.2): h, the IV, the counter and the flag xored in.
    std::vector<Word> h;
    h.reserve(kStateWords);
    for (size_t i = 0; i < kStateWords; ++i) h.push_back(word(Columns::input(i, 0)));
    const Word counter_low = word(Columns::counter(0)), counter_high = word(Columns::counter(kWordBits));
    std::vector<Word> v(h);
    for (size_t i = 0; i < 4; ++i) v.push_back(constant_word(kBlake2sIv[i]));
    v.push_back(constant_xor(kBlake2sIv[4], counter_low));
    v.push_back(constant_xor(kBlake2sIv[5], counter_high));
    v.push_back(constant_xor(kBlake2sIv[6], Word(kWordBits, b.main(Columns::kFinal))));
    v.push_back(constant_word(kBlake2sIv[7]));
    std::vector<Limbs> m;
    m.reserve(kBlockWords);
    for (size_t t = 0; t < kBlockWords; ++t) m.push_back(Limbs{b.main(Columns::message(t, 0)), b.main(Columns::message(t, 1))});

    for (size_t round = 0; round < kRounds; ++round) {
      for (size_t g = 0; g < kMixesPerRound; ++g) {
        const size_t mix = round * kMixesPerRound + g;
        const std::array<size_t, 4>& at = kMixOperands[g];
        const Word &a = v[at[0]], &word_b = v[at[1]], &c = v[at[2]], &d = v[at[3]];
        Word a2 = word(Columns::mix_word(mix, MixWord::kA, 0)), b2 = word(Columns::mix_word(mix, MixWord::kB, 0));
        Word c2 = word(Columns::mix_word(mix, MixWord::kC, 0)), d2 = word(Columns::mix_word(mix, MixWord::kD, 0));
        const Word d1 = xor_rotl(a2, d2, kRotations[2]);      // d'' = (d' ^ a'') >>> 8
        const Word a1 = xor_rotl(d, d1, kRotations[0]);       // d' = (d ^ a') >>> 16
        const Word b1 = xor_rotl(c2, b2, kRotations[3]);      // b'' = (b' ^ c'') >>> 7
        const Word c1 = xor_rotl(word_b, b1, kRotations[1]);  // b' = (b ^ c') >>> 12
        const Limbs& x = m[kSigma[round][2 * g]];
        const Limbs& y = m[kSigma[round][2 * g + 1]];
        add(mix, 0, limbs(a1), {limbs(a), limbs(word_b), x});
        add(mix, 1, limbs(c1), {limbs(c), limbs(d1)});
        add(mix, 2, limbs(a2), {limbs(a1), limbs(b1), y});
        add(mix, 3, limbs(c2), {limbs(c1), limbs(d2)});
        v[at[0]] = std::move(a2);
        v[at[1]] = std::move(b2);
        v[at[2]] = std::move(c2);
        v[at[3]] = std::move(d2);
      }
    }

    // The feed-forward: h'[i] = h[i] ^ v[i] ^ v[i + 8], as limbs.
    for (size_t i = 0; i < kStateWords; ++i) {
      Word out;
      out.reserve(kWordBits);
      for (size_t k = 0; k < kWordBits; ++k) out.push_back(xor2(xor2(h[i][k], v[i][k]), v[i + 8][k]));
      for (size_t l = 0; l < kLimbs; ++l) b.assert_zero(names.output[i][l].c_str(), b.main(Columns::output(i, l)) - pack(out, l));
    }

    // Calls.
    b.assert_bool("call: active is a bit", active);
    b.assert_zero("call: state_lo = 4 state_word", b.main(Columns::kStateLo) - four * b.main(Columns::kStateWord));
    b.assert_zero("call: block_lo = 4 block_word", b.main(Columns::kBlockLo) - four * b.main(Columns::kBlockWord));
    if (!buses) return;
    const Expr ts = b.main(Columns::kTs);
    if (buses->index) {
      b.receive(buses->call,
                {b.constant(*buses->index), ts, b.main(Columns::kStateLo), b.main(Columns::kStateHi),
                 b.main(Columns::kBlockLo), b.main(Columns::kBlockHi), zero, zero},
                active);
    } else {
      // The package flavour: the machine prepends the index it declares the package at.
      b.receive(buses->call,
                {ts, b.main(Columns::kStateLo), b.main(Columns::kStateHi), b.main(Columns::kBlockLo),
                 b.main(Columns::kBlockHi), zero, zero},
                active);
    }
    b.send(buses->range16, {b.main(Columns::kStateWord)}, active);
    b.send(buses->range16, {b.main(Columns::kBlockWord)}, active);
    const Expr page = b.constant(uint32_t{1} << 14);
    const Expr state = b.main(Columns::kStateWord) + page * b.main(Columns::kStateHi);
    const Expr block = b.main(Columns::kBlockWord) + page * b.main(Columns::kBlockHi);
    const Expr read = ts + two, write = ts + b.constant(3);
    for (size_t i = 0; i < kStateWords; ++i) {
      const Expr address = state + b.constant(static_cast<uint32_t>(i));
      b.send(buses->word, {read, address, pack(h[i], 0), pack(h[i], 1)}, active);
      b.send(buses->word, {write, address, b.main(Columns::output(i, 0)), b.main(Columns::output(i, 1))}, active);
    }
    const auto parameter = [&](size_t w) { return block + b.constant(static_cast<uint32_t>(w)); };
    for (size_t t = 0; t < kBlockWords; ++t) b.send(buses->read, {read, parameter(t), m[t][0], m[t][1]}, active);
    b.send(buses->read, {read, parameter(kCounterWord), pack(counter_low, 0), pack(counter_low, 1)}, active);
    b.send(buses->read, {read, parameter(kCounterWord + 1), pack(counter_high, 0), pack(counter_high, 1)}, active);
    b.send(buses->read, {read, parameter(kFlagWord), b.main(Columns::kFinal), zero}, active);
  }
};

// The table alone as a machine (no buses, no public values).
air::Machine blake2s_machine();

// One call the table answers: the inputs at guest addresses state_ptr (the chaining value) and
// block_ptr (the block, counter and flag) before it, both word aligned, and the call's ts.
struct Call {
  Compression input;
  uint32_t ts = 0, state_ptr = 0, block_ptr = 0;
};

// BLAKE2s's compression function F (RFC 7693 section 3.2), computed as the rows are.
State compress(const Compression& call);

// The table's rows for `calls`, call c on row c, active (the table alone: on no bus, active only
// says the row is a compression). The height is the smallest power of two (at least
// 2^min_log_rows) with room for them and `reserved_rows` more (stark::protocol::reserved_rows, left
// zero for the prover); the other rows are all zero.
air::TableWitness blake2s_witness(std::span<const Compression> calls, size_t reserved_rows = 0, int min_log_rows = 0);
// The same for calls: row c answers calls[c] (active, its ts and pointers).
air::TableWitness blake2s_call_witness(std::span<const Call> calls, size_t reserved_rows = 0, int min_log_rows = 0);

// The output h' of the compression on row `row`, read from its output limbs.
State output_of(const air::TableWitness& witness, size_t row);

}  // namespace example::blake2s_circuit
