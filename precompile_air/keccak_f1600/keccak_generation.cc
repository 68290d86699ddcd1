// Witness generation for the keccak-f[1600] table (keccak_air.h), its constraint names and machine.
#include <algorithm>
#include <bit>
#include <string>
#include <vector>

#include "precompile_air/keccak_f1600/keccak_air.h"

namespace zkrv::precompile_air::keccak_f1600 {

using stark::air::Fp;

namespace internal {

namespace {

std::string index(size_t x, size_t y) { return "[" + std::to_string(x) + "][" + std::to_string(y) + "]"; }

ConstraintNames make_names() {
  ConstraintNames n;
  for (size_t i = 0; i < kRoundGroups; ++i) {
    n.group_first[i] = "round group u[" + std::to_string(i) + "] on the first row";
    n.group_step[i] = "round group u[" + std::to_string(i) + "] step";
  }
  for (size_t j = 0; j < kRoundsPerGroup; ++j) {
    n.step_first[j] = "round step v[" + std::to_string(j) + "] on the first row";
    n.step_step[j] = "round step v[" + std::to_string(j) + "] step";
  }
  n.link_flag = "link flag";
  n.a_prime_bit = "theta A' bit";
  n.c_prime_bit = "theta C' bit";
  n.d_bit = "theta D bit";
  for (size_t x = 0; x < 5; ++x) {
    for (size_t z = 0; z < kLaneBits; ++z) {
      n.parity[x][z] = "theta parity C'" + index(x, z);
      n.theta_d[x][z] = "theta D" + index(x, z);
    }
  }
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      for (size_t l = 0; l < kLimbsPerLane; ++l) {
        const std::string lane = index(x, y) + " limb " + std::to_string(l);
        n.chi[x][y][l] = (x == 0 && y == 0 ? "chi+iota output" : "chi output") + lane;
        n.link[x][y][l] = "round link" + lane;
      }
    }
  }
  for (size_t k = 0; k < kIotaBits.size(); ++k) n.iota[k] = "iota chi(0, 0) bit " + std::to_string(kIotaBits[k]);
  return n;
}

}  // namespace

const ConstraintNames& constraint_names() {
  static const ConstraintNames kNames = make_names();
  return kNames;
}

}  // namespace internal

namespace {

using Lanes = State;
constexpr size_t lane(size_t x, size_t y) { return x + 5 * y; }
uint64_t bit(uint64_t word, size_t z) { return word >> z & 1; }

// What one round commits besides its output: theta's A' and D, and the column parities C' of A'.
struct ThetaResult {
  Lanes a_prime;
  std::array<uint64_t, 5> c_prime, d;
};

ThetaResult theta(const Lanes& a) {
  ThetaResult t;
  std::array<uint64_t, 5> c{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) c[x] ^= a[lane(x, y)];
  }
  for (size_t x = 0; x < 5; ++x) t.d[x] = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
  for (size_t x = 0; x < 5; ++x) {
    t.c_prime[x] = 0;
    for (size_t y = 0; y < 5; ++y) {
      t.a_prime[lane(x, y)] = a[lane(x, y)] ^ t.d[x];
      t.c_prime[x] ^= t.a_prime[lane(x, y)];
    }
  }
  return t;
}

// chi o pi o rho of A' (before iota).
Lanes chi_pi_rho(const Lanes& a_prime) {
  Lanes b{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      b[lane(y, (2 * x + 3 * y) % 5)] = std::rotl(a_prime[lane(x, y)], static_cast<int>(kRhoOffsets[x][y]));
    }
  }
  Lanes out{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      out[lane(x, y)] = b[lane(x, y)] ^ (~b[lane((x + 1) % 5, y)] & b[lane((x + 2) % 5, y)]);
    }
  }
  return out;
}

}  // namespace

