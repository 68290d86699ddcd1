// Under-constraint probes for every toy table: enumerate small ranges (plus wrap-around values
// near p) for a window's free cells and check that all satisfying assignments agree on the
// table's outputs. A deliberately weakened ALU shows that the probe finds a second output when a
// constraint is missing. (The range16 table has no row constraints to probe: its values are fixed
// by the verifying key and its multiplicities are checked by LogUp.)
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "stark/air/probe.h"
#include "stark/machines/cpu_alu.h"
#include "stark/machines/fibonacci.h"
#include "stark/machines/range_check.h"

namespace zkrv::stark::machines {
namespace {

using air::Fp;
using air::ProbeCell;
using air::ProbeWindow;

std::vector<Fp> range(uint32_t begin, uint32_t end, std::vector<uint32_t> extra_below_p = {}) {
  std::vector<Fp> values;
  for (uint32_t v = begin; v < end; ++v) values.push_back(Fp::from_u32(v));
  for (uint32_t k : extra_below_p) values.push_back(-Fp::from_u32(k));  // p - k
  return values;
}

template <class T>
std::vector<air::ProbeResult> probe(const T& table, const ProbeWindow& window, const std::vector<ProbeCell>& cells,
                                    const air::InteractionFilter& filter = {}) {
  const auto erased = air::make_table(table);
  const air::TableAnalysis analysis = air::analyze_table(table);
  return air::probe_assignments(*erased, analysis, window, cells, filter);
}

Fp fp(uint32_t v) { return Fp::from_u32(v); }

TEST(UnderConstraintProbe, FibonacciTransitionHasOneSuccessor) {
  for (uint32_t a = 0; a < 6; ++a) {
    for (uint32_t b = 0; b < 6; ++b) {
      ProbeWindow w{{fp(a), fp(b)}, {Fp::zero(), Fp::zero()}, {fp(0), fp(1), fp(0)}, false, false};
      const auto results = probe(FibonacciTable{}, w,
                                 {{true, FibonacciTable::kA, range(0, 24, {1, 2})},
                                  {true, FibonacciTable::kB, range(0, 24, {1, 2})}});
      ASSERT_EQ(results.size(), 1u) << a << "," << b;
      EXPECT_EQ(results[0].next, (std::vector<Fp>{fp(b), fp(a + b)}));
    }
  }
}

TEST(UnderConstraintProbe, FibonacciBoundariesAreFixedByPublicValues) {
  ProbeWindow first{{Fp::zero(), Fp::zero()}, {Fp::zero(), Fp::zero()}, {fp(3), fp(4), fp(99)}, true, false};
  // The next row is free too (it is constrained by the transition: (4, 7)).
  auto results = probe(FibonacciTable{}, first,
                       {{false, 0, range(0, 12, {1})}, {false, 1, range(0, 12, {1})}, {true, 0, range(0, 12)},
                        {true, 1, range(0, 12)}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local, (std::vector<Fp>{fp(3), fp(4)}));
  ProbeWindow last{{fp(5), Fp::zero()}, {Fp::zero(), Fp::zero()}, {fp(0), fp(1), fp(9)}, false, true};
  results = probe(FibonacciTable{}, last, {{false, 1, range(0, 40, {1, 9})}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local[1], fp(9));
}

TEST(UnderConstraintProbe, Add16HasOneSumAndCarryWithinTheRange) {
  const air::InteractionFilter in_range = [](air::BusId bus, air::Direction, const std::vector<Fp>& tuple, Fp) {
    return bus != kRangeBus || tuple[0].to_u32() < (1u << 16);
  };
  std::vector<Fp> c_candidates = range(0, 1u << 16, {1, 65535, 65536});
  c_candidates.push_back(fp(1u << 16));
  c_candidates.push_back(fp((1u << 16) + 1));
  const std::vector<Fp> carry_candidates = {fp(0), fp(1), fp(2), -fp(1)};
  const std::vector<std::pair<uint32_t, uint32_t>> operands = {
      {0, 0}, {1, 2}, {65535, 1}, {65535, 65535}, {40000, 30000}, {12345, 54321}};
  for (const auto& [a, b] : operands) {
    ProbeWindow w{{fp(a), fp(b), Fp::zero(), Fp::zero(), Fp::one()}, std::vector<Fp>(Add16Table::kWidth), {}};
    const auto results =
        probe(Add16Table{}, w, {{false, Add16Table::kC, c_candidates}, {false, Add16Table::kCarry, carry_candidates}},
              in_range);
    ASSERT_EQ(results.size(), 1u) << a << " + " << b;
    EXPECT_EQ(results[0].local[Add16Table::kC], fp((a + b) & 0xFFFF));
    EXPECT_EQ(results[0].local[Add16Table::kCarry], fp((a + b) >> 16));
  }
}

// Maps each received (op, a, b) to the set of results that satisfy the table.
template <class T>
std::map<std::vector<uint32_t>, std::set<uint32_t>> alu_outputs(const T& table) {
  const std::vector<Fp> flags = {fp(0), fp(1), fp(2), -fp(1)};
  std::map<std::vector<uint32_t>, std::set<uint32_t>> outputs;
  for (uint32_t a = 0; a < 4; ++a) {
    for (uint32_t b = 0; b < 4; ++b) {
      ProbeWindow w{{Fp::zero(), Fp::zero(), Fp::zero(), fp(a), fp(b), Fp::zero(), Fp::one()},
                    std::vector<Fp>(AluTable::kWidth), {}};
      const auto results = probe(table, w,
                                 {{false, AluTable::kIsAdd, flags},
                                  {false, AluTable::kIsSub, flags},
                                  {false, AluTable::kIsMul, flags},
                                  {false, AluTable::kResult, range(0, 32, {1, 2, 3})}});
      for (const air::ProbeResult& r : results) {
        const std::vector<Fp>& received = r.interactions[0];  // multiplicity, op, a, b, result
        outputs[{received[1].to_u32(), received[2].to_u32(), received[3].to_u32()}].insert(received[4].to_u32());
      }
    }
  }
  return outputs;
}

TEST(UnderConstraintProbe, AluHasOneResultPerOperation) {
  const auto outputs = alu_outputs(AluTable{});
  ASSERT_EQ(outputs.size(), 3u * 16u);  // ops 1..3 for every (a, b)
  for (const auto& [key, results] : outputs) {
    EXPECT_EQ(results.size(), 1u) << "op " << key[0] << " a " << key[1] << " b " << key[2];
    EXPECT_GE(key[0], 1u);
    EXPECT_LE(key[0], 3u);
  }
}

// Without "exactly one op", is_add = is_sub = 1 encodes op 3 (1 + 2) with result 2a.
struct AluWithoutOneHot : AluTable {
  template <class B>
  void eval(B& b) const {
    const auto add = b.main(kIsAdd), sub = b.main(kIsSub), mul = b.main(kIsMul);
    const auto a = b.main(kA), x = b.main(kB), result = b.main(kResult);
    b.assert_bool("is_add is a bit", add);
    b.assert_bool("is_sub is a bit", sub);
    b.assert_bool("is_mul is a bit", mul);
    b.assert_zero("result", result - (add * (a + x) + sub * (a - x) + mul * a * x));
    b.receive(kAluBus, {add + b.constant(2) * sub + b.constant(3) * mul, a, x, result}, b.main(kMultiplicity));
  }
};

TEST(UnderConstraintProbe, FindsTheMissingOneHotConstraint) {
  const auto outputs = alu_outputs(AluWithoutOneHot{});
  const auto it = outputs.find({3, 1, 1});
  ASSERT_NE(it, outputs.end());
  EXPECT_EQ(it->second, (std::set<uint32_t>{1, 2}));  // a * b and a + b + a - b
}

TEST(UnderConstraintProbe, CpuStepHasOneSuccessorState) {
  const std::vector<Fp> free = range(0, 16, {1});
  for (uint32_t next_real = 0; next_real < 2; ++next_real) {
    // A real row computing 2 + 5 = 7.
    ProbeWindow w{{fp(1), fp(1), fp(2), fp(5), fp(7)}, {fp(next_real), fp(3), Fp::zero(), fp(2), Fp::zero()}, {fp(0), fp(0)}, false, false};
    const auto results =
        probe(CpuTable{}, w, {{true, CpuTable::kA, free}, {true, CpuTable::kResult, free}});
    std::set<uint32_t> outputs;
    for (const air::ProbeResult& r : results) {
      outputs.insert((next_real ? r.next[CpuTable::kA] : r.next[CpuTable::kResult]).to_u32());
    }
    EXPECT_EQ(outputs, (std::set<uint32_t>{7})) << "next_real " << next_real;
  }
  // A padding row cannot be followed by a real one.
  ProbeWindow padding{{fp(0), fp(0), fp(0), fp(0), fp(7)}, {fp(1), fp(1), fp(7), fp(1), fp(8)}, {fp(0), fp(0)}, false, false};
  EXPECT_TRUE(probe(CpuTable{}, padding, {{true, CpuTable::kA, free}}).empty());
}

TEST(UnderConstraintProbe, CpuFirstRowIsRealAndStartsAtTheInput) {
  ProbeWindow w{std::vector<Fp>(CpuTable::kWidth), std::vector<Fp>(CpuTable::kWidth), {fp(3), fp(0)}, true, false};
  w.next[CpuTable::kIsReal] = fp(1);
  const auto results = probe(CpuTable{}, w,
                             {{false, CpuTable::kIsReal, {fp(0), fp(1), fp(2), -fp(1)}},
                              {false, CpuTable::kA, range(0, 8, {1, 3})},
                              {true, CpuTable::kA, range(0, 4)}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].local[CpuTable::kIsReal], fp(1));
  EXPECT_EQ(results[0].local[CpuTable::kA], fp(3));
}

}  // namespace
}  // namespace zkrv::stark::machines
