#include "stark/transcript/transcript.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <set>

#include "base/little_endian.h"
#include "stark/hash/blake2s.h"

namespace zkrv::stark {
namespace {

const Blake2sParams& chain_params() {
  static const Blake2sParams kParams = Blake2sParams::personalized("zkrv-fs");
  return kParams;
}
const Blake2sParams& output_params() {
  static const Blake2sParams kParams = Blake2sParams::personalized("zkrv-out");
  return kParams;
}
const Blake2sParams& pow_params() {
  static const Blake2sParams kParams = Blake2sParams::personalized("zkrv-pow");
  return kParams;
}

void put_u64(std::vector<uint8_t>& out, uint64_t value) {
  out.resize(out.size() + 8);
  base::store_le(out.data() + out.size() - 8, value);
}

std::vector<uint8_t> u64_bytes(uint64_t value) {
  std::vector<uint8_t> out;
  put_u64(out, value);
  return out;
}

std::span<const uint8_t> word_bytes(std::span<const uint32_t> words) {
  return {reinterpret_cast<const uint8_t*>(words.data()), words.size() * sizeof(uint32_t)};
}

// Leading zero bits of a digest, counting from the most significant bit of byte 0 (first 64 bits).
unsigned leading_zero_bits(const Digest& digest) {
  uint64_t head = 0;
  for (int i = 0; i < 8; ++i) head = (head << 8) | digest[i];
  return static_cast<unsigned>(std::countl_zero(head));
}

constexpr size_t kPowMessageBytes = kDigestBytes + 8;

}  // namespace

std::string to_string(const TranscriptRecord& record) {
  // Built with append: GCC 12 -O3 reports a false -Wrestrict on a chain of operator+ here.
  std::string text = "#";
  text.append(std::to_string(record.position)).append(" ").append(record.operation);
  text.append(" '").append(record.label).append("' (").append(std::to_string(record.value_bytes));
  text.append(" bytes, digest ").append(to_hex(record.value_digest).substr(0, 16)).append(")");
  return text;
}

std::optional<TranscriptDivergence> find_first_divergence(std::span<const TranscriptRecord> prover,
                                                          std::span<const TranscriptRecord> verifier) {
  const size_t common = std::min(prover.size(), verifier.size());
  for (size_t i = 0; i < common; ++i) {
    const TranscriptRecord& p = prover[i];
    const TranscriptRecord& v = verifier[i];
    if (p.operation == v.operation && p.label == v.label && p.value_digest == v.value_digest &&
        p.value_bytes == v.value_bytes) {
      continue;
    }
    std::string what = p.operation != v.operation ? "operations differ"
                       : p.label != v.label       ? "labels differ"
                                                  : "values differ";
    return TranscriptDivergence{i, p.label,
                                "transcripts diverge at item " + std::to_string(i) + " (" + what +
                                    "): prover " + to_string(p) + ", verifier " + to_string(v)};
  }
  if (prover.size() == verifier.size()) return std::nullopt;
  const bool prover_ended = prover.size() < verifier.size();
  const TranscriptRecord& next = prover_ended ? verifier[common] : prover[common];
  return TranscriptDivergence{common, next.label,
                              std::string(prover_ended ? "prover" : "verifier") + " transcript ends after " +
                                  std::to_string(common) + " items; the " +
                                  (prover_ended ? "verifier" : "prover") + " continues with " + to_string(next)};
}

const char* Transcript::op_name(Op op) {
  switch (op) {
    case Op::kProtocol: return "protocol";
    case Op::kBytes: return "absorb_bytes";
    case Op::kU32: return "absorb_u32";
    case Op::kU64: return "absorb_u64";
    case Op::kU32s: return "absorb_u32s";
    case Op::kDigest: return "absorb_digest";
    case Op::kDigests: return "absorb_digests";
    case Op::kFields: return "absorb_fields";
    case Op::kExtensions: return "absorb_extensions";
    case Op::kSqueezeBytes: return "squeeze_bytes";
    case Op::kSqueezeFields: return "squeeze_fields";
    case Op::kSqueezeExtensions: return "squeeze_extensions";
    case Op::kSqueezeIndex: return "squeeze_index";
    case Op::kSqueezeDistinctIndices: return "squeeze_distinct_indices";
    case Op::kPow: return "pow";
    case Op::kPowNonce: return "pow_nonce";
  }
  return "unknown";
}

Transcript::Transcript(std::string_view protocol_id, uint32_t version, bool record) : recording_(record) {
  if (protocol_id.empty()) throw TranscriptError("transcript protocol id must not be empty");
  std::vector<uint8_t> payload(protocol_id.begin(), protocol_id.end());
  payload.resize(payload.size() + 4);
  base::store_le(payload.data() + payload.size() - 4, version);
  append_frame(Op::kProtocol, "protocol", payload);
}

void Transcript::record(Op op, std::string_view label, std::span<const uint8_t> value) {
  const size_t position = items_++;
  if (!recording_) return;
  records_.push_back(TranscriptRecord{position, op_name(op), std::string(label), Blake2s::hash(value), value.size()});
}

void Transcript::append_frame(Op op, std::string_view label, std::span<const uint8_t> payload) {
  if (label.size() > kMaxLabelBytes) {
    throw TranscriptError("transcript label '" + std::string(label.substr(0, 32)) + "...' is longer than " +
                          std::to_string(kMaxLabelBytes) + " bytes");
  }
  pending_.push_back(static_cast<uint8_t>(op));
  pending_.push_back(static_cast<uint8_t>(label.size()));
  pending_.insert(pending_.end(), label.begin(), label.end());
  put_u64(pending_, payload.size());
  pending_.insert(pending_.end(), payload.begin(), payload.end());
  // Squeezes record their output instead, once it is known.
  if (op < Op::kSqueezeBytes || op == Op::kPow || op == Op::kPowNonce) record(op, label, payload);
}

Transcript::OutputStream Transcript::advance(Op op, std::string_view label, std::span<const uint8_t> request) {
  append_frame(op, label, request);
  Blake2s chain(chain_params());
  chain.update(state_);
  chain.update(pending_);
  state_ = chain.finish();
  pending_.clear();
  return OutputStream(state_);
}

void Transcript::OutputStream::refill() {
  uint8_t message[kDigestBytes + 8];
  std::memcpy(message, state_.data(), kDigestBytes);
  base::store_le(message + kDigestBytes, block_number_);
  block_ = Blake2s::hash(message, output_params());
  ++block_number_;
  used_ = 0;
}

uint8_t Transcript::OutputStream::next_u8() {
  if (used_ == kDigestBytes) refill();
  return block_[used_++];
}

uint32_t Transcript::OutputStream::next_u32() {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{next_u8()} << (8 * i);
  return value;
}

uint64_t Transcript::OutputStream::next_u64() {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= uint64_t{next_u8()} << (8 * i);
  return value;
}

void Transcript::absorb_bytes(std::string_view label, std::span<const uint8_t> bytes) {
  append_frame(Op::kBytes, label, bytes);
}

void Transcript::absorb_u32(std::string_view label, uint32_t value) {
  absorb_words(Op::kU32, label, std::span<const uint32_t>(&value, 1));
}

void Transcript::absorb_u64(std::string_view label, uint64_t value) {
  append_frame(Op::kU64, label, u64_bytes(value));
}

void Transcript::absorb_u32s(std::string_view label, std::span<const uint32_t> values) {
  absorb_words(Op::kU32s, label, values);
}

void Transcript::absorb_words(Op op, std::string_view label, std::span<const uint32_t> words) {
  // Little-endian words, the host layout (stark/hash asserts a little-endian target).
  append_frame(op, label, word_bytes(words));
}

void Transcript::absorb_digest(std::string_view label, const Digest& digest) {
  append_frame(Op::kDigest, label, digest);
}

void Transcript::absorb_digests(std::string_view label, std::span<const Digest> digests) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(digests.data());
  append_frame(Op::kDigests, label, std::span<const uint8_t>(bytes, digests.size() * kDigestBytes));
}

