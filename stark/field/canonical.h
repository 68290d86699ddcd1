// Bulk conversion between KoalaBear (Montgomery form in memory) and canonical u32 words, the
// encoding that Merkle leaves, the transcript and serialized proofs use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "stark/field/koalabear.h"
#include "stark/field/packed_koalabear.h"

namespace zkrv::stark {

// out[i] = in[i].to_u32(). Sizes must match (std::invalid_argument otherwise). Montgomery
// reduction of the raw value, i.e. a multiplication by the element whose raw form is 1, which
// runs 16 lanes at a time.
inline void to_canonical_words(std::span<const KoalaBear> in, std::span<uint32_t> out) {
  if (in.size() != out.size()) {
    throw std::invalid_argument("to_canonical_words: " + std::to_string(in.size()) +
                                " elements but room for " + std::to_string(out.size()) + " words");
  }
  static_assert(sizeof(KoalaBear) == sizeof(uint32_t));
  const PackedKoalaBear r_inverse = PackedKoalaBear::broadcast(KoalaBear::from_montgomery(1));
  size_t i = 0;
  for (; i + PackedKoalaBear::kWidth <= in.size(); i += PackedKoalaBear::kWidth) {
    std::array<KoalaBear, PackedKoalaBear::kWidth> lanes;
    PackedKoalaBear::multiply_by_broadcast(PackedKoalaBear::load(in.data() + i), r_inverse)
        .store(lanes.data());
    for (size_t lane = 0; lane < lanes.size(); ++lane) out[i + lane] = lanes[lane].raw();
  }
  for (; i < in.size(); ++i) out[i] = in[i].to_u32();
}

// Strict decoding: out[i] = the element in[i] encodes. Returns the index of the first word that
// is not canonical (>= p), leaving `out` partially written, or nullopt on success. Sizes must
// match (std::invalid_argument otherwise).
inline std::optional<size_t> from_canonical_words(std::span<const uint32_t> in,
                                                std::span<KoalaBear> out) {
  if (in.size() != out.size()) {
    throw std::invalid_argument("from_canonical_words: " + std::to_string(in.size()) +
                                " words but room for " + std::to_string(out.size()) + " elements");
  }
  for (size_t i = 0; i < in.size(); ++i) {
    std::optional<KoalaBear> value = KoalaBear::from_canonical(in[i]);
    if (!value) return i;
    out[i] = *value;
  }
  return std::nullopt;
}

}  // namespace zkrv::stark
