#include <fmt/format.h>

#include "isa/isa.h"

namespace zkrv::isa {
namespace {

struct OpInfo {
  std::string_view mnemonic;
  Format format;
};

constexpr OpInfo kOps[] = {
#define ZKRV_ISA_INFO(name, mnemonic, format) {mnemonic, Format::k##format},
    ZKRV_ISA_OPS(ZKRV_ISA_INFO)
#undef ZKRV_ISA_INFO
};

constexpr std::string_view kRegNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2",
                                            "s0",   "s1", "a0", "a1", "a2",  "a3",  "a4", "a5",
                                            "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7",
                                            "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

}  // namespace

std::string_view mnemonic(Op op) { return kOps[static_cast<size_t>(op)].mnemonic; }
Format format(Op op) { return kOps[static_cast<size_t>(op)].format; }
std::string_view reg_name(unsigned reg) { return reg < 32 ? kRegNames[reg] : "?"; }

std::string disassemble(const DecodedInsn& d, uint32_t pc) {
  const auto r = [](unsigned reg) { return reg_name(reg); };
  const std::string_view m = mnemonic(d.op);
  const std::string name = d.length == 2 && d.op != Op::ILLEGAL ? fmt::format("c.{}", m) : std::string(m);
  switch (format(d.op)) {
    case Format::kNone:
      if (d.op == Op::ILLEGAL)
        return d.length == 2 ? fmt::format("illegal 0x{:04x}", d.raw) : fmt::format("illegal 0x{:08x}", d.raw);
      return name;
    case Format::kU: return fmt::format("{} {}, 0x{:x}", name, r(d.rd), static_cast<uint32_t>(d.imm) >> 12);
    case Format::kJ: return fmt::format("{} {}, 0x{:x}", name, r(d.rd), pc + static_cast<uint32_t>(d.imm));
    case Format::kJalr:
    case Format::kLoad: return fmt::format("{} {}, {}({})", name, r(d.rd), d.imm, r(d.rs1));
    case Format::kStore: return fmt::format("{} {}, {}({})", name, r(d.rs2), d.imm, r(d.rs1));
    case Format::kBranch:
      return fmt::format("{} {}, {}, 0x{:x}", name, r(d.rs1), r(d.rs2), pc + static_cast<uint32_t>(d.imm));
    case Format::kI:
    case Format::kShift: return fmt::format("{} {}, {}, {}", name, r(d.rd), r(d.rs1), d.imm);
    case Format::kR: return fmt::format("{} {}, {}, {}", name, r(d.rd), r(d.rs1), r(d.rs2));
    case Format::kLr: return fmt::format("{} {}, ({})", name, r(d.rd), r(d.rs1));
    case Format::kAmo: return fmt::format("{} {}, {}, ({})", name, r(d.rd), r(d.rs2), r(d.rs1));
    case Format::kCustom:
      return fmt::format("{} #{} {}, {}, {}", name, d.imm, r(d.rd), r(d.rs1), r(d.rs2));
  }
  return name;
}

}  // namespace zkrv::isa