std::vector<uint8_t> Transcript::squeeze_bytes(std::string_view label, size_t count) {
  OutputStream stream = advance(Op::kSqueezeBytes, label, u64_bytes(count));
  std::vector<uint8_t> out(count);
  for (auto& b : out) b = stream.next_u8();
  record(Op::kSqueezeBytes, label, out);
  return out;
}

std::vector<uint32_t> Transcript::squeeze_field_words(Op op, std::string_view label, uint32_t modulus, size_t count) {
  if (modulus < 2) throw TranscriptError("transcript: field modulus " + std::to_string(modulus) + " is too small");
  std::vector<uint8_t> request = u64_bytes(count);
  put_u64(request, modulus);
  OutputStream stream = advance(op, label, request);
  const uint32_t mask = static_cast<uint32_t>((uint64_t{1} << std::bit_width(modulus - 1)) - 1);
  std::vector<uint32_t> words(count);
  for (auto& w : words) {
    do {
      w = stream.next_u32() & mask;
    } while (w >= modulus);
  }
  record(op, label, word_bytes(words));
  return words;
}

uint64_t Transcript::squeeze_index(std::string_view label, uint64_t bound) {
  if (bound == 0) throw TranscriptError("transcript: squeeze_index '" + std::string(label) + "' with an empty range");
  OutputStream stream = advance(Op::kSqueezeIndex, label, u64_bytes(bound));
  const uint64_t mask = bound == 1 ? 0 : ~uint64_t{0} >> std::countl_zero(bound - 1);
  uint64_t index;
  do {
    index = stream.next_u64() & mask;
  } while (index >= bound);
  record(Op::kSqueezeIndex, label, u64_bytes(index));
  return index;
}

