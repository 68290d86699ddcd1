// The preprocessed tables: Program (the decoded instructions), Range16 (every 16-bit value),
// ByteXor (every byte pair with its xor), Image (the initial memory image with each word's
// final record) and Readable (the program's readable intervals). Their fixed columns are committed in the verifying key; only the counts (and
// Image's final records) are main columns. The verifier builds them without contents (it never
// needs their fixed columns, only the key's commitment to them).
#pragma once

#include <memory>
#include <vector>

#include "riscv_air/buses.h"
#include "riscv_air/program.h"
#include "stark/air/machine.h"
#include "stark/field/matrix.h"

namespace zkrv::riscv_air {

using stark::Matrix;
using Fp = stark::air::Fp;

// The field element of a signed immediate.
Fp signed_fp(int32_t value);

struct ProgramTable {
  // Fixed: pc, pc_hi, op, rd, rs1, rs2, imm_lo, imm_hi, imm, rd_w, len. Padding rows are all zero
  // (op 0 is ILLEGAL, which no family sends). Main: how many times the row was executed.
  enum Fixed { kPc, kPcHi, kOp, kRd, kRs1, kRs2, kImmLo, kImmHi, kImm, kRdW, kLen, kFixedWidth };
  std::shared_ptr<const std::vector<ProgramRow>> rows;  // null on the verifier's side

  stark::air::TableInfo info() const {
    return {"program", 1, kFixedWidth, 0, {"multiplicity"},
            {"pc", "pc_hi", "op", "rd", "rs1", "rs2", "imm_lo", "imm_hi", "imm", "rd_w", "len"}};
  }
  template <class B>
  void eval(B& b) const {
    b.receive(kProgramBus,
              {b.preprocessed(kPc), b.preprocessed(kPcHi), b.preprocessed(kOp), b.preprocessed(kRd),
               b.preprocessed(kRs1), b.preprocessed(kRs2), b.preprocessed(kImmLo), b.preprocessed(kImmHi),
               b.preprocessed(kImm), b.preprocessed(kRdW), b.preprocessed(kLen)},
              b.main(0), stark::air::kUnbounded);
  }
  Matrix<Fp> preprocessed() const;
};

struct Range16Table {
  stark::air::TableInfo info() const { return {"range16", 1, 1, 0, {"multiplicity"}, {"value"}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kRange16Bus, {b.preprocessed(0)}, b.main(0), stark::air::kUnbounded);
  }
  Matrix<Fp> preprocessed() const;
};

struct ByteXorTable {
  stark::air::TableInfo info() const { return {"byte_xor", 1, 3, 0, {"multiplicity"}, {"x", "y", "x_xor_y"}}; }
  template <class B>
  void eval(B& b) const {
    b.receive(kByteBus, {b.preprocessed(0), b.preprocessed(1), b.preprocessed(2)}, b.main(0),
              stark::air::kUnbounded);
  }
  Matrix<Fp> preprocessed() const;
};

// One row per image word (and register): sends its initial record (space, addr, 0, lo, hi) and
// receives its final one. Untouched words receive their own initial record back.
struct ImageTable {
  enum Fixed { kSpace, kAddr, kLo, kHi, kIsReal, kFixedWidth };
  enum Main { kFinalTs, kFinalLo, kFinalHi, kMainWidth };
  std::shared_ptr<const std::vector<ImageWord>> words;  // null on the verifier's side

  stark::air::TableInfo info() const {
    return {"image", kMainWidth, kFixedWidth, 0, {"final_ts", "final_lo", "final_hi"},
            {"space", "addr", "lo", "hi", "is_real"}};
  }
  template <class B>
  void eval(B& b) const {
    const auto real = b.preprocessed(kIsReal);
    b.send(kMemoryBus,
           {b.preprocessed(kSpace), b.preprocessed(kAddr), b.constant(0), b.preprocessed(kLo), b.preprocessed(kHi)},
           real);
    b.receive(kMemoryBus,
              {b.preprocessed(kSpace), b.preprocessed(kAddr), b.main(kFinalTs), b.main(kFinalLo), b.main(kFinalHi)},
              real);
  }
  Matrix<Fp> preprocessed() const;
};

// One row per readable interval [lo, hi) (program.h), as limbs; a count of lookups per row. Padding
// rows are all zero, the empty interval [0, 0), which holds no buffer of a non-zero length.
struct ReadableTable {
  enum Fixed { kLoLo, kLoHi, kHiLo, kHiHi, kFixedWidth };
  std::shared_ptr<const std::vector<ReadableInterval>> intervals;  // null on the verifier's side

  stark::air::TableInfo info() const {
    return {"readable", 1, kFixedWidth, 0, {"multiplicity"}, {"lo_lo", "lo_hi", "hi_lo", "hi_hi"}};
  }
  template <class B>
  void eval(B& b) const {
    b.receive(kReadableBus,
              {b.preprocessed(kLoLo), b.preprocessed(kLoHi), b.preprocessed(kHiLo), b.preprocessed(kHiHi)}, b.main(0),
              stark::air::kUnbounded);
  }
  Matrix<Fp> preprocessed() const;
};

}  // namespace zkrv::riscv_air
