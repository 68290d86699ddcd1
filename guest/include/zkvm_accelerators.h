/* The Ethereum zkVM standard accelerator interface (eth-act zkvm-standards,
 * c-interface-accelerators), as zkrv provides it.
 *
 * Every function returns a zkvm_status; the caller allocates every buffer. Fixed-size values are
 * 8-byte-aligned byte structures.
 *
 * On zkrv, zkvm_keccak256 and zkvm_sha256 run on the first-party precompiles zkrv.keccak_absorb and
 * zkrv.sha256_compress (the SDK reserves custom-0 indices 1016 for zkrv.keccak_f1600, 1017 for
 * zkrv.sha256_compress and 1018 for zkrv.keccak_absorb). Every other
 * function is present so that standard guests link, but is not accelerated yet: it returns
 * ZKVM_EFAIL without touching its outputs (docs/guides/c-cpp.md). */
#ifndef ZKVM_ACCELERATORS_H
#define ZKVM_ACCELERATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define ZKVM_ALIGNED_BYTES(name, size) \
  typedef struct {                     \
    alignas(8) uint8_t data[size];     \
  } name
#else
#define ZKVM_ALIGNED_BYTES(name, size) \
  typedef struct {                     \
    _Alignas(8) uint8_t data[size];    \
  } name
#endif

typedef enum { ZKVM_EOK = 0, ZKVM_EFAIL = -1 } zkvm_status;

ZKVM_ALIGNED_BYTES(zkvm_keccak256_hash, 32);
ZKVM_ALIGNED_BYTES(zkvm_sha256_hash, 32);
ZKVM_ALIGNED_BYTES(zkvm_ripemd160_hash, 32); /* 20-byte digest, zero-padded to 32 */
ZKVM_ALIGNED_BYTES(zkvm_secp256k1_hash, 32);
ZKVM_ALIGNED_BYTES(zkvm_secp256k1_signature, 64); /* r || s */
ZKVM_ALIGNED_BYTES(zkvm_secp256k1_pubkey, 64);    /* x || y */
ZKVM_ALIGNED_BYTES(zkvm_secp256r1_hash, 32);
ZKVM_ALIGNED_BYTES(zkvm_secp256r1_signature, 64);
ZKVM_ALIGNED_BYTES(zkvm_secp256r1_pubkey, 64);
ZKVM_ALIGNED_BYTES(zkvm_bn254_g1_point, 64);
ZKVM_ALIGNED_BYTES(zkvm_bn254_g2_point, 128);
ZKVM_ALIGNED_BYTES(zkvm_bn254_scalar, 32);
ZKVM_ALIGNED_BYTES(zkvm_bls12_g1_point, 96);
ZKVM_ALIGNED_BYTES(zkvm_bls12_g2_point, 192);
ZKVM_ALIGNED_BYTES(zkvm_bls12_scalar, 32);
ZKVM_ALIGNED_BYTES(zkvm_bls12_fp, 48);
ZKVM_ALIGNED_BYTES(zkvm_bls12_fp2, 96);
ZKVM_ALIGNED_BYTES(zkvm_blake2f_state, 64);    /* 8 x uint64, little-endian */
ZKVM_ALIGNED_BYTES(zkvm_blake2f_message, 128); /* 16 x uint64, little-endian */
ZKVM_ALIGNED_BYTES(zkvm_blake2f_offset, 16);   /* 2 x uint64, little-endian */
ZKVM_ALIGNED_BYTES(zkvm_kzg_commitment, 48);
ZKVM_ALIGNED_BYTES(zkvm_kzg_proof, 48);
ZKVM_ALIGNED_BYTES(zkvm_kzg_field_element, 32);

#undef ZKVM_ALIGNED_BYTES