std::vector<uint64_t> Transcript::squeeze_distinct_indices(std::string_view label, uint64_t bound, size_t count) {
  if (count > bound) {
    throw TranscriptError("transcript: cannot draw " + std::to_string(count) + " distinct indices for '" +
                          std::string(label) + "' from a range of " + std::to_string(bound));
  }
  std::vector<uint8_t> request = u64_bytes(bound);
  put_u64(request, count);
  OutputStream stream = advance(Op::kSqueezeDistinctIndices, label, request);
  const uint64_t mask = bound <= 1 ? 0 : ~uint64_t{0} >> std::countl_zero(bound - 1);
  std::set<uint64_t> drawn;
  while (drawn.size() < count) {
    const uint64_t index = stream.next_u64() & mask;
    if (index < bound) drawn.insert(index);
  }
  std::vector<uint64_t> out(drawn.begin(), drawn.end());
  std::vector<uint8_t> value;
  for (uint64_t i : out) put_u64(value, i);
  record(Op::kSqueezeDistinctIndices, label, value);
  return out;
}

bool Transcript::pow_ok(const Digest& challenge_state, unsigned bits, uint64_t nonce) {
  uint8_t message[kPowMessageBytes];
  std::memcpy(message, challenge_state.data(), kDigestBytes);
  base::store_le(message + kDigestBytes, nonce);
  return leading_zero_bits(Blake2s::hash(message, pow_params())) >= bits;
}

uint64_t Transcript::grind(std::string_view label, unsigned bits) {
  if (bits > kMaxPowBits) {
    throw TranscriptError("transcript: proof of work of " + std::to_string(bits) + " bits for '" + std::string(label) +
                          "' exceeds the limit of " + std::to_string(kMaxPowBits));
  }
  advance(Op::kPow, label, u64_bytes(bits));
  // Rounds of consecutive nonces, split across TBB threads; the smallest hit of the first round
  // with any hit is taken, so the nonce does not depend on the thread count.
  constexpr uint64_t kChunk = 1024;
  constexpr uint64_t kChunksPerRound = 64;
  const Digest challenge = state_;
  uint64_t found = UINT64_MAX;
  for (uint64_t round_start = 0; found == UINT64_MAX; round_start += kChunk * kChunksPerRound) {
    std::atomic<uint64_t> best{UINT64_MAX};
    tbb::parallel_for(tbb::blocked_range<uint64_t>(0, kChunksPerRound, 1), [&](const tbb::blocked_range<uint64_t>& r) {
      std::vector<uint8_t> messages(kChunk * kPowMessageBytes);
      std::vector<Digest> digests(kChunk);
      for (uint64_t chunk = r.begin(); chunk < r.end(); ++chunk) {
        const uint64_t first = round_start + chunk * kChunk;
        if (first > best.load(std::memory_order_relaxed)) return;
        for (uint64_t i = 0; i < kChunk; ++i) {
          uint8_t* m = &messages[i * kPowMessageBytes];
          std::memcpy(m, challenge.data(), kDigestBytes);
          base::store_le(m + kDigestBytes, first + i);
        }
        blake2s_batch(messages.data(), kPowMessageBytes, kPowMessageBytes, kChunk, digests.data(), pow_params());
        for (uint64_t i = 0; i < kChunk; ++i) {
          if (leading_zero_bits(digests[i]) >= bits) {
            uint64_t current = best.load();
            while (first + i < current && !best.compare_exchange_weak(current, first + i)) {
            }
            break;
          }
        }
      }
    });
    found = best.load();
  }
  append_frame(Op::kPowNonce, label, u64_bytes(found));
  return found;
}

void Transcript::verify_pow(std::string_view label, unsigned bits, uint64_t nonce) {
  if (bits > kMaxPowBits) {
    throw TranscriptError("transcript: proof of work of " + std::to_string(bits) + " bits for '" + std::string(label) +
                          "' exceeds the limit of " + std::to_string(kMaxPowBits));
  }
  advance(Op::kPow, label, u64_bytes(bits));
  if (!pow_ok(state_, bits, nonce)) {
    throw TranscriptError("transcript: proof-of-work nonce " + std::to_string(nonce) + " for '" + std::string(label) +
                          "' does not give " + std::to_string(bits) + " leading zero bits");
  }
  append_frame(Op::kPowNonce, label, u64_bytes(nonce));
}

}  // namespace zkrv::stark
