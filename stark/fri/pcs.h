// The polynomial commitment scheme: FRI over KoalaBear with KoalaBear4 challenges, DEEP openings.
//
// Commit. A round commits to one or more row-major matrices of base-field values. Column j of a
// matrix with n = 2^k rows is a polynomial f_j of degree < n given by its evaluations on the trace
// domain H_n (natural order). Each matrix is extended to the coset s * H_(n * blowup) (s = the
// multiplicative generator; rows in bit-reversed order) and all matrices of the round go into one
// Merkle tree, one leaf per row; shorter matrices enter the tree at the layer of their height
// (stark/merkle). The round's cap is the commitment; the caller absorbs it into the transcript.
//
// Open. Given points per matrix (out-of-domain extension elements, typically zeta and zeta * g),
// the prover reports f_j(z) for every column and point, absorbs them, draws batching coefficients
// c_t (one per (column, point) term t; powers of one challenge or independent draws), and forms
// for every LDE height h the DEEP polynomial
//     D_h(X) = sum over terms t of matrices of height h of  c_t * (f_t(X) - f_t(z_t)) / (X - z_t)
// which has degree < n_h exactly when the claims are right. FRI then tests the tallest D_h for low
// degree; after the fold that brings the running vector down to a shorter height h, the prover
// adds beta^arity * D_h ("roll in"). Folding stops at the final domain, whose polynomial (at most
// 2^log_final_poly_len coefficients) is sent in the clear. After proof-of-work grinding the query
// indices are drawn; for each the proof opens every committed round's tree and every FRI layer.
//
// Transcript items, in order (the caller has absorbed the parameters and the round caps before):
//   "opened values", "deep alpha" | "deep coefficients", per fold round ("fold cap", "fold beta"),
//   "final poly", "query pow" (grinding), num_queries x "query index".
//
// Zero knowledge (params.zk): every tree's leaves are salted. Each height group of a committed
// round, and each fold layer, gets kSaltElements more columns of uniformly random field elements
// (zero for public data, e.g. preprocessed columns), hashed with the row and opened with it:
// opening_words' group g is the matrices' words followed by the salt. The salts are not part of any
// polynomial; the verifier only hashes them. Randomizing the committed polynomials and masking the
// batch is the caller's part (stark/protocol); docs/proof-system.md states the construction.
//
// The verifier recomputes D_h at each queried point from the opened rows, replays the folds with
// the same FoldRow arithmetic the prover used (folding.h), and checks the final polynomial. Every
// failure throws FriError (or MerkleError / TranscriptError from the layers below) saying what and
// where.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "stark/field/matrix.h"
#include "stark/fri/folding.h"
#include "stark/fri/fri_params.h"
#include "stark/merkle/merkle.h"
#include "stark/transcript/transcript.h"

namespace zkrv::stark::fri {

class ZkRandom;

inline constexpr size_t kMaxPointsPerMatrix = 8;
// Salt per Merkle leaf under params.zk: 4 elements, 124 bits.
inline constexpr size_t kSaltElements = 4;
inline size_t salt_elements(const FriParams& params) { return params.zk ? kSaltElements : 0; }

// A committed matrix: 2^log_height trace rows (before the blowup) of `width` columns.
struct MatrixShape {
  int log_height = 0;
  int width = 0;
  friend bool operator==(const MatrixShape&, const MatrixShape&) = default;
};

// The height groups of a round's Merkle tree: distinct LDE heights, tallest first, each with the
// indices of its matrices in commit order (the order opening_words concatenates them in).
struct HeightGroup {
  int log_lde_height = 0;
  std::vector<size_t> matrices;
};
std::vector<HeightGroup> group_by_height(const FriParams& params, std::span<const MatrixShape> shapes);

// Cap height of a round's tree (the parameter, or less when the shortest matrix is shorter).
int round_cap_height(const FriParams& params, std::span<const MatrixShape> shapes);

// The prover's data for one committed round. Movable; the LDEs stay where they are.
class CommittedRound {
 public:
  const MerkleCap& cap() const { return tree_->cap(); }
  const std::vector<MatrixShape>& shapes() const { return shapes_; }
  // Matrix m's LDE: 2^(log_height + log_blowup) rows, bit-reversed order over s * H.
  const Matrix<Fp>& lde(size_t m) const { return ldes_[m]; }
  const MerkleTree<>& tree() const { return *tree_; }

