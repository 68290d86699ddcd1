#include "riscv_air/package_circuit.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "riscv_air/buses.h"

namespace zkrv::riscv_air {

namespace circuit = stark::circuit;
namespace air = stark::air;

std::string_view bus_name(air::BusId bus) {
  switch (bus) {
    case kStateBus: return "STATE";
    case kProgramBus: return "PROGRAM";
    case kMemoryBus: return "MEMORY";
    case kRange16Bus: return "RANGE16";
    case kByteBus: return "BYTE_XOR";
    case kExitBus: return "EXIT";
    case kIoBus: return "IO";
    case kReadableBus: return "READABLE";
    case kPrecompileBus: return "PRECOMPILE";
    case kPrecompileWordBus: return "PRECOMPILE_WORD";
    case kKeccakAbsorbBus: return "KECCAK_ABSORB";
    case kPrecompileReadBus: return "PRECOMPILE_READ";
    case kMemoryTreeBus: return "MEMORY_TREE";
    default: return "an unknown bus";
  }
}

void check_package_circuit(std::string_view package, const circuit::Circuit& c) {
  const auto refuse = [&](const std::string& why) {
    throw RefusedError(fmt::format("the circuit of precompile package {} is refused: {}", package, why));
  };
  if (c.info.num_public_values != 0) {
    refuse(fmt::format("it has {} public values (a package circuit has none: nothing in a run's statement supplies them)",
                       c.info.num_public_values));
  }
  // bind_package_circuit adds a constant node, and per interaction two nodes and a constraint: a
  // circuit the decoder's limits admit must leave that room, or binding it would fail later.
  if (c.nodes.size() + 1 + 2 * c.interactions.size() > circuit::kMaxNodes ||
      c.constraints.size() + c.interactions.size() > circuit::kMaxConstraints) {
    refuse(fmt::format("{} nodes and {} constraints leave no room for the machine's {} nodes and {} constraints (at "
                       "most {} and {} in all)",
                       c.nodes.size(), c.constraints.size(), 1 + 2 * c.interactions.size(), c.interactions.size(),
                       circuit::kMaxNodes, circuit::kMaxConstraints));
  }
  size_t calls = 0;
  const std::vector<int> degrees = circuit::node_degrees(c);
  for (size_t k = 0; k < c.interactions.size(); ++k) {
    const circuit::CircuitInteraction& it = c.interactions[k];
    const bool send = it.direction == air::Direction::kSend;
    const std::string what = fmt::format("interaction {} ({} on {}, bus {})", k, send ? "a send" : "a receive",
                                         bus_name(it.bus), it.bus);
    // The machine constrains every multiplicity to a bit (bind_package_circuit), which needs it of
    // degree 1: a count the author left free could be p - 1, a send turned into a receive.
    if (degrees[it.multiplicity] > 1) {
      refuse(fmt::format("{}: its multiplicity has degree {} (at most 1: the machine constrains it to 0 or 1)", what,
                         degrees[it.multiplicity]));
    }
    if (it.bus == kPrecompileBus) {
      if (send) refuse(what + ": a package circuit only receives calls on PRECOMPILE");
      if (it.max_multiplicity != 1) refuse(what + ": a call is received at most once a row (max multiplicity 1)");
      if (it.tuple.size() != kPackageCallTupleSize) {
        refuse(fmt::format("{}: the call's tuple has {} entries, not {} (ts, rs1 lo, hi, rs2 lo, hi, rd lo, hi: the "
                           "machine prepends the index)",
                           what, it.tuple.size(), kPackageCallTupleSize));
      }
      ++calls;
      continue;
    }
    if (it.bus != kPrecompileWordBus && it.bus != kPrecompileReadBus && it.bus != kRange16Bus && it.bus != kByteBus) {
      refuse(what + ": a package circuit may use only PRECOMPILE, PRECOMPILE_WORD, PRECOMPILE_READ, RANGE16 and BYTE_XOR");
    }
    if (!send) refuse(what + ": a package circuit only sends there");
    if (it.max_multiplicity == air::kUnbounded) refuse(what + ": its multiplicity is unbounded (a supplier's count)");
    if (it.max_multiplicity != 1) refuse(what + ": a package circuit's message goes at most once a row (max multiplicity 1)");
  }
  if (calls != 1) refuse(fmt::format("it receives on PRECOMPILE {} times (exactly once: the call it answers)", calls));
}

std::shared_ptr<const PackageCircuit> admit_package_circuit(std::string_view package, std::span<const uint8_t> bytes) {
  auto admitted = std::make_shared<PackageCircuit>();
  try {
    admitted->circuit = circuit::decode_circuit(bytes);
  } catch (const circuit::CircuitError& e) {
    throw RefusedError(fmt::format("the circuit of precompile package {} is refused: {}", package, e.what()));
  }
  check_package_circuit(package, admitted->circuit);
  admitted->digest = circuit::circuit_digest(bytes);
  return admitted;
}

circuit::Circuit bind_package_circuit(const PackageCircuit& package, uint32_t index, std::string table_name) {
  circuit::Circuit bound = package.circuit;
  bound.info.name = std::move(table_name);
  const auto constant = static_cast<uint32_t>(bound.nodes.size());
  bound.nodes.push_back({circuit::NodeCode::kConstant, air::Fp::from_u32(index).to_u32(), 0, 0});
  for (size_t k = 0; k < bound.interactions.size(); ++k) {
    circuit::CircuitInteraction& it = bound.interactions[k];
    if (it.bus == kPrecompileBus) it.tuple.insert(it.tuple.begin(), constant);
    // m (m - 1) = 0: the multiplicity is a bit whatever the author's constraints say, so no
    // message can go with a negative count (a send as a receive) or twice.
    const auto square = static_cast<uint32_t>(bound.nodes.size());
    bound.nodes.push_back({circuit::NodeCode::kMul, 0, it.multiplicity, it.multiplicity});
    bound.nodes.push_back({circuit::NodeCode::kSub, 0, square, it.multiplicity});
    bound.constraints.push_back(
        {fmt::format("package circuit: interaction {}'s multiplicity is 0 or 1", k), square + 1});
  }
  return circuit::canonical_circuit(bound);
}

}  // namespace zkrv::riscv_air
