#include "tests/difftest/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "base/little_endian.h"
#include "isa/encode.h"
#include "isa/isa.h"
#include "tests/difftest/compressed.h"
#include "tests/difftest/elf_writer.h"

namespace zkrv::difftest {
namespace {

namespace enc = isa::encode;
using isa::Op;

constexpr uint32_t kSp = 2;
constexpr uint32_t kS0 = 8;
constexpr uint32_t kLoopCounter = 18;  // s2

// Values that find edge cases in arithmetic, comparisons, shifts (amounts >= 32 in registers) and
// the M extension (INT_MIN / -1, division by zero).
constexpr std::array<uint32_t, 22> kInterestingValues = {
    0,          1,          0xffffffff, 0x80000000, 0x7fffffff, 0x80000001, 0xfffffffe, 2,
    31,         32,         33,         63,         0xffff,     0x10000,    0x8000,     0xff,
    0x80,       0xfffff800, 0x7ff,      0xaaaaaaaa, 0x55555555, 0xffff8000};

constexpr std::array<Op, 18> kRegisterOps = {Op::ADD,  Op::SUB,    Op::SLL,    Op::SLT,   Op::SLTU, Op::XOR,
                                              Op::SRL,  Op::SRA,    Op::OR,     Op::AND,   Op::MUL,  Op::MULH,
                                              Op::MULHSU, Op::MULHU, Op::DIV,  Op::DIVU,  Op::REM,  Op::REMU};
constexpr std::array<Op, 9> kImmediateOps = {Op::ADDI, Op::SLTI, Op::SLTIU, Op::XORI, Op::ORI,
                                              Op::ANDI, Op::SLLI, Op::SRLI,  Op::SRAI};
constexpr std::array<Op, 5> kLoadOps = {Op::LB, Op::LH, Op::LW, Op::LBU, Op::LHU};
constexpr std::array<Op, 3> kStoreOps = {Op::SB, Op::SH, Op::SW};
constexpr std::array<Op, 6> kBranchOps = {Op::BEQ, Op::BNE, Op::BLT, Op::BGE, Op::BLTU, Op::BGEU};
constexpr std::array<Op, 9> kAmoOps = {Op::AMOSWAP_W, Op::AMOADD_W, Op::AMOXOR_W,  Op::AMOAND_W, Op::AMOOR_W,
                                       Op::AMOMIN_W,  Op::AMOMAX_W, Op::AMOMINU_W, Op::AMOMAXU_W};

uint32_t access_size(Op op) {
  switch (op) {
    case Op::LB: case Op::LBU: case Op::SB: return 1;
    case Op::LH: case Op::LHU: case Op::SH: return 2;
    default: return 4;
  }
}

class Generator {
 public:
  Generator(uint64_t seed, Mix mix) : rng_(seed), provable_(mix == Mix::kProvable) {}

  RandomProgram run(uint64_t seed, uint32_t length) {
    RandomProgram program;
    program.seed = seed;
    program.data.resize(kDataSize);
    for (auto& byte : program.data) byte = static_cast<uint8_t>(rng_());

    // The reserved pointers first (never removed), then an interesting value in every other register.
    Unit pointers;
    pointers.removable = false;
    add_li(pointers, kSp, kStackPointer);
    add_li(pointers, kS0, kDataPointer);
    units_.push_back(pointers);
    for (uint32_t reg = 1; reg < 32; ++reg) {
      if (!writable(reg)) continue;
      Unit unit;
      add_li(unit, reg, interesting_value());
      units_.push_back(unit);
    }

    while (body_instructions_ < length) {
      Unit unit;
      if (loop_open_ && loop_body_left_ == 0) {
        unit = loop_tail();
      } else if (!loop_open_ && chance(3)) {
        unit = loop_head();
      } else {
        unit = random_unit();
        if (loop_open_) --loop_body_left_;
      }
      body_instructions_ += static_cast<uint32_t>(unit.pieces.size());
      units_.push_back(std::move(unit));
    }
    units_.push_back(epilogue());
    // Targets past the end (chosen near the end of the body) land on the epilogue.
    for (auto& unit : units_)
      for (auto& piece : unit.pieces)
        if (piece.fixup != Fixup::kNone && piece.target >= units_.size()) piece.target = static_cast<uint32_t>(units_.size() - 1);
    program.units = std::move(units_);
    program.body_instructions = body_instructions_;
    return program;
  }

