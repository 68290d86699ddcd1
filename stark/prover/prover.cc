#include "stark/prover/prover.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <climits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "stark/air/checker.h"
#include "stark/air/mask_bus.h"
#include "stark/air/value_builder.h"
#include "stark/field/batch_inverse.h"
#include "stark/field/packed_extension.h"
#include "stark/ntt/ntt.h"
#include "stark/prover/zk.h"

namespace zkrv::stark::prover {
namespace {

using air::AirError;
using air::Ext;
using air::Fp;
using Packed = PackedKoalaBear;
using PackedExt = PackedKoalaBear4;
constexpr size_t kLanes = Packed::kWidth;

uint32_t reverse_bits(uint32_t value, int bits) {
  uint32_t r = 0;
  for (int b = 0; b < bits; ++b) r |= ((value >> b) & 1u) << (bits - 1 - b);
  return r;
}

// log2 of a power of two (every caller checks that first).
int log2_exact(size_t power_of_two) { return std::countr_zero(power_of_two); }

// Copies the given rows of an LDE into packed columns: out[c] lane l = lde(rows[l], c), with
// one strided gather per column for 16 consecutive rows and an indexed gather otherwise.
void gather_rows(const Matrix<Fp>& lde, const uint32_t (&rows)[kLanes], std::vector<Packed>& out) {
  const size_t width = lde.width();
  out.resize(width);
  bool consecutive = true;
  for (size_t l = 1; l < kLanes; ++l) consecutive = consecutive && rows[l] == rows[0] + l;
  if (consecutive) {
    const Fp* block = lde.data() + size_t{rows[0]} * width;
    for (size_t c = 0; c < width; ++c) out[c] = Packed::load_strided(block + c, width);
    return;
  }
  if (lde.values().size() <= size_t{INT32_MAX}) {
    uint32_t offsets[kLanes];
    for (size_t l = 0; l < kLanes; ++l) offsets[l] = static_cast<uint32_t>(rows[l] * width);
    for (size_t c = 0; c < width; ++c) out[c] = Packed::gather(lde.data() + c, offsets);
    return;
  }
  alignas(64) Fp lanes[kLanes];
  for (size_t c = 0; c < width; ++c) {
    for (size_t l = 0; l < kLanes; ++l) lanes[l] = lde.at(rows[l], c);
    out[c] = Packed::load(lanes);
  }
}

Packed gather_values(const std::vector<Fp>& values, const uint32_t (&rows)[kLanes]) {
  if (rows[kLanes - 1] == rows[0] + kLanes - 1) return Packed::load(values.data() + rows[0]);  // 16 consecutive
  Fp lanes[kLanes];
  for (size_t l = 0; l < kLanes; ++l) lanes[l] = values[rows[l]];
  return Packed::load(lanes);
}

// Interprets 4 packed base columns per extension value.
void to_extensions(const std::vector<Packed>& columns, std::vector<PackedExt>& out) {
  out.resize(columns.size() / 4);
  for (size_t e = 0; e < out.size(); ++e) {
    out[e] = PackedExt({columns[4 * e], columns[4 * e + 1], columns[4 * e + 2], columns[4 * e + 3]});
  }
}

// The quotient's chunks as an LDE ready to commit: Q(X) = sum_k X^(k n) Q_k(X), chunk k's four
// coordinate polynomials in columns 4k..4k+3, extended onto the usual coset in bit-reversed order.
Matrix<Fp> quotient_chunks_lde(const std::vector<Ext>& quotient, int log_height, int chunks, int log_blowup) {
  const size_t n = size_t{1} << log_height;
  Matrix<Fp> values = zk::quotient_coefficients(quotient);
  Matrix<Fp> coefficients(n, 4 * static_cast<size_t>(chunks));
  for (size_t k = 0; k < static_cast<size_t>(chunks); ++k) {
    for (size_t r = 0; r < n; ++r) {
      for (size_t d = 0; d < 4; ++d) coefficients.at(r, 4 * k + d) = values.at(k * n + r, d);
    }
  }
  return coset_lde_from_coefficients(coefficients, log_blowup, fri::lde_shift(), RowOrder::kBitReversed);
}

// The heights are bounded by check_provable, which names the tallest table.
void check_witness_shapes(const air::Machine& machine, const ProvingKey& pk, std::span<const air::TableWitness> witnesses) {
  if (witnesses.size() != machine.num_tables()) {
    throw AirError(fmt::format("machine {}: {} witnesses for {} tables", machine.name(), witnesses.size(),
                               machine.num_tables()));
  }
  if (pk.preprocessed.size() != machine.num_tables() || pk.vk.constraint_digest != machine.constraint_digest()) {
    throw AirError(fmt::format("proving key is not for machine {}", machine.name()));
  }
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const air::TableInfo& info = machine.analysis(t).info;
    const Matrix<Fp>& main = witnesses[t].main;
    const size_t rows = main.rows();
    if (main.width() != static_cast<size_t>(info.main_width) || rows < 2 || (rows & (rows - 1)) != 0) {
      throw AirError(fmt::format("table {}: main trace is {}x{}; needs {} columns and 2^k rows, k >= 1", info.name,
                                 rows, main.width(), info.main_width));
    }
    if (info.preprocessed_width > 0 && pk.preprocessed[t].rows() != rows) {
      throw AirError(fmt::format("table {}: main trace has {} rows, its preprocessed columns {}", info.name, rows,
                                 pk.preprocessed[t].rows()));
    }
    if (witnesses[t].public_values.size() != static_cast<size_t>(info.num_public_values)) {
      throw AirError(fmt::format("table {}: {} public values given, the table declares {}", info.name,
                                 witnesses[t].public_values.size(), info.num_public_values));
    }
  }
}

// The selectors and 1 / Z_(H \ R) at the quotient domain's points x_i = s * w_m^rev(i) (the first m
// rows of every bit-reversed LDE), m = 2^log_m, for a trace domain of 2^log_height points whose
// last `reserved` rows R are outside the constraints (protocol::selectors_at).
struct QuotientDomainValues {
  std::vector<Fp> first, last, vanishing_inverse;
};
QuotientDomainValues quotient_domain_values(int log_height, int log_m, size_t reserved) {
  const size_t m = size_t{1} << log_m;
  const size_t n = size_t{1} << log_height;
  const Fp n_field = Fp::from_u64(n);
  const Fp g = Fp::two_adic_generator(log_height);
  const std::vector<Fp> x = fri::bit_reversed_coset(log_m, fri::lde_shift());
  QuotientDomainValues out;
  out.first.resize(m);
  out.last.resize(m);
  out.vanishing_inverse.resize(m);
  // Z(x) = x^n - 1 takes only m / n values: x^n = s^n w_m^(j n) for the natural index j, and
  // w_m^n has order m / n. So Z and 1 / Z are read from a table by j mod (m / n).
  const size_t residues = m / n;
  const int log_residues = log_m - log_height;
  std::vector<Fp> vanishing(residues), vanishing_inverse(residues);
  {
    const Fp shift_n = fri::lde_shift().pow(n);
    const Fp root = Fp::two_adic_generator(log_m).pow(n);
    Fp power = Fp::one();
    for (size_t r = 0; r < residues; ++r) {
      vanishing[r] = shift_n * power - Fp::one();
      vanishing_inverse[r] = vanishing[r].inverse();
      power *= root;
    }
  }
  // Z_R = prod over the reserved rows j of (X - g^j): its h + 1 coefficients, then one coset NTT
  // onto the quotient domain (in the same bit-reversed order as x).
  Matrix<Fp> reserved_vanishing(m, 1);
  reserved_vanishing.at(0, 0) = Fp::one();
  {
    Fp root = g.pow(n - reserved);
    for (size_t j = 0; j < reserved; ++j) {
      // Multiply by (X - root): coefficient i becomes c_(i-1) - root c_i.
      for (size_t i = j + 1; i > 0; --i) {
        reserved_vanishing.at(i, 0) = reserved_vanishing.at(i - 1, 0) - root * reserved_vanishing.at(i, 0);
      }
      reserved_vanishing.at(0, 0) = -(root * reserved_vanishing.at(0, 0));
      root *= g;
    }
  }
  if (reserved > 0) {
    reserved_vanishing = coset_lde_from_coefficients(reserved_vanishing, 0, fri::lde_shift(), RowOrder::kBitReversed);
  } else {
    std::fill_n(reserved_vanishing.data(), m, Fp::one());
  }
  // The last active row a = n - reserved - 1: last = Z / (n (x g^-a - 1)), g^-a = g^(reserved + 1).
  const Fp last_step = g.pow(reserved + 1);
  std::vector<Fp> a(m), b(m);
  for (size_t i = 0; i < m; ++i) {
    a[i] = (x[i] - Fp::one()) * n_field;
    b[i] = (x[i] * last_step - Fp::one()) * n_field;
  }
  batch_inverse(std::span<Fp>(a));
  batch_inverse(std::span<Fp>(b));
  for (size_t i = 0; i < m; ++i) {
    // j mod 2^c is the reversal of the top c bits of i.
    const size_t residue = reverse_bits(static_cast<uint32_t>(i >> (log_m - log_residues)), log_residues);
    out.first[i] = vanishing[residue] * a[i];
    out.last[i] = vanishing[residue] * b[i];
    out.vanishing_inverse[i] = vanishing_inverse[residue] * reserved_vanishing.at(i, 0);
  }
  return out;
}

// alpha^i for every constraint: the table's own, then the LogUp ones.
std::vector<PackedExt> alpha_powers_for(const air::TableAnalysis& analysis, const Ext& alpha) {
  const size_t base_constraints = analysis.constraints.size();
  const size_t logup_constraints = air::logup_constraint_count(analysis);
  std::vector<PackedExt> alpha_powers(base_constraints + logup_constraints);
  Ext power = Ext::one();
  for (PackedExt& p : alpha_powers) {
    p = PackedExt::broadcast(power);
    power *= alpha;
  }
  return alpha_powers;
}

// Row checker and bus debugger over the whole witness, when asked for.
void check_witness(const air::Machine& machine, const ProvingKey& pk, std::span<const air::TableWitness> witnesses,
                   size_t reserved_rows) {
  const air::MachineCheck check = air::check_machine(machine, pk.preprocessed, witnesses, 16, reserved_rows);
  if (!check.ok()) {
    throw WitnessError(fmt::format("machine {}: the witness does not satisfy the constraints:\n{}", machine.name(),
                                   check.to_string(machine)));
  }
}

// What zero knowledge adds to the rounds (params.zk): the randomness, every table's shape, and the
// interaction columns of the tables whose quotient domain outgrows their LDE, kept for the quotient
// phase (outgrows_lde).
struct ZkState {
  const fri::ZkRandom* random = nullptr;  // null without zk
  std::vector<protocol::TableShape> shapes;
  std::vector<Matrix<Fp>> interaction_traces;  // per table; empty where not needed
};

// Whether table t's quotient domain is larger than its LDE (zk's quotient of a degree-3 table has
// about 2n coefficients: a domain of 4n points against the LDE's 2n under blowup 2). The quotient
// phase then evaluates the columns on the cosets beyond the LDE from the traces (quotient_by_cosets),
// one table and one coset at a time: whole, for every table, those evaluations were twice the LDEs.
bool outgrows_lde(const fri::FriParams& params, const ZkState& zk, size_t t) {
  return zk.random != nullptr && zk.shapes[t].log_quotient_domain > zk.shapes[t].log_committed + params.log_blowup;
}

// Frees `value`'s large buffers to the kernel, not to the proof's buffer pool: for what a round is
// done with and nothing later of its size would reuse (stark/field/buffer_pool.h, ReturnToKernel).
void release(Matrix<Fp>& matrix) {
  const ReturnToKernel to_kernel;
  matrix = Matrix<Fp>();
}

// A trace's committed LDE (its reserved rows already random under zk).
Matrix<Fp> committed_lde(const fri::FriParams& params, const Matrix<Fp>& trace) {
  return coset_lde_from_evaluations(trace, params.log_blowup, fri::lde_shift(), RowOrder::kBitReversed);
}

// Round "main": every table's main trace, extended and committed in one tree.
fri::CommittedRound commit_main(const fri::FriParams& params, std::span<const air::TableWitness> witnesses,
                                const ZkState& zk) {
  std::vector<Matrix<Fp>> main_ldes;
  for (const air::TableWitness& witness : witnesses) main_ldes.push_back(committed_lde(params, witness.main));
  return fri::commit_ldes(params, std::move(main_ldes), zk.random, "main salt");
}

// Round "interaction" (machines with buses): the LogUp challenges, every bus table's helper and
// running-sum columns, and the claimed sums, as committed and absorbed.
struct InteractionRound {
  std::optional<air::LogUpChallenges> challenges;
  std::optional<fri::CommittedRound> committed;
  std::vector<int> matrix;  // per table: its matrix in the round, or -1
  std::vector<Ext> claimed;  // per table (zero for tables without buses)
};
InteractionRound commit_interactions(const fri::FriParams& params, const air::Machine& machine, const ProvingKey& pk,
                                     std::span<const air::TableWitness> witnesses, const ProveOptions& options,
                                     Transcript& transcript, protocol::StarkProof& proof, ZkState& zk) {
  const size_t tables = machine.num_tables();
  zk.interaction_traces.resize(tables);
  InteractionRound out;
  out.matrix.assign(tables, -1);
  out.claimed.assign(tables, Ext::zero());
  if (!machine.has_interactions()) return out;
  proof.interaction_pow_nonce = transcript.grind("logup pow", static_cast<unsigned>(params.interaction_pow_bits));
  out.challenges = air::LogUpChallenges{transcript.squeeze_extension<Ext>("logup z"),
                                        transcript.squeeze_extension<Ext>("logup beta")};
  std::vector<Matrix<Fp>> ldes;
  for (size_t t = 0; t < tables; ++t) {
    if (!machine.analysis(t).has_interactions()) continue;
    const size_t reserved = zk.random != nullptr ? zk.shapes[t].reserved_rows : 0;
    air::InteractionTrace trace = air::generate_interaction_trace(
        machine.table(t), machine.analysis(t), pk.preprocessed[t], witnesses[t], *out.challenges, reserved);
    if (zk.random != nullptr) zk::randomize_reserved_rows(trace.columns, zk.shapes[t], *zk.random, "interaction rows", t);
    out.matrix[t] = static_cast<int>(ldes.size());
    out.claimed[t] = trace.claimed_sum;
    proof.claimed_sums.push_back(trace.claimed_sum);
    ldes.push_back(committed_lde(params, trace.columns));
    if (outgrows_lde(params, zk, t)) {
      zk.interaction_traces[t] = std::move(trace.columns);
    } else {
      release(trace.columns);
    }
  }
  if (options.tamper_claimed_sums) {
    options.tamper_claimed_sums(*out.challenges, proof.claimed_sums);
    size_t index = 0;
    for (size_t t = 0; t < tables; ++t) {
      if (out.matrix[t] >= 0) out.claimed[t] = proof.claimed_sums.at(index++);
    }
  }
  out.committed.emplace(fri::commit_ldes(params, std::move(ldes), zk.random, "interaction salt"));
  proof.interaction_cap = out.committed->cap();
  transcript.absorb_digests("interaction cap", out.committed->cap());
  transcript.absorb_extensions("claimed sums", proof.claimed_sums);
  return out;
}

// Adds a machine's mask columns (Machine::mask_column, mask_bus.h) to its witnesses: each masked
// table's trace gains its random mask r_i (sent) and the previous masked table's r_(i-1)
// (received) on row 0, zeros below. Tables without a mask column stay as they are.
void add_mask_columns(const air::Machine& machine, std::vector<air::TableWitness>& witnesses,
                      const fri::ZkRandom* random) {
  std::vector<size_t> masked;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    if (machine.mask_column(t) >= 0) masked.push_back(t);
  }
  if (!masked.empty() && random == nullptr) {
    throw AirError(fmt::format("machine {}: has mask columns, but the proof has no zero knowledge", machine.name()));
  }
  using Mask = std::array<Fp, air::kMaskTupleSize>;
  std::vector<Mask> masks(masked.size());
  for (size_t i = 0; i < masked.size(); ++i) random->fill("zk mask bus", i, masks[i]);
  for (size_t i = 0; i < masked.size(); ++i) {
    const size_t t = masked[i];
    Matrix<Fp>& main = witnesses[t].main;
    const size_t column = static_cast<size_t>(machine.mask_column(t));
    const size_t width = static_cast<size_t>(machine.analysis(t).info.main_width);
    if (main.width() != column || column + static_cast<size_t>(air::kMaskColumns) != width) {
      throw AirError(fmt::format("table {}: main trace of {} columns, its mask starts at column {} of {}",
                                 machine.analysis(t).info.name, main.width(), column, width));
    }
    Matrix<Fp> wide(main.rows(), width);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, main.rows(), 4096), [&](const tbb::blocked_range<size_t>& rows) {
      for (size_t r = rows.begin(); r != rows.end(); ++r) {
        const std::span<const Fp> from = main.row(r);
        std::copy(from.begin(), from.end(), wide.row(r).begin());
      }
    });
    const Mask& sent = masks[i];
    const Mask& received = masks[(i + masked.size() - 1) % masked.size()];
    for (size_t j = 0; j < air::kMaskTupleSize; ++j) {
      wide.at(0, column + j) = sent[j];
      wide.at(0, column + air::kMaskTupleSize + j) = received[j];
    }
    release(main);
    main = std::move(wide);
  }
}

