// The keccak absorb table alone: its shape (19 columns, degree <= 3, 9 interactions), its witness
// against keccak-f of the XORed state, the row checker on honest rows, and an under-constraint
// probe: with the byte XOR lookup honest, no other value of any one cell of a real row that
// satisfies the row's constraints emits the honest messages (so no cell is the prover's to choose
// without the buses seeing it), and a padding row's cells emit nothing. Its soundness on the RISC-V machine's buses (forgeries proven and
// rejected) is riscv_air/precompile_test.cc's.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "precompile_air/keccak_absorb/absorb_air.h"
#include "precompile_air/keccak_f1600/keccak_air.h"
#include "stark/air/checker.h"
#include "stark/air/probe.h"
#include "stark/air/symbolic.h"

namespace zkrv::precompile_air::keccak_absorb {
namespace {

namespace air = stark::air;
using air::Fp;
using Columns = AbsorbColumns;

constexpr air::BusId kHandoff = 1, kWord = 2, kRead = 3, kByte = 4;

AbsorbTable table() {
  AbsorbTable t;
  t.buses = {kHandoff, kWord, kRead, kByte};
  return t;
}

Call random_call(uint32_t seed) {
  std::mt19937_64 rng(seed);
  Call call;
  for (uint64_t& lane : call.state) lane = rng();
  for (uint64_t& lane : call.block) lane = rng();
  call.ts = 4000;
  call.ptr = 0x20000;
  call.block_ptr = 0x20400;
  return call;
}

TEST(KeccakAbsorbAir, Shape) {
  const air::TableAnalysis analysis = air::analyze_table(table());
  EXPECT_EQ(analysis.info.main_width, 19);
  EXPECT_LE(analysis.max_degree, 3);
  EXPECT_TRUE(analysis.unused_main.empty());
  EXPECT_EQ(analysis.interactions.size(), 9u);
}

TEST(KeccakAbsorbAir, WitnessHoldsTheXoredStateAndThePermutation) {
  const Call call = random_call(3);
  const air::TableWitness witness = absorb_witness(std::vector<Call>{call}, 3);
  EXPECT_EQ(witness.main.rows(), 64u);
  keccak_f1600::State output = absorbed(call);
  keccak_f1600::permute(output);
  for (size_t w = 0; w < keccak_f1600::kStateWords; ++w) {
    uint32_t input = 0;
    for (int k = 0; k < 4; ++k) input |= witness.main.at(w, Columns::input(k)).to_u32() << (8 * k);
    EXPECT_EQ(input, static_cast<uint32_t>(absorbed(call)[w / 2] >> (32 * (w % 2)))) << w;
    const uint32_t out = witness.main.at(w, Columns::kOutLo).to_u32() | witness.main.at(w, Columns::kOutHi).to_u32() << 16;
    EXPECT_EQ(out, static_cast<uint32_t>(output[w / 2] >> (32 * (w % 2)))) << w;
    EXPECT_EQ(witness.main.at(w, Columns::kHasBlock), w < keccak_f1600::kAbsorbBlockWords ? Fp::one() : Fp::zero());
  }
  const auto erased = air::make_table(table());
  const air::TableAnalysis analysis = air::analyze_table(table());
  EXPECT_TRUE(air::check_table_rows(*erased, analysis, stark::Matrix<Fp>(), witness, 16, 3).empty());
  Call misaligned = call;
  misaligned.block_ptr += 2;
  EXPECT_THROW(absorb_witness(std::vector<Call>{misaligned}), air::AirError);
}

std::vector<Fp> candidates_around(Fp honest) {
  std::vector<Fp> values;
  for (uint32_t d = 0; d < 4; ++d) {
    values.push_back(honest + Fp::from_u32(d));
    values.push_back(honest - Fp::from_u32(d + 1));
    values.push_back(Fp::from_u32(d));
    values.push_back(-Fp::from_u32(d + 1));
  }
  values.push_back(honest + Fp::from_u32(256));
  values.push_back(honest + Fp::from_u32(1u << 16));
  std::sort(values.begin(), values.end(), [](Fp a, Fp b) { return a.to_u32() < b.to_u32(); });
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// The messages an assignment emits (non-zero multiplicity only).
std::set<std::vector<uint32_t>> messages(const air::ProbeResult& r) {
  std::set<std::vector<uint32_t>> out;
  for (const std::vector<Fp>& interaction : r.interactions) {
    if (interaction.empty() || interaction[0] == Fp::zero()) continue;
    std::vector<uint32_t> values;
    for (const Fp& v : interaction) values.push_back(v.to_u32());
    out.insert(values);
  }
  return out;
}

TEST(KeccakAbsorbAir, UnderConstraintProbeEveryCellIsSeenByTheBuses) {
  const AbsorbTable t = table();
  const auto erased = air::make_table(t);
  const air::TableAnalysis analysis = air::analyze_table(t);
  const air::TableWitness witness = absorb_witness(std::vector<Call>{random_call(9)});
  // The BYTE bus's supplier: bytes and their XOR only.
  const air::InteractionFilter byte_xor = [](air::BusId bus, air::Direction, const std::vector<Fp>& tuple, Fp) {
    if (bus != kByte) return true;
    const uint32_t x = tuple[0].to_u32(), y = tuple[1].to_u32(), z = tuple[2].to_u32();
    return x < 256 && y < 256 && (x ^ y) == z;
  };
  // A word of the rate, one past it, and a padding row.
  for (const size_t row : {size_t{3}, size_t{45}, size_t{60}}) {
    air::ProbeWindow window;
    window.local.assign(witness.main.row(row).begin(), witness.main.row(row).end());
    window.next.assign(witness.main.row(row + 1).begin(), witness.main.row(row + 1).end());
    air::ProbeResult honest;
    {
      const auto results = air::probe_assignments(*erased, analysis, window, {}, byte_xor);
      ASSERT_EQ(results.size(), 1u);
      honest = results[0];
    }
    for (int column = 0; column < Columns::kNumColumns; ++column) {
      SCOPED_TRACE("row " + std::to_string(row) + " " + analysis.info.main_names[column]);
      const auto results = air::probe_assignments(
          *erased, analysis, window, {{false, column, candidates_around(window.local[column])}}, byte_xor);
      ASSERT_FALSE(results.empty());
      for (const air::ProbeResult& r : results) {
        if (r.local[column] == window.local[column]) continue;
        // A padding row's cells are free but emit nothing, unless is_real makes it a row whose
        // messages no call matches.
        if (row == 60 && column != Columns::kIsReal) {
          EXPECT_TRUE(messages(r).empty()) << "a padding row emits nothing";
          continue;
        }
        EXPECT_NE(messages(r), messages(honest)) << "value " << r.local[column].to_u32() << " emits the honest messages";
      }
    }
  }
}

}  // namespace
}  // namespace zkrv::precompile_air::keccak_absorb
