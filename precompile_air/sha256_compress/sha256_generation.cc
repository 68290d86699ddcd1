// Witness generation for the SHA-256 compression table (sha256_air.h), its constraint names and
// machine.
#include <algorithm>
#include <bit>
#include <initializer_list>
#include <string>
#include <vector>

#include "precompile_air/sha256_compress/sha256_air.h"

namespace zkrv::precompile_air::sha256_compress {

using stark::air::Fp;

namespace internal {

namespace {

ConstraintNames make_names() {
  ConstraintNames n;
  n.input_bit = "input H bit";
  n.schedule_bit = "schedule W bit";
  n.a_bit = "new a bit";
  n.e_bit = "new e bit";
  n.output_bit = "output H' bit";
  n.schedule_carry_bit = "schedule carry bit";
  n.output_carry_bit = "feed-forward carry bit";
  n.round_carry_digit = "round carry digit";
  for (size_t l = 0; l < kLimbs; ++l) {
    const std::string limb = " limb " + std::to_string(l);
    for (size_t t = 0; t < kRounds; ++t) {
      n.schedule[t][l] = "schedule W[" + std::to_string(t) + "]" + limb;
      if (t + 1 < kRounds) {
        n.new_a[t][l] = "round " + std::to_string(t) + " new a" + limb;
        n.new_e[t][l] = "round " + std::to_string(t) + " new e" + limb;
      } else {
        n.new_a[t][l] = "round 63 new a + H[0] = H'[0]" + limb;
        n.new_e[t][l] = "round 63 new e + H[4] = H'[4]" + limb;
      }
    }
    for (size_t i = 0; i < kStateWords; ++i) n.feed_forward[i][l] = "feed-forward H'[" + std::to_string(i) + "]" + limb;
  }
  return n;
}

uint32_t big_sigma0(size_t, uint32_t x) { return std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22); }
uint32_t big_sigma1(size_t, uint32_t x) { return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25); }
uint32_t ch(size_t, uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
uint32_t maj(size_t, uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
uint32_t small_sigma0(size_t, uint32_t x) { return std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3); }
uint32_t small_sigma1(size_t, uint32_t x) { return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10); }

// A sum mod 2^32 as the table computes it: by 16-bit limbs, with the carry out of each.
struct Sum {
  uint32_t value;
  uint32_t carry[kLimbs];
};

Sum add(std::initializer_list<uint32_t> terms) {
  uint32_t low = 0, high = 0;
  for (const uint32_t term : terms) {
    low += term & 0xffff;
    high += term >> 16;
  }
  high += low >> 16;
  return {(low & 0xffff) | (high & 0xffff) << 16, {low >> 16, high >> 16}};
}

void write_word(std::span<Fp> row, int first, uint32_t value) {
  for (size_t k = 0; k < kWordBits; ++k) row[first + static_cast<int>(k)] = Fp::from_u32(value >> k & 1);
}

}  // namespace

const ConstraintNames& constraint_names() {
  static const ConstraintNames kNames = make_names();
  return kNames;
}

const Steps& fips_steps() {
  static const Steps kSteps = {big_sigma0, big_sigma1, ch, maj, small_sigma0, small_sigma1, true};
  return kSteps;
}