 private:
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  bool chance(uint32_t percent) { return below(100) < percent; }
  int32_t in_range(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(below(static_cast<uint32_t>(hi - lo + 1))); }
  template <typename T, size_t N>
  T pick(const std::array<T, N>& items) { return items[below(N)]; }

  uint32_t interesting_value() {
    if (chance(60)) return kInterestingValues[below(kInterestingValues.size())];
    if (chance(50)) return static_cast<uint32_t>(in_range(-64, 64));
    return static_cast<uint32_t>(rng_());
  }
  int32_t interesting_imm12() {
    switch (below(6)) {
      case 0: return 0;
      case 1: return 1;
      case 2: return -1;
      case 3: return chance(50) ? 2047 : -2048;
      case 4: return in_range(-40, 40);
      default: return in_range(-2048, 2047);
    }
  }

  // Registers a random unit may write: anything but sp, s0 and the loop counter (and x0 sometimes:
  // writes to it are discarded).
  static bool writable(uint32_t reg) { return reg != kSp && reg != kS0 && reg != kLoopCounter; }
  uint32_t free_reg() {
    for (;;) {
      const uint32_t reg = 1 + below(31);
      if (writable(reg)) return reg;
    }
  }
  uint32_t dest() { return chance(5) ? 0 : free_reg(); }
  uint32_t source() { return chance(85) ? free_reg() : below(32); }
  uint32_t free_prime() { return 9 + below(7); }  // x9..x15 (x8 is s0)
  uint32_t source_prime() { return 8 + below(8); }

  void add(Unit& unit, uint32_t bits) { unit.pieces.push_back({bits, 4, Fixup::kNone, 0, 0}); }
  void add16(Unit& unit, uint16_t bits) { unit.pieces.push_back({bits, 2, Fixup::kNone, 0, 0}); }
  void add_jump(Unit& unit, uint32_t bits, uint8_t size, Fixup fixup, uint32_t max_skip, int32_t bias = 0) {
    const uint32_t target = static_cast<uint32_t>(units_.size()) + 1 + below(max_skip);
    unit.pieces.push_back({bits, size, fixup, target, bias});
  }
  void add_li(Unit& unit, uint32_t rd, uint32_t value) {
    const auto pair = enc::li(rd, value);
    add(unit, pair.first);
    add(unit, pair.second);
  }

  // A data-area address for an access of `size` bytes, often on or across the middle page boundary,
  // naturally aligned about half the time.
  uint32_t data_address(uint32_t size, uint32_t lo, uint32_t hi) {
    uint32_t addr = 0;
    if (chance(30)) {
      addr = kDataPointer + static_cast<uint32_t>(in_range(-8, 7));
    } else {
      addr = lo + below(hi - lo);
    }
    if (chance(50)) addr &= ~(size - 1);
    if (addr < lo) addr = lo;
    if (addr > hi - size) addr = hi - size;
    if (provable_) addr &= ~(size - 1);  // lo and hi are word-aligned, so this stays inside
    return addr;
  }
  // An offset from `base` that reaches an address for an access of `size` bytes.
  int32_t offset_from(uint32_t base, uint32_t size, bool aligned) {
    const uint32_t lo = std::max(kDataBase, base - 2048);
    const uint32_t hi = std::min(kDataBase + kDataSize, base + 2047 + 1);
    uint32_t addr = data_address(size, lo, hi);
    if (aligned) {
      addr &= ~(size - 1);
      if (addr < lo) addr += size;
    }
    return static_cast<int32_t>(addr - base);
  }
  uint32_t base_reg() { return chance(70) ? kS0 : kSp; }
  static uint32_t base_value(uint32_t reg) { return reg == kS0 ? kDataPointer : kStackPointer; }

