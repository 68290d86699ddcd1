// A branchy interpreter: a register machine (four-field instructions, switch dispatch through a
// jump table) that sums the Collatz trajectory lengths of 1..units. Indirect jumps, data-dependent
// branches and small loads and stores, as in any interpreter or parser.
#include "prove_common.h"

enum Opcode { kSet, kAdd, kAddImm, kAnd1, kShr1, kMul3Add1, kJumpIfEqual, kJumpIfZero, kJump, kHalt };
enum Register { kN, kX, kSteps, kLimit, kOne, kTemp, kRegisters };
typedef struct {
  uint8_t op, a, b;
  int16_t c;
} Insn;

// Labels are resolved by hand; each line starts at the index in its comment.
static const Insn kProgram[] = {
    {kSet, kN, 0, 1},                 // 0
    {kSet, kOne, 0, 1},               // 1
    {kJumpIfEqual, kN, kLimit, 14},   // 2  loop_n: while (n != limit)
    {kAddImm, kX, kN, 0},             // 3  x = n
    {kJumpIfEqual, kX, kOne, 12},     // 4  loop_x: while (x != 1)
    {kAnd1, kTemp, kX, 0},            // 5
    {kJumpIfZero, kTemp, 0, 9},       // 6
    {kMul3Add1, kX, kX, 0},           // 7  odd: x = 3x + 1
    {kJump, 0, 0, 10},                // 8
    {kShr1, kX, kX, 0},               // 9  even: x >>= 1
    {kAddImm, kSteps, kSteps, 1},     // 10 ++steps
    {kJump, 0, 0, 4},                 // 11
    {kAddImm, kN, kN, 1},             // 12 end_x: ++n
    {kJump, 0, 0, 2},                 // 13
    {kHalt, 0, 0, 0},                 // 14
};

static uint32_t run(const Insn* code, uint32_t* r) {
  uint32_t pc = 0;
  for (;;) {
    const Insn insn = code[pc++];
    switch (insn.op) {
      case kSet: r[insn.a] = (uint32_t)insn.c; break;
      case kAdd: r[insn.a] = r[insn.b] + r[insn.c]; break;
      case kAddImm: r[insn.a] = r[insn.b] + (uint32_t)insn.c; break;
      case kAnd1: r[insn.a] = r[insn.b] & 1; break;
      case kShr1: r[insn.a] = r[insn.b] >> 1; break;
      case kMul3Add1: r[insn.a] = 3 * r[insn.b] + 1; break;
      case kJumpIfEqual: if (r[insn.a] == r[insn.b]) pc = (uint32_t)insn.c; break;
      case kJumpIfZero: if (r[insn.a] == 0) pc = (uint32_t)insn.c; break;
      case kJump: pc = (uint32_t)insn.c; break;
      case kHalt: return r[kSteps];
      default: return 0;
    }
  }
}

int main(void) {
  uint32_t r[kRegisters] = {0};
  r[kLimit] = prove_units() + 1;
  return prove_finish(run(kProgram, r));
}