// Preprocessed columns are public, zero on the reserved rows: a table whose fixed columns end in
// fewer zero rows than zero knowledge reserves grows to the next height that leaves them.
Matrix<Fp> with_reserved_rows(const fri::FriParams& params, Matrix<Fp> fixed) {
  const size_t reserved = protocol::reserved_rows(params);
  const size_t rows = fixed.rows();
  size_t used = rows;
  while (used > 0 && std::ranges::all_of(fixed.row(used - 1), [](const Fp& v) { return v.is_zero(); })) --used;
  if (rows - used >= reserved && rows > reserved) return fixed;
  Matrix<Fp> grown(size_t{1} << protocol::padded_log_height(params, used), fixed.width());
  std::copy_n(fixed.data(), used * fixed.width(), grown.data());
  return grown;
}

}  // namespace

ProvingKey setup(const fri::FriParams& params, const air::Machine& machine) {
  params.validate();
  ProvingKey pk;
  pk.vk.constraint_digest = machine.constraint_digest();
  std::vector<Matrix<Fp>> committed;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const air::TableInfo& info = machine.analysis(t).info;
    Matrix<Fp> fixed = machine.table(t).preprocessed();
    if (info.preprocessed_width == 0) {
      pk.vk.preprocessed_log_heights.push_back(-1);
      pk.preprocessed.emplace_back();
      continue;
    }
    const size_t rows = fixed.rows();
    if (fixed.width() != static_cast<size_t>(info.preprocessed_width) || rows < 2 || (rows & (rows - 1)) != 0) {
      throw AirError(fmt::format("table {}: preprocessed columns are {}x{}; need {} columns and 2^k rows", info.name,
                                 rows, fixed.width(), info.preprocessed_width));
    }
    fixed = with_reserved_rows(params, std::move(fixed));
    pk.vk.preprocessed_log_heights.push_back(log2_exact(fixed.rows()));
    committed.push_back(fixed);
    pk.preprocessed.push_back(std::move(fixed));
  }
  if (!committed.empty()) {
    pk.committed.emplace(fri::commit(params, committed));
    pk.vk.preprocessed_cap = pk.committed->cap();
  }
  return pk;
}

