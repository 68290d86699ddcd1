// Ethereum zkVM standard I/O interface (eth-act/zkvm-standards, standards/io-interface).
// Portable across zkVMs that implement the standard; on zkrv:
//   read_input   the PRIVATE input (the hint tape, `zkrv run --hint FILE`), copied once into the
//                heap on first call; later calls return the same buffer. Never fails (aborts with
//                exit code 134 if the heap cannot hold the input).
//   write_output appends to the PUBLIC output (the output tape); the output is the concatenation
//                of all calls.
#ifndef ZKVM_IO_H_
#define ZKVM_IO_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void read_input(const uint8_t** buf_ptr, size_t* buf_size);
void write_output(const uint8_t* output, size_t size);

#ifdef __cplusplus
}
#endif

#endif  // ZKVM_IO_H_
