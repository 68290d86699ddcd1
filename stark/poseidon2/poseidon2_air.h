// The Poseidon2 table: one row per permutation of Poseidon2 over KoalaBear, width 16
// (poseidon2.h), laid out as poseidon2_columns.h says. Its eval replays the permutation on the
// row's columns with the same linear-layer templates the native permutation uses (the internal
// rounds through precomputed affine forms): each external round's 16 results and each internal
// round's S-box output are committed cells, and each is constrained to equal its round's function
// (a cube of degree-1 expressions, so degree 3) of the cells before it. Every cell other than the
// inputs is therefore fixed by the inputs, and the outputs are the permutation of the inputs on
// every row. How other tables reach these rows (a bus with (input, output) tuples, or an interface
// for compression alone) is left to the table that uses it.
#pragma once

#include <array>
#include <span>
#include <string>

#include "stark/air/machine.h"
#include "stark/air/witness.h"
#include "stark/poseidon2/poseidon2.h"
#include "stark/poseidon2/poseidon2_columns.h"

namespace zkrv::stark::poseidon2 {

namespace internal {

// Constraint names, one per committed round cell: "full round R[i]" (R = 0..7 over beginning and
// ending rounds) and "partial round R S-box" (R = 0..19). Names outlive every builder.
const std::string& full_round_name(size_t round, size_t i);
const std::string& partial_round_name(size_t round);

// Through the internal rounds the state is a fixed affine function of the cells they read: the 16
// cells of the last beginning round (variables 0..15) and the S-box outputs so far (16..35).
// Replaying the internal layer on expressions would build a DAG whose expansion as a tree (which
// the symbolic analysis prints and walks) grows 17-fold per round; the forms, computed once from
// the constants, make each constraint a flat sum of at most 36 terms instead.
inline constexpr size_t kFormVariables = kWidth + kPartialRounds;

struct AffineForm {
  std::array<KoalaBear, kFormVariables> coefficients{};
  KoalaBear constant;

  friend AffineForm operator+(const AffineForm& a, const AffineForm& b) {
    AffineForm sum;
    for (size_t k = 0; k < kFormVariables; ++k) sum.coefficients[k] = a.coefficients[k] + b.coefficients[k];
    sum.constant = a.constant + b.constant;
    return sum;
  }
};

struct PartialRoundForms {
  std::array<AffineForm, kPartialRounds> sbox_inputs;  // state[0] plus the round constant, before the S-box
  std::array<AffineForm, kWidth> outputs;              // the state after the last internal round
};

const PartialRoundForms& partial_round_forms();

constexpr int form_variable_column(size_t k) {
  return k < kWidth ? Poseidon2Columns::beginning_full(kHalfFullRounds - 1, k)
                    : Poseidon2Columns::partial_sbox(k - kWidth);
}

}  // namespace internal

struct Poseidon2Table {
  using Columns = Poseidon2Columns;

  air::TableInfo info() const;

  template <class B>
  void eval(B& b) const {
    using Expr = typename B::Expr;
    const auto lift = [&b](KoalaBear c) { return b.constant(c.to_u32()); };
    const RoundConstants& constants = plonky3_round_constants();

    StateOf<Expr> state;
    for (size_t i = 0; i < kWidth; ++i) state[i] = b.main(Columns::input(i));
    external_linear_layer(state);
    for (size_t r = 0; r < kHalfFullRounds; ++r) {
      full_round(b, state, constants.initial[r], r, lift, [](size_t round, size_t i) {
        return Columns::beginning_full(round, i);
      });
    }
    const internal::PartialRoundForms& forms = internal::partial_round_forms();
    const auto to_expr = [&b, &lift](const internal::AffineForm& form) {
      Expr e = lift(form.constant);
      for (size_t k = 0; k < internal::kFormVariables; ++k) {
        const KoalaBear c = form.coefficients[k];
        if (c.is_zero()) continue;  // a constant of the table, not a value of the row
        const Expr cell = b.main(internal::form_variable_column(k));
        e = e + (c == KoalaBear::one() ? cell : lift(c) * cell);
      }
      return e;
    };
    for (size_t r = 0; r < kPartialRounds; ++r) {
      b.assert_zero(internal::partial_round_name(r).c_str(),
                    sbox(to_expr(forms.sbox_inputs[r])) - b.main(Columns::partial_sbox(r)));
    }
    for (size_t i = 0; i < kWidth; ++i) state[i] = to_expr(forms.outputs[i]);
    for (size_t r = 0; r < kHalfFullRounds; ++r) {
      full_round(b, state, constants.terminal[r], kHalfFullRounds + r, lift, [](size_t round, size_t i) {
        return Columns::ending_full(round - kHalfFullRounds, i);
      });
    }
  }

 private:
  // External round `round` (0..7): add constants, cube, external layer; every element's result is
  // a committed cell, which becomes the state.
  template <class B, class Expr, class Lift, class Column>
  static void full_round(B& b, StateOf<Expr>& state, const State& round_constants, size_t round, const Lift& lift,
                         const Column& column) {
    for (size_t i = 0; i < kWidth; ++i) state[i] = sbox(state[i] + lift(round_constants[i]));
    external_linear_layer(state);
    for (size_t i = 0; i < kWidth; ++i) {
      const Expr post = b.main(column(round, i));
      b.assert_zero(internal::full_round_name(round, i).c_str(), state[i] - post);
      state[i] = post;
    }
  }
};

// The table alone as a machine (no buses, no public values): each row proves one permutation.
air::Machine poseidon2_machine();

// Fills one row (Poseidon2Columns::kNumColumns cells) for the permutation of `input`.
void fill_row(const State& input, std::span<KoalaBear> row);

// One row per input, padded with permutations of the all-zero state to a power of two of at least
// 2^min_log_rows rows (padding rows satisfy every constraint, so they need no selector).
air::TableWitness poseidon2_witness(std::span<const State> inputs, int min_log_rows = 1);

}  // namespace zkrv::stark::poseidon2
