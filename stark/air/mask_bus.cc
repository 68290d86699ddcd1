#include "stark/air/mask_bus.h"

#include <fmt/format.h>

namespace zkrv::stark::air {

MaskedTable::MaskedTable(std::shared_ptr<const Table> inner) : inner_(std::move(inner)) {
  if (inner_ == nullptr) throw AirError("MaskedTable: null table");
  info_ = inner_->info();
  mask_column_ = info_.main_width;
  info_.main_width += kMaskColumns;
  if (!info_.main_names.empty()) {
    info_.main_names.resize(static_cast<size_t>(mask_column_));
    for (size_t j = 0; j < kMaskTupleSize; ++j) info_.main_names.push_back(fmt::format("zk_mask_sent[{}]", j));
    for (size_t j = 0; j < kMaskTupleSize; ++j) info_.main_names.push_back(fmt::format("zk_mask_received[{}]", j));
  }
}

}  // namespace zkrv::stark::air
