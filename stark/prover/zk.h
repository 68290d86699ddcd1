// The prover's zero-knowledge steps (params.zk; docs/proof-system.md, "Zero knowledge"), kept
// apart from the rounds in prover.cc: randomizing a trace's reserved rows, splitting and randomizing a
// quotient, and the DEEP/FRI masking polynomial. The salting of Merkle leaves is the PCS's part
// (stark/fri/pcs.h); the shapes all of this produces are protocol::TableShape's.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "stark/air/air.h"
#include "stark/field/matrix.h"
#include "stark/fri/zk_random.h"
#include "stark/protocol/protocol.h"

namespace zkrv::stark::prover::zk {

// Fills the last shape.reserved_rows rows of every column of `trace` with uniform random values
// from stream (label, index) (docs/proof-system.md, "Zero knowledge" part 2): the rows no
// constraint and no bus message reads, which make the committed degree-(< n) columns hiding.
void randomize_reserved_rows(Matrix<air::Fp>& trace, const protocol::TableShape& shape, const fri::ZkRandom& random,
                             std::string_view label, uint64_t index);

// The quotient's chunks as an LDE ready to commit. `quotient` holds Q on the quotient domain
// (bit-reversed over s * H_m). Q = sum_k X^(k S) Q_k with S = shape.quotient_stride; committed are
//     Q'_k = Q_k + X^S a_(k+1) - a_k,   a_0 = a_chunks = 0,
// a_k random of degree < shape.quotient_randomness (stream ("quotient carry", index), extension
// coefficients), so sum_k X^(k S) Q'_k = Q telescopes back while each Q'_k alone is random at up
// to quotient_randomness points. Chunk k's four coordinate polynomials are columns 4k..4k+3.
// The coefficients (4 base columns per extension coordinate) of the quotient whose values on the
// bit-reversed quotient coset are `quotient`: the shift undone, ready to be split into chunks.
Matrix<air::Fp> quotient_coefficients(const std::vector<air::Ext>& quotient);

Matrix<air::Fp> hiding_quotient_lde(const std::vector<air::Ext>& quotient, const protocol::TableShape& shape,
                                    int log_blowup, const fri::ZkRandom& random, uint64_t index);

// The masking polynomial: one extension-valued polynomial of degree < 2^log_height with uniformly
// random coefficients, as four base columns, extended. Batched into DEEP like any committed
// column, it makes the FRI codewords uniformly random.
Matrix<air::Fp> mask_lde(int log_height, int log_blowup, const fri::ZkRandom& random);

}  // namespace zkrv::stark::prover::zk
