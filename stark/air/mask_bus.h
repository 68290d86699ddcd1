// The zero-knowledge mask bus (docs/proof-system.md, "Zero knowledge", part 5).
//
// A table's LogUp claimed sum is a function of the tuples it puts on its buses, which can be
// private. With zero knowledge, when two or more tables have interactions, the framework wraps each
// of them (in table order, i = 0..T-1) in a MaskedTable: kMaskColumns extra main columns after the
// table's own, and two extra interactions on the reserved bus kMaskBus, both with multiplicity
// is_first_row():
//     send    (s_0, s_1, s_2, s_3)   the table's own random mask r_i
//     receive (c_0, c_1, c_2, c_3)   r_(i-1 mod T), the mask of the table before it
// Every mask is sent once and received once, so the bus balances and the total the verifier checks
// is unchanged, while table i's claimed sum gains 1/fp(r_i) - 1/fp(r_(i-1)), which is uniform
// given the statement. The tables' own eval is untouched: the wrapper runs it, then appends.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "stark/air/table.h"

namespace zkrv::stark::air {

// Reserved: Machine refuses tables that interact on it (or on any id equal to it mod p).
inline constexpr BusId kMaskBus = 0x7F000000u;  // p - 1
// Four base-field entries: their fingerprint beta*s_0 + ... + beta^4*s_3 is uniform in the quartic
// extension for every beta outside the quadratic subfield (docs/proof-system.md).
inline constexpr size_t kMaskTupleSize = 4;
inline constexpr int kMaskColumns = 2 * static_cast<int>(kMaskTupleSize);

class MaskedTable final : public Table {
 public:
  explicit MaskedTable(std::shared_ptr<const Table> inner);
  TableInfo info() const override { return info_; }
  void eval(SymbolicBuilder& builder) const override { eval_masked(builder); }
  void eval(ValueBuilder<Fp>& builder) const override { eval_masked(builder); }
  void eval(ValueBuilder<Ext>& builder) const override { eval_masked(builder); }
  void eval(ValueBuilder<PackedKoalaBear>& builder) const override { eval_masked(builder); }
  Matrix<Fp> preprocessed() const override { return inner_->preprocessed(); }

 private:
  template <class B>
  void eval_masked(B& b) const {
    inner_->eval(b);
    const int sent = mask_column_;
    const int received = mask_column_ + static_cast<int>(kMaskTupleSize);
    b.send(kMaskBus, {b.main(sent), b.main(sent + 1), b.main(sent + 2), b.main(sent + 3)}, b.is_first_row());
    b.receive(kMaskBus, {b.main(received), b.main(received + 1), b.main(received + 2), b.main(received + 3)},
              b.is_first_row());
  }

  std::shared_ptr<const Table> inner_;
  TableInfo info_;
  int mask_column_ = 0;
};

static_assert(kMaskTupleSize == 4, "MaskedTable::eval_masked spells out four entries");

}  // namespace zkrv::stark::air
