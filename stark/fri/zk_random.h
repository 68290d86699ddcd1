// The prover's private randomness for zero knowledge: salts of Merkle leaves, the random
// coefficients that randomize committed polynomials, and the DEEP/FRI masking polynomial.
//
// A 32-byte seed read from the operating system (getrandom(2)) keys BLAKE2s, which then serves as
// a PRF in counter mode: the values of stream (label, index) are a pure function of the seed, the
// label and the index, so independent consumers draw in any order and in parallel. Field elements
// come from 31-bit words by rejection (p = 2^31 - 2^24 + 1 accepts 99.2% of them), so they are
// uniform, not merely close to uniform.
//
// from_test_seed exists for tests only (pinned proof bytes, statistical tests): it derives the key
// from a 64-bit number, so its proofs hide nothing from whoever knows that number. No command-line
// tool exposes it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "stark/field/koalabear.h"

namespace zkrv::stark::fri {

class ZkRandom {
 public:
  // Throws std::runtime_error if the operating system cannot supply randomness.
  static ZkRandom from_os();
  // Deterministic: tests only.
  static ZkRandom from_test_seed(uint64_t seed);

  // out = the first out.size() uniform field elements of stream (label, index).
  void fill(std::string_view label, uint64_t index, std::span<KoalaBear> out) const;

 private:
  explicit ZkRandom(const std::array<uint8_t, 32>& key) : key_(key) {}
  std::array<uint8_t, 32> key_;
};

}  // namespace zkrv::stark::fri