 private:
  friend CommittedRound commit_ldes(const FriParams& params, std::vector<Matrix<Fp>> ldes, const ZkRandom* salts,
                                    std::string_view salt_label);
  std::vector<MatrixShape> shapes_;
  std::vector<Matrix<Fp>> ldes_;
  std::vector<Matrix<Fp>> salts_;  // one per height group under params.zk
  std::unique_ptr<MerkleTree<>> tree_;
};

// Commits to trace matrices (evaluations over H_n in natural order; power-of-two heights up to
// 2^(24 - log_blowup), any widths >= 1). Throws FriError for bad shapes. Under params.zk the leaves
// are salted from stream (salt_label, height group) of `salts`, or with zeros when `salts` is null:
// only for public data, which needs no hiding (the round's commitment is then deterministic).
CommittedRound commit(const FriParams& params, std::span<const Matrix<Fp>> traces, const ZkRandom* salts = nullptr,
                      std::string_view salt_label = "salt");

// Commits to matrices that are taken to be LDEs already (bit-reversed order over s * H_N, N =
// rows): the STARK prover's path (it builds randomized LDEs itself), and tests that commit words
// that are not low-degree. Salts as for commit.
CommittedRound commit_ldes(const FriParams& params, std::vector<Matrix<Fp>> ldes, const ZkRandom* salts = nullptr,
                           std::string_view salt_label = "salt");

using OpeningPoints = std::vector<std::vector<std::vector<Ext>>>;              // [round][matrix][point]
using OpenedValues = std::vector<std::vector<std::vector<std::vector<Ext>>>>;  // [round][matrix][point][column]

// One tree's answers to all queries: rows[q][g] is opening_words(index of query q)[g] (canonical
// words, height groups tallest first), and one pruned multi-proof for all queries.
struct TreeOpening {
  std::vector<std::vector<std::vector<uint32_t>>> rows;
  MerkleMultiProof proof;
  friend bool operator==(const TreeOpening& a, const TreeOpening& b) {
    return a.rows == b.rows && a.proof.siblings == b.proof.siblings;
  }
};

struct FriProof {
  OpenedValues opened_values;
  std::vector<MerkleCap> fold_caps;  // one per folding round
  std::vector<Ext> final_poly;       // 2^schedule.log_final_poly_len coefficients, lowest first
  uint64_t pow_nonce = 0;
  std::vector<TreeOpening> input_openings;  // one per committed round; one group per height
  std::vector<TreeOpening> fold_openings;   // one per folding round; one group of 2^arity values
  friend bool operator==(const FriProof&, const FriProof&) = default;
};

struct ProverOptions {
  // Throw if the final folded vector is not of low degree (the inputs were not what the claims
  // say). Off only in tests that play a cheating prover, which then sends the truncated polynomial.
  bool check_final_degree = true;
  // Salts of the fold layers under params.zk; null draws a fresh ZkRandom from the OS.
  const ZkRandom* random = nullptr;
};

// The fold schedule of an opening of these rounds.
FoldSchedule schedule_for(const FriParams& params, std::span<const std::vector<MatrixShape>> round_shapes);

// Evaluates every column of every matrix at its points, runs DEEP + FRI, and returns the proof
// (whose opened_values are the claims). Every matrix needs at least one point (a matrix that is not
// opened would not be tested either); at most kMaxPointsPerMatrix.
FriProof open(const FriParams& params, std::span<const CommittedRound* const> rounds, const OpeningPoints& points,
              Transcript& transcript, const ProverOptions& options = {});

// What the verifier knows about a committed round.
struct RoundClaim {
  MerkleCap cap;
  std::vector<MatrixShape> shapes;
  friend bool operator==(const RoundClaim&, const RoundClaim&) = default;
};

// Checks that proof.opened_values are the evaluations at `points` of the polynomials committed in
// `rounds`. The transcript must be in the state the prover's was when it called Open.
void verify(const FriParams& params, std::span<const RoundClaim> rounds, const OpeningPoints& points,
            const FriProof& proof, Transcript& transcript);

// Evaluates the columns of a trace (evaluations over H_n, natural order) at z; for tests and for
// callers that need a value without an opening proof.
std::vector<Ext> evaluate_trace_at(const Matrix<Fp>& trace, const Ext& z);

}  // namespace zkrv::stark::fri
