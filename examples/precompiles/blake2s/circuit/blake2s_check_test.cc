// `zkrv precompile check`'s library (riscv_air/package_check.h) on the example package: its circuit
// and library pass; the circuit without one of its output constraints is reported with the output
// cell it left free named; a column nothing reads and a cell only a lookup reads are reported; a
// library filling another width is a witness error; rows that fail the circuit are reported with
// the row, the call and the constraint; a corrupt circuit is refused with the decoder's message; a
// package without a circuit, or with a circuit its manifest does not bind, cannot be checked. And
// the command itself: its exit statuses and its JSON report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <bit>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "examples/precompiles/blake2s/circuit/blake2s_air.h"
#include "base/process.h"
#include "precompiles/package/store.h"
#include "precompiles/testdata/test_manifest.h"
#include "riscv_air/buses.h"
#include "riscv_air/package_check.h"
#include "stark/air/weakened.h"
#include "stark/circuit/circuit.h"

namespace example::blake2s_circuit {
namespace {

namespace precompiles = ::zkrv::precompiles;
namespace riscv = ::zkrv::riscv_air;
namespace circuit = ::zkrv::stark::circuit;
using ::testing::HasSubstr;
using Columns = Blake2sColumns;

constexpr char kPackage[] = "example.blake2s_compress@2.0.0";

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

precompiles::Package make_package(std::optional<std::vector<uint8_t>> circuit_bytes) {
  return precompiles::make_package(precompiles::testing::test_manifest("example.blake2s_compress", "2.0.0"),
                                   precompiles::read_file_bytes(ZKRV_TEST_BLAKE2S_LIBRARY), std::move(circuit_bytes),
                                   "libblake2s.so", "blake2s.zkrvcirc");
}

const precompiles::LoadedPrecompile& library() {
  static const precompiles::LoadedPrecompile kLibrary =
      precompiles::open_package_library(make_package(std::nullopt), "blake2s.zkrvpkg");
  return kLibrary;
}

riscv::PackageCheckOptions small(uint32_t cells) {
  riscv::PackageCheckOptions options;
  options.calls = 16;
  options.seed = 7;
  options.cells = cells;
  return options;
}

TEST(Blake2sCheck, TheExamplePackagePassesInTheSandbox) {
  const riscv::PackageCheckReport report =
      riscv::check_package(make_package(package_bytes()), "blake2s.zkrvpkg", precompiles::sandbox::default_worker_path(), small(200));
  EXPECT_TRUE(report.clean()) << (report.cell_problems.empty() ? "" : report.cell_problems[0].column_name);
  EXPECT_EQ(report.refusal, "");
  EXPECT_EQ(report.main_width, static_cast<uint32_t>(Columns::kNumColumns));
  EXPECT_EQ(report.calls, 16u);
  EXPECT_GT(report.witnessed_calls, 1u);
  EXPECT_GT(report.faulted_calls, 0u);  // a flag that is not a bit, unaligned or overlapping buffers, unmapped memory
  EXPECT_EQ(report.witnessed_calls + report.faulted_calls, 16u);
  EXPECT_EQ(report.checked_calls, report.witnessed_calls);
  EXPECT_FALSE(report.calls_capped);
  // The calls' rows and at least one zero row, up to a power of two.
  EXPECT_EQ(report.rows, std::bit_ceil(report.witnessed_calls + 1));
  EXPECT_EQ(report.rows - report.padding_rows, report.witnessed_calls);
  EXPECT_EQ(report.row_failure_count, 0u);
  EXPECT_TRUE(report.unread_columns.empty());
  EXPECT_EQ(report.cells_mutated, 200u);
  EXPECT_EQ(report.caught_by_constraints + report.caught_by_buses, 200u);
  EXPECT_GT(report.caught_by_buses, 0u);  // the call's inputs and the words before the call
}

// A check that put no call's rows in the table checked nothing, so it is not a clean report.
TEST(Blake2sCheck, ACheckOfNoCallIsNotClean) {
  riscv::PackageCheckOptions options = small(16);
  options.calls = 0;
  const riscv::PackageCheckReport report = riscv::check_package_circuit_rows(kPackage, package_bytes(), library(), options);
  EXPECT_EQ(report.refusal, "");
  EXPECT_EQ(report.row_failure_count, 0u);  // the zero row holds
  EXPECT_EQ(report.checked_calls, 0u);
  EXPECT_FALSE(report.clean());
}

TEST(Blake2sCheck, ADroppedOutputConstraintIsAForgeableOutputNamingTheCell) {
  const std::string& dropped = internal::constraint_names().output[0][0];
  const std::vector<uint8_t> weakened =
      circuit::encode(zkrv::stark::air::WithoutConstraint<Blake2sTable>{package_table(), dropped, "blake2s_compress"});
  // Columns that reach a message are mutated first; 600 cells cover all of them.
  const riscv::PackageCheckReport report = riscv::check_package_circuit_rows(kPackage, weakened, library(), small(600));
  EXPECT_EQ(report.row_failure_count, 0u);  // the honest rows still pass
  ASSERT_FALSE(report.clean());
  ASSERT_EQ(report.cell_problem_count, 1u);
  const riscv::CellFinding& finding = report.cell_problems[0];
  EXPECT_EQ(finding.problem, riscv::CellProblem::kForgeableOutput);
  EXPECT_EQ(finding.column, static_cast<uint32_t>(Columns::output(0, 0)));
  EXPECT_EQ(finding.column_name, "h'[0].limb0");
  EXPECT_THAT(finding.detail, HasSubstr("send on PRECOMPILE_WORD): entry 2"));
}

TEST(Blake2sCheck, RowsThatFailTheCircuitAreReportedWithRowCallAndConstraint) {
  // The library's rows against a circuit that asks one more thing of them (active = 0), which no
  // call's row satisfies and every padding row does.
  circuit::Circuit c = circuit::decode_circuit(package_bytes());
  const size_t added = c.constraints.size();
  c.nodes.push_back({circuit::NodeCode::kMain, static_cast<uint32_t>(Columns::kActive), 0, 0});
  c.constraints.push_back({"the test's extra constraint: active = 0", static_cast<uint32_t>(c.nodes.size() - 1)});
  const std::vector<uint8_t> bytes = circuit::encode_circuit(circuit::canonical_circuit(c));
  const riscv::PackageCheckReport report = riscv::check_package_circuit_rows(kPackage, bytes, library(), small(10));
  ASSERT_FALSE(report.clean());
  EXPECT_EQ(report.row_failure_count, report.witnessed_calls);
  ASSERT_FALSE(report.row_failures.empty());
  const riscv::RowFailure& failure = report.row_failures[0];
  EXPECT_EQ(failure.row, 0u);
  EXPECT_EQ(failure.call, std::optional<size_t>(0));
  EXPECT_EQ(failure.constraint, added);
  EXPECT_EQ(failure.constraint_name, "the test's extra constraint: active = 0");
  EXPECT_EQ(failure.value, 1u);
  EXPECT_EQ(report.cells_mutated, 0u);  // no honest window left to probe
}

// The package's circuit with the final flag f read by nothing (every read of it replaced by 0), and,
// with `lookup`, f then read only by a RANGE16 lookup.
std::vector<uint8_t> without_final_flag(bool lookup) {
  circuit::Circuit c = circuit::decode_circuit(package_bytes());
  for (circuit::CircuitNode& n : c.nodes) {
    if (n.code == circuit::NodeCode::kMain && n.value == static_cast<uint32_t>(Columns::kFinal)) n = {};
  }
  if (lookup) {
    c.nodes.push_back({circuit::NodeCode::kMain, static_cast<uint32_t>(Columns::kFinal), 0, 0});
    c.nodes.push_back({circuit::NodeCode::kMain, static_cast<uint32_t>(Columns::kActive), 0, 0});
    const auto id = static_cast<uint32_t>(c.nodes.size());
    c.interactions.push_back({riscv::kRange16Bus, zkrv::stark::air::Direction::kSend, 1, {id - 2}, id - 1});
  }
  return circuit::encode_circuit(circuit::canonical_circuit(c));
}

TEST(Blake2sCheck, AColumnNothingReadsAndACellOnlyALookupReadsAreReported) {
  riscv::PackageCheckReport report = riscv::check_package_circuit_rows(kPackage, without_final_flag(false), library(), small(10));
  EXPECT_FALSE(report.clean());
  EXPECT_EQ(report.unread_columns, std::vector<uint32_t>{static_cast<uint32_t>(Columns::kFinal)});

  // f read only by a lookup: any value below 2^16 passes it, so changing f on a row whose f is 0
  // (the rows of calls with f = 1 fail the circuit, which computes as if f were 0) keeps every
  // constraint and every message the machine pins.
  report = riscv::check_package_circuit_rows(kPackage, without_final_flag(true), library(), small(600));
  EXPECT_TRUE(report.unread_columns.empty());
  bool named = false;
  for (const riscv::CellFinding& finding : report.cell_problems) {
    named = named || (finding.problem == riscv::CellProblem::kFreeCell && finding.column_name == "f" && finding.detail.empty());
  }
  EXPECT_TRUE(named) << report.cell_problem_count << " cell problems";
}

TEST(Blake2sCheck, ALibraryFillingAnotherWidthIsAWitnessError) {
  circuit::Circuit c = circuit::decode_circuit(package_bytes());
  ++c.info.main_width;
  c.info.main_names.emplace_back("spare");
  const riscv::PackageCheckReport report =
      riscv::check_package_circuit_rows(kPackage, circuit::encode_circuit(c), library(), small(10));
  EXPECT_FALSE(report.clean());
  EXPECT_EQ(report.witness_error_count, 1u);
  ASSERT_EQ(report.witness_errors.size(), 1u);
  EXPECT_THAT(report.witness_errors[0], HasSubstr("the library fills 11257 columns a row, the circuit has 11258"));
  EXPECT_EQ(report.calls, 0u);
}

TEST(Blake2sCheck, ACorruptCircuitIsRefusedWithTheDecodersMessage) {
  std::vector<uint8_t> bytes = package_bytes();
  bytes.resize(bytes.size() - 1);
  riscv::PackageCheckReport report = riscv::check_package_circuit_rows(kPackage, bytes, library(), small(10));
  EXPECT_FALSE(report.clean());
  EXPECT_THAT(report.refusal, HasSubstr("example.blake2s_compress@2.0.0"));
  EXPECT_THAT(report.refusal, HasSubstr("circuit offset"));
  EXPECT_EQ(report.calls, 0u);
  report = riscv::check_package_circuit_rows(kPackage, std::vector<uint8_t>{'Z', 'K'}, library(), small(10));
  EXPECT_THAT(report.refusal, HasSubstr("circuit offset 0"));
}

TEST(Blake2sCheck, APackageWithoutACircuitOrWithAnUnboundOneCannotBeChecked) {
  const auto error = [](const precompiles::Package& package) -> std::string {
    try {
      riscv::check_package(package, "blake2s.zkrvpkg", precompiles::sandbox::default_worker_path(), small(10));
    } catch (const precompiles::PackageError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_THAT(error(make_package(std::nullopt)), HasSubstr("the package has no circuit"));
  precompiles::Package tampered = make_package(package_bytes());
  tampered.circuit.back() ^= 1;
  EXPECT_THAT(error(tampered), HasSubstr("circuit"));
}

// The command itself on package files: exit 0 and "clean" for the example package, 9 and the
// forgeable output in the JSON report for the weakened circuit.
TEST(Blake2sCheckCommand, ExitStatusesAndTheJsonReport) {
  std::string dir_template = (std::filesystem::temp_directory_path() / "zkrv-check-test-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir_template.data()), nullptr);
  const std::filesystem::path dir = dir_template;
  precompiles::write_package_file(dir / "good.zkrvpkg", make_package(package_bytes()));
  const std::string& dropped = internal::constraint_names().output[0][0];
  precompiles::write_package_file(
      dir / "weak.zkrvpkg",
      make_package(circuit::encode(zkrv::stark::air::WithoutConstraint<Blake2sTable>{package_table(), dropped, "blake2s_compress"})));
  const auto check = [&dir](const std::vector<std::string>& arguments) {
    std::vector<std::string> argv = {ZKRV_TEST_ZKRV, "precompile", "check"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    zkrv::base::ProcessOptions options;
    options.stdout_mode = zkrv::base::ChildOutput::kCapture;
    options.stderr_mode = zkrv::base::ChildOutput::kCapture;
    options.set_environment = {"HOME=" + dir.string()};
    return zkrv::base::run_process(argv, options);
  };

  const zkrv::base::ProcessResult good = check({(dir / "good.zkrvpkg").string(), "--calls", "8", "--cells", "100"});
  EXPECT_EQ(good.exit_status, 0) << good.stdout_text << good.stderr_text;
  EXPECT_THAT(good.stdout_text, HasSubstr("\nclean\n"));

  const zkrv::base::ProcessResult weak =
      check({(dir / "weak.zkrvpkg").string(), "--calls", "16", "--cells", "600", "--seed", "7", "--json"});
  EXPECT_EQ(weak.exit_status, 9) << weak.stderr_text;
  const nlohmann::json report = nlohmann::json::parse(weak.stdout_text, nullptr, false);
  ASSERT_TRUE(report.is_object()) << weak.stdout_text;
  EXPECT_EQ(report["clean"], false);
  EXPECT_EQ(report["package"], "example.blake2s_compress@2.0.0");
  EXPECT_EQ(report["rows"]["failure_count"], 0);
  ASSERT_EQ(report["probe"]["problem_count"], 1);
  EXPECT_EQ(report["probe"]["problems"][0]["problem"], "forgeable output");
  EXPECT_EQ(report["probe"]["problems"][0]["column_name"], "h'[0].limb0");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace example::blake2s_circuit
