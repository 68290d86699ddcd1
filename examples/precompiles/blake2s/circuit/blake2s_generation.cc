// Witness generation for the BLAKE2s compression table (blake2s_air.h), its constraint names and
// machine.
#include <algorithm>
#include <bit>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "examples/precompiles/blake2s/circuit/blake2s_air.h"

namespace example::blake2s_circuit {

using air::Fp;

namespace {

std::string hex(uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%x", value);
  return text;
}

}  // namespace

namespace internal {

namespace {

ConstraintNames make_names() {
  ConstraintNames n;
  n.input_bit = "input h bit";
  n.counter_bit = "counter bit";
  n.final_bit = "final flag is a bit";
  n.mix_bit = "G output bit";
  n.carry_digit = "carry digit of a three-term sum";
  n.carry_bit = "carry bit of a two-term sum";
  static constexpr const char* kSums[kMixSums] = {"a' = a + b + x", "c' = c + d'", "a'' = a' + b' + y", "c'' = c' + d''"};
  for (size_t l = 0; l < kLimbs; ++l) {
    const std::string limb = " limb " + std::to_string(l);
    for (size_t mix = 0; mix < kMixes; ++mix) {
      const std::string g = "round " + std::to_string(mix / kMixesPerRound) + " G" + std::to_string(mix % kMixesPerRound) + ": ";
      for (size_t sum = 0; sum < kMixSums; ++sum) n.sum[mix][sum][l] = g + kSums[sum] + limb;
    }
    for (size_t i = 0; i < kStateWords; ++i) {
      n.output[i][l] = "output h'[" + std::to_string(i) + "] = h ^ v[" + std::to_string(i) + "] ^ v[" + std::to_string(i + 8) + "]" + limb;
    }
  }
  return n;
}

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

void write_bits(std::span<Fp> row, int first, uint32_t value) {
  for (size_t k = 0; k < kWordBits; ++k) row[first + static_cast<int>(k)] = Fp::from_u32(value >> k & 1);
}

}  // namespace

const ConstraintNames& constraint_names() {
  static const ConstraintNames kNames = make_names();
  return kNames;
}

State fill_row(const Compression& call, std::span<Fp> row, const Variant& variant) {
  using Columns = Blake2sColumns;
  for (size_t i = 0; i < kStateWords; ++i) write_bits(row, Columns::input(i, 0), call.state[i]);
  const uint32_t counter_low = static_cast<uint32_t>(call.counter), counter_high = static_cast<uint32_t>(call.counter >> 32);
  write_bits(row, Columns::counter(0), counter_low);
  write_bits(row, Columns::counter(kWordBits), counter_high);
  row[Columns::kFinal] = call.last ? Fp::one() : Fp::zero();
  for (size_t t = 0; t < kBlockWords; ++t) {
    row[Columns::message(t, 0)] = Fp::from_u32(call.block[t] & 0xffff);
    row[Columns::message(t, 1)] = Fp::from_u32(call.block[t] >> 16);
  }

  std::array<uint32_t, kWorkWords> v{};
  for (size_t i = 0; i < kStateWords; ++i) {
    v[i] = call.state[i];
    v[i + 8] = kBlake2sIv[i];
  }
  v[12] ^= counter_low;
  v[13] ^= counter_high;
  if (call.last) v[14] = ~v[14];
  for (size_t mix = 0; mix < kMixes; ++mix) {
    const size_t round = mix / kMixesPerRound, g = mix % kMixesPerRound;
    const auto rotation = [&](size_t which) {
      return static_cast<int>(mix == variant.mix && which == variant.rotation ? variant.amount : kRotations[which]);
    };
    const std::array<size_t, 4>& at = kMixOperands[g];
    uint32_t &a = v[at[0]], &b = v[at[1]], &c = v[at[2]], &d = v[at[3]];
    const Sum a1 = add({a, b, call.block[kSigma[round][2 * g]]});
    a = a1.value;
    d = std::rotr(d ^ a, rotation(0));
    const Sum c1 = add({c, d});
    c = c1.value;
    b = std::rotr(b ^ c, rotation(1));
    const Sum a2 = add({a, b, call.block[kSigma[round][2 * g + 1]]});
    a = a2.value;
    d = std::rotr(d ^ a, rotation(2));
    const Sum c2 = add({c, d});
    c = c2.value;
    b = std::rotr(b ^ c, rotation(3));
    const Sum* sums[kMixSums] = {&a1, &c1, &a2, &c2};
    for (size_t sum = 0; sum < kMixSums; ++sum) {
      for (size_t l = 0; l < kLimbs; ++l) row[Columns::carry(mix, sum, l)] = Fp::from_u32(sums[sum]->carry[l]);
    }
    write_bits(row, Columns::mix_word(mix, MixWord::kA, 0), a);
    write_bits(row, Columns::mix_word(mix, MixWord::kB, 0), b);
    write_bits(row, Columns::mix_word(mix, MixWord::kC, 0), c);
    write_bits(row, Columns::mix_word(mix, MixWord::kD, 0), d);
  }
  State out{};
  for (size_t i = 0; i < kStateWords; ++i) {
    out[i] = (variant.feed_forward ? call.state[i] : 0) ^ v[i] ^ v[i + 8];
    row[Columns::output(i, 0)] = Fp::from_u32(out[i] & 0xffff);
    row[Columns::output(i, 1)] = Fp::from_u32(out[i] >> 16);
  }
  return out;
}

}  // namespace internal

air::TableInfo Blake2sTable::info() const {
  std::vector<std::string> names(Columns::kNumColumns);
  const auto bits = [&names](const std::string& word, int first) {
    for (size_t k = 0; k < kWordBits; ++k) names[first + static_cast<int>(k)] = word + "." + std::to_string(k);
  };
  const auto limbs = [&names](const std::string& word, int first) {
    for (size_t l = 0; l < kLimbs; ++l) names[first + static_cast<int>(l)] = word + ".limb" + std::to_string(l);
  };
  for (size_t i = 0; i < kStateWords; ++i) {
    bits("h[" + std::to_string(i) + "]", Columns::input(i, 0));
    limbs("h'[" + std::to_string(i) + "]", Columns::output(i, 0));
  }
  bits("t0", Columns::counter(0));
  bits("t1", Columns::counter(kWordBits));
  names[Columns::kFinal] = "f";
  for (size_t t = 0; t < kBlockWords; ++t) limbs("m[" + std::to_string(t) + "]", Columns::message(t, 0));
  static constexpr const char* kWords[4] = {"a''", "b''", "c''", "d''"};
  static constexpr const char* kSums[kMixSums] = {"a'", "c'", "a''", "c''"};
  for (size_t mix = 0; mix < kMixes; ++mix) {
    const std::string g = "r" + std::to_string(mix / kMixesPerRound) + "g" + std::to_string(mix % kMixesPerRound) + ".";
    for (size_t w = 0; w < 4; ++w) bits(g + kWords[w], Columns::mix_word(mix, static_cast<MixWord>(w), 0));
    for (size_t sum = 0; sum < kMixSums; ++sum) {
      for (size_t l = 0; l < kLimbs; ++l) {
        names[Columns::carry(mix, sum, l)] = g + kSums[sum] + ".carry" + std::to_string(l);
      }
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

air::Machine blake2s_machine() { return air::Machine("blake2s_compress", {air::make_table(Blake2sTable{})}); }

State compress(const Compression& call) {
  std::vector<Fp> row(Blake2sColumns::kNumColumns);
  return internal::fill_row(call, row);
}

air::TableWitness blake2s_witness(std::span<const Compression> calls, size_t reserved_rows, int min_log_rows) {
  std::vector<Call> rows;
  rows.reserve(calls.size());
  for (const Compression& c : calls) rows.push_back({c, 0, 0, 0});
  air::TableWitness witness = blake2s_call_witness(rows, reserved_rows, min_log_rows);
  for (size_t r = 0; r < calls.size(); ++r) witness.main.at(r, Blake2sColumns::kActive) = Fp::zero();
  return witness;
}

air::TableWitness blake2s_call_witness(std::span<const Call> calls, size_t reserved_rows, int min_log_rows) {
  using Columns = Blake2sColumns;
  if (min_log_rows < 0 || min_log_rows > 24) {
    throw air::AirError("blake2s_witness: min_log_rows " + std::to_string(min_log_rows) + " is outside [0, 24]");
  }
  for (size_t c = 0; c < calls.size(); ++c) {
    if (calls[c].state_ptr % 4 != 0 || calls[c].block_ptr % 4 != 0) {
      throw air::AirError("blake2s_witness: call " + std::to_string(c) + ": the state at " + hex(calls[c].state_ptr) +
                          " and the parameter block at " + hex(calls[c].block_ptr) + " must be word aligned");
    }
  }
  const size_t needed = std::max<size_t>(calls.size(), 1) + reserved_rows;
  const size_t rows = std::max(std::bit_ceil(needed), size_t{1} << min_log_rows);
  const size_t active = rows - reserved_rows;
  air::TableWitness witness;
  witness.main = zkrv::stark::Matrix<Fp>(rows, Columns::kNumColumns);
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

State output_of(const air::TableWitness& witness, size_t row) {
  if (row >= witness.main.rows() || witness.main.width() != static_cast<size_t>(Blake2sColumns::kNumColumns)) {
    throw air::AirError("blake2s output_of: row " + std::to_string(row) + " is not in a blake2s_compress table of " +
                        std::to_string(witness.main.rows()) + " rows");
  }
  State out{};
  for (size_t i = 0; i < kStateWords; ++i) {
    out[i] = witness.main.at(row, Blake2sColumns::output(i, 0)).to_u32() | witness.main.at(row, Blake2sColumns::output(i, 1)).to_u32() << 16;
  }
  return out;
}

}  // namespace example::blake2s_circuit
