// A guest memory for tests: one mapped range of bytes; accesses outside it fail, as the VM's would.
#pragma once

#include <zkrv/precompile.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

namespace zkrv::precompiles::testing {

class TestMemory {
 public:
  TestMemory(uint32_t base, uint32_t size) : base_(base), bytes_(size) {
    memory_.context = this;
    memory_.read = [](void* context, uint32_t address, void* out, uint32_t length) {
      auto* self = static_cast<TestMemory*>(context);
      if (!self->mapped(address, length)) return 1;
      std::memcpy(out, self->bytes_.data() + (address - self->base_), length);
      ++self->reads;
      return 0;
    };
    memory_.write = [](void* context, uint32_t address, const void* data, uint32_t length) {
      auto* self = static_cast<TestMemory*>(context);
      if (!self->mapped(address, length)) return 1;
      std::memcpy(self->bytes_.data() + (address - self->base_), data, length);
      ++self->writes;
      return 0;
    };
  }

  bool mapped(uint32_t address, uint32_t length) const {
    return address >= base_ && uint64_t{address} + length <= uint64_t{base_} + bytes_.size();
  }
  uint8_t* at(uint32_t address) { return bytes_.data() + (address - base_); }
  const zkrv_guest_memory* callbacks() const { return &memory_; }

  // One evaluation call as the VM makes it.
  int eval(const std::function<int(zkrv_precompile_call*)>& fn, uint32_t rs1, uint32_t rs2, zkrv_precompile_call* call) const {
    *call = zkrv_precompile_call{};
    call->abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
    call->struct_size = sizeof *call;
    call->kind = ZKRV_CALL_EVAL;
    call->rs1 = rs1;
    call->rs2 = rs2;
    call->memory = &memory_;
    return fn(call);
  }

  int reads = 0;
  int writes = 0;

 private:
  uint32_t base_;
  std::vector<uint8_t> bytes_;
  zkrv_guest_memory memory_{};
};

}  // namespace zkrv::precompiles::testing
