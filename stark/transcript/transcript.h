// Fiat–Shamir transcript over BLAKE2s-256: a hash chain with framed, labelled items.
//
// State: a 32-byte chaining value S, initially zero, plus a buffer of items absorbed since the last
// challenge. Every item is framed as
//     op (1 byte) | label length (1 byte) | label | payload length (u64 LE) | payload
// so no two different sequences of items encode to the same bytes. A challenge is itself a framed
// item (its op, label and request, e.g. the index bound), and drawing it first advances the chain:
//     S <- BLAKE2s[personal "zkrv-fs"](S | buffered frames),  buffer <- empty
// then reads the output stream  BLAKE2s[personal "zkrv-out"](S | u64 block number), block 0, 1, ...
// Hence every challenge depends on every earlier item, including the labels and requests of earlier
// challenges. The constructor absorbs the protocol id and version before anything else; callers
// absorb parameters, then commitments and public inputs, before the challenges that depend on them.
//
// Sampling is exact: a base-field element is drawn by rejection from 32-bit words masked to
// bit_width(p - 1) bits (for KoalaBear 31 bits, accepted with probability p / 2^31 ≈ 0.992); an
// extension element is kDegree such draws; an index in [0, n) by rejection from masked 64-bit words.
//
// Proof of work: grind() advances the chain with a "pow" item (label, bits), then finds the smallest
// nonce such that BLAKE2s[personal "zkrv-pow"](S | nonce as u64 LE) starts with `bits` zero bits
// (read big-endian from the first byte), using the batched BLAKE2s kernels on the TBB threads, and
// absorbs the nonce. verify_pow() does the same steps with a given nonce.
//
// Annotation mode: when constructed with record = true, every item (absorb, squeeze, pow) is also appended to a
// list of (position, operation, label, digest of the value). Prover and verifier each record, and
// find_first_divergence() names the first item where they differ.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "stark/hash/digest.h"

namespace zkrv::stark {

class TranscriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A prime field with elements below 2^32: canonical u32 encodings in and out.
template <typename F>
concept TranscriptField = requires(const F f, uint32_t v) {
  { F::kModulus } -> std::convertible_to<uint32_t>;
  { f.to_u32() } -> std::same_as<uint32_t>;
  { F::from_canonical(v) } -> std::same_as<std::optional<F>>;
};

// An extension field given by kDegree base-field coefficients.
template <typename E>
concept TranscriptExtension = requires(const E e, const typename E::Coefficients& c) {
  { E::kDegree } -> std::convertible_to<size_t>;
  { e.coefficients() } -> std::convertible_to<typename E::Coefficients>;
  E(c);
} && TranscriptField<typename E::Coefficients::value_type>;

// One transcript item as recorded in annotation mode.
struct TranscriptRecord {
  size_t position = 0;    // 0-based, in order of the calls
  std::string operation;  // "protocol", "absorb_u32", "squeeze_field", "pow_nonce", ...
  std::string label;
  Digest value_digest{};  // BLAKE2s of the value's encoding (absorbed payload or squeezed output)
  size_t value_bytes = 0;
};

std::string to_string(const TranscriptRecord& record);

struct TranscriptDivergence {
  size_t position;          // first item that differs, or where the shorter recording ends
  std::string label;        // label of the prover's item there (the verifier's if the prover ended)
  std::string description;  // both sides' items, spelled out
};

// The first item where two recordings differ (operation, label or value), or nullopt if equal.
std::optional<TranscriptDivergence> find_first_divergence(std::span<const TranscriptRecord> prover,
                                                          std::span<const TranscriptRecord> verifier);

class Transcript {
 public:
  static constexpr size_t kMaxLabelBytes = 255;
  static constexpr unsigned kMaxPowBits = 60;

  // Absorbs the protocol id and version as the first item. With `record`, keeps an annotation of
  // every item (records()). Labels longer than 255 bytes throw TranscriptError.
  Transcript(std::string_view protocol_id, uint32_t version, bool record = false);

  const std::vector<TranscriptRecord>& records() const { return records_; }
  // The current chaining value (changes only when a challenge is drawn).
  const Digest& state() const { return state_; }

  void absorb_bytes(std::string_view label, std::span<const uint8_t> bytes);
  void absorb_u32(std::string_view label, uint32_t value);
  void absorb_u64(std::string_view label, uint64_t value);
  void absorb_u32s(std::string_view label, std::span<const uint32_t> values);
  void absorb_digest(std::string_view label, const Digest& digest);
  void absorb_digests(std::string_view label, std::span<const Digest> digests);  // e.g. a Merkle cap

