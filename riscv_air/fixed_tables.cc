#include "riscv_air/fixed_tables.h"

#include <bit>

#include "stark/air/air.h"

namespace zkrv::riscv_air {

Fp signed_fp(int32_t value) {
  return value >= 0 ? Fp::from_u32(static_cast<uint32_t>(value))
                    : -Fp::from_u32(static_cast<uint32_t>(-static_cast<int64_t>(value)));
}

namespace {

size_t padded_rows(size_t rows) { return std::max<size_t>(2, std::bit_ceil(rows)); }

}  // namespace

Matrix<Fp> ProgramTable::preprocessed() const {
  if (!rows) throw stark::air::AirError("program: the verifier's table has no contents");
  Matrix<Fp> m(padded_rows(rows->size()), kFixedWidth);
  for (size_t r = 0; r < rows->size(); ++r) {
    const ProgramRow& p = (*rows)[r];
    const uint32_t imm = static_cast<uint32_t>(p.imm);
    m.at(r, kPc) = Fp::from_u32(p.pc);
    m.at(r, kPcHi) = Fp::from_u32(p.pc >> 16);
    m.at(r, kOp) = Fp::from_u32(static_cast<uint32_t>(p.op));
    m.at(r, kRd) = Fp::from_u32(p.rd);
    m.at(r, kRs1) = Fp::from_u32(p.rs1);
    m.at(r, kRs2) = Fp::from_u32(p.rs2);
    m.at(r, kImmLo) = Fp::from_u32(imm & 0xffff);
    m.at(r, kImmHi) = Fp::from_u32(imm >> 16);
    m.at(r, kImm) = signed_fp(p.imm);
    m.at(r, kRdW) = Fp::from_u32(p.rd_w ? 1 : 0);
    m.at(r, kLen) = Fp::from_u32(p.len);
  }
  return m;
}

Matrix<Fp> Range16Table::preprocessed() const {
  Matrix<Fp> m(size_t{1} << 16, 1);
  for (size_t r = 0; r < m.rows(); ++r) m.at(r, 0) = Fp::from_u32(static_cast<uint32_t>(r));
  return m;
}

Matrix<Fp> ByteXorTable::preprocessed() const {
  Matrix<Fp> m(size_t{1} << 16, 3);
  for (uint32_t r = 0; r < (1u << 16); ++r) {
    m.at(r, 0) = Fp::from_u32(r >> 8);
    m.at(r, 1) = Fp::from_u32(r & 0xff);
    m.at(r, 2) = Fp::from_u32((r >> 8) ^ (r & 0xff));
  }
  return m;
}

Matrix<Fp> ImageTable::preprocessed() const {
  if (!words) throw stark::air::AirError("image: the verifier's table has no contents");
  Matrix<Fp> m(padded_rows(words->size()), kFixedWidth);
  for (size_t r = 0; r < words->size(); ++r) {
    const ImageWord& w = (*words)[r];
    m.at(r, kSpace) = Fp::from_u32(w.space);
    m.at(r, kAddr) = Fp::from_u32(w.addr);
    m.at(r, kLo) = Fp::from_u32(w.value & 0xffff);
    m.at(r, kHi) = Fp::from_u32(w.value >> 16);
    m.at(r, kIsReal) = Fp::one();
  }
  return m;
}

Matrix<Fp> ReadableTable::preprocessed() const {
  if (!intervals) throw stark::air::AirError("readable: the verifier's table has no contents");
  Matrix<Fp> m(padded_rows(intervals->size()), kFixedWidth);
  for (size_t r = 0; r < intervals->size(); ++r) {
    const ReadableInterval& i = (*intervals)[r];
    m.at(r, kLoLo) = Fp::from_u32(i.lo & 0xffff);
    m.at(r, kLoHi) = Fp::from_u32(i.lo >> 16);
    m.at(r, kHiLo) = Fp::from_u32(static_cast<uint32_t>(i.hi & 0xffff));
    m.at(r, kHiHi) = Fp::from_u32(static_cast<uint32_t>(i.hi >> 16));
  }
  return m;
}

}  // namespace zkrv::riscv_air
