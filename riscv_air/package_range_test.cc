// The machine, not a package's circuit, keeps registers and memory canonical (docs/precompiles.md,
// "A package's circuit in a proof"): a package circuit that checks its result and the word it writes
// only as field elements (rd = rs1 + 1, after = rs2) accepts a limb of 2^16 + k with the other limb
// one less. The PrecompileCall row range-checks rd's limbs and the PrecompileMemory row a written
// word's after-limbs on RANGE16, so a witness that writes such a limb into a register or a memory
// word is rejected by the verifier and named by the checker, whatever the circuit says; the same
// call with canonical limbs proves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "isa/encode.h"
#include "riscv_air/buses.h"
#include "riscv_air/fixed_tables.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/package_circuit.h"
#include "riscv_air/precompile_call_air.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/air.h"
#include "stark/circuit/circuit.h"
#include "vm/testing/program.h"

namespace zkrv::riscv_air {
namespace {

namespace enc = isa::encode;
using ::testing::HasSubstr;
using stark::air::Fp;
using testing::debugger_report;
using testing::image_row;
using vm::testing::TestProgram;

constexpr char kPackage[] = "test.careless_poke";
constexpr uint32_t kIndex = 6;
constexpr uint32_t kResultRegister = 5;
constexpr uint32_t kWord = 0x12345678;

// A third-party circuit with the flaw under test: it writes rs2 to the word at rs1 and returns
// rs1 + 1, and checks both as field elements (lo + 2^16 hi) without range-checking a limb.
struct CarelessPokeTable {
  enum Columns {
    kIsReal, kTs, kRs1Lo, kRs1Hi, kRs2Lo, kRs2Hi, kRdLo, kRdHi, kAddr, kBeforeLo, kBeforeHi, kAfterLo, kAfterHi, kWidth
  };
  stark::air::TableInfo info() const { return {"careless_poke", kWidth, 0, 0, {}, {}}; }
  template <class B>
  void eval(B& b) const {
    const auto real = b.main(kIsReal), two16 = b.constant(1u << 16);
    const auto rs1 = b.main(kRs1Lo) + two16 * b.main(kRs1Hi), rs2 = b.main(kRs2Lo) + two16 * b.main(kRs2Hi);
    b.assert_zero("rd is rs1 + 1", real * (b.main(kRdLo) + two16 * b.main(kRdHi) - rs1 - b.constant(1)));
    b.assert_zero("the word written is rs2", real * (b.main(kAfterLo) + two16 * b.main(kAfterHi) - rs2));
    b.assert_zero("the word is at rs1", real * (b.constant(4) * b.main(kAddr) - rs1));
    const auto ts = b.main(kTs), addr = b.main(kAddr);
    b.receive(kPrecompileBus,
              {ts, b.main(kRs1Lo), b.main(kRs1Hi), b.main(kRs2Lo), b.main(kRs2Hi), b.main(kRdLo), b.main(kRdHi)}, real);
    b.send(kPrecompileWordBus, {ts + b.constant(kSlotMemory), addr, b.main(kBeforeLo), b.main(kBeforeHi)}, real);
    b.send(kPrecompileWordBus, {ts + b.constant(kSlotRd), addr, b.main(kAfterLo), b.main(kAfterHi)}, real);
  }
};

std::shared_ptr<const PackageCircuit> admitted() {
  static const std::shared_ptr<const PackageCircuit> kCircuit =
      admit_package_circuit(kPackage, stark::circuit::encode(CarelessPokeTable{}));
  return kCircuit;
}

PackageCircuitResolver resolver() {
  return [](const DeclaredPrecompile& d) { return d.name == kPackage ? admitted() : nullptr; };
}

// The package's semantics: the word rs2 at rs1, rd = rs1 + 1.
int poke_eval(zkrv_precompile_call* call) {
  const uint8_t bytes[4] = {static_cast<uint8_t>(call->rs2), static_cast<uint8_t>(call->rs2 >> 8),
                            static_cast<uint8_t>(call->rs2 >> 16), static_cast<uint8_t>(call->rs2 >> 24)};
  if (call->memory->write(call->memory->context, call->rs1, bytes, 4) != 0) return ZKRV_PRECOMPILE_BAD_MEMORY;
  call->rd = call->rs1 + 1;
  return ZKRV_PRECOMPILE_OK;
}

vm::VmConfig config() {
  vm::VmConfig c;
  c.log_sink = [](int, std::span<const uint8_t>) {};
  c.precompile_resolver = [](const vm::PrecompileDescriptor& d) {
    return vm::PrecompileImplementation{d.name, "1.0.0", {}, &poke_eval, nullptr};
  };
  return c;
}

// The honest row of a call, as the package's witness call would fill it.
PackageRows package_rows() {
  return [](const DeclaredPrecompile&, const zkrv_call_record& call) {
    if (call.access_count != 1) {
      throw std::runtime_error("the call touched " + std::to_string(call.access_count) + " words");
    }
    const zkrv_word_access& word = call.accesses[0];
    return std::vector<uint32_t>{1,
                                 call.timestamp,
                                 call.rs1 & 0xFFFF,
                                 call.rs1 >> 16,
                                 call.rs2 & 0xFFFF,
                                 call.rs2 >> 16,
                                 call.rd & 0xFFFF,
                                 call.rd >> 16,
                                 word.address / 4,
                                 word.before & 0xFFFF,
                                 word.before >> 16,
                                 word.after & 0xFFFF,
                                 word.after >> 16};
  };
}

// One call: x5 = kData + 1 (never read again) and the word at kData (an image word) = kWord; exits
// with 7.
TestProgram program() {
  TestProgram p;
  p.data() = {1, 2, 3, 4};
  p.declare_precompile(kIndex, kPackage, "^1.0.0");
  p.li(10, TestProgram::kData).li(11, kWord);
  p.emit(enc::precompile(kIndex, kResultRegister, 10, 11));
  return p.li(12, 7).exit_with(12);
}

struct Forgery {
  ProvingSetup setup;
  MachineWitness witness;
  size_t reserved = 0;
  stark::air::TableWitness& package() { return witness.tables[kNumTables]; }
  Fp& cell(size_t table, size_t row, int column) {
    return witness.tables[table].main.at(row, static_cast<size_t>(column));
  }
  // Moves 2^16 from the hi limb into the lo limb of a value the witness carries in the cells named:
  // the same field element lo + 2^16 hi, a limb of 2^16 + lo.
  void shift_limb(Fp& lo, Fp& hi) {
    lo = lo + Fp::from_u32(1u << 16);
    hi = hi - Fp::one();
  }
  std::string report() {
    fill_lookup_counts(setup.program, setup.machine, witness, reserved);
    return debugger_report(setup, witness);
  }
  std::string verifier_rejection() {
    stark::prover::ProveOptions options;
    options.check_witness = false;
    options.check_final_degree = false;
    const std::vector<uint8_t> proof = prove_witness(setup, witness, options);
    try {
      verify(proof, program_id(setup.key), nullptr, resolver());
    } catch (const RejectedProof& e) {
      return e.what();
    }
    return "";
  }
};

Forgery forgery_of(const TestProgram& p) {
  const elf::ElfImage image = p.image();
  Forgery f{setup(image, stark::fast_profile(), resolver()), {}, 0};
  f.witness = run_witness(f.setup, image, {}, config(), package_rows());
  f.reserved = stark::protocol::reserved_rows(f.setup.params);
  return f;
}

TEST(PackageCircuitRange, AnHonestCallProvesAndVerifies) {
  const TestProgram p = program();
  const elf::ElfImage image = p.image();
  const ProvingSetup s = setup(image, stark::fast_profile(), resolver());
  ASSERT_EQ(s.machine.num_tables(), size_t{kNumTables} + 1);
  const ProveOutput out = prove(s, image, {}, config(), {}, package_rows());
  EXPECT_EQ(verify(out.proof, program_id(s.key), nullptr, resolver()).exit_code, 7);

  Forgery f = forgery_of(program());
  EXPECT_EQ(f.report(), "");
}

// rd = kData + 1 = 0x0020'0001 written as limbs (0x1'0001, 0x1F): the package's row and the
// PrecompileCall row agree (PRECOMPILE balances), the circuit's "rd is rs1 + 1" holds, and x5's final
// record carries the same limbs (MEMORY balances). Only the machine's range check of rd's lo limb
// stands in the way.
TEST(PackageCircuitRange, ANonCanonicalResultLimbIsRejected) {
  Forgery f = forgery_of(program());
  const PrecompileCallCols c = make_columns<PrecompileCallCols>();
  ASSERT_EQ(f.cell(kPrecompileCallTable, 0, c.rd_lo), Fp::from_u32(1));
  f.shift_limb(f.cell(kPrecompileCallTable, 0, c.rd_lo), f.cell(kPrecompileCallTable, 0, c.rd_hi));
  f.shift_limb(f.package().main.at(0, CarelessPokeTable::kRdLo), f.package().main.at(0, CarelessPokeTable::kRdHi));
  const size_t x5 = image_row(f.setup.program, kRegisterSpace, kResultRegister);
  f.shift_limb(f.cell(kImageTable, x5, ImageTable::kFinalLo), f.cell(kImageTable, x5, ImageTable::kFinalHi));
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(range16)"));
  EXPECT_THAT(report, HasSubstr("precompile_call row 0 sends"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
  EXPECT_NE(f.verifier_rejection(), "");
}

// The word at kData written as limbs (0x1'5678, 0x1233): the package's word message and the
// PrecompileMemory row agree, the circuit's "the word written is rs2" holds, and the word's final
// record carries the same limbs. Only the machine's range check of the after-limbs stands in the way.
TEST(PackageCircuitRange, ANonCanonicalWrittenLimbIsRejected) {
  Forgery f = forgery_of(program());
  const PrecompileMemoryCols m = make_columns<PrecompileMemoryCols>();
  ASSERT_EQ(f.cell(kPrecompileMemoryTable, 0, m.after_lo), Fp::from_u32(kWord & 0xFFFF));
  f.shift_limb(f.cell(kPrecompileMemoryTable, 0, m.after_lo), f.cell(kPrecompileMemoryTable, 0, m.after_hi));
  f.shift_limb(f.package().main.at(0, CarelessPokeTable::kAfterLo),
               f.package().main.at(0, CarelessPokeTable::kAfterHi));
  const size_t word = image_row(f.setup.program, kMemorySpace, TestProgram::kData / 4);
  f.shift_limb(f.cell(kImageTable, word, ImageTable::kFinalLo), f.cell(kImageTable, word, ImageTable::kFinalHi));
  const std::string report = f.report();
  EXPECT_THAT(report, HasSubstr("(range16)"));
  EXPECT_THAT(report, HasSubstr("precompile_memory row 0 sends"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("constraint")));
  EXPECT_NE(f.verifier_rejection(), "");
}

}  // namespace
}  // namespace zkrv::riscv_air
