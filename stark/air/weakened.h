// A table with one named constraint left out. An under-constraint probe (probe.h) is only worth
// its result if it can fail, so each table's probe test also runs it on the table weakened this way
// and expects the cell that constraint fixed to come out free.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "stark/air/air.h"
#include "stark/field/matrix.h"

namespace zkrv::stark::air {

// A builder that forwards everything to `inner` except assert_zero calls named `dropped`.
template <class B>
class ConstraintDropper : public BuilderHelpers<ConstraintDropper<B>, typename B::Expr> {
 public:
  using Expr = typename B::Expr;
  ConstraintDropper(B& inner, const std::string& dropped) : inner_(inner), dropped_(dropped) {}

  Expr main(int column) const { return inner_.main(column); }
  Expr main_next(int column) const { return inner_.main_next(column); }
  Expr preprocessed(int column) const { return inner_.preprocessed(column); }
  Expr preprocessed_next(int column) const { return inner_.preprocessed_next(column); }
  Expr public_value(int index) const { return inner_.public_value(index); }
  Expr constant(uint32_t value) const { return inner_.constant(value); }
  Expr is_first_row() const { return inner_.is_first_row(); }
  Expr is_last_row() const { return inner_.is_last_row(); }
  Expr is_transition() const { return inner_.is_transition(); }

  void assert_zero(const char* name, const Expr& e) {
    if (dropped_ != name) inner_.assert_zero(name, e);
  }
  void send(BusId bus, std::initializer_list<Expr> tuple, const Expr& multiplicity, uint32_t max_multiplicity = 1) {
    inner_.send(bus, tuple, multiplicity, max_multiplicity);
  }
  void receive(BusId bus, std::initializer_list<Expr> tuple, const Expr& multiplicity, uint32_t max_multiplicity = 1) {
    inner_.receive(bus, tuple, multiplicity, max_multiplicity);
  }

 private:
  B& inner_;
  const std::string& dropped_;
};

// `table` without its constraint named `dropped`, under the name `name` (so a machine or a
// report never mistakes it for the table itself).
template <class T>
struct WithoutConstraint {
  T table;
  std::string dropped;
  std::string name;

  TableInfo info() const {
    TableInfo info = table.info();
    info.name = name;
    return info;
  }
  Matrix<Fp> preprocessed() const
    requires requires(const T& t) { t.preprocessed(); }
  {
    return table.preprocessed();
  }
  template <class B>
  void eval(B& b) const {
    ConstraintDropper<B> dropper(b, dropped);
    table.eval(dropper);
  }
};

}  // namespace zkrv::stark::air
