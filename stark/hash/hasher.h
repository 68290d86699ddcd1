// The Hasher concept: what the Merkle tree needs from a hash. Leaves and internal nodes are
// domain-separated, so a node can never be passed off as a leaf (or the reverse), whatever the row
// width. Two implementations: BLAKE2s-256 (the default; separation by personalization) and SHA-256
// via OpenSSL (separation by a one-byte prefix), kept so the choice can be re-measured.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "stark/hash/blake2s.h"
#include "stark/hash/digest.h"

namespace zkrv::stark {

template <typename H>
concept Hasher = requires(std::span<const uint8_t> bytes, const Digest& digest, const uint8_t* data,
                          size_t n, const Digest* children, Digest* out) {
  { H::kName } -> std::convertible_to<std::string_view>;
  { H::hash_leaf(bytes) } -> std::same_as<Digest>;
  { H::hash_node(digest, digest) } -> std::same_as<Digest>;
  // out[i] = hash_leaf(data[i * stride, i * stride + leaf_bytes)), i < count.
  { H::hash_leaves(data, n, n, n, out) } -> std::same_as<void>;
  // out[i] = hash_node(children[2i], children[2i + 1]), i < count.
  { H::hash_nodes(children, n, out) } -> std::same_as<void>;
};

struct Blake2sHasher {
  static constexpr std::string_view kName = "blake2s";
  static constexpr std::string_view kLeafPersonal = "zkrvleaf";
  static constexpr std::string_view kNodePersonal = "zkrvnode";

  static Digest hash_leaf(std::span<const uint8_t> bytes);
  static Digest hash_node(const Digest& left, const Digest& right);
  static void hash_leaves(const uint8_t* data, size_t leaf_bytes, size_t stride, size_t count, Digest* out);
  static void hash_nodes(const Digest* children, size_t count, Digest* out);
};

struct Sha256Hasher {
  static constexpr std::string_view kName = "sha256";
  static constexpr uint8_t kLeafPrefix = 0x00;
  static constexpr uint8_t kNodePrefix = 0x01;

  static Digest hash_leaf(std::span<const uint8_t> bytes);
  static Digest hash_node(const Digest& left, const Digest& right);
  static void hash_leaves(const uint8_t* data, size_t leaf_bytes, size_t stride, size_t count, Digest* out);
  static void hash_nodes(const Digest* children, size_t count, Digest* out);
};

static_assert(Hasher<Blake2sHasher>);
static_assert(Hasher<Sha256Hasher>);

}  // namespace zkrv::stark
