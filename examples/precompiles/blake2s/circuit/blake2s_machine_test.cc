// The BLAKE2s circuit as a package ships it (no index: the 7-entry PRECOMPILE tuple), decoded,
// admitted and interpreted by the RISC-V machine (riscv_air/package_circuit.h): a guest that calls
// it twice proves and verifies, its rows filled by blake2s_generation from each call's record as the
// package's witness call would; the machine refuses circuits that reach past the precompile buses
// (a receive on PRECOMPILE_WORD, a send on MEMORY), carry a public value, an unbounded count or an
// index of their own, naming the interaction; the prover refuses rows that fail the circuit, naming
// the package and the constraint; a forged output word is rejected by the verifier; and a verifier
// whose circuit differs from the proof's key rejects the proof, naming both digests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "circuit/blake2s_air.h"
#include "src/blake2s.h"
#include "zkrv/circuit_buses.h"

#include "isa/encode.h"
#include "riscv_air/buses.h"
#include "riscv_air/key.h"
#include "riscv_air/machine_testing.h"
#include "riscv_air/package_circuit.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/air.h"
#include "stark/air/checker.h"
#include "stark/circuit/circuit.h"
#include "stark/circuit/interpreted_table.h"
#include "vm/testing/program.h"

namespace example::blake2s_circuit {
namespace {

namespace air = ::zkrv::stark::air;
namespace circuit = ::zkrv::stark::circuit;
namespace enc = ::zkrv::isa::encode;
namespace riscv = ::zkrv::riscv_air;
using ::testing::HasSubstr;
using ::zkrv::isa::Op;
using ::zkrv::vm::testing::TestProgram;
using air::Fp;
using Columns = Blake2sColumns;

constexpr char kPackage[] = "example.blake2s_compress";
constexpr uint32_t kIndex = 5;
constexpr uint32_t kState = TestProgram::kData, kParameters = TestProgram::kData + 0x40;

// The table as the package ships it: on the machine's precompile buses, no index.
Blake2sTable package_table() {
  Blake2sTable table;
  table.buses = Blake2sTable::CallBuses{riscv::kPrecompileBus, riscv::kPrecompileWordBus, riscv::kPrecompileReadBus,
                                        riscv::kRange16Bus, std::nullopt};
  return table;
}

// Encoded once: immutable, shared by the tests (encoding 119,000 nodes takes a moment).
const std::vector<uint8_t>& package_bytes() {
  static const std::vector<uint8_t> kBytes = circuit::encode(package_table());
  return kBytes;
}

std::shared_ptr<const riscv::PackageCircuit> admitted() {
  static const std::shared_ptr<const riscv::PackageCircuit> kCircuit = riscv::admit_package_circuit(kPackage, package_bytes());
  return kCircuit;
}

riscv::PackageCircuitResolver resolver(std::shared_ptr<const riscv::PackageCircuit> circuit) {
  return [circuit](const riscv::DeclaredPrecompile& d) {
    return d.name == kPackage ? circuit : std::shared_ptr<const riscv::PackageCircuit>();
  };
}

// The package's semantics in process: the 8-word state at rs1 compressed with the 19-word parameter
// block at rs2 (block, counter low and high, final flag 0 or 1), written back; rd = 0.
int blake2s_eval(zkrv_precompile_call* call) {
  uint32_t state[8], parameters[19];
  if (call->memory->read(call->memory->context, call->rs1, reinterpret_cast<uint8_t*>(state), sizeof state) != 0 ||
      call->memory->read(call->memory->context, call->rs2, reinterpret_cast<uint8_t*>(parameters), sizeof parameters) != 0) {
    return ZKRV_PRECOMPILE_BAD_MEMORY;
  }
  if (parameters[18] > 1) return ZKRV_PRECOMPILE_FAULT;
  Blake2sState h{};
  std::memcpy(h.data(), state, sizeof state);
  std::array<uint32_t, 16> m{};
  std::memcpy(m.data(), parameters, sizeof m);
  blake2s_compress(h, m, uint64_t{parameters[16]} | uint64_t{parameters[17]} << 32, parameters[18] == 1);
  std::memcpy(state, h.data(), sizeof state);
  if (call->memory->write(call->memory->context, call->rs1, reinterpret_cast<uint8_t*>(state), sizeof state) != 0) {
    return ZKRV_PRECOMPILE_BAD_MEMORY;
  }
  call->rd = 0;
  return ZKRV_PRECOMPILE_OK;
}

zkrv::vm::VmConfig config() {
  zkrv::vm::VmConfig c;
  c.log_sink = [](int, std::span<const uint8_t>) {};
  c.precompile_resolver = [](const zkrv::vm::PrecompileDescriptor& d) {
    return zkrv::vm::PrecompileImplementation{d.name, "1.0.0", {}, &blake2s_eval, nullptr};
  };
  return c;
}

// What the package's witness call does with a record: the call's inputs from its words (each named
// once, before and after), then the table's row for it.
uint32_t word_before(const zkrv_call_record& call, uint32_t address) {
  for (uint32_t k = 0; k < call.access_count; ++k) {
    if (call.accesses[k].address == address) return call.accesses[k].before;
  }
  throw std::runtime_error("the record has no word at " + std::to_string(address));
}

std::vector<uint32_t> call_rows(const zkrv_call_record& call) {
  Call c;
  c.ts = call.timestamp;
  c.state_ptr = call.rs1;
  c.block_ptr = call.rs2;
  for (uint32_t i = 0; i < kStateWords; ++i) c.input.state[i] = word_before(call, call.rs1 + 4 * i);
  for (uint32_t t = 0; t < kBlockWords; ++t) c.input.block[t] = word_before(call, call.rs2 + 4 * t);
  c.input.counter = uint64_t{word_before(call, call.rs2 + 64)} | uint64_t{word_before(call, call.rs2 + 68)} << 32;
  c.input.last = word_before(call, call.rs2 + 72) == 1;
  const air::TableWitness rows = blake2s_call_witness(std::vector<Call>{c});
  std::vector<uint32_t> out;
  for (const Fp& v : rows.main.row(0)) out.push_back(v.to_u32());
  return out;
}

riscv::PackageRows package_rows() {
  return [](const riscv::DeclaredPrecompile&, const zkrv_call_record& call) { return call_rows(call); };
}

// Two compressions of one block into one state (the second the final one); exits with h'[0] ^ h'[7].
TestProgram program() {
  TestProgram p;
  p.declare_precompile(kIndex, kPackage, "^1.0.0");
  p.data().resize(0x40 + 19 * 4);
  std::memcpy(p.data().data(), kBlake2sIv.data(), 32);
  p.data()[0] ^= 0x20;  // BLAKE2s-256's parameter block: digest length 32, no key
  p.data()[1] ^= 0x01;
  p.data()[2] ^= 0x01;
  for (size_t i = 0; i < 64; ++i) p.data()[0x40 + i] = static_cast<uint8_t>(i * 11 + 3);
  p.data()[0x40 + 64] = 64;  // counter: 64 bytes
  p.li(10, kState).li(11, kParameters);
  p.emit(enc::precompile(kIndex, 0, 10, 11));
  p.li(12, 1).emit(enc::store(Op::SW, 12, 11, 72));  // the final flag
  p.emit(enc::precompile(kIndex, 0, 10, 11));
  p.emit(enc::load(Op::LW, 13, 10, 0)).emit(enc::load(Op::LW, 14, 10, 28)).emit(enc::op_reg(Op::XOR, 13, 13, 14));
  return p.exit_with(13);
}

std::string rejection(const riscv::ProvingSetup& s, const riscv::MachineWitness& w) {
  zkrv::stark::prover::ProveOptions options;
  options.check_witness = false;
  options.check_final_degree = false;
  const std::vector<uint8_t> proof = riscv::prove_witness(s, w, options);
  try {
    riscv::verify(proof, riscv::program_id(s.key), nullptr, resolver(admitted()));
  } catch (const riscv::RejectedProof& e) {
    return e.what();
  }
  return "";
}

// The exit code the guest computes.
uint32_t expected_exit() {
  TestProgram p = program();
  Blake2sState h{};
  std::memcpy(h.data(), p.data().data(), 32);
  std::array<uint32_t, 16> m{};
  std::memcpy(m.data(), p.data().data() + 0x40, 64);
  blake2s_compress(h, m, 64, false);
  blake2s_compress(h, m, 64, true);
  return h[0] ^ h[7];
}

TEST(Blake2sPackageCircuit, AGuestCallingItProvesAndVerifies) {
  const TestProgram p = program();
  const zkrv::elf::ElfImage image = p.image();
  const TestProgram::Outcome run = p.run({}, config());
  ASSERT_EQ(run.result.reason, zkrv::vm::StopReason::kExit) << run.fault_message;
  ASSERT_EQ(static_cast<uint32_t>(run.result.exit_code), expected_exit());

  const riscv::ProvingSetup s = riscv::setup(image, zkrv::stark::fast_profile(), resolver(admitted()));
  ASSERT_EQ(s.machine.num_tables(), size_t{riscv::kNumTables} + 1);
  EXPECT_EQ(s.machine.table(riscv::kNumTables).info().name, "example.blake2s_compress[5]");
  EXPECT_EQ(s.machine.table(riscv::kNumTables).info().main_width, Columns::kNumColumns);
  ASSERT_EQ(s.key.shape.precompiles.size(), 1u);
  EXPECT_EQ(s.key.shape.precompiles[0].circuit_digest, admitted()->digest);

  const riscv::ProveOutput out = riscv::prove(s, image, {}, config(), {}, package_rows());
  EXPECT_EQ(out.statement.exit_code, run.result.exit_code);
  EXPECT_EQ(riscv::verify(out.proof, riscv::program_id(s.key), nullptr, resolver(admitted())).exit_code,
            run.result.exit_code);

  // The verifier's circuit is another (here: the same constraints, another table name, so another
  // digest): the proof is refused naming the package and both digests; and a program key with the
  // other circuit is another program id.
  circuit::Circuit renamed = admitted()->circuit;
  renamed.info.name = "blake2s_compress_v2";
  const std::shared_ptr<const riscv::PackageCircuit> other =
      riscv::admit_package_circuit(kPackage, circuit::encode_circuit(renamed));
  ASSERT_NE(other->digest, admitted()->digest);
  try {
    riscv::verify(out.proof, riscv::program_id(s.key), nullptr, resolver(other));
    ADD_FAILURE() << "a proof verified with another circuit of its package";
  } catch (const riscv::RejectedProof& e) {
    EXPECT_THAT(e.what(), HasSubstr("another circuit of precompile package example.blake2s_compress"));
    EXPECT_THAT(e.what(), HasSubstr(zkrv::stark::to_hex(other->digest)));
    EXPECT_THAT(e.what(), HasSubstr(zkrv::stark::to_hex(admitted()->digest)));
  }
  EXPECT_THROW(
      {
        try {
          riscv::verify(out.proof, riscv::program_id(s.key));
        } catch (const riscv::RejectedProof& e) {
          EXPECT_THAT(e.what(), HasSubstr("which this verifier has not been given"));
          throw;
        }
      },
      riscv::RejectedProof);
  riscv::ProgramKey other_key = s.key;
  other_key.shape.precompiles[0].circuit_digest = other->digest;
  EXPECT_NE(riscv::program_id(other_key), riscv::program_id(s.key));
  // The proof file with the key's digest swapped to the other circuit's is another program.
  riscv::ProofFile file = riscv::decode_proof_file(out.proof);
  file.key.shape.precompiles[0].circuit_digest = other->digest;
  EXPECT_THROW(riscv::verify(riscv::encode_proof_file(file), riscv::program_id(s.key), nullptr, resolver(other)),
               riscv::RejectedProof);
}

TEST(Blake2sPackageCircuit, AForgedOutputWordIsRefusedAndRejected) {
  const TestProgram p = program();
  const zkrv::elf::ElfImage image = p.image();
  const riscv::ProvingSetup s = riscv::setup(image, zkrv::stark::fast_profile(), resolver(admitted()));
  // The package's rows state another h'[0] than the compression's: refused before proving, naming
  // the package and the constraint.
  const riscv::PackageRows forged = [](const riscv::DeclaredPrecompile&, const zkrv_call_record& call) {
    std::vector<uint32_t> rows = call_rows(call);
    rows[static_cast<size_t>(Columns::output(0, 0))] ^= 1;
    return rows;
  };
  try {
    riscv::prove(s, image, {}, config(), {}, forged);
    ADD_FAILURE() << "forged rows were proven";
  } catch (const riscv::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("precompile example.blake2s_compress (index 5): its package's rows fail its circuit"));
    EXPECT_THAT(e.what(), HasSubstr("output h'[0]"));
  }
  // The same forgery made by a malicious prover past the checks: the verifier rejects it.
  riscv::MachineWitness w = riscv::run_witness(s, image, {}, config(), package_rows());
  w.tables[riscv::kNumTables].main.at(0, Columns::output(0, 0)) += Fp::one();
  EXPECT_THAT(rejection(s, w), HasSubstr("does not verify"));
  // No witness generator, or rows that are not whole rows: refused, naming the package.
  EXPECT_THAT(zkrv::riscv_air::testing::refusal_of_run(image, config()), HasSubstr("example.blake2s_compress"));
  try {
    riscv::prove(s, image, {}, config());
    ADD_FAILURE() << "a package call proven without its rows";
  } catch (const riscv::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("has a package circuit but no witness generator"));
  }
  try {
    riscv::prove(s, image, {}, config(), {}, [](const riscv::DeclaredPrecompile&, const zkrv_call_record&) {
      return std::vector<uint32_t>(5, 0);
    });
    ADD_FAILURE() << "5 values taken as rows";
  } catch (const riscv::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("not whole rows of its circuit's 11257 columns"));
  }
}

