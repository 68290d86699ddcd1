// FRI / PCS parameters, their canonical encoding, and the transcript that starts every proof.
//
// The parameters are the knobs a verifier must agree on before it reads a proof: they are absorbed
// into the Fiat–Shamir transcript right after the protocol id and version, before any commitment
// or challenge, and their BLAKE2s hash is written into every serialized proof (stark/proof).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "stark/field/extension_field.h"
#include "stark/field/koalabear.h"
#include "stark/hash/digest.h"
#include "stark/security/security.h"
#include "stark/transcript/transcript.h"

namespace zkrv::stark::fri {

using Fp = KoalaBear;
// Challenges, out-of-domain points, DEEP and FRI values. A 128-bit profile would swap in
// KoalaBear5 here; nothing below depends on the degree being 4 except this alias.
using Ext = KoalaBear4;

// Every error of this layer (bad parameters or shapes, a proof that does not verify) says what and
// where.
class FriError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kProtocolId = "zkrv-stark";
inline constexpr uint32_t kProtocolVersion = 1;

// The coset of every low-degree extension: shift * H with shift = the multiplicative generator.
inline constexpr Fp lde_shift() { return Fp::from_u32(Fp::kGenerator); }

// How the DEEP quotient combines its N terms (column, opening point) into one function.
enum class Batching : uint8_t {
  kPowers = 1,       // alpha^0, alpha^1, ...: one challenge; error grows by a factor N
  kIndependent = 2,  // N independent challenges: the error does not grow with N
};

struct FriParams {
  int log_blowup = 1;            // 1..3: rate 1/2, 1/4, 1/8
  int log_first_fold_arity = 1;  // 1..4: arity of the first folding round
  int log_fold_arity = 1;        // 1..4: arity of every later round
  int num_queries = 100;         // 1..1024 query repetitions (drawn with repetition)
  int query_pow_bits = 16;       // 0..30: grinding before the query indices are drawn
  // 0..30: grinding before the LogUp challenges are drawn (machines with buses). Each bit adds one
  // to the LogUp round's soundness (docs/proof-system.md, "Security"), whose error grows with the
  // number of fractions: a many-table machine needs it to stay above a profile's bar.
  int interaction_pow_bits = 0;
  // 0..30: grinding before the out-of-domain point zeta is drawn. Each bit adds one to the DEEP
  // round, whose error is summed over the tables (docs/proof-system.md, "Security").
  int deep_pow_bits = 0;
  int log_final_poly_len = 0;    // 0..10: fold until the degree bound is at most 2^this
  int cap_height = 4;            // 0..8: Merkle caps of 2^cap_height digests (fewer for small trees)
  Batching batching = Batching::kIndependent;
  // Zero knowledge (docs/proof-system.md, "Zero knowledge"): every Merkle leaf carries
  // kSaltElements salt elements (pcs.h), and the STARK protocol randomizes what it commits and
  // masks the DEEP/FRI batch. On by default; off only for tests of the PCS mechanics and for the
  // benchmarks' zk-off comparison.
  bool zk = true;

  // Throws FriError naming the first field out of range.
  void validate() const;
  // The canonical byte encoding: a format tag and every field as a little-endian u32.
  std::vector<uint8_t> encode() const;
  // BLAKE2s-256 of encode(); written into serialized proofs.
  Digest hash() const;
  // Absorbs encode() as one item (label "fri params").
  void absorb_into(Transcript& transcript) const;

  friend bool operator==(const FriParams&, const FriParams&) = default;
};

// The knobs a named security profile fixes (blowup, queries, PoW bits, first arity), with the
// rest as given. The profile's batching mode is carried over.
FriParams params_for_profile(const SecurityProfile& profile, int log_fold_arity = 1, int log_final_poly_len = 3,
                           int cap_height = 4);

// The named profile whose knobs the parameters carry (blowup, queries, PoW bits, first arity,
// batching; the later arities, final length and cap height are free), if any. Proofs under a
// profile's parameters are held to its bar and its height limit (docs/proof-system.md, "Security").
std::optional<SecurityProfile> profile_for_params(const FriParams& params);

// The calculator's protocol knobs for these parameters over KoalaBear and Ext, with the exact FRI
// schedule for LDE heights `log_lde_heights` (the instance fields are left at their defaults).
SecurityParams security_params(const FriParams& params, std::span<const int> log_lde_heights);

// A transcript that has absorbed the protocol id and version, then the parameters: the state
// every prover and verifier starts from.
Transcript new_transcript(const FriParams& params, bool record = false);

}  // namespace zkrv::stark::fri
