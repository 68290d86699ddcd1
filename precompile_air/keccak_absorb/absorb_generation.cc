// Witness generation for the keccak absorb table (absorb_air.h) and its column names.
#include <algorithm>
#include <bit>
#include <string>

#include "precompile_air/keccak_absorb/absorb_air.h"
#include "precompile_air/keccak_f1600/keccak_air.h"

namespace zkrv::precompile_air::keccak_absorb {

using stark::air::Fp;
using keccak_f1600::kAbsorbBlockWords;
using keccak_f1600::kStateWords;

stark::air::TableInfo AbsorbTable::info() const {
  std::vector<std::string> names(Columns::kNumColumns);
  names[Columns::kIsReal] = "is_real";
  names[Columns::kHasBlock] = "has_block";
  names[Columns::kTs] = "ts";
  names[Columns::kAddr] = "addr";
  names[Columns::kBlockAddr] = "block_addr";
  for (int k = 0; k < 4; ++k) {
    names[Columns::before(k)] = "before" + std::to_string(k);
    names[Columns::block(k)] = "block" + std::to_string(k);
    names[Columns::input(k)] = "input" + std::to_string(k);
  }
  names[Columns::kOutLo] = "out_lo";
  names[Columns::kOutHi] = "out_hi";
  return {name, Columns::kNumColumns, 0, 0, std::move(names), {}};
}

namespace {

uint32_t word_of(const keccak_f1600::State& state, size_t w) { return static_cast<uint32_t>(state[w / 2] >> (32 * (w % 2))); }

}  // namespace

keccak_f1600::State absorbed(const Call& call) {
  keccak_f1600::State input = call.state;
  for (size_t i = 0; i < call.block.size(); ++i) input[i] ^= call.block[i];
  return input;
}

keccak_f1600::Call keccak_call(const Call& call) { return {absorbed(call), call.ts, call.ptr, call.block_ptr}; }

stark::air::TableWitness absorb_witness(std::span<const Call> calls, size_t reserved_rows) {
  const size_t rows = std::bit_ceil(std::max<size_t>(calls.size() * kStateWords, 1) + reserved_rows);
  using Columns = AbsorbColumns;
  stark::air::TableWitness witness;
  witness.main = stark::Matrix<Fp>(rows, Columns::kNumColumns);
  for (size_t c = 0; c < calls.size(); ++c) {
    const Call& call = calls[c];
    if (call.ptr % 4 != 0 || call.block_ptr % 4 != 0) {
      throw stark::air::AirError("absorb_witness: call " + std::to_string(c) + "'s pointers are not word aligned");
    }
    const keccak_f1600::State input = absorbed(call);
    keccak_f1600::State output = input;
    keccak_f1600::permute(output);
    for (size_t w = 0; w < kStateWords; ++w) {
      std::span<Fp> row = witness.main.row(c * kStateWords + w);
      const uint32_t before = word_of(call.state, w), after = word_of(output, w);
      const uint32_t block = w < kAbsorbBlockWords ? static_cast<uint32_t>(call.block[w / 2] >> (32 * (w % 2))) : 0;
      row[Columns::kIsReal] = Fp::one();
      row[Columns::kHasBlock] = Fp::from_u32(w < kAbsorbBlockWords ? 1 : 0);
      row[Columns::kTs] = Fp::from_u32(call.ts);
      row[Columns::kAddr] = Fp::from_u32(call.ptr / 4 + static_cast<uint32_t>(w));
      row[Columns::kBlockAddr] = Fp::from_u32(call.block_ptr / 4 + static_cast<uint32_t>(w));
      for (int k = 0; k < 4; ++k) {
        row[Columns::before(k)] = Fp::from_u32(before >> (8 * k) & 0xff);
        row[Columns::block(k)] = Fp::from_u32(block >> (8 * k) & 0xff);
        row[Columns::input(k)] = Fp::from_u32((before ^ block) >> (8 * k) & 0xff);
      }
      row[Columns::kOutLo] = Fp::from_u32(after & 0xffff);
      row[Columns::kOutHi] = Fp::from_u32(after >> 16);
    }
  }
  return witness;
}

}  // namespace zkrv::precompile_air::keccak_absorb
