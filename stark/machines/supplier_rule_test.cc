// The lookup-supplier rule (docs/proof-system.md "Buses"), part of the negative catalogue. The
// forgery it closes: a table that receives a tuple on the range bus with a bounded multiplicity,
// in the same direction as Range16's unbounded counts, and Range16's count for that tuple set to
// p - 1, so that (p - 1) + 1 = 0 balances a lookup that no table ever sent. Before the rule, the
// honest prover produced a proof of it and the verifier accepted; now no such machine can be built,
// by the prover or by the verifier, whichever table holds the bounded interaction and whichever
// direction the supplier side is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stark/air/checker.h"
#include "stark/machines/range_check.h"

namespace zkrv::stark::machines {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using air::Fp;

// Receives one value on the range bus, bounded, on its first row: the attack of the issue.
struct RangeConsumer {
  air::TableInfo info() const { return {"consumer", 1, 0, 0, {"value"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kRangeBus, {b.main(0)}, b.is_first_row());
  }
};

// Range16 with a bounded receive of its own beside its counts.
struct Range16WithOwnLookup {
  air::TableInfo info() const { return {"range16", 2, 1, 0, {"multiplicity", "looked_up"}, {"value"}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kRangeBus, {b.preprocessed(0)}, b.main(0), air::kUnbounded);
    b.receive(kRangeBus, {b.main(1)}, b.is_first_row());
  }
  Matrix<Fp> preprocessed() const { return Range16Table{}.preprocessed(); }
};

// The mirror image: a supplier that sends its counts, and a bounded send on the same bus.
inline constexpr air::BusId kByteBus = 7;
struct ByteSupplier {
  air::TableInfo info() const { return {"bytes", 2, 0, 0, {"value", "count"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(kByteBus, {b.main(0)}, b.main(1), air::kUnbounded);
  }
};
struct ByteUser {
  air::TableInfo info() const { return {"user", 1, 0, 0, {"value"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kByteBus, {b.main(0)}, b.is_first_row());
  }
};
struct ByteForger {
  air::TableInfo info() const { return {"forger", 1, 0, 0, {"value"}, {}}; }
  template <class B>
  void eval(B& b) const {
    b.send(kByteBus, {b.main(0)}, b.is_first_row());
  }
};

std::string construction_error(const std::function<air::Machine()>& build) {
  try {
    build();
  } catch (const air::AirError& e) {
    return e.what();
  }
  return "(constructed)";
}

TEST(SupplierRule, BoundedReceiveInAnotherTableBesideTheSupplierIsRejected) {
  const std::string error = construction_error([] {
    return air::Machine("forgery",
                        {air::make_table(Range16Table{}), air::make_table(Add16Table{}),
                         air::make_table(RangeConsumer{})},
                        {{kRangeBus, "range16"}});
  });
  EXPECT_THAT(error, AllOf(HasSubstr("bus 1 (range16)"), HasSubstr("table consumer interaction 0"),
                           HasSubstr("supplier side (receives with unbounded counts)"), HasSubstr("p - m")));
}

TEST(SupplierRule, BoundedReceiveInTheSupplierTableItselfIsRejected) {
  const std::string error = construction_error([] {
    return air::Machine("forgery", {air::make_table(Range16WithOwnLookup{}), air::make_table(Add16Table{})},
                        {{kRangeBus, "range16"}});
  });
  EXPECT_THAT(error, AllOf(HasSubstr("bus 1 (range16)"), HasSubstr("table range16 interaction 1")));
}

TEST(SupplierRule, BoundedSendBesideASendingSupplierIsRejected) {
  EXPECT_NO_THROW(air::Machine("honest", {air::make_table(ByteSupplier{}), air::make_table(ByteUser{})}));
  const std::string error = construction_error([] {
    return air::Machine("forgery", {air::make_table(ByteSupplier{}), air::make_table(ByteUser{}),
                                    air::make_table(ByteForger{})});
  });
  EXPECT_THAT(error, AllOf(HasSubstr("bus 7"), HasSubstr("table forger interaction 0"),
                           HasSubstr("supplier side (sends with unbounded counts)")));
}

TEST(SupplierRule, BoundaryTermInTheSupplierDirectionIsRejected) {
  const air::Machine machine(
      "forgery", {air::make_table(ByteSupplier{}), air::make_table(ByteUser{})}, {{kByteBus, "bytes"}},
      [](std::span<const std::vector<Fp>>) {
        return std::vector<air::BoundaryInteraction>{{kByteBus, air::Direction::kSend, {Fp::from_u32(9)}, Fp::one()}};
      });
  try {
    machine.boundary({});
    ADD_FAILURE() << "a boundary send on a bus whose sends are a supplier's counts was accepted";
  } catch (const air::AirError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("boundary interaction sends on bus 7 (bytes)"), HasSubstr("supplier")));
  }
}

TEST(SupplierRule, TheHonestMachinesStillBuild) {
  EXPECT_NO_THROW(range_check_machine());
  EXPECT_EQ(range_check_machine().supplier_direction(kRangeBus), air::Direction::kReceive);
}

// The debugger names a count that exceeds what the other side of the bus can ever send: on the
// legal machine such a count cannot balance, and it is what the forgery above would have used.
TEST(SupplierRule, DebuggerReportsANegativeCount) {
  const air::Machine machine = range_check_machine();
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{1, 2}};
  std::vector<air::TableWitness> witnesses = range_check_witness(4, pairs);
  const std::vector<Matrix<Fp>> preprocessed = {Range16Table{}.preprocessed(), Matrix<Fp>()};
  ASSERT_TRUE(air::find_negative_counts(machine, preprocessed, witnesses).empty());
  witnesses[0].main.at(9, 0) = -Fp::one();
  const std::vector<air::NegativeCount> negative = air::find_negative_counts(machine, preprocessed, witnesses);
  ASSERT_EQ(negative.size(), 1u);
  EXPECT_EQ(negative[0].table, "range16");
  EXPECT_EQ(negative[0].row, 9u);
  EXPECT_EQ(negative[0].bound, 3u * 16u);  // add16: 16 rows x 3 sends of at most 1
  const air::MachineCheck check = air::check_machine(machine, preprocessed, witnesses);
  EXPECT_FALSE(check.ok());
  EXPECT_THAT(check.to_string(machine),
              HasSubstr("table range16 row 9 interaction 0: count 2130706432 of tuple (9) on bus 1 (range16) is above "
                        "48, the most the other side can put on the bus: it can only balance as a negative count (-1)"));
}

}  // namespace
}  // namespace zkrv::stark::machines