namespace {

// log2 of a table's quotient domain (QuotientInputs::log_domain, or the chunks within the LDE),
// checked against the blowup, the field and the reserved rows.
int quotient_log_domain(const air::TableAnalysis& analysis, int log_height, int log_blowup,
                        const QuotientInputs& inputs) {
  int log_m = inputs.log_domain;
  if (log_m == 0) {
    const int chunks = analysis.quotient_chunks();
    const int log_chunks = log2_exact(static_cast<size_t>(chunks));
    if (log_chunks > log_blowup) {
      throw AirError(fmt::format("table {}: constraint degree {} needs {} quotient chunks, more than the blowup {}",
                                 analysis.info.name, analysis.max_degree, chunks, 1 << log_blowup));
    }
    log_m = log_height + log_chunks;
  }
  if (log_m > Fp::kTwoAdicity) {
    throw AirError(fmt::format("table {}: the quotient domain 2^{} exceeds the field's two-adic subgroup",
                               analysis.info.name, log_m));
  }
  if (inputs.reserved_rows >= (size_t{1} << log_height)) {
    throw AirError(fmt::format("table {}: 2^{} rows leave no active row besides {} reserved", analysis.info.name,
                               log_height, inputs.reserved_rows));
  }
  return log_m;
}

// Rows [row_begin, row_begin + row_count) of a table's quotient on its domain of 2^log_m points,
// written to the same rows of `quotient`. The matrices of `inputs` hold the columns on that domain
// from its row `matrix_base` on (an LDE: 0); the rows evaluated and their next rows must be there.
void evaluate_quotient_rows(const air::Table& table, const air::TableAnalysis& analysis, int log_height, int log_m,
                            const QuotientInputs& inputs, const QuotientDomainValues& domain, size_t row_begin,
                            size_t row_count, size_t matrix_base, std::vector<Ext>& quotient) {
  const size_t m = size_t{1} << log_m;
  // The next row of x is g x, g = w_m^(m / n): m / n steps on in natural order.
  const uint32_t next_step = static_cast<uint32_t>(m >> log_height);
  const std::vector<Fp>& first = domain.first;
  const std::vector<Fp>& last = domain.last;
  const std::vector<Fp>& vanishing_inverse = domain.vanishing_inverse;

  const size_t base_constraints = analysis.constraints.size();
  const std::vector<PackedExt> alpha_powers = alpha_powers_for(analysis, inputs.alpha);
  std::vector<Packed> public_values;
  for (const Fp& v : inputs.public_values) public_values.push_back(Packed::broadcast(v));
  std::optional<air::LogUpConstants<PackedExt>> logup;
  PackedExt claimed_sum;
  if (analysis.has_interactions()) {
    logup = air::make_log_up_constants<PackedExt>(analysis, *inputs.challenges);
    claimed_sum = PackedExt::broadcast(inputs.claimed_sum);
  }

  const size_t blocks = (row_count + kLanes - 1) / kLanes;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks, 16), [&](const tbb::blocked_range<size_t>& range) {
    air::ValueBuilder<Packed> builder;
    builder.public_values = public_values.data();
    std::vector<Packed> main_local, main_next, pre_local, pre_next, inter_local, inter_next;
    std::vector<PackedExt> ext_local, ext_next, logup_values;
    for (size_t block = range.begin(); block != range.end(); ++block) {
      uint32_t rows[kLanes], local_rows[kLanes], next_rows[kLanes];
      for (size_t l = 0; l < kLanes; ++l) {
        const size_t i = row_begin + std::min(block * kLanes + l, row_count - 1);
        rows[l] = static_cast<uint32_t>(i);
        local_rows[l] = static_cast<uint32_t>(i - matrix_base);
        const uint32_t natural = reverse_bits(static_cast<uint32_t>(i), log_m);
        next_rows[l] = static_cast<uint32_t>(
            reverse_bits(static_cast<uint32_t>((natural + next_step) & (m - 1)), log_m) - matrix_base);
      }
      gather_rows(*inputs.main_lde, local_rows, main_local);
      gather_rows(*inputs.main_lde, next_rows, main_next);
      builder.main_local = main_local.data();
      builder.main_next_row = main_next.data();
      if (inputs.preprocessed_lde != nullptr) {
        gather_rows(*inputs.preprocessed_lde, local_rows, pre_local);
        gather_rows(*inputs.preprocessed_lde, next_rows, pre_next);
        builder.preprocessed_local = pre_local.data();
        builder.preprocessed_next_row = pre_next.data();
      }
      builder.first_row = gather_values(first, rows);
      builder.last_row = gather_values(last, rows);
      builder.transition = Packed::broadcast(Fp::one()) - builder.last_row;
      builder.clear();
      table.eval(builder);

      PackedExt acc;
      for (size_t c = 0; c < base_constraints; ++c) acc += alpha_powers[c] * builder.constraint_values[c];
      if (logup) {
        gather_rows(*inputs.interaction_lde, local_rows, inter_local);
        gather_rows(*inputs.interaction_lde, next_rows, inter_next);
        to_extensions(inter_local, ext_local);
        to_extensions(inter_next, ext_next);
        logup_values.clear();
        air::eval_log_up_constraints<Packed, PackedExt>(analysis, *logup, builder.interaction_values, ext_local.data(),
                                                     ext_next.data(), builder.first_row, builder.transition,
                                                     builder.last_row, claimed_sum, logup_values);
        for (size_t c = 0; c < logup_values.size(); ++c) acc += alpha_powers[base_constraints + c] * logup_values[c];
      }
      const PackedExt q = acc * gather_values(vanishing_inverse, rows);
      q.store(quotient.data() + row_begin + block * kLanes, std::min(kLanes, row_count - block * kLanes));
    }
  });
}

}  // namespace

