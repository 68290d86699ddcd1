// zkvm_accelerators.h on zkrv: Keccak-256 and SHA-256 as sponge/padding loops around the
// first-party absorb and compression precompiles; everything else reports ZKVM_EFAIL.
// Each precompile descriptor is emitted only when this object is linked, i.e. when a guest calls
// one of these functions, so a guest that uses none needs no precompile packages.
#include "zkvm_accelerators.h"

#include <string.h>

#include "zkrv/precompiles.h"

// Index 1016 (zkrv.keccak_f1600) stays reserved for guests that permute on their own
// (examples/hash_accel); declaring it here unused would make every guest that hashes need it.
ZKRV_PRECOMPILE(zkrv_sha256_compress, 1017, "zkrv.sha256_compress", "^1.0")
ZKRV_PRECOMPILE(zkrv_keccak_absorb, 1018, "zkrv.keccak_absorb", "^1.0")

enum { kKeccakRate = 136 };

// Each block goes to zkrv.keccak_absorb, which XORs it into the state and permutes: the guest runs
// no XOR loop. The block must be word aligned to be proven (the circuit's words are whole guest
// words), so a misaligned input is copied block by block into an aligned buffer; the state and
// every block buffer are disjoint, as the precompile requires.
zkvm_status zkvm_keccak256(const uint8_t* data, size_t len, zkvm_keccak256_hash* output) {
  if (output == NULL || (data == NULL && len != 0)) return ZKVM_EFAIL;
  uint64_t state[25] = {0};  // lanes little-endian, as the permutation expects
  uint64_t block[kKeccakRate / 8];
  const int aligned = ((uintptr_t)data & 3) == 0;
  while (len >= kKeccakRate) {
    const uint8_t* source = data;
    if (!aligned) {
      memcpy(block, data, kKeccakRate);
      source = (const uint8_t*)block;
    }
    zkrv_keccak_absorb((uint32_t)(uintptr_t)state, (uint32_t)(uintptr_t)source);
    data += kKeccakRate;
    len -= kKeccakRate;
  }
  uint8_t* last = (uint8_t*)block;
  memset(last, 0, kKeccakRate);
  if (len != 0) memcpy(last, data, len);
  last[len] = 0x01;  // Keccak padding (not SHA-3's 0x06)
  last[kKeccakRate - 1] |= 0x80;
  zkrv_keccak_absorb((uint32_t)(uintptr_t)state, (uint32_t)(uintptr_t)last);
  memcpy(output->data, state, 32);
  return ZKVM_EOK;
}

zkvm_status zkvm_sha256(const uint8_t* data, size_t len, zkvm_sha256_hash* output) {
  if (output == NULL || (data == NULL && len != 0)) return ZKVM_EFAIL;
  uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const uint64_t bit_length = (uint64_t)len * 8;
  // zkrv proves a call only when its buffers are word aligned (docs/precompiles.md, "Proving"):
  // an unaligned message goes through an aligned copy, one block at a time.
  uint32_t words[32] = {0};
  uint8_t* block = (uint8_t*)words;
  const int aligned = ((uintptr_t)data & 3) == 0;
  while (len >= 64) {
    const uint8_t* source = data;
    if (!aligned) {
      memcpy(block, data, 64);
      source = block;
    }
    zkrv_sha256_compress((uint32_t)(uintptr_t)state, (uint32_t)(uintptr_t)source);
    data += 64;
    len -= 64;
  }
  memset(words, 0, sizeof words);
  memcpy(block, data, len);
  block[len] = 0x80;
  const size_t padded = len + 9 <= 64 ? 64 : 128;
  for (int i = 0; i < 8; i++) block[padded - 1 - i] = (uint8_t)(bit_length >> (8 * i));
  zkrv_sha256_compress((uint32_t)(uintptr_t)state, (uint32_t)(uintptr_t)block);
  if (padded == 128) zkrv_sha256_compress((uint32_t)(uintptr_t)state, (uint32_t)(uintptr_t)(block + 64));
  for (int i = 0; i < 8; i++) {
    output->data[4 * i] = (uint8_t)(state[i] >> 24);
    output->data[4 * i + 1] = (uint8_t)(state[i] >> 16);
    output->data[4 * i + 2] = (uint8_t)(state[i] >> 8);
    output->data[4 * i + 3] = (uint8_t)state[i];
  }
  return ZKVM_EOK;
}

