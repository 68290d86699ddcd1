// The error for a program or inputs that cannot be loaded, thrown before the first instruction
// runs. A header of its own so that the precompile registry (vm/precompiles.cc) can throw it
// without depending on the whole VM interface (vm/vm.h).
#pragma once

#include <stdexcept>

namespace zkrv::vm {

class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace zkrv::vm