std::vector<Ext> compute_quotient(const air::Table& table, const air::TableAnalysis& analysis, int log_height,
                                 int log_blowup, const QuotientInputs& inputs) {
  const int log_m = quotient_log_domain(analysis, log_height, log_blowup, inputs);
  const size_t m = size_t{1} << log_m;
  for (const Matrix<Fp>* lde : {inputs.main_lde, inputs.preprocessed_lde, inputs.interaction_lde}) {
    if (lde != nullptr && lde->rows() < m) {
      throw AirError(fmt::format("table {}: an LDE of {} rows does not cover the quotient domain of {} points",
                                 analysis.info.name, lde->rows(), m));
    }
  }
  const QuotientDomainValues domain = quotient_domain_values(log_height, log_m, inputs.reserved_rows);
  std::vector<Ext> quotient(m);
  evaluate_quotient_rows(table, analysis, log_height, log_m, inputs, domain, 0, m, 0, quotient);
  return quotient;
}

namespace {

// A table's quotient on a domain of m points larger than its LDEs (outgrows_lde), one coset of the
// trace domain's size at a time: rows k n .. k n + n - 1 of the bit-reversed domain are the coset
// s w_m^rev(k) H_n in bit-reversed order, which the next-row step g keeps within. The cosets the LDEs
// cover are read from them; each other one is evaluated from the columns' coefficients into buffers
// of n rows, reused from coset to coset: n rows more per column rather than m. The traces are
// turned into their coefficients in place (nothing reads them after this).
std::vector<Ext> quotient_by_cosets(const air::Table& table, const air::TableAnalysis& analysis, int log_height,
                                    int log_blowup, const QuotientInputs& ldes, Matrix<Fp>& main_trace,
                                    Matrix<Fp>& preprocessed_trace, Matrix<Fp>& interaction_trace) {
  const int log_m = quotient_log_domain(analysis, log_height, log_blowup, ldes);
  const size_t n = size_t{1} << log_height;
  const size_t m = size_t{1} << log_m;
  size_t lde_rows = ldes.main_lde->rows();
  for (const Matrix<Fp>* lde : {ldes.preprocessed_lde, ldes.interaction_lde}) {
    if (lde != nullptr) lde_rows = std::min(lde_rows, lde->rows());
  }
  const QuotientDomainValues domain = quotient_domain_values(log_height, log_m, ldes.reserved_rows);
  inverse_ntt(main_trace);
  if (ldes.preprocessed_lde != nullptr) inverse_ntt(preprocessed_trace);
  if (ldes.interaction_lde != nullptr) inverse_ntt(interaction_trace);
  std::vector<Ext> quotient(m);
  Matrix<Fp> main_coset, preprocessed_coset, interaction_coset;
  const Fp root = Fp::two_adic_generator(log_m);
  for (size_t k = 0; k < m / n; ++k) {
    const size_t begin = k * n;
    if (begin + n <= lde_rows) {
      evaluate_quotient_rows(table, analysis, log_height, log_m, ldes, domain, begin, n, 0, quotient);
      continue;
    }
    const Fp shift = fri::lde_shift() * root.pow(reverse_bits(static_cast<uint32_t>(k), log_m - log_height));
    QuotientInputs inputs = ldes;
    coset_lde_from_coefficients(main_trace, 0, shift, main_coset, RowOrder::kBitReversed);
    inputs.main_lde = &main_coset;
    if (ldes.preprocessed_lde != nullptr) {
      coset_lde_from_coefficients(preprocessed_trace, 0, shift, preprocessed_coset, RowOrder::kBitReversed);
      inputs.preprocessed_lde = &preprocessed_coset;
    }
    if (ldes.interaction_lde != nullptr) {
      coset_lde_from_coefficients(interaction_trace, 0, shift, interaction_coset, RowOrder::kBitReversed);
      inputs.interaction_lde = &interaction_coset;
    }
    evaluate_quotient_rows(table, analysis, log_height, log_m, inputs, domain, begin, n, begin, quotient);
  }
  release(main_coset);
  release(preprocessed_coset);
  release(interaction_coset);
  return quotient;
}

// Round "quotient": every table's quotient (split into chunks of trace height), committed.
// `owned`, when the prover owns the witnesses (the same as `witnesses`), gives up each table's
// main trace once its quotient is built: nothing after this round reads a trace.
fri::CommittedRound commit_quotients(const fri::FriParams& params, const air::Machine& machine, const ProvingKey& pk,
                                     std::span<const air::TableWitness> witnesses,
                                     std::vector<air::TableWitness>* owned, std::span<const int> log_heights,
                                     const fri::CommittedRound& main, const InteractionRound& interaction,
                                     const Ext& alpha, ZkState& zk) {
  std::vector<Matrix<Fp>> quotient_ldes;
  size_t preprocessed_index = 0;
  for (size_t t = 0; t < machine.num_tables(); ++t) {
    const air::TableAnalysis& analysis = machine.analysis(t);
    QuotientInputs inputs;
    inputs.main_lde = &main.lde(t);
    if (analysis.info.preprocessed_width > 0) inputs.preprocessed_lde = &pk.committed->lde(preprocessed_index++);
    if (interaction.matrix[t] >= 0) {
      inputs.interaction_lde = &interaction.committed->lde(static_cast<size_t>(interaction.matrix[t]));
      inputs.challenges = interaction.challenges;
      inputs.claimed_sum = interaction.claimed[t];
    }
    inputs.public_values = witnesses[t].public_values;
    inputs.alpha = alpha;
    if (zk.random != nullptr) {
      inputs.log_domain = zk.shapes[t].log_quotient_domain;
      inputs.reserved_rows = zk.shapes[t].reserved_rows;
    }
    std::vector<Ext> quotient;
    if (outgrows_lde(params, zk, t)) {
      // With zk the quotient domain may outgrow the LDEs: then the cosets beyond them are evaluated
      // from the traces, which are the prover's (the caller's main trace is copied if lent).
      Matrix<Fp> lent_main;
      if (owned == nullptr) lent_main = witnesses[t].main;
      Matrix<Fp> preprocessed = analysis.info.preprocessed_width > 0 ? pk.preprocessed[t] : Matrix<Fp>();
      quotient = quotient_by_cosets(machine.table(t), analysis, log_heights[t], params.log_blowup, inputs,
                                    owned != nullptr ? (*owned)[t].main : lent_main, preprocessed,
                                    zk.interaction_traces[t]);
      release(lent_main);
      release(preprocessed);
    } else {
      quotient = compute_quotient(machine.table(t), analysis, log_heights[t], params.log_blowup, inputs);
    }
    release(zk.interaction_traces[t]);
    if (owned != nullptr) release((*owned)[t].main);
    if (zk.random != nullptr) {
      quotient_ldes.push_back(zk::hiding_quotient_lde(quotient, zk.shapes[t], params.log_blowup, *zk.random, t));
    } else {
      quotient_ldes.push_back(
          quotient_chunks_lde(quotient, log_heights[t], analysis.quotient_chunks(), params.log_blowup));
    }
  }
  if (zk.random != nullptr) {
    // The DEEP/FRI mask rides in this round, at the tallest committed height (protocol.h).
    int tallest = 0;
    for (const protocol::TableShape& shape : zk.shapes) tallest = std::max(tallest, shape.log_committed);
    quotient_ldes.push_back(zk::mask_lde(tallest, params.log_blowup, *zk.random));
  }
  return fri::commit_ldes(params, std::move(quotient_ldes), zk.random, "quotient salt");
}

}  // namespace