zkvm_status zkvm_ripemd160(const uint8_t* data, size_t len, zkvm_ripemd160_hash* output) {
  (void)data, (void)len, (void)output;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_secp256k1_verify(const zkvm_secp256k1_hash* msg, const zkvm_secp256k1_signature* sig,
                                  const zkvm_secp256k1_pubkey* pubkey, bool* verified) {
  (void)msg, (void)sig, (void)pubkey, (void)verified;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_secp256k1_ecrecover(const zkvm_secp256k1_hash* msg, const zkvm_secp256k1_signature* sig,
                                     uint8_t recid, zkvm_secp256k1_pubkey* output) {
  (void)msg, (void)sig, (void)recid, (void)output;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_secp256r1_verify(const zkvm_secp256r1_hash* msg, const zkvm_secp256r1_signature* sig,
                                  const zkvm_secp256r1_pubkey* pubkey, bool* verified) {
  (void)msg, (void)sig, (void)pubkey, (void)verified;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_modexp(const uint8_t* base, size_t base_len, const uint8_t* exp, size_t exp_len,
                        const uint8_t* modulus, size_t mod_len, uint8_t* output) {
  (void)base, (void)base_len, (void)exp, (void)exp_len, (void)modulus, (void)mod_len, (void)output;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bn254_g1_add(const zkvm_bn254_g1_point* p1, const zkvm_bn254_g1_point* p2,
                              zkvm_bn254_g1_point* result) {
  (void)p1, (void)p2, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bn254_g1_mul(const zkvm_bn254_g1_point* point, const zkvm_bn254_scalar* scalar,
                              zkvm_bn254_g1_point* result) {
  (void)point, (void)scalar, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bn254_pairing(const zkvm_bn254_pairing_pair* pairs, size_t num_pairs, bool* verified) {
  (void)pairs, (void)num_pairs, (void)verified;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_blake2f(uint32_t rounds, zkvm_blake2f_state* h, const zkvm_blake2f_message* m,
                         const zkvm_blake2f_offset* t, uint8_t f) {
  (void)rounds, (void)h, (void)m, (void)t, (void)f;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_kzg_point_eval(const zkvm_kzg_commitment* commitment, const zkvm_kzg_field_element* z,
                                const zkvm_kzg_field_element* y, const zkvm_kzg_proof* proof, bool* verified) {
  (void)commitment, (void)z, (void)y, (void)proof, (void)verified;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_g1_add(const zkvm_bls12_g1_point* p1, const zkvm_bls12_g1_point* p2,
                              zkvm_bls12_g1_point* result) {
  (void)p1, (void)p2, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_g1_msm(const zkvm_bls12_g1_msm_pair* pairs, size_t num_pairs, zkvm_bls12_g1_point* result) {
  (void)pairs, (void)num_pairs, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_g2_add(const zkvm_bls12_g2_point* p1, const zkvm_bls12_g2_point* p2,
                              zkvm_bls12_g2_point* result) {
  (void)p1, (void)p2, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_g2_msm(const zkvm_bls12_g2_msm_pair* pairs, size_t num_pairs, zkvm_bls12_g2_point* result) {
  (void)pairs, (void)num_pairs, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_pairing(const zkvm_bls12_pairing_pair* pairs, size_t num_pairs, bool* verified) {
  (void)pairs, (void)num_pairs, (void)verified;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_map_fp_to_g1(const zkvm_bls12_fp* field_element, zkvm_bls12_g1_point* result) {
  (void)field_element, (void)result;
  return ZKVM_EFAIL;
}
zkvm_status zkvm_bls12_map_fp2_to_g2(const zkvm_bls12_fp2* field_element, zkvm_bls12_g2_point* result) {
  (void)field_element, (void)result;
  return ZKVM_EFAIL;
}