// The package's circuit, edited as a hostile package could ship it, re-encoded and admitted.
std::string admission_refusal(const std::function<void(circuit::Circuit&)>& edit) {
  circuit::Circuit c = admitted()->circuit;
  edit(c);
  try {
    riscv::admit_package_circuit(kPackage, circuit::encode_circuit(circuit::canonical_circuit(c)));
  } catch (const riscv::RefusedError& e) {
    return e.what();
  }
  return "";
}

size_t first_interaction_on(const circuit::Circuit& c, air::BusId bus) {
  for (size_t k = 0; k < c.interactions.size(); ++k) {
    if (c.interactions[k].bus == bus) return k;
  }
  throw std::runtime_error("no interaction on the bus");
}

TEST(Blake2sPackageCircuit, CircuitsPastThePrecompileBusesAreRefusedByName) {
  EXPECT_EQ(admission_refusal([](circuit::Circuit&) {}), "");
  const size_t word = first_interaction_on(admitted()->circuit, riscv::kPrecompileWordBus);
  const size_t range = first_interaction_on(admitted()->circuit, riscv::kRange16Bus);
  EXPECT_THAT(admission_refusal([word](circuit::Circuit& c) { c.interactions[word].direction = air::Direction::kReceive; }),
              HasSubstr("interaction " + std::to_string(word) +
                        " (a receive on PRECOMPILE_WORD, bus 10): a package circuit only sends there"));
  EXPECT_THAT(admission_refusal([word](circuit::Circuit& c) { c.interactions[word].bus = riscv::kMemoryBus; }),
              HasSubstr("interaction " + std::to_string(word) + " (a send on MEMORY, bus 3): a package circuit may use only"));
  EXPECT_THAT(admission_refusal([](circuit::Circuit& c) { c.info.num_public_values = 1; }),
              HasSubstr("it has 1 public values"));
  EXPECT_THAT(admission_refusal([range](circuit::Circuit& c) { c.interactions[range].max_multiplicity = air::kUnbounded; }),
              HasSubstr("interaction " + std::to_string(range) + " (a send on RANGE16, bus 4): its multiplicity is unbounded"));
  EXPECT_THAT(admission_refusal([range](circuit::Circuit& c) { c.interactions[range].max_multiplicity = 2; }),
              HasSubstr("interaction " + std::to_string(range) + " (a send on RANGE16, bus 4): a package circuit's message "
                        "goes at most once a row"));
  EXPECT_THAT(admission_refusal([word](circuit::Circuit& c) {
                const uint32_t m = c.interactions[word].multiplicity;
                c.nodes.push_back({circuit::NodeCode::kMul, 0, m, m});
                c.interactions[word].multiplicity = static_cast<uint32_t>(c.nodes.size() - 1);
              }),
              HasSubstr("interaction " + std::to_string(word) + " (a send on PRECOMPILE_WORD, bus 10): its multiplicity has "
                        "degree 2"));
  // A circuit at the decoder's constraint limit leaves no room for the machine's bit constraints.
  EXPECT_THAT(admission_refusal([](circuit::Circuit& c) {
                c.constraints.resize(circuit::kMaxConstraints, c.constraints.front());
              }),
              HasSubstr("leave no room for the machine's"));
  // The first-party flavour, with its own index: 8 entries, refused (the index is the machine's).
  Blake2sTable indexed = package_table();
  indexed.buses->index = kIndex;
  try {
    riscv::admit_package_circuit(kPackage, circuit::encode(indexed));
    ADD_FAILURE() << "a circuit with its own index admitted";
  } catch (const riscv::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the call's tuple has 8 entries, not 7"));
  }
  // Not a circuit at all: the decoder's error, with the package's name.
  try {
    riscv::admit_package_circuit(kPackage, std::vector<uint8_t>{1, 2, 3});
    ADD_FAILURE() << "three bytes admitted";
  } catch (const riscv::RefusedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the circuit of precompile package example.blake2s_compress is refused: circuit offset"));
  }
}

