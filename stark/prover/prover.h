// The multi-table STARK prover: commits the main traces, the LogUp interaction columns and the
// quotients of every table of a machine, and opens them all with one FRI proof
// (stark/protocol/protocol.h describes the rounds and the transcript).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "stark/air/machine.h"
#include "stark/air/logup.h"
#include "stark/air/witness.h"
#include "stark/field/buffer_pool.h"
#include "stark/fri/pcs.h"
#include "stark/protocol/protocol.h"

namespace zkrv::stark::prover {

// A witness the row checker or the bus debugger rejects; what() is the debugger's report.
class WitnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A statement prove() does not prove under its parameters, refused before any commitment: a table
// taller than they allow (protocol::max_log_height: the field's two-adic domains and, for a named
// profile, its analysed limit), or, under a named profile, a statement whose security falls below
// the profile's bar, whose proof every verifier would reject (verifier::check_security_bar).
// what() is "the statement needs " + reason(); reason() names the tallest table and its height,
// and the limit, or the bits, the bar and the weakest round (security.h, bar_shortfall), so that a
// caller can say what of its own input needs that table.
class RefusedStatement : public std::runtime_error {
 public:
  explicit RefusedStatement(const std::string& reason)
      : std::runtime_error("the statement needs " + reason), reason_(reason) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

struct ProvingKey {
  protocol::VerifyingKey vk;
  std::vector<Matrix<air::Fp>> preprocessed;     // per table (empty matrices for tables without)
  std::optional<fri::CommittedRound> committed;  // the preprocessed round, if any table has one
};

// Commits every table's preprocessed columns (once per machine and parameters).
ProvingKey setup(const fri::FriParams& params, const air::Machine& machine);

struct ProveOptions {
  // Run the row checker and bus debugger first and throw WitnessError with their report. Tests
  // that play a malicious prover turn this off (and check_final_degree below) to produce the
  // proof an attacker would send for a bad witness.
  bool check_witness = true;
  bool check_final_degree = true;
  // Malicious-prover hook for tests: rewrites the claimed LogUp sums (one per table with buses)
  // before they are committed to (given the LogUp challenges, so a test can make them balance),
  // and the prover then builds its quotients with them.
  std::function<void(const air::LogUpChallenges&, std::vector<air::Ext>&)> tamper_claimed_sums;
  // Malicious-prover hooks for tests of the zero-knowledge mask bus: prove with this machine as the
  // committed one instead of protocol::committed_machine (a forged mask definition, or none), and
  // edit the witnesses as committed (mask columns included) before anything is committed.
  const air::Machine* committed_machine_override = nullptr;
  std::function<void(std::vector<air::TableWitness>&)> tamper_committed_witness;
  // Malicious-prover hook for tests of the reserved rows (params.zk): commit the main traces'
  // reserved rows as given (tamper_committed_witness may have written them) instead of random.
  bool keep_reserved_rows = false;
  // Record transcript annotations (Transcript::annotations) for prover/verifier diffs.
  bool record_transcript = false;
  // Zero knowledge (params.zk) draws its randomness from the OS. A seed here makes it a function
  // of the seed instead: for tests only (pinned proof bytes, statistical tests); such a proof hides
  // nothing from whoever knows the seed. No command-line tool sets it.
  std::optional<uint64_t> zk_test_seed;
};

struct ProveResult {
  protocol::StarkProof proof;
  // The proof's security, computed from its statement (protocol::statement_security), as the
  // verifier computes it again.
  SecurityReport security;
  std::vector<TranscriptRecord> transcript;  // when record_transcript
  // Wall seconds of each round (main commitment, LogUp, quotient, opening), in order: where a
  // proof's time goes, for benchmarks and progress reports.
  std::vector<std::pair<std::string, double>> phase_seconds;
};

// What a caller proving many statements keeps alive between proofs: while a context lives, the
// large buffers of a proof (LDEs, Merkle layers, traces) are not returned to the kernel but reused
// by the next proof, which then skips the kernel's clearing of fresh pages (stark/field/
// buffer_pool.h). Holding one keeps up to a proof's worth of freed buffers allocated between
// proofs. The buffer pool is process-wide, so prove() needs no argument for it: a context only has
// to be alive around the proofs, from any thread.
class ProverContext {
 private:
  BufferReuse reuse_;
};

// The check prove() makes first, before any commitment, from the statement alone: every table at
// most protocol::max_log_height rows, and the statement's security (protocol::statement_security,
// as the verifier computes it from the proof) at or above the bar of the profile `params` name, if
// any. Returns that security; throws RefusedStatement.
SecurityReport check_provable(const fri::FriParams& params, const air::Machine& machine,
                              std::span<const int> log_heights, size_t num_boundary_interactions);

// witnesses[t] belongs to machine.table(t). Throws RefusedStatement (check_provable, before any
// other work but the witnesses' shapes), WitnessError, air::AirError (shapes) or fri::FriError.
// Buffers are reused within the proof, and across proofs while the caller keeps a ProverContext.
ProveResult prove(const fri::FriParams& params, const air::Machine& machine, const ProvingKey& pk,
                  std::span<const air::TableWitness> witnesses, const ProveOptions& options = {});
// The same proof (the same bytes for the same zk_test_seed), from witnesses handed over: the prover
// changes them in place instead of copying them (the mask columns, the reserved rows) and frees
// each table's trace once nothing reads it, so a caller that has no more use for its traces holds
// them once, not twice, and not to the end of the proof (stark/prover/README.md, "Memory").
ProveResult prove(const fri::FriParams& params, const air::Machine& machine, const ProvingKey& pk,
                  std::vector<air::TableWitness>&& witnesses, const ProveOptions& options = {});

// The quotient of one table over its quotient domain (the first chunks * n rows of the
// bit-reversed LDE coset), exposed for tests: values[i] = C(x_i) / Z(x_i).
struct QuotientInputs {
  const Matrix<air::Fp>* main_lde = nullptr;
  const Matrix<air::Fp>* preprocessed_lde = nullptr;  // null without fixed columns
  const Matrix<air::Fp>* interaction_lde = nullptr;   // null without buses
  std::span<const air::Fp> public_values;
  std::optional<air::LogUpChallenges> challenges;
  air::Ext claimed_sum;
  air::Ext alpha;
  // log2 of the quotient domain (protocol::TableShape::log_quotient_domain); 0: log_height plus
  // log2 of TableAnalysis::quotient_chunks(), within the LDE (no zero knowledge). The LDEs above
  // need at least that many rows.
  int log_domain = 0;
  // The trace's last rows outside every constraint (protocol::TableShape::reserved_rows): Q is
  // C Z_R / Z_H, and the `last` selector sits on the row before them.
  size_t reserved_rows = 0;
};
std::vector<air::Ext> compute_quotient(const air::Table& table, const air::TableAnalysis& analysis, int log_height,
                                      int log_blowup, const QuotientInputs& inputs);

}  // namespace zkrv::stark::prover
