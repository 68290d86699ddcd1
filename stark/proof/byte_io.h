// Little-endian byte writer and strict, offset-tracking reader for serialized proofs.
//
// Every read names the field it reads; any failure (truncation, a value out of range, a
// non-canonical field element, trailing bytes) throws ProofDecodeError whose message names that
// field and the byte offset where it starts. The reader never allocates for a count before
// checking that the remaining input can hold that many items, so a forged count cannot make the
// decoder allocate more than a small multiple of the input size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "stark/fri/fri_params.h"
#include "stark/hash/digest.h"

namespace zkrv::stark::proof {

class ProofDecodeError : public std::runtime_error {
 public:
  ProofDecodeError(std::string_view field, size_t offset, std::string_view problem);
  const std::string& field() const { return field_; }
  size_t offset() const { return offset_; }

 private:
  std::string field_;
  size_t offset_;
};

class ByteWriter {
 public:
  void u8(uint8_t value) { bytes_.push_back(value); }
  void u32(uint32_t value);
  void u64(uint64_t value);
  // A loop, not vector::insert: GCC 12 flags insert into an empty vector as an overflow
  // (-Wstringop-overflow false positive) once inlined.
  void bytes(std::span<const uint8_t> bytes) {
    for (uint8_t b : bytes) bytes_.push_back(b);
  }
  void digests(std::span<const Digest> digests);
  // Canonical encodings: one u32 per base-field coefficient.
  void words(std::span<const uint32_t> words);
  void extension(const fri::Ext& value);

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> input) : input_(input) {}

  size_t offset() const { return offset_; }
  size_t remaining() const { return input_.size() - offset_; }

  uint8_t u8(std::string_view field);
  uint32_t u32(std::string_view field);
  uint64_t u64(std::string_view field);
  // A u8 / u32 that must lie in [low, high].
  uint32_t u8_in_range(std::string_view field, uint32_t low, uint32_t high);
  uint32_t u32_in_range(std::string_view field, uint32_t low, uint32_t high);
  void bytes(std::string_view field, std::span<uint8_t> out);
  std::vector<Digest> digests(std::string_view field, size_t count);
  // `count` u32 words, each a canonical base-field element (< p).
  std::vector<uint32_t> canonical_words(std::string_view field, size_t count);
  fri::Ext extension(std::string_view field);
  std::vector<fri::Ext> extensions(std::string_view field, size_t count);
  // Throws unless every byte has been read.
  void expect_end(std::string_view what);

 private:
  // Throws unless `bytes` more bytes are available.
  void need(std::string_view field, size_t bytes) const;

  std::span<const uint8_t> input_;
  size_t offset_ = 0;
};

}  // namespace zkrv::stark::proof