// The machine, not the author, keeps every multiplicity a bit: with the table's own "active is a
// bit" removed, a row whose active is p - 1 (every message sent p - 1 times: a send turned into a
// receive) still fails, on the machine's constraint.
TEST(Blake2sPackageCircuit, TheMachineKeepsEveryMultiplicityABit) {
  circuit::Circuit lax = admitted()->circuit;
  std::erase_if(lax.constraints, [](const circuit::CircuitConstraint& k) { return k.name == "call: active is a bit"; });
  lax = circuit::canonical_circuit(lax);
  const std::shared_ptr<const riscv::PackageCircuit> admitted_lax = riscv::admit_package_circuit(kPackage, circuit::encode_circuit(lax));
  const circuit::InterpretedTable table(riscv::bind_package_circuit(*admitted_lax, kIndex, "lax[5]"));
  const air::TableAnalysis analysis = air::analyze_table(table);
  air::TableWitness w = blake2s_call_witness(std::vector<Call>{});
  w.main.at(0, Columns::kActive) = Fp::zero() - Fp::one();
  const std::vector<air::ConstraintFailure> failures = air::check_table_rows(table, analysis, zkrv::stark::Matrix<Fp>(), w, 100000);
  const bool named = std::any_of(failures.begin(), failures.end(), [](const air::ConstraintFailure& f) {
    return f.constraint.find("multiplicity is 0 or 1") != std::string::npos;
  });
  EXPECT_TRUE(named);
  w.main.at(0, Columns::kActive) = Fp::zero();
  EXPECT_TRUE(air::check_table_rows(table, analysis, zkrv::stark::Matrix<Fp>(), w, 16).empty());
}

// The SDK's circuit kit names the machine's buses a package may use by these values
// (zkrv/circuit_buses.h): a package built with the kit must bind to what the machine admits.
static_assert(zkrv::circuit_kit::kPrecompileBus == riscv::kPrecompileBus);
static_assert(zkrv::circuit_kit::kPrecompileWordBus == riscv::kPrecompileWordBus);
static_assert(zkrv::circuit_kit::kPrecompileReadBus == riscv::kPrecompileReadBus);
static_assert(zkrv::circuit_kit::kRange16Bus == riscv::kRange16Bus);
static_assert(zkrv::circuit_kit::kByteBus == riscv::kByteBus);

TEST(Blake2sPackageCircuit, TheKitsPackageFlavourIsTheTableTheMachineAdmits) {
  const Blake2sTable table = zkrv::circuit_kit::with_package_buses(Blake2sTable{});
  ASSERT_TRUE(table.buses.has_value());
  EXPECT_FALSE(table.buses->index.has_value());
  EXPECT_EQ(circuit::encode(table), package_bytes());
}

}  // namespace
}  // namespace example::blake2s_circuit
