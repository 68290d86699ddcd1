// For tests: the steps the RISC-V machine's forgery tests share (docs/testing.md, "Forgery tests"),
// once, so that every file proves a forged witness, asks the checker about it and reads a refusal
// the same way (machine_test.cc, ecall_test.cc, tape_test.cc, misaligned_test.cc and
// sha256_call_test.cc each had its own copy). A change to how a forgery is proven (the prover
// options an attacker would turn off) is then made in one place for all of them.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/air/checker.h"

namespace zkrv::riscv_air::testing {

// The program's setup under the fast profile, which every proving test uses.
inline ProvingSetup fast_setup(const elf::ElfImage& image) { return setup(image, stark::fast_profile()); }

// Proves a (tampered) witness without the prover's own checks, as an attacker would, and returns
// the verifier's rejection (empty if it accepted). About a second in Release, so made for one
// forgery per table and per bus (docs/testing.md, "Forgery tests").
inline std::string verifier_rejection(const ProvingSetup& s, const MachineWitness& w) {
  stark::prover::ProveOptions options;
  options.check_witness = false;
  options.check_final_degree = false;
  const std::vector<uint8_t> proof = prove_witness(s, w, options);
  try {
    verify(proof, program_id(s.key));
  } catch (const RejectedProof& e) {
    return e.what();
  }
  return "";
}

// The row checker and bus debugger on the witness as the prover runs them: the key's fixed
// columns, the rows before the reserved ones; at most `max_items` of each kind of failure.
inline std::string debugger_report(const ProvingSetup& s, const MachineWitness& w, size_t max_items = 16) {
  const stark::air::Machine machine = statement_machine(s, w);
  return stark::air::check_machine(machine, s.pk.preprocessed, w.tables, max_items,
                                   stark::protocol::reserved_rows(s.params))
      .to_string(machine);
}

// Every line of the debugger's report names `what`: the forgery breaks that check and no other.
inline void expect_report_names_only(const std::string& report, const std::string& what) {
  EXPECT_FALSE(report.empty()) << what;
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) EXPECT_THAT(line, ::testing::HasSubstr(what));
}

// Why the prover refuses to make a witness of the run (RefusedError), empty if it does not.
inline std::string refusal_of_run(const elf::ElfImage& image, vm::VmConfig config = {}) {
  const ProvingSetup s = fast_setup(image);
  try {
    run_witness(s, image, {}, std::move(config));
  } catch (const RefusedError& e) {
    return e.what();
  }
  return "";
}

// The Image table's row of word `word` (a word address, or a register number) of `space`.
inline size_t image_row(const ProgramImage& program, uint32_t space, uint32_t word) {
  for (size_t r = 0; r < program.image.size(); ++r) {
    if (program.image[r].space == space && program.image[r].addr == word) return r;
  }
  ADD_FAILURE() << "no image word " << space << ":" << word;
  return 0;
}

}  // namespace zkrv::riscv_air::testing