SecurityReport check_provable(const fri::FriParams& params, const air::Machine& machine,
                              std::span<const int> log_heights, size_t num_boundary_interactions) {
  if (log_heights.size() != machine.num_tables() || log_heights.empty()) {
    throw AirError(fmt::format("machine {}: {} heights for {} tables", machine.name(), log_heights.size(),
                               machine.num_tables()));
  }
  const size_t tallest =
      static_cast<size_t>(std::max_element(log_heights.begin(), log_heights.end()) - log_heights.begin());
  const std::string table = fmt::format("table {} of 2^{} rows", machine.analysis(tallest).info.name,
                                        log_heights[tallest]);
  const std::optional<SecurityProfile> profile = fri::profile_for_params(params);
  if (const std::optional<fri::FriParams> required =
          protocol::required_params(params, machine, log_heights, num_boundary_interactions);
      required && *required != params) {
    throw RefusedStatement(fmt::format("{}, which profile {} proves with blowup {} and {} queries, not blowup {} and {}",
                                       table, profile->name, 1 << required->log_blowup, required->num_queries,
                                       1 << params.log_blowup, params.num_queries));
  }
  const int max_log_height = protocol::max_log_height(params);
  if (log_heights[tallest] > max_log_height) {
    throw RefusedStatement(fmt::format("{}, above the 2^{} rows one proof of {} allows", table, max_log_height,
                                       profile ? fmt::format("profile {}", profile->name) : "these parameters"));
  }
  SecurityReport security = protocol::statement_security(params, machine, log_heights, num_boundary_interactions);
  if (!profile) return security;
  if (const std::optional<std::string> shortfall = bar_shortfall(*profile, security)) {
    throw RefusedStatement(fmt::format("{}, for which it has {}: a proof of it would be rejected", table, *shortfall));
  }
  return security;
}

