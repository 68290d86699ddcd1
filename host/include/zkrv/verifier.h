// zkrv verifier API (library zkrv::verifier): checks a proof from zkrv::host::prove, or from
// `zkrv prove`, against a program id and the statement the caller expects. Links the STARK
// verifier and no prover code. Only standard C++ types cross this header, so that a host needs no
// internal zkrv header.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::host {

// BLAKE2s of the program key: a program has one id per security profile (`zkrv inspect` prints it).
using ProgramId = std::array<uint8_t, 32>;

std::string to_hex(const ProgramId& id);
// Throws std::invalid_argument unless `hex` is 64 hex digits.
ProgramId program_id_from_hex(std::string_view hex);

// What a proof states: the guest with this id, run on this public input, exited with this code
// and wrote this public output.
struct Statement {
  ProgramId program_id{};
  int32_t exit_code = 0;
  std::vector<uint8_t> public_input;
  std::vector<uint8_t> public_output;
};

// Bits of security of an accepted proof: conjectured (the "fast" profile's bar) and proven (the
// better of the unique-decoding and Johnson-bound figures; the "secure" profile's bar).
struct Security {
  double conjectured_bits = 0;
  double proven_bits = 0;
};

// The statement a proof must make to be accepted; an empty optional accepts any value.
struct Expected {
  std::optional<int32_t> exit_code = 0;
  std::optional<std::vector<uint8_t>> public_output;
  std::optional<std::vector<uint8_t>> public_input;
  std::optional<std::string> profile;  // "fast" or "secure"
};

struct Verified {
  Statement statement;
  std::string profile;
  Security security;
};

class VerifyError : public std::runtime_error {
 public:
  enum class Kind {
    kInvalidProof,         // malformed, for another program, another profile, or a failed check
    kUnexpectedStatement,  // a valid proof of the program, stating other values than expected
  };
  VerifyError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Accepts `proof` only as a valid proof of the program with `program_id` that states `expected`;
// throws VerifyError otherwise.
Verified verify(std::span<const uint8_t> proof, const ProgramId& program_id, const Expected& expected = {});

}  // namespace zkrv::host