namespace internal {

Lanes fill_round(const Lanes& a, size_t round, bool link, std::span<Fp> row) {
  using Columns = KeccakColumns;
  row[Columns::group(round / kRoundsPerGroup)] = Fp::one();
  row[Columns::step(round % kRoundsPerGroup)] = Fp::one();
  row[Columns::kLink] = link ? Fp::one() : Fp::zero();
  const ThetaResult t = theta(a);
  for (size_t x = 0; x < 5; ++x) {
    for (size_t z = 0; z < kLaneBits; ++z) {
      for (size_t y = 0; y < 5; ++y) row[Columns::a_prime(x, y, z)] = Fp::from_u32(bit(t.a_prime[lane(x, y)], z));
      row[Columns::c_prime(x, z)] = Fp::from_u32(bit(t.c_prime[x], z));
      row[Columns::d(x, z)] = Fp::from_u32(bit(t.d[x], z));
    }
  }
  Lanes out = chi_pi_rho(t.a_prime);
  for (size_t k = 0; k < kIotaBits.size(); ++k) row[Columns::iota(k)] = Fp::from_u32(bit(out[0], kIotaBits[k]));
  out[0] ^= kRoundConstants[round];
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      for (size_t l = 0; l < kLimbsPerLane; ++l) {
        const uint64_t limb = (out[lane(x, y)] >> kLimbStart[l]) & ((uint64_t{1} << (kLimbStart[l + 1] - kLimbStart[l])) - 1);
        row[Columns::output(x, y, l)] = Fp::from_u32(static_cast<uint32_t>(limb));
      }
    }
  }
  return out;
}

}  // namespace internal

stark::air::TableInfo KeccakTable::info() const {
  std::vector<std::string> names(Columns::kNumColumns);
  for (size_t i = 0; i < kRoundGroups; ++i) names[Columns::group(i)] = "u" + std::to_string(i);
  for (size_t j = 0; j < kRoundsPerGroup; ++j) names[Columns::step(j)] = "v" + std::to_string(j);
  names[Columns::kLink] = "link";
  for (size_t x = 0; x < 5; ++x) {
    for (size_t z = 0; z < kLaneBits; ++z) {
      for (size_t y = 0; y < 5; ++y) {
        names[Columns::a_prime(x, y, z)] = "A'[" + std::to_string(x) + "][" + std::to_string(y) + "][" + std::to_string(z) + "]";
      }
      names[Columns::c_prime(x, z)] = "C'[" + std::to_string(x) + "][" + std::to_string(z) + "]";
      names[Columns::d(x, z)] = "D[" + std::to_string(x) + "][" + std::to_string(z) + "]";
    }
  }
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      for (size_t l = 0; l < kLimbsPerLane; ++l) {
        names[Columns::output(x, y, l)] = "out[" + std::to_string(x) + "][" + std::to_string(y) + "]." + std::to_string(l);
      }
    }
  }
  for (size_t k = 0; k < kIotaBits.size(); ++k) names[Columns::iota(k)] = "chi00." + std::to_string(kIotaBits[k]);
  names[Columns::kActive] = "active";
  names[Columns::kFirst] = "first";
  names[Columns::kLast] = "last";
  names[Columns::kTs] = "ts";
  names[Columns::kPtrLo] = "ptr_lo";
  names[Columns::kPtrHi] = "ptr_hi";
  names[Columns::kPtrWord] = "ptr_word";
  names[Columns::kRs2Lo] = "rs2_lo";
  names[Columns::kRs2Hi] = "rs2_hi";
  names[Columns::kRs2Word] = "rs2_word";
  for (size_t w = 0; w < kStateWords; ++w) {
    names[Columns::word(w, 0)] = "word" + std::to_string(w) + ".lo";
    names[Columns::word(w, 1)] = "word" + std::to_string(w) + ".hi";
  }
  return {name, Columns::kNumColumns, 0, 0, std::move(names), {}};
}

stark::air::Machine keccak_machine() {
  return stark::air::Machine("keccak_f1600", {stark::air::make_table(KeccakTable{})});
}

void permute(State& state) {
  for (size_t r = 0; r < kRounds; ++r) {
    state = chi_pi_rho(theta(state).a_prime);
    state[0] ^= kRoundConstants[r];
  }
}