namespace {

// prove() on `base_witnesses`; `owned`, when given, holds them and is the prover's to change and
// free as it goes (otherwise it copies them where it must change them).
ProveResult prove_witnesses(const fri::FriParams& params, const air::Machine& base_machine, const ProvingKey& pk,
                            std::span<const air::TableWitness> base_witnesses, std::vector<air::TableWitness>* owned,
                            const ProveOptions& options) {
  // The rounds of one proof hand their large buffers on to the next round (and, while a caller's
  // ProverContext lives, to the next proof).
  const BufferReuse reuse;
  params.validate();
  check_witness_shapes(base_machine, pk, base_witnesses);
  // From here on, the machine and witnesses as committed (with zero knowledge, the mask bus's).
  const air::Machine& machine = options.committed_machine_override != nullptr
                                    ? *options.committed_machine_override
                                    : protocol::committed_machine(params, base_machine);
  // The statement (heights and public values; the mask columns change neither) is refused here,
  // before any work, if the verifier would reject its proof; its security is the result's.
  protocol::StarkProof proof;
  for (const air::TableWitness& w : base_witnesses) {
    proof.log_heights.push_back(log2_exact(w.main.rows()));
    proof.public_values.push_back(w.public_values);
  }
  const std::vector<air::BoundaryInteraction> boundary = machine.boundary(proof.public_values);
  SecurityReport security = check_provable(params, machine, proof.log_heights, boundary.size());
  std::optional<fri::ZkRandom> random;
  if (params.zk) {
    random.emplace(options.zk_test_seed ? fri::ZkRandom::from_test_seed(*options.zk_test_seed)
                                        : fri::ZkRandom::from_os());
  }
  ZkState zk;
  const size_t reserved = protocol::reserved_rows(params);
  if (params.zk) {
    zk.random = &*random;
    for (size_t t = 0; t < machine.num_tables(); ++t) {
      zk.shapes.push_back(protocol::table_shape(params, machine.analysis(t), proof.log_heights[t]));
      // As the verifier's check_statement: row 0 (the first selector, the mask bus) stays active.
      if (protocol::active_rows(params, proof.log_heights[t]) == 0) {
        throw AirError(fmt::format("table {}: 2^{} rows leave no active row besides the {} reserved for zero knowledge",
                                   machine.analysis(t).info.name, proof.log_heights[t], reserved));
      }
    }
  }
  // The witnesses as committed: the caller's own when they are the prover's to change, else a copy
  // where the mask columns, a tampering test or the reserved rows change them.
  std::vector<air::TableWitness> copied;
  if (owned == nullptr && (&machine != &base_machine || options.tamper_committed_witness || params.zk)) {
    copied.assign(base_witnesses.begin(), base_witnesses.end());
    owned = &copied;
  }
  if (owned != nullptr) {
    add_mask_columns(machine, *owned, random ? &*random : nullptr);
    if (options.tamper_committed_witness) options.tamper_committed_witness(*owned);
  }
  const std::span<const air::TableWitness> witnesses =
      owned != nullptr ? std::span<const air::TableWitness>(*owned) : base_witnesses;
  if (options.check_witness) check_witness(machine, pk, witnesses, reserved);
  // The reserved rows become uniform random in every main column (docs/proof-system.md, "Zero
  // knowledge" part 2); a tampering test may have put its own values there first, and keeps them.
  if (params.zk && !options.keep_reserved_rows) {
    for (size_t t = 0; t < owned->size(); ++t) {
      zk::randomize_reserved_rows((*owned)[t].main, zk.shapes[t], *zk.random, "main rows", t);
    }
  }
  machine.check_interaction_bound(proof.log_heights, boundary);
  Transcript transcript =
      protocol::start_transcript(params, pk.vk, proof.log_heights, proof.public_values, options.record_transcript);

  std::vector<std::pair<std::string, double>> phase_seconds;
  auto phase_start = std::chrono::steady_clock::now();
  auto end_phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    phase_seconds.emplace_back(name, std::chrono::duration<double>(now - phase_start).count());
    phase_start = now;
  };
  const fri::CommittedRound main = commit_main(params, witnesses, zk);
  end_phase("main commitment");
  proof.main_cap = main.cap();
  transcript.absorb_digests("main cap", main.cap());