ChainingValue fill_row(const Compression& call, std::span<Fp> row, const Steps& steps) {
  using Columns = Sha256Columns;
  const ChainingValue& h_in = call.state;
  for (size_t i = 0; i < kStateWords; ++i) write_word(row, Columns::input(i, 0), h_in[i]);

  std::array<uint32_t, kRounds> w{};
  for (size_t t = 0; t < kRounds; ++t) {
    if (t < kBlockWords) {
      w[t] = call.block[t];
    } else {
      const Sum sum = add({steps.small_sigma1(t, w[t - 2]), w[t - 7], steps.small_sigma0(t, w[t - 15]), w[t - 16]});
      w[t] = sum.value;
      for (size_t l = 0; l < kLimbs; ++l) {
        row[Columns::schedule_carry(t, l, 0)] = Fp::from_u32(sum.carry[l] & 1);
        row[Columns::schedule_carry(t, l, 1)] = Fp::from_u32(sum.carry[l] >> 1);
      }
    }
    write_word(row, Columns::w(t, 0), w[t]);
  }

  // chain_a[t + 4] is the new a of round t; chain_a[0..3] = H[3], H[2], H[1], H[0] (likewise e).
  std::array<uint32_t, kRounds + 4> chain_a{}, chain_e{};
  for (size_t i = 0; i < 4; ++i) {
    chain_a[i] = h_in[3 - i];
    chain_e[i] = h_in[7 - i];
  }
  ChainingValue out{};
  for (size_t t = 0; t < kRounds; ++t) {
    const uint32_t a = chain_a[t + 3], b = chain_a[t + 2], c = chain_a[t + 1], d = chain_a[t];
    const uint32_t e = chain_e[t + 3], f = chain_e[t + 2], g = chain_e[t + 1], h = chain_e[t];
    const uint32_t s1 = steps.big_sigma1(t, e), choice = steps.ch(t, e, f, g);
    const uint32_t s0 = steps.big_sigma0(t, a), majority = steps.maj(t, a, b, c);
    const bool last = t == kRounds - 1;
    // Round 63 adds H[0] and H[4] in the same sums (the feed-forward of words 0 and 4).
    const uint32_t add_a = last && steps.feed_forward ? h_in[0] : 0, add_e = last && steps.feed_forward ? h_in[4] : 0;
    const Sum new_a = add({add_a, h, s1, choice, kRoundConstants[t], w[t], s0, majority});
    const Sum new_e = add({add_e, d, h, s1, choice, kRoundConstants[t], w[t]});
    chain_a[t + 4] = new_a.value;
    chain_e[t + 4] = new_e.value;
    for (size_t l = 0; l < kLimbs; ++l) {
      for (size_t digit = 0; digit < kCarryDigits; ++digit) {
        const uint32_t divisor = digit == 0 ? 1 : 3;
        row[Columns::round_carry(t, 0, l, digit)] = Fp::from_u32(new_a.carry[l] / divisor % 3);
        row[Columns::round_carry(t, 1, l, digit)] = Fp::from_u32(new_e.carry[l] / divisor % 3);
      }
    }
    if (last) {
      out[0] = new_a.value;
      out[4] = new_e.value;
    } else {
      write_word(row, Columns::a(t, 0), new_a.value);
      write_word(row, Columns::e(t, 0), new_e.value);
    }
  }
  for (size_t index = 0; index < kFeedForwardWords.size(); ++index) {
    const size_t i = kFeedForwardWords[index];
    const uint32_t final_word = i < 4 ? chain_a[kRounds + 3 - i] : chain_e[kRounds + 3 - (i - 4)];
    const Sum sum = add({steps.feed_forward ? h_in[i] : 0, final_word});
    out[i] = sum.value;
    for (size_t l = 0; l < kLimbs; ++l) row[Columns::output_carry(index, l)] = Fp::from_u32(sum.carry[l]);
  }
  for (size_t i = 0; i < kStateWords; ++i) write_word(row, Columns::output(i, 0), out[i]);
  return out;
}

}  // namespace internal

stark::air::TableInfo Sha256Table::info() const {
  std::vector<std::string> names(Columns::kNumColumns);
  const auto bits = [&names](const std::string& word, int first) {
    for (size_t k = 0; k < kWordBits; ++k) names[first + static_cast<int>(k)] = word + "." + std::to_string(k);
  };
  for (size_t i = 0; i < kStateWords; ++i) {
    bits("H[" + std::to_string(i) + "]", Columns::input(i, 0));
    bits("H'[" + std::to_string(i) + "]", Columns::output(i, 0));
  }
  for (size_t t = 0; t < kRounds; ++t) bits("W[" + std::to_string(t) + "]", Columns::w(t, 0));
  for (size_t t = 0; t < kChainedRounds; ++t) {
    bits("a" + std::to_string(t), Columns::a(t, 0));
    bits("e" + std::to_string(t), Columns::e(t, 0));
  }
  for (size_t l = 0; l < kLimbs; ++l) {
    const std::string limb = ".limb" + std::to_string(l);
    for (size_t t = kBlockWords; t < kRounds; ++t) {
      for (size_t bit = 0; bit < 2; ++bit) {
        names[Columns::schedule_carry(t, l, bit)] = "W[" + std::to_string(t) + "].carry" + limb + ".bit" + std::to_string(bit);
      }
    }
    for (size_t t = 0; t < kRounds; ++t) {
      for (size_t digit = 0; digit < kCarryDigits; ++digit) {
        const std::string suffix = ".carry" + limb + ".digit" + std::to_string(digit);
        names[Columns::round_carry(t, 0, l, digit)] = "a" + std::to_string(t) + suffix;
        names[Columns::round_carry(t, 1, l, digit)] = "e" + std::to_string(t) + suffix;
      }
    }
    for (size_t index = 0; index < kFeedForwardWords.size(); ++index) {
      names[Columns::output_carry(index, l)] = "H'[" + std::to_string(kFeedForwardWords[index]) + "].carry" + limb;
    }
  }
  names[Columns::kActive] = "active";
  names[Columns::kTs] = "ts";
  names[Columns::kStateLo] = "state_lo";
  names[Columns::kStateHi] = "state_hi";
  names[Columns::kStateWord] = "state_word";
  names[Columns::kBlockLo] = "block_lo";
  names[Columns::kBlockHi] = "block_hi";
  names[Columns::kBlockWord] = "block_word";
  return {name, Columns::kNumColumns, 0, 0, std::move(names), {}};
}

