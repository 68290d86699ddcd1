// Witness generation for the Poseidon2 table (poseidon2_air.h), plus its names and machine.
#include <algorithm>
#include <bit>
#include <string>
#include <vector>

#include "stark/poseidon2/poseidon2_air.h"

namespace zkrv::stark::poseidon2 {

namespace internal {

namespace {

struct Names {
  std::array<std::array<std::string, kWidth>, 2 * kHalfFullRounds> full;
  std::array<std::string, kPartialRounds> partial;
  Names() {
    for (size_t r = 0; r < full.size(); ++r) {
      for (size_t i = 0; i < kWidth; ++i) full[r][i] = "full round " + std::to_string(r) + "[" + std::to_string(i) + "]";
    }
    for (size_t r = 0; r < kPartialRounds; ++r) partial[r] = "partial round " + std::to_string(r) + " S-box";
  }
};

const Names& names() {
  static const Names kNames;
  return kNames;
}

}  // namespace

const std::string& full_round_name(size_t round, size_t i) { return names().full.at(round).at(i); }
const std::string& partial_round_name(size_t round) { return names().partial.at(round); }

namespace {

AffineForm scale_form(KoalaBear c, const AffineForm& form) {
  AffineForm scaled;
  for (size_t k = 0; k < kFormVariables; ++k) scaled.coefficients[k] = c * form.coefficients[k];
  scaled.constant = c * form.constant;
  return scaled;
}

PartialRoundForms make_partial_round_forms() {
  const RoundConstants& constants = plonky3_round_constants();
  PartialRoundForms forms;
  StateOf<AffineForm> state;
  for (size_t i = 0; i < kWidth; ++i) state[i].coefficients[i] = KoalaBear::one();
  for (size_t r = 0; r < kPartialRounds; ++r) {
    forms.sbox_inputs[r] = state[0];
    forms.sbox_inputs[r].constant += constants.internal[r];
    state[0] = AffineForm{};
    state[0].coefficients[kWidth + r] = KoalaBear::one();
    internal_linear_layer(state, scale_form);
  }
  forms.outputs = state;
  return forms;
}

}  // namespace

const PartialRoundForms& partial_round_forms() {
  static const PartialRoundForms kForms = make_partial_round_forms();
  return kForms;
}

}  // namespace internal

air::TableInfo Poseidon2Table::info() const {
  std::vector<std::string> column_names(Columns::kNumColumns);
  for (size_t i = 0; i < kWidth; ++i) {
    column_names[Columns::input(i)] = "in[" + std::to_string(i) + "]";
    for (size_t r = 0; r < kHalfFullRounds; ++r) {
      column_names[Columns::beginning_full(r, i)] = "full" + std::to_string(r) + "[" + std::to_string(i) + "]";
      column_names[Columns::ending_full(r, i)] =
          "full" + std::to_string(kHalfFullRounds + r) + "[" + std::to_string(i) + "]";
    }
  }
  for (size_t r = 0; r < kPartialRounds; ++r) column_names[Columns::partial_sbox(r)] = "partial" + std::to_string(r);
  return {"poseidon2", Columns::kNumColumns, 0, 0, std::move(column_names), {}};
}

air::Machine poseidon2_machine() { return air::Machine("poseidon2", {air::make_table(Poseidon2Table{})}); }

void fill_row(const State& input, std::span<KoalaBear> row) {
  if (row.size() != static_cast<size_t>(Poseidon2Columns::kNumColumns)) {
    throw air::AirError("poseidon2 fill_row: row has " + std::to_string(row.size()) + " cells, expected " +
                                std::to_string(Poseidon2Columns::kNumColumns));
  }
  using Columns = Poseidon2Columns;
  const RoundConstants& constants = plonky3_round_constants();
  State state = input;
  for (size_t i = 0; i < kWidth; ++i) row[Columns::input(i)] = state[i];
  // The same steps as permute(), recording what the table commits.
  external_linear_layer(state);
  for (size_t r = 0; r < kHalfFullRounds; ++r) {
    for (size_t i = 0; i < kWidth; ++i) state[i] = sbox(state[i] + constants.initial[r][i]);
    external_linear_layer(state);
    for (size_t i = 0; i < kWidth; ++i) row[Columns::beginning_full(r, i)] = state[i];
  }
  for (size_t r = 0; r < kPartialRounds; ++r) {
    state[0] = sbox(state[0] + constants.internal[r]);
    row[Columns::partial_sbox(r)] = state[0];
    internal_linear_layer(state);
  }
  for (size_t r = 0; r < kHalfFullRounds; ++r) {
    for (size_t i = 0; i < kWidth; ++i) state[i] = sbox(state[i] + constants.terminal[r][i]);
    external_linear_layer(state);
    for (size_t i = 0; i < kWidth; ++i) row[Columns::ending_full(r, i)] = state[i];
  }
}

air::TableWitness poseidon2_witness(std::span<const State> inputs, int min_log_rows) {
  if (min_log_rows < 0 || min_log_rows > 24) {
    throw air::AirError("poseidon2_witness: min_log_rows " + std::to_string(min_log_rows) +
                                " is outside [0, 24]");
  }
  const size_t rows = std::max(std::bit_ceil(std::max<size_t>(inputs.size(), 1)), size_t{1} << min_log_rows);
  air::TableWitness witness;
  witness.main = Matrix<KoalaBear>(rows, Poseidon2Columns::kNumColumns);
  for (size_t r = 0; r < inputs.size(); ++r) fill_row(inputs[r], witness.main.row(r));
  if (inputs.size() < rows) {
    fill_row(State{}, witness.main.row(inputs.size()));
    for (size_t r = inputs.size() + 1; r < rows; ++r) {
      std::copy(witness.main.row(inputs.size()).begin(), witness.main.row(inputs.size()).end(),
                witness.main.row(r).begin());
    }
  }
  return witness;
}

}  // namespace zkrv::stark::poseidon2