  Unit random_unit() {
    Unit unit;
    const uint32_t roll = below(100);
    if (roll < 22) {
      add(unit, enc::op_reg(pick(kRegisterOps), dest(), source(), source()));
    } else if (roll < 34) {
      const Op op = pick(kImmediateOps);
      const int32_t imm = (op == Op::SLLI || op == Op::SRLI || op == Op::SRAI) ? in_range(0, 31) : interesting_imm12();
      add(unit, enc::op_imm(op, dest(), source(), imm));
    } else if (roll < 40) {
      add_li(unit, free_reg(), interesting_value());
    } else if (roll < 43) {
      const uint32_t imm20 = chance(30) ? pick(std::array<uint32_t, 4>{0, 0x80000, 0xfffff, 1}) : below(1u << 20);
      add(unit, chance(50) ? enc::lui(dest(), imm20) : enc::auipc(dest(), imm20));
    } else if (roll < 52) {
      const Op op = pick(kLoadOps);
      const uint32_t base = base_reg();
      add(unit, enc::load(op, dest(), base, offset_from(base_value(base), access_size(op), false)));
    } else if (roll < 61) {
      const Op op = pick(kStoreOps);
      const uint32_t base = base_reg();
      add(unit, enc::store(op, source(), base, offset_from(base_value(base), access_size(op), false)));
    } else if (roll < 64) {
      memory_through_register(unit);
    } else if (roll < 73) {
      compressed_alu(unit);
    } else if (roll < 78) {
      compressed_memory(unit);
    } else if (roll < 84) {
      add_jump(unit, enc::branch(pick(kBranchOps), source(), chance(10) ? 0 : source(), 0), 4, Fixup::kBranch, 5);
    } else if (roll < 86) {
      const uint32_t rs1 = source_prime();
      add_jump(unit, chance(50) ? c::beqz(rs1, 0) : c::bnez(rs1, 0), 2, Fixup::kCompressedBranch, 4);
    } else if (roll < 89) {
      switch (below(3)) {
        case 0: add_jump(unit, enc::jal(dest(), 0), 4, Fixup::kJal, 5); break;
        case 1: add_jump(unit, c::j(0), 2, Fixup::kCompressedJump, 5); break;
        default: add_jump(unit, c::jal(0), 2, Fixup::kCompressedJump, 5); break;
      }
    } else if (roll < 91) {
      indirect_jump(unit);
    } else if (roll < 98 && provable_) {
      add(unit, enc::op_reg(pick(kRegisterOps), dest(), source(), source()));  // in place of an atomic
    } else if (roll < 95) {
      atomic(unit);
    } else if (roll < 98) {
      reservation(unit);
    } else {
      switch (below(5)) {
        case 0: add(unit, enc::fence()); break;
        case 1: add(unit, 0x0000000f | (1 + below(15)) << 24 | (1 + below(15)) << 20); break;  // fence pred, succ
        case 2: add(unit, enc::fence_i()); break;
        case 3: add(unit, enc::op_imm(Op::ADDI, 0, 0, 0)); break;
        default: {  // sp moves and comes back, with an access through it in between
          const int32_t delta = 16 * in_range(1, 31) * (chance(50) ? 1 : -1);
          add16(unit, c::addi16sp(delta));
          if (chance(50)) {
            add16(unit, c::lwsp(free_reg(), 4 * below(64)));
          } else {
            add16(unit, c::swsp(source(), 4 * below(64)));
          }
          add16(unit, c::addi16sp(-delta));
        }
      }
    }
    return unit;
  }

  // addi t, base, a; load/store at b(t) with base + a + b inside the data area.
  void memory_through_register(Unit& unit) {
    const uint32_t temp = free_reg();
    const uint32_t base = base_reg();
    const bool is_load = chance(50);
    const Op op = is_load ? pick(kLoadOps) : pick(kStoreOps);
    const uint32_t size = access_size(op);
    const int32_t total = offset_from(base_value(base), size, provable_);
    const int32_t first = std::clamp(total - in_range(-2048, 2047), -2048, 2047);
    const int32_t second = total - first;
    add(unit, enc::op_imm(Op::ADDI, temp, base, first));
    if (is_load) {
      add(unit, enc::load(op, chance(20) ? temp : dest(), temp, second));
    } else {
      // The stored value may be the address register itself.
      add(unit, enc::store(op, chance(20) ? temp : source(), temp, second));
    }
  }

