// A tiny stack-machine interpreter (switch dispatch through a jump table) running a bytecode
// program that sums Collatz trajectory lengths: indirect jumps, data-dependent branches and many
// small loads and stores, as in any interpreter or parser. The sum is checked against plain C.
#include "bench_common.h"

enum { kLimit = BENCH_SIZE(50000, 500) };

enum Opcode {
  kPush, kLoad, kStore, kAdd, kMul, kShr1, kAnd1, kLess, kEqual, kJumpIfZero, kJumpIfNotZero,
  kJump, kHalt,
};
enum Local { kN, kX, kSteps, kLimitLocal, kLocals };

// Labels are resolved by hand; each line starts at the offset in its comment.
static const uint32_t kProgram[] = {
    kPush, 1, kStore, kN,                              // 0
    kLoad, kN, kLoad, kLimitLocal, kLess,              // 4   loop_n: while (n < limit)
    kJumpIfZero, 62,                                   // 9
    kLoad, kN, kStore, kX,                             // 11
    kLoad, kX, kPush, 1, kEqual,                       // 15  loop_x: while (x != 1)
    kJumpIfNotZero, 53,                                // 20
    kLoad, kX, kAnd1,                                  // 22
    kJumpIfZero, 39,                                   // 25
    kLoad, kX, kPush, 3, kMul, kPush, 1, kAdd,         // 27  x = 3x + 1
    kStore, kX,                                        // 35
    kJump, 44,                                         // 37
    kLoad, kX, kShr1, kStore, kX,                      // 39  even: x >>= 1
    kLoad, kSteps, kPush, 1, kAdd, kStore, kSteps,     // 44  count: ++steps
    kJump, 15,                                         // 51
    kLoad, kN, kPush, 1, kAdd, kStore, kN,             // 53  end_x: ++n
    kJump, 4,                                          // 60
    kHalt,                                             // 62  done
};

static uint32_t run(const uint32_t* code, uint32_t* locals) {
  uint32_t stack[16];
  uint32_t* top = stack;  // points past the top element
  uint32_t pc = 0;
  for (;;) {
    switch (code[pc]) {
      case kPush: *top++ = code[pc + 1]; pc += 2; break;
      case kLoad: *top++ = locals[code[pc + 1]]; pc += 2; break;
      case kStore: locals[code[pc + 1]] = *--top; pc += 2; break;
      case kAdd: --top; top[-1] += top[0]; pc += 1; break;
      case kMul: --top; top[-1] *= top[0]; pc += 1; break;
      case kShr1: top[-1] >>= 1; pc += 1; break;
      case kAnd1: top[-1] &= 1; pc += 1; break;
      case kLess: --top; top[-1] = top[-1] < top[0]; pc += 1; break;
      case kEqual: --top; top[-1] = top[-1] == top[0]; pc += 1; break;
      case kJumpIfZero: pc = *--top == 0 ? code[pc + 1] : pc + 2; break;
      case kJumpIfNotZero: pc = *--top != 0 ? code[pc + 1] : pc + 2; break;
      case kJump: pc = code[pc + 1]; break;
      case kHalt: return locals[kSteps];
      default: return 0;
    }
  }
}

int main(void) {
  uint32_t locals[kLocals] = {0};
  locals[kLimitLocal] = kLimit;
  const uint32_t interpreted = run(kProgram, locals);

  uint32_t expected = 0;
  for (uint32_t n = 1; n < kLimit; ++n) {
    for (uint32_t x = n; x != 1; x = x & 1 ? 3 * x + 1 : x >> 1) ++expected;
  }
  if (interpreted != expected) {
    printf("bytecode: interpreter gave %u steps, plain C %u\n", (unsigned)interpreted, (unsigned)expected);
    return 1;
  }
  bench_print_checksum(bench_mix(bench_mix(0, locals[kN]), interpreted));
  return 0;
}
