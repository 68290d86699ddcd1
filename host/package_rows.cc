#include "host/package_rows.h"

#include <fmt/format.h>

#include <vector>

#include "precompiles/package/witness.h"
#include "riscv_air/package_circuit.h"

namespace zkrv::host {

riscv_air::PackageRows package_rows(std::shared_ptr<const LoadedPackages> loaded) {
  return [loaded](const riscv_air::DeclaredPrecompile& d, const zkrv_call_record& call) {
    const auto it = loaded ? loaded->find(d.index) : LoadedPackages::const_iterator{};
    if (!loaded || it == loaded->end()) {
      throw riscv_air::RefusedError(fmt::format("precompile {} (index {}): no library of its package was loaded to fill its "
                                                "circuit's rows", d.name, d.index));
    }
    if (!d.circuit) {
      throw riscv_air::RefusedError(fmt::format("internal: precompile {} (index {}) has rows asked but no circuit", d.name, d.index));
    }
    const precompiles::LoadedPrecompile& library = it->second;
    // Sized by what the library declared at load (bounded there: kMaxWitnessValuesPerCall);
    // generate_witness refuses a library whose width is not the circuit's before it fills anything.
    std::vector<uint32_t> rows(size_t{library.witness_rows_per_call} * library.witness_width);
    try {
      precompiles::generate_witness(library, call, static_cast<uint32_t>(d.circuit->circuit.info.main_width), rows);
    } catch (const precompiles::WitnessError& e) {
      throw riscv_air::RefusedError(fmt::format("precompile {} (index {}): {}", d.name, d.index, e.what()));
    }
    return rows;
  };
}

}  // namespace zkrv::host
