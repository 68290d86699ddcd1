#include "riscv_air/run_proof.h"

#include <algorithm>
#include <array>
#include <string>

#include "riscv_air/buses.h"
#include "stark/field/canonical.h"
#include "stark/proof/byte_io.h"

namespace zkrv::riscv_air {
namespace {

using stark::proof::ByteReader;
using stark::proof::ByteWriter;
using stark::proof::ProofDecodeError;

// The smallest a segment can take in the file: its statement, its proof's length and one byte of
// proof. The segment count is checked against the bytes left with it before the vector grows.
constexpr size_t kMinSegmentBytes = kSegmentStatementBytes + 4 + 1;

std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

bool is_run_proof_file(std::span<const uint8_t> bytes) {
  return bytes.size() >= kRunProofMagic.size() && std::equal(kRunProofMagic.begin(), kRunProofMagic.end(), bytes.begin());
}

std::vector<uint8_t> encode_run_proof_file(const RunProofFile& file) {
  ByteWriter w;
  w.bytes(as_bytes(kRunProofMagic));
  w.u8(kRunProofFormatVersion);
  w.u8(static_cast<uint8_t>(file.key.profile.size()));
  w.bytes(as_bytes(file.key.profile));
  internal::write_shape(w, file.key.shape);
  w.u32(static_cast<uint32_t>(file.key.mapped.size()));
  for (const ChunkRange& range : file.key.mapped) {
    w.u8(static_cast<uint8_t>(range.space));
    w.u32(range.begin);
    w.u32(range.end);
  }
  w.bytes(file.key.vk.constraint_digest);
  internal::write_fixed(w, file.key.vk.preprocessed_log_heights, file.key.vk.preprocessed_cap);
  std::array<uint32_t, stark::poseidon2::kDigestWidth> root{};
  stark::to_canonical_words(file.private_root, root);
  w.words(root);
  w.u32(static_cast<uint32_t>(file.segments.size()));
  for (const SegmentProof& segment : file.segments) {
    w.bytes(encode_segment_statement(segment.statement));
    w.u32(static_cast<uint32_t>(segment.stark_proof.size()));
    w.bytes(segment.stark_proof);
  }
  return w.take();
}

RunProofFile decode_run_proof_file(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  std::array<uint8_t, kRunProofMagic.size()> magic{};
  r.bytes("magic", magic);
  if (!is_run_proof_file(magic)) throw ProofDecodeError("magic", 0, "not a zkrv run-proof file");
  r.u8_in_range("run-proof version", kRunProofFormatVersion, kRunProofFormatVersion);
  RunProofFile file;
  const uint32_t name_length = r.u8_in_range("profile name length", 1, 16);
  file.key.profile.resize(name_length);
  r.bytes("profile name", std::span(reinterpret_cast<uint8_t*>(file.key.profile.data()), name_length));
  if (!stark::profile_by_name(file.key.profile)) throw ProofDecodeError("profile name", r.offset(), "unknown profile");
  file.key.shape = internal::read_shape(r);
  // The mapped ranges become constants of the boundary table: in address order, disjoint,
  // non-empty, within memory's chunks, each in a memory space.
  const uint32_t ranges = r.u32_in_range("mapped range count", 1, kMaxMappedRanges);
  uint32_t floor = 0;
  for (uint32_t k = 0; k < ranges; ++k) {
    ChunkRange range;
    range.space = r.u8_in_range("mapped range space", kMemorySpace, kReadOnlySpace);
    range.begin = r.u32_in_range("mapped range begin", floor, kMemoryChunks - 1);
    range.end = r.u32_in_range("mapped range end", range.begin + 1, kMemoryChunks);
    floor = range.end;
    file.key.mapped.push_back(range);
  }
  r.bytes("constraint digest", file.key.vk.constraint_digest);
  const size_t tables = kNumTables + precompile_table_count(file.key.shape.precompiles);
  FixedCommitment fixed = internal::read_fixed(r, tables);
  file.key.vk.preprocessed_log_heights = std::move(fixed.preprocessed_log_heights);
  file.key.vk.preprocessed_cap = std::move(fixed.preprocessed_cap);
  const std::vector<uint32_t> root = r.canonical_words("private input root", stark::poseidon2::kDigestWidth);
  for (size_t i = 0; i < file.private_root.size(); ++i) file.private_root[i] = stark::KoalaBear::from_u32(root[i]);
  const uint32_t count = r.u32_in_range(
      "segment count", 1, static_cast<uint32_t>(std::min<size_t>(kMaxSegments, r.remaining() / kMinSegmentBytes)));
  file.segments.reserve(count);
  for (uint32_t k = 0; k < count; ++k) {
    SegmentProof segment;
    segment.statement = read_segment_statement(r);
    const std::string field = "segment " + std::to_string(k) + " proof length";
    const uint32_t length = r.u32_in_range(field, 1, static_cast<uint32_t>(std::min<size_t>(r.remaining(), UINT32_MAX)));
    segment.stark_proof.resize(length);
    r.bytes("segment " + std::to_string(k) + " proof", segment.stark_proof);
    file.segments.push_back(std::move(segment));
  }
  r.expect_end("run-proof file");
  return file;
}

}  // namespace zkrv::riscv_air
