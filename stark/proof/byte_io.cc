#include "stark/proof/byte_io.h"

#include "base/little_endian.h"

namespace zkrv::stark::proof {

ProofDecodeError::ProofDecodeError(std::string_view field, size_t offset, std::string_view problem)
    : std::runtime_error("proof decode: " + std::string(field) + " at byte offset " + std::to_string(offset) + ": " +
                         std::string(problem)),
      field_(field),
      offset_(offset) {}

void ByteWriter::u32(uint32_t value) {
  bytes_.resize(bytes_.size() + 4);
  base::store_le(bytes_.data() + bytes_.size() - 4, value);
}

void ByteWriter::u64(uint64_t value) {
  bytes_.resize(bytes_.size() + 8);
  base::store_le(bytes_.data() + bytes_.size() - 8, value);
}

void ByteWriter::digests(std::span<const Digest> digests) {
  for (const Digest& d : digests) bytes(d);
}

void ByteWriter::words(std::span<const uint32_t> words) {
  for (uint32_t w : words) u32(w);
}

void ByteWriter::extension(const fri::Ext& value) {
  for (const fri::Fp& c : value.coefficients()) u32(c.to_u32());
}

void ByteReader::need(std::string_view field, size_t bytes) const {
  if (bytes > remaining()) {
    throw ProofDecodeError(field, offset_,
                           "needs " + std::to_string(bytes) + " bytes but the proof ends after " +
                               std::to_string(remaining()) + " (truncated, or a count is wrong)");
  }
}

uint8_t ByteReader::u8(std::string_view field) {
  need(field, 1);
  return input_[offset_++];
}

uint32_t ByteReader::u32(std::string_view field) {
  need(field, 4);
  const uint32_t value = base::load_le32(input_.data() + offset_);
  offset_ += 4;
  return value;
}

uint64_t ByteReader::u64(std::string_view field) {
  need(field, 8);
  const uint64_t value = base::load_le64(input_.data() + offset_);
  offset_ += 8;
  return value;
}

uint32_t ByteReader::u8_in_range(std::string_view field, uint32_t low, uint32_t high) {
  const size_t start = offset_;
  const uint32_t value = u8(field);
  if (value < low || value > high) {
    throw ProofDecodeError(
        field, start,
        std::to_string(value) + " is outside [" + std::to_string(low) + ", " + std::to_string(high) + "]");
  }
  return value;
}

uint32_t ByteReader::u32_in_range(std::string_view field, uint32_t low, uint32_t high) {
  const size_t start = offset_;
  const uint32_t value = u32(field);
  if (value < low || value > high) {
    throw ProofDecodeError(
        field, start,
        std::to_string(value) + " is outside [" + std::to_string(low) + ", " + std::to_string(high) + "]");
  }
  return value;
}

void ByteReader::bytes(std::string_view field, std::span<uint8_t> out) {
  need(field, out.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = input_[offset_ + i];
  offset_ += out.size();
}

std::vector<Digest> ByteReader::digests(std::string_view field, size_t count) {
  if (count > remaining() / kDigestBytes) {
    throw ProofDecodeError(field, offset_,
                           "needs " + std::to_string(count) + " digests but the proof ends after " +
                               std::to_string(remaining()) + " bytes (truncated, or a count is wrong)");
  }
  std::vector<Digest> digests(count);
  for (Digest& d : digests) bytes(field, d);
  return digests;
}

std::vector<uint32_t> ByteReader::canonical_words(std::string_view field, size_t count) {
  if (count > remaining() / 4) {
    throw ProofDecodeError(field, offset_,
                           "needs " + std::to_string(count) + " words but the proof ends after " +
                               std::to_string(remaining()) + " bytes (truncated, or a count is wrong)");
  }
  std::vector<uint32_t> words(count);
  for (uint32_t& w : words) {
    const size_t start = offset_;
    w = u32(field);
    if (w >= fri::Fp::kModulus) {
      throw ProofDecodeError(field, start,
                             "non-canonical field element " + std::to_string(w) + " (must be < " +
                                 std::to_string(fri::Fp::kModulus) + ")");
    }
  }
  return words;
}

fri::Ext ByteReader::extension(std::string_view field) {
  const std::vector<uint32_t> words = canonical_words(field, fri::Ext::kDegree);
  return *fri::Ext::from_canonical(std::span<const uint32_t, fri::Ext::kDegree>(words.data(), fri::Ext::kDegree));
}

std::vector<fri::Ext> ByteReader::extensions(std::string_view field, size_t count) {
  if (count > remaining() / (4 * fri::Ext::kDegree)) {
    throw ProofDecodeError(field, offset_,
                           "needs " + std::to_string(count) + " extension elements but the proof ends after " +
                               std::to_string(remaining()) + " bytes (truncated, or a count is wrong)");
  }
  std::vector<fri::Ext> values(count);
  for (fri::Ext& v : values) v = extension(field);
  return values;
}

void ByteReader::expect_end(std::string_view what) {
  if (remaining() != 0) {
    throw ProofDecodeError(what, offset_, std::to_string(remaining()) + " trailing bytes after the end of the proof");
  }
}

}  // namespace zkrv::stark::proof
