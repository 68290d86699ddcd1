// Witness generation for the BLAKE2s compression table (blake2s_air.h), its constraint names and
// machine.
#include <algorithm>
#include <bit>
#include <cstdio>
#include <string>
#include <vector>

#include "circuit/blake2s_air.h"
#include "src/blake2s_rows.h"

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

}  // namespace

const ConstraintNames& constraint_names() {
  static const ConstraintNames kNames = make_names();
  return kNames;
}

State fill_row(const Compression& call, std::span<Fp> row, const Variant& variant) {
  // The package's own filler (src/blake2s_rows.h), so that these rows and the ones its library
  // returns through the witness call are the same code.
  const RowVariant as_filled{variant.mix, variant.rotation, variant.amount, variant.feed_forward};
  return fill_compression(call, [row](int column, uint32_t value) { row[column] = Fp::from_u32(value); }, as_filled);
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
  return blake2s_call_witness(rows, reserved_rows, min_log_rows);
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
  air::TableWitness witness;
  witness.main = zkrv::stark::Matrix<Fp>(rows, Columns::kNumColumns);
  // Rows past the calls stay all zero: padding, which every constraint accepts.
  for (size_t r = 0; r < calls.size(); ++r) {
    const std::span<Fp> row = witness.main.row(r);
    const Call& call = calls[r];
    internal::fill_row(call.input, row);
    fill_call(call.ts, call.state_ptr, call.block_ptr, [row](int column, uint32_t value) { row[column] = Fp::from_u32(value); });
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
