/* Dynamic precompiles from a guest's point of view (docs/precompiles.md).
 *
 *   ZKRV_PRECOMPILE(keccak_f1600, 0, "zkrv.keccak_f1600", "^1.0")
 *
 * declares precompile number 0 (0..1023) in the ELF section .note.zkrv.precompiles, where the VM
 * finds it and resolves it to an installed, verified package before the program starts, and defines
 *
 *   static inline uint32_t keccak_f1600(uint32_t rs1, uint32_t rs2);
 *
 * which issues the custom-0 instruction (R-type, fn7 << 3 | fn3 = index) with rs1 and rs2 as
 * operands (values or guest pointers) and returns rd. ZKRV_PRECOMPILE_PINNED additionally pins the
 * exact package by its SHA-256. Declaring the same descriptor in several translation units is fine;
 * two different descriptors for one index make the program fail to load. */
#ifndef ZKRV_PRECOMPILES_H_
#define ZKRV_PRECOMPILES_H_

#include <stdint.h>

#define ZKRV_PRECOMPILE_DESCRIPTOR_MAGIC 0x44504b5au /* "ZKPD" */
#define ZKRV_PRECOMPILE_DESCRIPTOR_VERSION 1
#define ZKRV_PRECOMPILE_MAX_INDEX 1023

/* 136 bytes, little-endian, 4-byte aligned. Strings are NUL-padded. */
struct zkrv_precompile_descriptor {
  uint32_t magic;
  uint16_t format_version;
  uint16_t index;
  char name[64];
  char version_requirement[32]; /* "=1.2.3", "^1.2", ">=1.0.0" or "*" */
  uint8_t package_sha256[32];   /* all zero: any package that satisfies the requirement */
};

#define ZKRV_PRECOMPILE_CALL_(fn, index)                                                        \
  static inline uint32_t fn(uint32_t rs1, uint32_t rs2) {                                      \
    _Static_assert((index) >= 0 && (index) <= ZKRV_PRECOMPILE_MAX_INDEX, "precompile index"); \
    uint32_t rd;                                                                              \
    __asm__ volatile(".insn r 0x0B, %3, %4, %0, %1, %2"                                       \
                     : "=r"(rd)                                                               \
                     : "r"(rs1), "r"(rs2), "i"((index) & 7), "i"((index) >> 3)                \
                     : "memory");                                                             \
    return rd;                                                                                \
  }

#define ZKRV_PRECOMPILE_DESCRIPTOR_(fn, index, name, requirement, ...)                              \
  __attribute__((used, section(".note.zkrv.precompiles"), aligned(4))) static const struct          \
      zkrv_precompile_descriptor zkrv_precompile_descriptor_##fn = {                                 \
          ZKRV_PRECOMPILE_DESCRIPTOR_MAGIC, ZKRV_PRECOMPILE_DESCRIPTOR_VERSION, (index), name, requirement, \
          __VA_ARGS__};

#define ZKRV_PRECOMPILE(fn, index, name, requirement)           \
  ZKRV_PRECOMPILE_DESCRIPTOR_(fn, index, name, requirement, {0}) \
  ZKRV_PRECOMPILE_CALL_(fn, index)

/* The digest is a brace list of 32 byte values: {0x12, 0x34, ...}. */
#define ZKRV_PRECOMPILE_PINNED(fn, index, name, requirement, ...)         \
  ZKRV_PRECOMPILE_DESCRIPTOR_(fn, index, name, requirement, __VA_ARGS__) \
  ZKRV_PRECOMPILE_CALL_(fn, index)

#endif /* ZKRV_PRECOMPILES_H_ */