  void compressed_alu(Unit& unit) {
    switch (below(13)) {
      case 0: add16(unit, c::addi(free_reg(), chance(50) ? in_range(1, 31) : in_range(-32, -1))); break;
      case 1: add16(unit, c::li(free_reg(), in_range(-32, 31))); break;
      case 2: add16(unit, c::lui(free_reg(), chance(50) ? in_range(1, 31) : in_range(-32, -1))); break;
      case 3: add16(unit, c::slli(free_reg(), 1 + below(31))); break;
      case 4: add16(unit, c::srli(free_prime(), 1 + below(31))); break;
      case 5: add16(unit, c::srai(free_prime(), 1 + below(31))); break;
      case 6: add16(unit, c::andi(free_prime(), in_range(-32, 31))); break;
      case 7: {
        const uint32_t rd = free_prime(), rs2 = source_prime();
        switch (below(4)) {
          case 0: add16(unit, c::sub(rd, rs2)); break;
          case 1: add16(unit, c::xor_(rd, rs2)); break;
          case 2: add16(unit, c::or_(rd, rs2)); break;
          default: add16(unit, c::and_(rd, rs2)); break;
        }
        break;
      }
      case 8: add16(unit, c::mv(free_reg(), 1 + below(31))); break;
      case 9: add16(unit, c::add(free_reg(), 1 + below(31))); break;
      case 10: add16(unit, c::addi4spn(free_prime(), 4 * (1 + below(255)))); break;
      case 11: add16(unit, c::nop()); break;
      default: add16(unit, c::add(free_reg(), source() | 1)); break;
    }
  }

  void compressed_memory(Unit& unit) {
    switch (below(5)) {
      case 0: add16(unit, c::lw(free_prime(), kS0, 4 * below(32))); break;
      case 1: add16(unit, c::sw(source_prime(), kS0, 4 * below(32))); break;
      case 2: add16(unit, c::lwsp(free_reg(), 4 * below(64))); break;
      case 3: add16(unit, c::swsp(below(32), 4 * below(64))); break;
      default: {  // through a prime register that points somewhere (maybe misaligned) in the area
        const uint32_t temp = free_prime();
        const int32_t offset = in_range(-2048, 2047 - 128);
        add(unit, enc::op_imm(Op::ADDI, temp, kS0, provable_ ? offset & ~3 : offset));
        if (chance(50)) {
          add16(unit, c::lw(free_prime(), temp, 4 * below(32)));
        } else {
          add16(unit, c::sw(source_prime(), temp, 4 * below(32)));
        }
      }
    }
  }

  // auipc t, 0; then jalr rd, off(t) or addi t, t, off; c.jr/c.jalr t. Bit 0 of the target may be set
  // (JALR clears it).
  void indirect_jump(Unit& unit) {
    const uint32_t temp = free_reg();
    add(unit, enc::auipc(temp, 0));
    const int32_t bias = static_cast<int32_t>(below(2));
    switch (below(3)) {
      case 0:
        // The link register may be the base register (JALR reads rs1 before writing rd).
        add_jump(unit, enc::jalr(chance(25) ? temp : dest(), temp, 0), 4, Fixup::kUnitImmediate, 5, bias);
        break;
      case 1:
        add_jump(unit, enc::op_imm(Op::ADDI, temp, temp, 0), 4, Fixup::kUnitImmediate, 5, bias);
        add16(unit, c::jr(temp));
        break;
      default:
        add_jump(unit, enc::op_imm(Op::ADDI, temp, temp, 0), 4, Fixup::kUnitImmediate, 5, bias);
        add16(unit, c::jalr(temp));
        break;
    }
  }

  // An aligned word address in the data area (within reach of s0) in a fresh register.
  uint32_t word_address(Unit& unit) {
    const uint32_t temp = free_reg();
    add(unit, enc::op_imm(Op::ADDI, temp, kS0, offset_from(kDataPointer, 4, true)));
    return temp;
  }

