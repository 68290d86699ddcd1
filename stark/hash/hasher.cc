#include "stark/hash/hasher.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace zkrv::stark {
namespace {

const Blake2sParams& leaf_params() {
  static const Blake2sParams kParams = Blake2sParams::personalized(Blake2sHasher::kLeafPersonal);
  return kParams;
}

const Blake2sParams& node_params() {
  static const Blake2sParams kParams = Blake2sParams::personalized(Blake2sHasher::kNodePersonal);
  return kParams;
}

static_assert(sizeof(Digest) == kDigestBytes, "Digest arrays must be contiguous 32-byte records");

}  // namespace

Digest Blake2sHasher::hash_leaf(std::span<const uint8_t> bytes) { return Blake2s::hash(bytes, leaf_params()); }

Digest Blake2sHasher::hash_node(const Digest& left, const Digest& right) {
  uint8_t block[2 * kDigestBytes];
  std::memcpy(block, left.data(), kDigestBytes);
  std::memcpy(block + kDigestBytes, right.data(), kDigestBytes);
  return Blake2s::hash(block, node_params());
}

void Blake2sHasher::hash_leaves(const uint8_t* data, size_t leaf_bytes, size_t stride, size_t count, Digest* out) {
  blake2s_batch(data, leaf_bytes, stride, count, out, leaf_params());
}

void Blake2sHasher::hash_nodes(const Digest* children, size_t count, Digest* out) {
  // Two adjacent digests are one 64-byte message: a single compression per node.
  blake2s_batch(children->data(), 2 * kDigestBytes, 2 * kDigestBytes, count, out, node_params());
}

namespace {

// One prefix byte then up to two parts, through a reused per-thread EVP context.
Digest sha256_prefixed(uint8_t prefix, std::span<const uint8_t> first, std::span<const uint8_t> second) {
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  Digest digest;
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), &prefix, 1) != 1 ||
      EVP_DigestUpdate(ctx.get(), first.data(), first.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), second.data(), second.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1 || length != kDigestBytes) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return digest;
}

}  // namespace

Digest Sha256Hasher::hash_leaf(std::span<const uint8_t> bytes) { return sha256_prefixed(kLeafPrefix, bytes, {}); }

Digest Sha256Hasher::hash_node(const Digest& left, const Digest& right) {
  return sha256_prefixed(kNodePrefix, left, right);
}

void Sha256Hasher::hash_leaves(const uint8_t* data, size_t leaf_bytes, size_t stride, size_t count, Digest* out) {
  for (size_t i = 0; i < count; ++i) out[i] = hash_leaf({data + i * stride, leaf_bytes});
}

void Sha256Hasher::hash_nodes(const Digest* children, size_t count, Digest* out) {
  for (size_t i = 0; i < count; ++i) out[i] = hash_node(children[2 * i], children[2 * i + 1]);
}

}  // namespace zkrv::stark