namespace {

stark::air::TableWitness fill(std::span<const State> inputs, std::span<const Call> calls, bool absorb,
                              size_t reserved_rows, int min_log_rows) {
  if (min_log_rows < 0 || min_log_rows > 24) {
    throw stark::air::AirError("keccak_witness: min_log_rows " + std::to_string(min_log_rows) + " is outside [0, 24]");
  }
  const size_t count = std::max(inputs.size(), calls.size());
  const size_t needed = std::max<size_t>(count * kRounds, 1) + reserved_rows;
  const size_t rows = std::max(std::bit_ceil(needed), size_t{1} << min_log_rows);
  const size_t active = rows - reserved_rows;
  stark::air::TableWitness witness;
  witness.main = stark::Matrix<Fp>(rows, KeccakColumns::kNumColumns);
  using Columns = KeccakColumns;
  State state{};
  for (size_t r = 0; r < active; ++r) {
    const size_t round = r % kRounds, permutation = r / kRounds;
    const Call* call = permutation < calls.size() ? &calls[permutation] : nullptr;
    if (round == 0) {
      state = call != nullptr ? call->input : permutation < inputs.size() ? inputs[permutation] : State{};
    }
    // The last active row's next row is the prover's random row: it links to nothing.
    const bool link = round + 1 < kRounds && r + 1 < active;
    std::span<Fp> row = witness.main.row(r);
    const State before = state;
    state = internal::fill_round(state, round, link, row);
    if (call == nullptr) continue;
    row[Columns::kActive] = Fp::one();
    row[Columns::kTs] = Fp::from_u32(call->ts);
    row[Columns::kPtrLo] = Fp::from_u32(call->ptr & 0xffff);
    row[Columns::kPtrHi] = Fp::from_u32(call->ptr >> 16);
    row[Columns::kPtrWord] = Fp::from_u32((call->ptr & 0xffff) / 4);
    row[Columns::kRs2Lo] = Fp::from_u32(call->rs2 & 0xffff);
    row[Columns::kRs2Hi] = Fp::from_u32(call->rs2 >> 16);
    if (absorb) row[Columns::kRs2Word] = Fp::from_u32((call->rs2 & 0xffff) / 4);
    if (round != 0 && round != kRounds - 1) continue;
    row[round == 0 ? Columns::kFirst : Columns::kLast] = Fp::one();
    const State& words = round == 0 ? before : state;
    for (size_t w = 0; w < kStateWords; ++w) {
      const uint32_t value = static_cast<uint32_t>(words[w / 2] >> (32 * (w % 2)));
      row[Columns::word(w, 0)] = Fp::from_u32(value & 0xffff);
      row[Columns::word(w, 1)] = Fp::from_u32(value >> 16);
    }
  }
  return witness;
}

}  // namespace

stark::air::TableWitness keccak_witness(std::span<const State> inputs, size_t reserved_rows, int min_log_rows) {
  return fill(inputs, {}, false, reserved_rows, min_log_rows);
}

stark::air::TableWitness keccak_call_witness(std::span<const Call> calls, size_t reserved_rows, int min_log_rows,
                                             bool absorb) {
  for (const Call& c : calls) {
    if (c.ptr % 4 != 0) throw stark::air::AirError("keccak_call_witness: a state pointer is not word aligned");
    if (absorb && c.rs2 % 4 != 0) throw stark::air::AirError("keccak_call_witness: a block pointer is not word aligned");
  }
  return fill({}, calls, absorb, reserved_rows, min_log_rows);
}

State output_of(const stark::air::TableWitness& witness, size_t permutation) {
  const size_t row = permutation * kRounds + kRounds - 1;
  if (row >= witness.main.rows() || witness.main.width() != static_cast<size_t>(KeccakColumns::kNumColumns)) {
    throw stark::air::AirError("keccak output_of: permutation " + std::to_string(permutation) +
                               " is not in a keccak table of " + std::to_string(witness.main.rows()) + " rows");
  }
  State out{};
  for (size_t x = 0; x < 5; ++x) {
    for (size_t y = 0; y < 5; ++y) {
      for (size_t l = 0; l < kLimbsPerLane; ++l) {
        out[lane(x, y)] |= uint64_t{witness.main.at(row, KeccakColumns::output(x, y, l)).to_u32()} << kLimbStart[l];
      }
    }
  }
  return out;
}

}  // namespace zkrv::precompile_air::keccak_f1600