  template <TranscriptField F>
  void absorb_field(std::string_view label, F value) {
    absorb_fields(label, std::span<const F>(&value, 1));
  }
  // Any contiguous range of field elements (std::vector, std::span, std::array).
  template <std::ranges::contiguous_range R>
    requires TranscriptField<std::ranges::range_value_t<R>>
  void absorb_fields(std::string_view label, const R& values) {
    std::vector<uint32_t> words;
    words.reserve(std::ranges::size(values));
    for (const auto& v : values) words.push_back(v.to_u32());
    absorb_words(Op::kFields, label, words);
  }
  template <TranscriptExtension E>
  void absorb_extension(std::string_view label, const E& value) {
    absorb_extensions(label, std::span<const E>(&value, 1));
  }
  template <std::ranges::contiguous_range R>
    requires TranscriptExtension<std::ranges::range_value_t<R>>
  void absorb_extensions(std::string_view label, const R& values) {
    using E = std::ranges::range_value_t<R>;
    std::vector<uint32_t> words;
    words.reserve(std::ranges::size(values) * E::kDegree);
    for (const E& v : values) {
      for (const auto& c : v.coefficients()) words.push_back(c.to_u32());
    }
    absorb_words(Op::kExtensions, label, words);
  }

  std::vector<uint8_t> squeeze_bytes(std::string_view label, size_t count);

  template <TranscriptField F>
  std::vector<F> squeeze_fields(std::string_view label, size_t count) {
    std::vector<uint32_t> words = squeeze_field_words(Op::kSqueezeFields, label, F::kModulus, count);
    return to_field<F>(words);
  }
  template <TranscriptField F>
  F squeeze_field(std::string_view label) {
    return squeeze_fields<F>(label, 1)[0];
  }
  template <TranscriptExtension E>
  std::vector<E> squeeze_extensions(std::string_view label, size_t count) {
    using Base = typename E::Coefficients::value_type;
    std::vector<uint32_t> words =
        squeeze_field_words(Op::kSqueezeExtensions, label, Base::kModulus, count * E::kDegree);
    std::vector<Base> base = to_field<Base>(words);
    std::vector<E> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      typename E::Coefficients c;
      for (size_t j = 0; j < E::kDegree; ++j) c[j] = base[i * E::kDegree + j];
      out.emplace_back(c);
    }
    return out;
  }
  template <TranscriptExtension E>
  E squeeze_extension(std::string_view label) {
    return squeeze_extensions<E>(label, 1)[0];
  }

  // A uniform index in [0, bound); bound must be >= 1.
  uint64_t squeeze_index(std::string_view label, uint64_t bound);
  // `count` distinct uniform indices in [0, bound), sorted ascending; needs count <= bound.
  std::vector<uint64_t> squeeze_distinct_indices(std::string_view label, uint64_t bound, size_t count);

  // Proof of work (see the file comment). bits <= 60.
  uint64_t grind(std::string_view label, unsigned bits);
  // Throws TranscriptError if the nonce does not have `bits` leading zero bits; the transcript must
  // not be used after that.
  void verify_pow(std::string_view label, unsigned bits, uint64_t nonce);

  // Whether a nonce meets the work target for a chaining value; for tests and tools.
  static bool pow_ok(const Digest& challenge_state, unsigned bits, uint64_t nonce);

 private:
  enum class Op : uint8_t {
    kProtocol = 1,
    kBytes,
    kU32,
    kU64,
    kU32s,
    kDigest,
    kDigests,
    kFields,
    kExtensions,
    kSqueezeBytes,
    kSqueezeFields,
    kSqueezeExtensions,
    kSqueezeIndex,
    kSqueezeDistinctIndices,
    kPow,
    kPowNonce,
  };
  static const char* op_name(Op op);

  // Reads the output stream of the current chaining value.
  class OutputStream {
   public:
    explicit OutputStream(const Digest& state) : state_(state) {}
    uint32_t next_u32();
    uint64_t next_u64();
    uint8_t next_u8();

   private:
    void refill();
    Digest state_;
    Digest block_{};
    uint64_t block_number_ = 0;
    size_t used_ = kDigestBytes;
  };

  void absorb_words(Op op, std::string_view label, std::span<const uint32_t> words);
  void append_frame(Op op, std::string_view label, std::span<const uint8_t> payload);
  // Frames a challenge request and advances the chain; returns the output stream.
  OutputStream advance(Op op, std::string_view label, std::span<const uint8_t> request);
  void record(Op op, std::string_view label, std::span<const uint8_t> value);
  std::vector<uint32_t> squeeze_field_words(Op op, std::string_view label, uint32_t modulus, size_t count);

  template <TranscriptField F>
  static std::vector<F> to_field(std::span<const uint32_t> words) {
    std::vector<F> out;
    out.reserve(words.size());
    for (uint32_t w : words) out.push_back(*F::from_canonical(w));  // words are < modulus by construction
    return out;
  }

  Digest state_{};
  std::vector<uint8_t> pending_;
  bool recording_ = false;
  std::vector<TranscriptRecord> records_;
  size_t items_ = 0;
};

}  // namespace zkrv::stark