typedef struct {
  zkvm_bn254_g1_point g1;
  zkvm_bn254_g2_point g2;
} zkvm_bn254_pairing_pair;
typedef struct {
  zkvm_bls12_g1_point point;
  zkvm_bls12_scalar scalar;
} zkvm_bls12_g1_msm_pair;
typedef struct {
  zkvm_bls12_g2_point point;
  zkvm_bls12_scalar scalar;
} zkvm_bls12_g2_msm_pair;
typedef struct {
  zkvm_bls12_g1_point g1;
  zkvm_bls12_g2_point g2;
} zkvm_bls12_pairing_pair;

/* Accelerated on zkrv. */
zkvm_status zkvm_keccak256(const uint8_t* data, size_t len, zkvm_keccak256_hash* output);
zkvm_status zkvm_sha256(const uint8_t* data, size_t len, zkvm_sha256_hash* output);

/* Not accelerated yet: each returns ZKVM_EFAIL. */
zkvm_status zkvm_ripemd160(const uint8_t* data, size_t len, zkvm_ripemd160_hash* output);
zkvm_status zkvm_secp256k1_verify(const zkvm_secp256k1_hash* msg, const zkvm_secp256k1_signature* sig,
                                  const zkvm_secp256k1_pubkey* pubkey, bool* verified);
zkvm_status zkvm_secp256k1_ecrecover(const zkvm_secp256k1_hash* msg, const zkvm_secp256k1_signature* sig,
                                     uint8_t recid, zkvm_secp256k1_pubkey* output);
zkvm_status zkvm_secp256r1_verify(const zkvm_secp256r1_hash* msg, const zkvm_secp256r1_signature* sig,
                                  const zkvm_secp256r1_pubkey* pubkey, bool* verified);
zkvm_status zkvm_modexp(const uint8_t* base, size_t base_len, const uint8_t* exp, size_t exp_len,
                        const uint8_t* modulus, size_t mod_len, uint8_t* output);
zkvm_status zkvm_bn254_g1_add(const zkvm_bn254_g1_point* p1, const zkvm_bn254_g1_point* p2,
                              zkvm_bn254_g1_point* result);
zkvm_status zkvm_bn254_g1_mul(const zkvm_bn254_g1_point* point, const zkvm_bn254_scalar* scalar,
                              zkvm_bn254_g1_point* result);
zkvm_status zkvm_bn254_pairing(const zkvm_bn254_pairing_pair* pairs, size_t num_pairs, bool* verified);
zkvm_status zkvm_blake2f(uint32_t rounds, zkvm_blake2f_state* h, const zkvm_blake2f_message* m,
                         const zkvm_blake2f_offset* t, uint8_t f);
zkvm_status zkvm_kzg_point_eval(const zkvm_kzg_commitment* commitment, const zkvm_kzg_field_element* z,
                                const zkvm_kzg_field_element* y, const zkvm_kzg_proof* proof, bool* verified);
zkvm_status zkvm_bls12_g1_add(const zkvm_bls12_g1_point* p1, const zkvm_bls12_g1_point* p2,
                              zkvm_bls12_g1_point* result);
zkvm_status zkvm_bls12_g1_msm(const zkvm_bls12_g1_msm_pair* pairs, size_t num_pairs, zkvm_bls12_g1_point* result);
zkvm_status zkvm_bls12_g2_add(const zkvm_bls12_g2_point* p1, const zkvm_bls12_g2_point* p2,
                              zkvm_bls12_g2_point* result);
zkvm_status zkvm_bls12_g2_msm(const zkvm_bls12_g2_msm_pair* pairs, size_t num_pairs, zkvm_bls12_g2_point* result);
zkvm_status zkvm_bls12_pairing(const zkvm_bls12_pairing_pair* pairs, size_t num_pairs, bool* verified);
zkvm_status zkvm_bls12_map_fp_to_g1(const zkvm_bls12_fp* field_element, zkvm_bls12_g1_point* result);
zkvm_status zkvm_bls12_map_fp2_to_g2(const zkvm_bls12_fp2* field_element, zkvm_bls12_g2_point* result);

#ifdef __cplusplus
}
#endif

#endif /* ZKVM_ACCELERATORS_H */
