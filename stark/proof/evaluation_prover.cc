// The prover side of the stand-alone evaluation-proof protocol (proof.h): commits each round with
// the FRI prover and opens every matrix at the points draw_evaluation_points gives. Kept out of
// proof.cc so that the proof format and verify_evaluations link no prover code.
#include <vector>

#include "stark/fri/pcs.h"
#include "stark/proof/proof.h"

namespace zkrv::stark::proof {

EvaluationProof prove_evaluations(const fri::FriParams& params, const std::vector<std::vector<Matrix<fri::Fp>>>& rounds) {
  std::vector<fri::CommittedRound> committed;
  EvaluationProof proof;
  for (const auto& traces : rounds) {
    committed.push_back(fri::commit(params, traces));
    proof.rounds.push_back({committed.back().cap(), committed.back().shapes()});
  }
  std::vector<const fri::CommittedRound*> pointers;
  for (const fri::CommittedRound& round : committed) pointers.push_back(&round);
  Transcript transcript = fri::new_transcript(params);
  const fri::OpeningPoints points = draw_evaluation_points(proof.rounds, transcript);
  proof.opening = fri::open(params, pointers, points, transcript);
  return proof;
}

}  // namespace zkrv::stark::proof
