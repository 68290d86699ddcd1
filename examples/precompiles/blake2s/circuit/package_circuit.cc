// The package's circuit: the BLAKE2s table in its package flavour (on the RISC-V machine's
// precompile buses, no custom-0 index: the machine supplies the one the guest declares the package
// at). `zkrv precompile build` encodes it through the SDK's circuit kit (zkrv_add_precompile_circuit
// in ../CMakeLists.txt) into build/example_blake2s_compress.zkrv-circuit, which `zkrv precompile
// pack` puts in the package.
#include <zkrv/circuit.hpp>
#include <zkrv/circuit_buses.h>

#include "circuit/blake2s_air.h"

ZKRV_DEFINE_CIRCUIT(zkrv::circuit_kit::with_package_buses(example::blake2s_circuit::Blake2sTable{}))
