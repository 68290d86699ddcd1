#include "riscv_air/key.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "riscv_air/buses.h"
#include "stark/hash/blake2s.h"
#include "stark/proof/byte_io.h"

namespace zkrv::riscv_air {

using stark::Digest;
using stark::proof::ByteReader;
using stark::proof::ByteWriter;
using stark::proof::ProofDecodeError;

namespace {

constexpr std::string_view kMagic = "ZKRVRV";
constexpr uint8_t kNoFixedColumns = 255;
constexpr uint32_t kMaxDeclaredPrecompiles = 1024;

void write_string(ByteWriter& w, const std::string& s) {
  w.u8(static_cast<uint8_t>(s.size()));
  w.bytes(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

// Descriptor strings are at most 64 (name) and 32 (requirement) bytes (vm/precompiles.h).
std::string read_string(ByteReader& r, std::string_view field, uint32_t max) {
  std::string s(r.u8_in_range(field, 0, max), '\0');
  r.bytes(field, std::span(reinterpret_cast<uint8_t*>(s.data()), s.size()));
  return s;
}

void write_key(ByteWriter& w, const ProgramKey& key) {
  internal::write_shape(w, key.shape);
  w.bytes(key.vk.constraint_digest);
  internal::write_fixed(w, key.vk.preprocessed_log_heights, key.vk.preprocessed_cap);
  w.u8(static_cast<uint8_t>(key.other_sets.size()));
  for (const FixedCommitment& set : key.other_sets) internal::write_fixed(w, set.preprocessed_log_heights, set.preprocessed_cap);
}

}  // namespace

namespace internal {

void write_fixed(ByteWriter& w, std::span<const int> log_heights, const stark::MerkleCap& cap) {
  for (int h : log_heights) w.u8(h < 0 ? kNoFixedColumns : static_cast<uint8_t>(h));
  w.u32(static_cast<uint32_t>(cap.size()));
  w.digests(cap);
}

FixedCommitment read_fixed(ByteReader& r, size_t tables) {
  FixedCommitment fixed;
  for (size_t t = 0; t < tables; ++t) {
    const uint8_t h = r.u8("fixed log height");
    fixed.preprocessed_log_heights.push_back(h == kNoFixedColumns ? -1 : h);
  }
  const uint32_t cap = r.u32_in_range("cap size", 0, 256);
  fixed.preprocessed_cap = r.digests("cap", cap);
  return fixed;
}

void write_shape(ByteWriter& w, const MachineShape& shape) {
  w.u32(shape.entry);
  w.u32(shape.zero_start_word);
  w.u8(static_cast<uint8_t>(shape.zero_ranges.size()));
  for (const ZeroRange& z : shape.zero_ranges) {
    w.u8(static_cast<uint8_t>(z.space));
    w.u32(z.begin);
    w.u32(z.end);
  }
  w.u32(static_cast<uint32_t>(shape.precompiles.size()));
  for (const DeclaredPrecompile& p : shape.precompiles) {
    w.u32(p.index);
    write_string(w, p.name);
    write_string(w, p.version_requirement);
    w.u8(p.circuit_digest ? 1 : 0);
    if (p.circuit_digest) w.bytes(*p.circuit_digest);
  }
}

MachineShape read_shape(ByteReader& r) {
  MachineShape shape;
  shape.entry = r.u32("entry");
  shape.zero_start_word = r.u32("zero start word");
  // The ranges become constants of the verifier's ZeroInit table: in order, disjoint, non-empty,
  // from Z on and below 2^30 (word addresses), each in a memory space.
  const uint32_t ranges = r.u8_in_range("zero range count", 0, kMaxZeroRanges);
  uint32_t floor = shape.zero_start_word;
  for (uint32_t k = 0; k < ranges; ++k) {
    ZeroRange z;
    z.space = r.u8_in_range("zero range space", kMemorySpace, kReadOnlySpace);
    z.begin = r.u32_in_range("zero range begin", floor, (1u << 30) - 1);
    z.end = r.u32_in_range("zero range end", z.begin + 1, 1u << 30);
    floor = z.end;
    shape.zero_ranges.push_back(z);
  }
  // The declared precompiles, in index order, each index below 1024 (vm::kMaxPrecompiles): the
  // verifier's machine has a table for each one with a circuit.
  const uint32_t declared = r.u32_in_range("precompile count", 0, kMaxDeclaredPrecompiles);
  for (uint32_t k = 0; k < declared; ++k) {
    DeclaredPrecompile p;
    p.index = r.u32_in_range("precompile index", k == 0 ? 0 : shape.precompiles.back().index + 1,
                             kMaxDeclaredPrecompiles - 1);
    p.name = read_string(r, "precompile name", 64);
    p.version_requirement = read_string(r, "precompile version", 32);
    // A package circuit's digest; the verifier takes the circuit from the installed package and
    // checks it against this (verify).
    if (r.u8_in_range("precompile circuit flag", 0, 1) == 1) {
      stark::Digest digest{};
      r.bytes("precompile circuit digest", digest);
      p.circuit_digest = digest;
    }
    shape.precompiles.push_back(std::move(p));
  }
  return shape;
}

}  // namespace internal

Digest program_id(const ProgramKey& key) {
  ByteWriter w;
  w.u8(kProofFormatVersion);
  write_key(w, key);
  stark::Blake2s hasher(stark::Blake2sParams::personalized("zkrvprog"));
  hasher.update(w.bytes());
  return hasher.finish();
}

std::vector<uint8_t> encode_proof_file(const ProofFile& file) {
  ByteWriter w;
  w.bytes(std::span(reinterpret_cast<const uint8_t*>(kMagic.data()), kMagic.size()));
  w.u8(kProofFormatVersion);
  w.u8(static_cast<uint8_t>(file.profile.size()));
  w.bytes(std::span(reinterpret_cast<const uint8_t*>(file.profile.data()), file.profile.size()));
  w.u8(file.parameter_set);
  for (const std::vector<uint8_t>* tape : {&file.public_input, &file.public_output}) {
    w.u32(static_cast<uint32_t>(tape->size()));
    w.bytes(*tape);
  }
  write_key(w, file.key);
  w.u32(static_cast<uint32_t>(file.stark_proof.size()));
  w.bytes(file.stark_proof);
  return w.take();
}

ProofFile decode_proof_file(std::span<const uint8_t> bytes) {
  ByteReader r(bytes);
  std::array<uint8_t, kMagic.size()> magic{};
  r.bytes("magic", magic);
  if (std::string_view(reinterpret_cast<const char*>(magic.data()), magic.size()) != kMagic) {
    throw ProofDecodeError("magic", 0, "not a zkrv RISC-V proof");
  }
  r.u8_in_range("version", kProofFormatVersion, kProofFormatVersion);
  ProofFile file;
  const uint32_t name_length = r.u8_in_range("profile name length", 1, 16);
  file.profile.resize(name_length);
  r.bytes("profile name", std::span(reinterpret_cast<uint8_t*>(file.profile.data()), name_length));
  if (!stark::profile_by_name(file.profile)) throw ProofDecodeError("profile name", r.offset(), "unknown profile");
  const size_t sets = stark::profile_parameter_sets(file.profile).size();
  file.parameter_set = static_cast<uint8_t>(r.u8_in_range("parameter set", 0, static_cast<uint32_t>(sets - 1)));
  for (auto [tape, name] : {std::pair{&file.public_input, "public input"}, std::pair{&file.public_output, "public output"}}) {
    const uint32_t length = r.u32_in_range(name, 0, static_cast<uint32_t>(std::min<size_t>(r.remaining(), kMaxStatementTapeBytes)));
    tape->resize(length);
    r.bytes(name, *tape);
  }
  file.key.shape = internal::read_shape(r);
  const size_t tables = kNumTables + precompile_table_count(file.key.shape.precompiles);
  r.bytes("constraint digest", file.key.vk.constraint_digest);
  FixedCommitment first = internal::read_fixed(r, tables);
  file.key.vk.preprocessed_log_heights = std::move(first.preprocessed_log_heights);
  file.key.vk.preprocessed_cap = std::move(first.preprocessed_cap);
  // The fixed tables under each further parameter set of the profile, all bound by the program id.
  const uint32_t others = r.u8_in_range("other set count", static_cast<uint32_t>(sets - 1), static_cast<uint32_t>(sets - 1));
  for (uint32_t k = 0; k < others; ++k) file.key.other_sets.push_back(internal::read_fixed(r, tables));
  const uint32_t length = r.u32_in_range("proof length", 1, static_cast<uint32_t>(std::min<size_t>(r.remaining(), UINT32_MAX)));
  file.stark_proof.resize(length);
  r.bytes("proof", file.stark_proof);
  r.expect_end("proof file");
  return file;
}

stark::fri::FriParams proof_params(const stark::SecurityProfile& profile) {
  return stark::fri::params_for_profile(profile);
}

stark::protocol::VerifyingKey parameter_set_vk(const ProgramKey& key, size_t set) {
  stark::protocol::VerifyingKey vk = key.vk;
  if (set > 0) {
    const FixedCommitment& fixed = key.other_sets.at(set - 1);
    vk.preprocessed_log_heights = fixed.preprocessed_log_heights;
    vk.preprocessed_cap = fixed.preprocessed_cap;
  }
  return vk;
}

stark::Digest segment_program_id(const SegmentKey& key) { return program_id(ProgramKey{key.shape, key.vk, {}}); }

}  // namespace zkrv::riscv_air