  void atomic(Unit& unit) {
    const uint32_t address = word_address(unit);
    const uint32_t ordering = below(4) << 25;  // aq, rl: accepted and ignored
    // rd may also be the address register or the operand register.
    const uint32_t operand = source();
    const uint32_t rd = chance(15) ? address : (writable(operand) && chance(15)) ? operand : dest();
    add(unit, enc::amo(pick(kAmoOps), rd, address, operand) | ordering);
  }

  // LR/SC on one hart. Nothing between LR and SC stores to memory (qemu's SC also compares the
  // value read by LR) or writes the address register; SC sometimes targets another address or comes
  // without LR, and then fails on both machines.
  void reservation(Unit& unit) {
    const uint32_t address = word_address(unit);
    const bool with_lr = chance(85);
    if (with_lr) {
      uint32_t rd = dest();
      while (rd == address) rd = dest();
      add(unit, enc::amo(Op::LR_W, rd, address, 0) | below(4) << 25);
      for (uint32_t i = below(3); i > 0; --i) {
        uint32_t alu_rd = dest();
        while (alu_rd == address) alu_rd = dest();
        add(unit, enc::op_reg(pick(kRegisterOps), alu_rd, source(), source()));
      }
    }
    uint32_t sc_address = address;
    if (chance(15)) {
      sc_address = word_address(unit);
    }
    add(unit, enc::amo(Op::SC_W, dest(), sc_address, source()) | below(4) << 25);
  }

  // A counted loop runs the next few units up to 5 times: the head sets the counter, the tail
  // decrements it and branches back while it is positive. Loops do not nest. Every path through the
  // loop terminates: only a head raises the counter, and no back edge reaches a head; a forward
  // jump into a body finds the counter at 0 (or at what an earlier loop left when a jump left it).
  Unit loop_head() {
    Unit unit;
    add(unit, enc::op_imm(Op::ADDI, kLoopCounter, 0, in_range(1, 5)));
    loop_open_ = true;
    loop_start_ = static_cast<uint32_t>(units_.size()) + 1;
    loop_body_left_ = 1 + below(12);
    return unit;
  }
  Unit loop_tail() {
    Unit unit;
    loop_open_ = false;
    add(unit, enc::op_imm(Op::ADDI, kLoopCounter, kLoopCounter, -1));
    unit.pieces.push_back({enc::branch(Op::BLT, 0, kLoopCounter, 0), 4, Fixup::kBranch, loop_start_, 0});
    return unit;
  }

  Unit epilogue() {
    Unit unit;
    unit.removable = false;
    add_li(unit, kS0, kDumpBase);
    for (uint32_t reg = 0; reg < 32; ++reg) add(unit, enc::store(Op::SW, reg, kS0, static_cast<int32_t>(4 * reg)));
    if (provable_) {
      add(unit, enc::load(Op::LW, 10, kS0, static_cast<int32_t>(4 * (1 + below(31)))));
      add_li(unit, 17, 93);
      add(unit, enc::ecall());
      return unit;
    }
    // write(1, dump, kDumpSize); write(1, data, kDataSize); exit(x[r])
    add_li(unit, 10, 1);
    add(unit, enc::op_imm(Op::ADDI, 11, kS0, 0));
    add_li(unit, 12, kDumpSize);
    add_li(unit, 17, 64);
    add(unit, enc::ecall());
    add_li(unit, 10, 1);
    add_li(unit, 11, kDataBase);
    add_li(unit, 12, kDataSize);
    add_li(unit, 17, 64);
    add(unit, enc::ecall());
    add(unit, enc::load(Op::LW, 10, kS0, static_cast<int32_t>(4 * (1 + below(31)))));
    add_li(unit, 17, 93);
    add(unit, enc::ecall());
    return unit;
  }

