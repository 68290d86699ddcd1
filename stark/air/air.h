// The constraint framework's vocabulary: a table is a class with one templated `eval`, and four
// evaluators ("builders") run that one definition.
//
// A table type T provides
//   TableInfo info() const;                    // name, column counts and names, public values
//   template <class B> void eval(B& b) const;  // constraints and bus interactions
//   Matrix<Fp> preprocessed() const;           // only if info().preprocessed_width > 0
// and `eval` may use only the builder interface below, never branch on values (the structure of
// the constraint list must be the same on every row; the framework checks the count):
//   typename B::Expr                            // a value: symbolic, Fp, Ext or 16 packed Fp
//   Expr b.main(c), b.main_next(c)              // main column c on this row / the next row
//   Expr b.preprocessed(c), b.preprocessed_next(c)
//   Expr b.public_value(i), b.constant(u32)
//   Expr b.is_first_row(), b.is_last_row(), b.is_transition()   // 0/1 on the trace domain
//   b.assert_zero("name", e)  + helpers: assert_zero_first/_last/_transition, assert_eq, assert_bool
//   b.send(bus, {t0, t1, ...}, multiplicity [, max_multiplicity])
//   b.receive(bus, {t0, t1, ...}, multiplicity [, max_multiplicity])
// Expressions combine with +, - (binary and unary) and *. Without zero knowledge the next row of
// the last row is row 0 (the trace domain is cyclic); with it, the last active row's next row is a
// random reserved row (docs/proof-system.md, "Zero knowledge" part 2). Either way a constraint
// that reads the next row uses is_transition() (or a factor zero on the last row).
//
// The builders: SymbolicBuilder (symbolic.h: degrees, lint, printing, the digest a verifying key
// commits to), ValueBuilder<Fp> (row checker and LogUp witness generation), ValueBuilder<Ext> (the
// verifier's out-of-domain check) and ValueBuilder<PackedKoalaBear> (the prover's quotient over
// the LDE, 16 points at a time).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "stark/field/extension_field.h"
#include "stark/field/koalabear.h"

namespace zkrv::stark::air {

using Fp = KoalaBear;
using Ext = KoalaBear4;

// Every constraint, after multiplying by its selector, must have degree at most this: at blowup 2
// the quotient then fits in 2 chunks (docs/proof-system.md "Constraint framework").
inline constexpr int kMaxConstraintDegree = 3;
inline constexpr size_t kMaxTupleSize = 16;
inline constexpr size_t kMaxInteractionsPerTable = 64;

using BusId = uint32_t;
enum class Direction : uint8_t { kSend = 0, kReceive = 1 };

// The multiplicity bound a table promises for an interaction: its constraints keep the
// multiplicity in [0, max_multiplicity]. kUnbounded marks a supplier's count (a lookup table's
// column that counts uses). The supplier rule: a bus has unbounded interactions in one direction
// only, and then every interaction in that direction is unbounded (docs/proof-system.md "Buses").
inline constexpr uint32_t kUnbounded = 0xFFFFFFFFu;

struct TableInfo {
  std::string name;
  int main_width = 0;
  int preprocessed_width = 0;
  int num_public_values = 0;
  std::vector<std::string> main_names;          // optional; printing falls back to main[c]
  std::vector<std::string> preprocessed_names;  // optional
};

// Any structural problem with a table or a machine (a degree over the bound, an inconsistent bus,
// a witness of the wrong shape). The message names the table, constraint or bus.
class AirError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Member helpers every builder shares; `Derived` provides the primitives.
template <class Derived, class Expr>
class BuilderHelpers {
 public:
  void assert_eq(const char* name, const Expr& a, const Expr& b) { self().assert_zero(name, a - b); }
  void assert_bool(const char* name, const Expr& a) { self().assert_zero(name, a * (a - self().constant(1))); }
  void assert_zero_first(const char* name, const Expr& a) { self().assert_zero(name, self().is_first_row() * a); }
  void assert_zero_last(const char* name, const Expr& a) { self().assert_zero(name, self().is_last_row() * a); }
  void assert_zero_transition(const char* name, const Expr& a) {
    self().assert_zero(name, self().is_transition() * a);
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

}  // namespace zkrv::stark::air
