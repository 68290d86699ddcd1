// A one-column table with one constraint, x^ZKRV_TEST_DEGREE = x: a circuit at degree 3, a table
// the encoder refuses at degree 4 (circuit_kit_test.cmake).
#include <zkrv/circuit.hpp>

namespace {

namespace air = ::zkrv::stark::air;

struct PowerTable {
  air::TableInfo info() const {
    air::TableInfo info;
    info.name = "power";
    info.main_width = 1;
    return info;
  }

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    const Expr x = b.main(0);
    Expr power = x;
    for (int i = 1; i < ZKRV_TEST_DEGREE; ++i) power = power * x;
    b.assert_zero("x^degree = x", power - x);
  }
};

}  // namespace

ZKRV_DEFINE_CIRCUIT(PowerTable{})
