// Column layout of the keccak absorb table (absorb_air.h): one row per word of a call's state,
// 50 rows a call. A word's bytes before the call (4), the block's bytes that XOR into it (4, zero on
// the 16 words past the rate) and their XOR (4, the permutation's input) are the only byte-level
// cells: the XOR is looked up on the RISC-V machine's BYTE bus, so no bit of the state or the block
// is committed here, and the keccak-f table keeps its width.
#pragma once

namespace zkrv::precompile_air::keccak_absorb {

struct AbsorbColumns {
  static constexpr int kIsReal = 0;
  static constexpr int kHasBlock = 1;    // 1: the word is in the rate (w < 34) and a block word XORs into it
  static constexpr int kTs = 2;          // the call's ts
  static constexpr int kAddr = 3;        // the state word's address (byte address / 4)
  static constexpr int kBlockAddr = 4;   // the block word's address
  static constexpr int kBeforeStart = 5;  // the state word's bytes before the call, little-endian
  static constexpr int kBlockStart = kBeforeStart + 4;
  static constexpr int kInputStart = kBlockStart + 4;  // before xor block: keccak-f's input
  static constexpr int kOutLo = kInputStart + 4;       // keccak-f's output word, 16-bit limbs
  static constexpr int kOutHi = kOutLo + 1;
  static constexpr int kNumColumns = kOutHi + 1;

  static constexpr int before(int k) { return kBeforeStart + k; }
  static constexpr int block(int k) { return kBlockStart + k; }
  static constexpr int input(int k) { return kInputStart + k; }
};

static_assert(AbsorbColumns::kNumColumns == 19);

}  // namespace zkrv::precompile_air::keccak_absorb
