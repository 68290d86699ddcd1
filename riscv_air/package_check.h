// `zkrv precompile check`: a package author's soundness linter for a precompile package's circuit
// (docs/precompiles.md, "Checking a package's circuit"). It admits the circuit as the machine does,
// runs the package's own library on random calls (the evaluation, then its witness call on the
// record of that evaluation), pads the rows with zero rows as the machine does and checks every row
// against the circuit; then it mutates sampled cells of honest rows one at a time and sorts each
// mutation by what would catch it: a constraint, the bus balance (a message whose content the rest
// of the machine pins), or nothing. A mutation nothing catches is a soundness hole: it either
// changes a call's output (a written word's value, rd) with every input message unchanged, or
// changes nothing the machine sees at all (a free cell). Columns that no node of the circuit reads
// are reported too. Single-cell mutation is a probe, not a proof: a clean report means no hole was
// found among the sampled cells, and a hole that needs two cells changed together is not looked for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "precompiles/package/package.h"
#include "precompiles/package/store.h"

namespace zkrv::riscv_air {

struct PackageCheckOptions {
  uint32_t calls = 64;         // random calls made (those the library faults on count too)
  uint64_t seed = 1;           // the calls, the memory and the sampled cells follow from it
  uint32_t cells = 1024;       // cells mutated, at most (columns that reach a message come first)
  size_t max_listed = 16;      // findings listed per kind (all are counted)
};

// A row whose window fails a constraint of the bound circuit (its index there; the package's own
// constraints keep their indices, the machine's multiplicity bits follow them).
struct RowFailure {
  size_t row = 0;
  std::optional<size_t> call;  // the call whose rows these are; none for a padding row
  size_t constraint = 0;
  std::string constraint_name;
  uint32_t value = 0;
};

enum class CellProblem {
  kForgeableOutput,  // every constraint holds, every input message is the same, a call's output differs
  kFreeCell,         // every constraint holds and the machine sees the same messages (lookups still valid)
};
std::string_view cell_problem_name(CellProblem problem);  // "forgeable output", "free cell"

struct CellFinding {
  CellProblem problem = CellProblem::kFreeCell;
  size_t row = 0;
  size_t call = 0;
  uint32_t column = 0;
  std::string column_name;  // the circuit's name for it, else "main[c]"
  uint32_t honest = 0, mutated = 0;
  std::string detail;  // which output changed, e.g. "interaction 3 (send on PRECOMPILE_WORD): entry 2 0x1234 -> 0x1235"
};

struct PackageCheckReport {
  std::string package;        // as given (name@version for a package)
  std::string circuit_digest; // hex, empty when the circuit is refused
  // Admission (admit_package_circuit): the refusal, empty when admitted. Nothing else runs after one.
  std::string refusal;
  uint32_t main_width = 0;
  size_t constraints = 0, interactions = 0;  // of the bound circuit
  uint32_t rows_per_call = 0;                // as the library declares
  // The calls.
  size_t calls = 0, faulted_calls = 0, witnessed_calls = 0;
  // Calls whose rows went into the checked table (fewer than witnessed when a circuit's fixed
  // columns are too short for them all); none checked is a problem: a clean report must mean
  // something was checked.
  size_t checked_calls = 0;
  // The calls stopped early because their rows reached kMaxCheckedValues (a bound on the check's
  // memory: a library may fill 2^24 values a call).
  bool calls_capped = false;
  std::vector<std::string> fault_samples;  // the first few faults (counted, not problems)
  size_t witness_error_count = 0;          // a witness call that failed on a record of the library's own call
  std::vector<std::string> witness_errors;
  // The row checker on every row: the calls' rows, then zero rows (at least one) up to a power of two.
  size_t rows = 0, padding_rows = 0;
  size_t row_failure_count = 0;
  std::vector<RowFailure> row_failures;
  // The mutation probe.
  std::vector<uint32_t> unread_columns;  // no constraint or message reads them
  size_t cells_mutated = 0, caught_by_constraints = 0, caught_by_buses = 0;
  size_t cell_problem_count = 0;
  std::vector<CellFinding> cell_problems;

  bool clean() const {
    return refusal.empty() && witness_error_count == 0 && checked_calls > 0 && row_failure_count == 0 &&
           unread_columns.empty() && cell_problem_count == 0;
  }
};

// Checks `circuit` (the package's circuit bytes) with `library` (the package's library, loaded in
// process or in the sandbox) filling the rows. `package` names it in messages. Throws
// precompiles::PackageError only for a library that cannot be called at all (a broken sandbox);
// everything about the circuit or the rows is in the report.
PackageCheckReport check_package_circuit_rows(std::string_view package, std::span<const uint8_t> circuit,
                                              const precompiles::LoadedPrecompile& library, const PackageCheckOptions& options);

// The whole check of a package: its integrity (precompiles::verify_package without trust: an author
// checks an unsigned package), that it has a circuit, its library loaded in the sandbox (`worker`),
// then check_package_circuit_rows. Throws precompiles::PackageError for a package that cannot be
// checked (damaged, no circuit, a library that does not load), naming `origin`.
PackageCheckReport check_package(const precompiles::Package& package, std::string_view origin,
                                 const std::filesystem::path& worker, const PackageCheckOptions& options);

}  // namespace zkrv::riscv_air