  std::mt19937_64 rng_;
  bool provable_ = false;
  std::vector<Unit> units_;
  uint32_t body_instructions_ = 0;
  bool loop_open_ = false;       // a loop head was emitted and its tail was not yet
  uint32_t loop_start_ = 0;      // the first unit of the open loop's body
  uint32_t loop_body_left_ = 0;  // body units still to emit before the open loop's tail
};

uint32_t resolve(Fixup fixup, uint32_t bits, int32_t offset) {
  auto require = [&](int32_t lo, int32_t hi) {
    if (offset < lo || offset > hi)
      throw std::logic_error(fmt::format("difftest generator: offset {} out of range [{}, {}]", offset, lo, hi));
  };
  switch (fixup) {
    case Fixup::kNone: return bits;
    case Fixup::kBranch: require(-4096, 4094); return bits | isa::encode::b_type(0, 0, 0, offset);
    case Fixup::kJal: require(-(1 << 20), (1 << 20) - 2); return bits | isa::encode::jal(0, offset);
    case Fixup::kCompressedBranch: require(-256, 254); return bits | (c::beqz(8, offset) & 0x1c7c);  // offset fields only
    case Fixup::kCompressedJump: require(-2048, 2046); return bits | (c::j(offset) & 0x1ffc);  // offset fields only
    case Fixup::kUnitImmediate: require(-2048, 2047); return bits | (static_cast<uint32_t>(offset) & 0xfff) << 20;
  }
  return bits;
}

}  // namespace

RandomProgram generate(uint64_t seed, uint32_t length, Mix mix) { return Generator(seed, mix).run(seed, length); }

std::vector<uint8_t> assemble(const RandomProgram& program, const std::vector<bool>& keep) {
  const size_t n = program.units.size();
  std::vector<bool> kept(n, true);
  for (size_t i = 0; i < n && i < keep.size(); ++i) kept[i] = keep[i] || !program.units[i].removable;

  std::vector<uint32_t> start(n + 1, 0);  // start[i]: address of unit i (of the next kept one if dropped)
  uint32_t pc = kCodeBase;
  for (size_t i = 0; i < n; ++i) {
    start[i] = pc;
    if (!kept[i]) continue;
    for (const Piece& piece : program.units[i].pieces) pc += piece.size;
  }
  start[n] = pc;

  std::vector<uint8_t> code;
  for (size_t i = 0; i < n; ++i) {
    if (!kept[i]) continue;
    uint32_t piece_pc = start[i];
    for (const Piece& piece : program.units[i].pieces) {
      const uint32_t target = start[piece.target];
      const int32_t offset = piece.fixup == Fixup::kUnitImmediate
                                 ? static_cast<int32_t>(target - start[i]) + piece.bias
                                 : static_cast<int32_t>(target - piece_pc);
      const uint32_t bits = resolve(piece.fixup, piece.bits, offset);
      for (int b = 0; b < piece.size; ++b) code.push_back(static_cast<uint8_t>(bits >> (8 * b)));
      piece_pc += piece.size;
    }
  }
  return code;
}

std::vector<uint8_t> build_elf(std::span<const uint8_t> code, std::span<const uint8_t> data) {
  std::vector<ElfSegment> segments;
  segments.push_back({kCodeBase, static_cast<uint32_t>(code.size()), 1 | 4, {code.begin(), code.end()}});
  segments.push_back({kDataBase, kDataSize + 4096, 2 | 4, {data.begin(), data.end()}});
  return write_elf(kCodeBase, segments);
}

std::string listing(std::span<const uint8_t> code, uint32_t base) {
  std::string out;
  size_t at = 0;
  while (at + 2 <= code.size()) {
    uint32_t word = base::load_le16(&code[at]);
    const bool compressed = isa::is_compressed(word);
    if (!compressed && at + 4 <= code.size()) word = base::load_le32(&code[at]);
    const uint32_t pc = base + static_cast<uint32_t>(at);
    const isa::DecodedInsn insn = isa::decode(word);
    out += compressed ? fmt::format("0x{:08x}:     {:04x}  {}\n", pc, word & 0xffff, isa::disassemble(insn, pc))
                      : fmt::format("0x{:08x}: {:08x}  {}\n", pc, word, isa::disassemble(insn, pc));
    at += compressed ? 2 : 4;
  }
  return out;
}

}  // namespace zkrv::difftest
