#include "stark/air/symbolic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stark/air/machine.h"

namespace zkrv::stark::air {
namespace {

using ::testing::HasSubstr;

struct SquareTable {
  TableInfo info() const { return {"square", 3, 0, 1, {"x", "y", "unused"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.assert_zero("y = x^2", b.main(1) - b.main(0) * b.main(0));
    b.assert_zero_first("x starts at public[0]", b.main(0) - b.public_value(0));
    b.assert_zero_transition("next x = y", b.main_next(0) - b.main(1));
    b.send(7, {b.main(0), b.main(1)}, b.constant(1));
  }
};

struct CubicWithSelector {
  TableInfo info() const { return {"too-high", 1, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const auto x = b.main(0);
    b.assert_zero_transition("x^3 on transitions", x * x * x);
  }
};

struct OutOfRange {
  TableInfo info() const { return {"oob", 1, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.assert_zero("reads column 1", b.main(1));
  }
};

TEST(SymbolicTest, RecordsConstraintsDegreesAndInteractions) {
  const TableAnalysis a = analyze_table(SquareTable{});
  ASSERT_EQ(a.constraints.size(), 3u);
  EXPECT_EQ(a.constraints[0].name, "y = x^2");
  EXPECT_EQ(a.constraints[0].degree, 2);
  EXPECT_EQ(a.constraints[1].degree, 2);  // selector counts as degree 1
  EXPECT_EQ(a.constraints[2].degree, 2);
  ASSERT_EQ(a.interactions.size(), 1u);
  EXPECT_EQ(a.interactions[0].bus, 7u);
  EXPECT_EQ(a.interactions[0].tuple_degree, 1);
  EXPECT_EQ(a.interactions[0].multiplicity_degree, 0);
  ASSERT_EQ(a.logup_groups.size(), 1u);
  EXPECT_EQ(a.interaction_width(), 8);  // one helper + the running sum, 4 base columns each
  EXPECT_EQ(a.max_degree, 2);
  EXPECT_EQ(a.quotient_chunks(), 1);
}

TEST(SymbolicTest, LintsUnusedColumns) {
  const TableAnalysis a = analyze_table(SquareTable{});
  EXPECT_THAT(a.unused_main, ::testing::ElementsAre(2));
}

TEST(SymbolicTest, DescribePrintsEveryConstraintWithNames) {
  const std::string text = analyze_table(SquareTable{}).describe();
  EXPECT_THAT(text, HasSubstr("constraint y = x^2 (degree 2): (y - x * x) = 0"));
  EXPECT_THAT(text, HasSubstr("is_transition * (next(x) - y)"));
  EXPECT_THAT(text, HasSubstr("send bus 7 (x, y) x 1 (max 1)"));
}

TEST(SymbolicTest, RejectsDegreeAboveThreeNamingTheConstraint) {
  try {
    analyze_table(CubicWithSelector{});
    FAIL() << "degree 4 accepted";
  } catch (const AirError& e) {
    EXPECT_THAT(e.what(), HasSubstr("x^3 on transitions"));
    EXPECT_THAT(e.what(), HasSubstr("degree 4"));
  }
}

TEST(SymbolicTest, RejectsColumnOutOfRange) {
  EXPECT_THROW(analyze_table(OutOfRange{}), AirError);
}

struct PairedSends {
  TableInfo info() const { return {"pairs", 3, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(1, {b.main(0)}, b.main(2));
    b.send(1, {b.main(1)}, b.main(2));
    b.send(2, {b.main(0) * b.main(1)}, b.constant(1));  // degree-2 tuple: 1 + 2 = 3 alone
  }
};

TEST(SymbolicTest, PairsFractionsWhileTheDegreeAllows) {
  const TableAnalysis a = analyze_table(PairedSends{});
  ASSERT_EQ(a.logup_groups.size(), 2u);
  EXPECT_EQ(a.logup_groups[0].interactions, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(a.logup_groups[0].degree, 3);
  EXPECT_EQ(a.logup_groups[1].interactions, (std::vector<size_t>{2}));
  EXPECT_EQ(a.logup_groups[1].degree, 3);
  EXPECT_EQ(a.quotient_chunks(), 2);
}

struct UnboundedBothWays {
  TableInfo info() const { return {"both", 1, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(1, {b.main(0)}, b.main(0), kUnbounded);
    b.receive(1, {b.main(0)}, b.main(0), kUnbounded);
  }
};

struct WrongArity {
  TableInfo info() const { return {"arity", 2, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(1, {b.main(0)}, b.constant(1));
    b.receive(1, {b.main(0), b.main(1)}, b.constant(1));
  }
};

TEST(MachineTest, RejectsInconsistentBuses) {
  EXPECT_THROW(Machine("m", {make_table(UnboundedBothWays{})}), AirError);
  EXPECT_THROW(Machine("m", {make_table(WrongArity{})}), AirError);
  EXPECT_THROW(Machine("m", {make_table(SquareTable{}), make_table(SquareTable{})}), AirError);  // same name
  EXPECT_THROW(Machine("m", {}), AirError);
}

TEST(MachineTest, InteractionBoundDependsOnHeights) {
  const Machine m("m", {make_table(SquareTable{})});
  const std::vector<int> small = {20};
  EXPECT_NO_THROW(m.check_interaction_bound(small, {}));
  // 2^31 rows of one bounded send exceed p; checked from heights alone (no trace needed).
  const std::vector<int> huge = {31};
  EXPECT_THROW(m.check_interaction_bound(huge, {}), AirError);
}

TEST(MachineTest, ConstraintDigestChangesWithTheConstraints) {
  const Machine a("m", {make_table(SquareTable{})});
  const Machine b("m", {make_table(PairedSends{})});
  EXPECT_NE(a.constraint_digest(), b.constraint_digest());
  EXPECT_EQ(a.constraint_digest(), Machine("m", {make_table(SquareTable{})}).constraint_digest());
}

}  // namespace
}  // namespace zkrv::stark::air