  const InteractionRound interaction =
      commit_interactions(params, machine, pk, witnesses, options, transcript, proof, zk);
  end_phase("LogUp columns");

  const Ext alpha = transcript.squeeze_extension<Ext>("constraint alpha");
  const fri::CommittedRound quotient =
      commit_quotients(params, machine, pk, witnesses, owned, proof.log_heights, main, interaction, alpha, zk);
  end_phase("quotient");
  proof.quotient_cap = quotient.cap();
  transcript.absorb_digests("quotient cap", quotient.cap());

  // The opening: every round at zeta (and zeta * g_t), one FRI proof.
  if (params.deep_pow_bits > 0) {
    proof.deep_pow_nonce = transcript.grind("deep pow", static_cast<unsigned>(params.deep_pow_bits));
  }
  const Ext zeta = transcript.squeeze_extension<Ext>("zeta");
  const protocol::RoundLayout layout = protocol::make_layout(params, machine, pk.vk, proof.log_heights);
  const fri::OpeningPoints points = protocol::make_opening_points(layout, machine, proof.log_heights, zeta);
  std::vector<const fri::CommittedRound*> rounds;
  if (layout.preprocessed_round >= 0) rounds.push_back(&*pk.committed);
  rounds.push_back(&main);
  if (interaction.committed) rounds.push_back(&*interaction.committed);
  rounds.push_back(&quotient);
  fri::ProverOptions fri_options;
  fri_options.check_final_degree = options.check_final_degree;
  fri_options.random = zk.random;
  proof.opening = fri::open(params, rounds, points, transcript, fri_options);
  end_phase("opening (DEEP + FRI)");

  ProveResult result;
  result.security = std::move(security);
  result.proof = std::move(proof);
  if (options.record_transcript) result.transcript = transcript.records();
  result.phase_seconds = std::move(phase_seconds);
  return result;
}

}  // namespace

ProveResult prove(const fri::FriParams& params, const air::Machine& machine, const ProvingKey& pk,
                  std::span<const air::TableWitness> witnesses, const ProveOptions& options) {
  return prove_witnesses(params, machine, pk, witnesses, nullptr, options);
}

ProveResult prove(const fri::FriParams& params, const air::Machine& machine, const ProvingKey& pk,
                  std::vector<air::TableWitness>&& witnesses, const ProveOptions& options) {
  // The traces are the prover's now, and freed as it goes, whatever the proof's outcome.
  std::vector<air::TableWitness> owned = std::move(witnesses);
  return prove_witnesses(params, machine, pk, owned, &owned, options);
}

}  // namespace zkrv::stark::prover