stark::air::Machine sha256_machine() {
  return stark::air::Machine("sha256_compress", {stark::air::make_table(Sha256Table{})});
}

ChainingValue compress(const ChainingValue& state, const Block& block) {
  std::vector<Fp> row(Sha256Columns::kNumColumns);
  return internal::fill_row({state, block}, row);
}

stark::air::TableWitness sha256_witness(std::span<const Compression> calls, size_t reserved_rows, int min_log_rows) {
  std::vector<Call> rows;
  rows.reserve(calls.size());
  for (const Compression& c : calls) rows.push_back({c, 0, 0, 0});
  stark::air::TableWitness witness = sha256_call_witness(rows, reserved_rows, min_log_rows);
  for (size_t r = 0; r < calls.size(); ++r) witness.main.at(r, Sha256Columns::kActive) = Fp::zero();
  return witness;
}

stark::air::TableWitness sha256_call_witness(std::span<const Call> calls, size_t reserved_rows, int min_log_rows) {
  using Columns = Sha256Columns;
  if (min_log_rows < 0 || min_log_rows > 24) {
    throw stark::air::AirError("sha256_witness: min_log_rows " + std::to_string(min_log_rows) + " is outside [0, 24]");
  }
  const size_t needed = std::max<size_t>(calls.size(), 1) + reserved_rows;
  const size_t rows = std::max(std::bit_ceil(needed), size_t{1} << min_log_rows);
  const size_t active = rows - reserved_rows;
  stark::air::TableWitness witness;
  witness.main = stark::Matrix<Fp>(rows, Columns::kNumColumns);
  const Compression padding{};
  for (size_t r = 0; r < active; ++r) {
    const std::span<Fp> row = witness.main.row(r);
    if (r >= calls.size()) {
      internal::fill_row(padding, row);
      continue;
    }
    const Call& call = calls[r];
    internal::fill_row(call.input, row);
    row[Columns::kActive] = Fp::one();
    row[Columns::kTs] = Fp::from_u32(call.ts);
    row[Columns::kStateLo] = Fp::from_u32(call.state_ptr & 0xffff);
    row[Columns::kStateHi] = Fp::from_u32(call.state_ptr >> 16);
    row[Columns::kStateWord] = Fp::from_u32((call.state_ptr & 0xffff) / 4);
    row[Columns::kBlockLo] = Fp::from_u32(call.block_ptr & 0xffff);
    row[Columns::kBlockHi] = Fp::from_u32(call.block_ptr >> 16);
    row[Columns::kBlockWord] = Fp::from_u32((call.block_ptr & 0xffff) / 4);
  }
  return witness;
}

ChainingValue output_of(const stark::air::TableWitness& witness, size_t call) {
  if (call >= witness.main.rows() || witness.main.width() != static_cast<size_t>(Sha256Columns::kNumColumns)) {
    throw stark::air::AirError("sha256 output_of: call " + std::to_string(call) + " is not in a sha256_compress table of " +
                               std::to_string(witness.main.rows()) + " rows");
  }
  ChainingValue out{};
  for (size_t i = 0; i < kStateWords; ++i) {
    for (size_t k = 0; k < kWordBits; ++k) {
      out[i] |= witness.main.at(call, Sha256Columns::output(i, k)).to_u32() << k;
    }
  }
  return out;
}

}  // namespace zkrv::precompile_air::sha256_compress
