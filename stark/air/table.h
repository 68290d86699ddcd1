// Table: the type-erased handle a machine keeps for each table class, so that machines can mix
// table types at run time while every evaluator still runs the class's one templated eval.
#pragma once

#include <memory>
#include <utility>

#include "stark/air/air.h"
#include "stark/air/symbolic.h"
#include "stark/air/value_builder.h"
#include "stark/field/matrix.h"
#include "stark/field/packed_koalabear.h"

namespace zkrv::stark::air {

class Table {
 public:
  virtual ~Table() = default;
  virtual TableInfo info() const = 0;
  virtual void eval(SymbolicBuilder& builder) const = 0;
  virtual void eval(ValueBuilder<Fp>& builder) const = 0;
  virtual void eval(ValueBuilder<Ext>& builder) const = 0;
  virtual void eval(ValueBuilder<PackedKoalaBear>& builder) const = 0;
  // The fixed columns (committed once into the verifying key); an empty matrix when none.
  virtual Matrix<Fp> preprocessed() const = 0;
};

template <class T>
class TableAdapter final : public Table {
 public:
  explicit TableAdapter(T table) : table_(std::move(table)) {}
  TableInfo info() const override { return table_.info(); }
  void eval(SymbolicBuilder& builder) const override { table_.eval(builder); }
  void eval(ValueBuilder<Fp>& builder) const override { table_.eval(builder); }
  void eval(ValueBuilder<Ext>& builder) const override { table_.eval(builder); }
  void eval(ValueBuilder<PackedKoalaBear>& builder) const override { table_.eval(builder); }
  Matrix<Fp> preprocessed() const override {
    if constexpr (requires(const T& t) { t.preprocessed(); }) {
      return table_.preprocessed();
    } else {
      return Matrix<Fp>();
    }
  }
  const T& table() const { return table_; }

 private:
  T table_;
};

template <class T>
std::shared_ptr<const Table> make_table(T table) {
  return std::make_shared<TableAdapter<T>>(std::move(table));
}

}  // namespace zkrv::stark::air
