// What a verifying key commits to for one program: the Program table (the instruction decoded at
// every 2-byte offset of the executable segments, for the instructions this machine proves), the
// initial memory image (the registers, all zero, and every word below the end of the loaded file
// bytes), the entry pc, and the first word address that starts zero-initialised.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "elf/elf.h"
#include "isa/isa.h"

namespace zkrv::riscv_air {

struct PackageCircuit;  // package_circuit.h

// A run or program this machine does not prove (yet): the message names the pc and the
// instruction, the access or the limit.
class RefusedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The instruction families with a table; an instruction outside them has no Program row.
enum class Family : uint8_t { kAddSub, kBitwise, kLt, kShift, kMul, kJump, kBranch, kLoadStore, kExit, kAtomic, kDiv, kTape, kPrecompile };
std::optional<Family> family_of(isa::Op op);

// One Program row: the decoded instruction at pc. imm is the sign-extended immediate, as limbs
// (imm_lo, imm_hi) and as the field element imm (p - |imm| when negative) for pc arithmetic.
struct ProgramRow {
  uint32_t pc = 0;
  isa::Op op = isa::Op::ILLEGAL;
  uint8_t rd = 0, rs1 = 0, rs2 = 0;
  int32_t imm = 0;
  bool rd_w = false;  // writes a register other than x0
  uint8_t len = 4;
};
ProgramRow program_row(uint32_t pc, const isa::DecodedInsn& insn);

struct ImageWord {
  uint32_t space = 0;
  uint32_t addr = 0;  // register number or word address
  uint32_t value = 0;
};

// Mapped word addresses [begin, end) at or above Z, all in one space (kMemorySpace for RW pages,
// kReadOnlySpace for R and RX ones): the zero tails ZeroInit may initialise.
struct ZeroRange {
  uint32_t space = 0;
  uint32_t begin = 0, end = 0;
  bool operator==(const ZeroRange&) const = default;
};

// At most this many zero ranges (one per run of pages with one permission; the SDK's layout has 2).
inline constexpr size_t kMaxZeroRanges = 16;

// The bytes [lo, hi) of a maximal run of consecutive mapped pages, whatever their permissions: every
// mapped page is readable (docs/abi.md, "Memory"), so a buffer the VM lets a system call read lies
// in one of these. hi is at most 2^32.
struct ReadableInterval {
  uint32_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const ReadableInterval&) const = default;
};

// A precompile the program declares (its ELF's .note.zkrv.precompiles) at a custom-0 index, and
// the version requirement it declares. The verifying key holds the list: the machine has a table
// for each declared precompile with a first-party circuit (precompile_circuits.h), answering calls
// to that index only.
// A declaration zkrv has no circuit for may carry its package's (package_circuit.h): the key commits
// to its digest; the prover's setup and the verifier attach the circuit itself (a proof file holds
// only the digest, and the verifier takes the circuit from the installed package).
struct DeclaredPrecompile {
  uint32_t index = 0;
  std::string name;
  std::string version_requirement;
  std::optional<std::array<uint8_t, 32>> circuit_digest;  // a package circuit's (stark::circuit::circuit_digest)
  std::shared_ptr<const PackageCircuit> circuit;          // set with the digest where the circuit is at hand
  // The package the ELF's descriptor pins (its SHA-256), if any: the prover's setup resolves exactly
  // the package `zkrv run` loads. Not in the key: the ELF image the id commits to holds the
  // descriptor, and a key's committed circuit digest decides what a verifier accepts.
  std::optional<std::array<uint8_t, 32>> package_sha256;
  // The same declaration: the circuit is compared by its digest (the pin is the image's).
  bool operator==(const DeclaredPrecompile& other) const {
    return index == other.index && name == other.name && version_requirement == other.version_requirement &&
           circuit_digest == other.circuit_digest;
  }
};

struct ProgramImage {
  uint32_t entry = 0;
  uint32_t zero_start_word = 0;  // words at and above this start as zero (ZeroInit); below it, the image
  std::vector<ProgramRow> program;
  // The 32 registers and the reservation, then every mapped memory word below Z in address order, in its space. The VM
  // maps whole 4 KiB pages (docs/abi.md, "Memory"), so a segment's page tail is mapped too.
  std::vector<ImageWord> image;
  std::vector<ZeroRange> zero_ranges;  // in address order, disjoint
  std::vector<ReadableInterval> readable;  // in address order, disjoint, not adjacent
  std::vector<DeclaredPrecompile> precompiles;  // by index (the prover fills it: vm parses the descriptors)
};

// Throws RefusedError for a layout this machine cannot describe (text at or above 2^30 - 4, an entry
// without a Program row, more than kMaxZeroRanges zero ranges).
ProgramImage program_image(const elf::ElfImage& elf);

}  // namespace zkrv::riscv_air
