// bench_riscv_prove: proving guest runs with the RISC-V machine (riscv_air). For each guest
// (bench/prove: hash, sort, bigint, interp) and each target size 2^k cycles, it sizes the guest's
// work from a calibration run, then: setup (the program's fixed tables committed), pass 2 + witness
// generation, the STARK proof, verification. It prints cycles, the time of each phase, the proving
// rate (cycles per second of witness + proof), committed cells per cycle W (main + LogUp + quotient
// columns times padded rows, per table and in total), the ratio of the measured ns/cycle to the
// 20·W ns bound (docs/benchmarks.md), proof size, verify time, peak memory and the proof's security.
//
//   bench_riscv_prove [--guests DIR] [--only hash,sort] [--log-cycles 16,18,20] [--profiles fast,secure]
//                     [--tables] [--threads N]
// With no arguments (as `make bench` runs it): every guest at 2^16 and 2^18, both profiles. A size
// that is not proven (above 2^22 steps, or below the profile's security bar) prints "refused: why"
// and the sweep goes on; only failures make the exit status 1.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include "elf/elf.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/prover/prover.h"
#include "stark/security/security.h"
#include "vm/vm.h"

namespace {

using namespace zkrv;
namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The process's peak resident set since the last reset (Linux: clear_refs 5 resets VmHWM).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }
double peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

vm::Inputs units_input(uint32_t units) {
  vm::Inputs inputs;
  for (int b = 0; b < 4; ++b) inputs.public_input.push_back(static_cast<uint8_t>(units >> (8 * b)));
  return inputs;
}

uint64_t cycles_of(const elf::ElfImage& elf, uint32_t units) {
  vm::Vm vm(elf, {});
  const vm::RunResult result = vm.run(units_input(units));
  if (!result.ok()) throw std::runtime_error(fmt::format("the guest failed with {} units", units));
  return result.instructions;
}

// The work size whose run is just below 2^log_cycles (tables are padded to powers of two, so a run
// a little over would double some of them): linear in the units, from two calibration runs.
uint32_t units_for(const elf::ElfImage& elf, int log_cycles) {
  const double target = 0.92 * static_cast<double>(uint64_t{1} << log_cycles);
  const uint64_t base = cycles_of(elf, 1);
  const uint64_t probe = cycles_of(elf, 64);
  const double per_unit = std::max(1.0, static_cast<double>(probe - base) / 63.0);
  return static_cast<uint32_t>(std::max(1.0, (target - static_cast<double>(base)) / per_unit));
}

struct Options {
  fs::path guests;
  std::vector<std::string> only = {"hash", "sort", "bigint", "interp"};
  std::vector<int> log_cycles = {16, 18};
  std::vector<std::string> profiles = {"fast", "secure"};
  bool tables = false;
  size_t threads = 0;  // 0: what TBB would use
};

void bench_one(const Options& options, const std::string& guest, int log_cycles, const stark::SecurityProfile& profile) {
  const fs::path path = options.guests / (guest + ".elf");
  std::vector<uint8_t> storage;
  const elf::ElfImage elf = elf::load_file(path.string(), &storage);
  const uint32_t units = units_for(elf, log_cycles);
  const vm::Inputs inputs = units_input(units);

  reset_peak_rss();
  auto start = std::chrono::steady_clock::now();
  const riscv_air::ProvingSetup setup = riscv_air::setup(elf, profile);
  const double setup_s = seconds_since(start);

  start = std::chrono::steady_clock::now();
  riscv_air::MachineWitness witness = riscv_air::run_witness(setup, elf, inputs);
  const double witness_s = seconds_since(start);

  start = std::chrono::steady_clock::now();
  stark::prover::ProveOptions prove_options;
  prove_options.check_witness = false;
  // The machine whose boundary holds the run's public input and output (the IO bus).
  const stark::air::Machine machine = riscv_air::statement_machine(setup, witness);
  // Each table's height, for the cells below: the tables go to the prover, as riscv_air::prove
  // hands them over, so that the peak measured is the one a proof of `zkrv prove` has.
  std::vector<size_t> table_rows;
  for (const stark::air::TableWitness& table : witness.tables) table_rows.push_back(table.main.rows());
  const riscv_air::ParameterSetRef set = riscv_air::parameter_set_for(setup, witness);
  const stark::prover::ProveResult result =
      stark::prover::prove(*set.params, machine, *set.pk, std::move(witness.tables), prove_options);
  const std::vector<uint8_t> proof = riscv_air::encode_proof_file(
      {setup.profile, set.index, setup.key,
       stark::protocol::encode_stark_proof(*set.params, machine, set.pk->vk, result.proof), witness.public_input,
       witness.public_output});
  const double prove_s = seconds_since(start);
  const double peak_mib = peak_rss_mib();

  start = std::chrono::steady_clock::now();
  const riscv_air::Statement statement = riscv_air::verify(proof, riscv_air::program_id(setup.key));
  const double verify_s = seconds_since(start);

  const double cycles = static_cast<double>(witness.steps);
  std::map<std::string, double> cells_by_table;
  double cells = 0;
  for (size_t t = 0; t < setup.machine.num_tables(); ++t) {
    const stark::air::TableAnalysis& a = setup.machine.analysis(t);
    const double columns = a.info.main_width + a.interaction_width() + 4 * a.quotient_chunks();
    const double table_cells = columns * static_cast<double>(table_rows[t]);
    cells_by_table[a.info.name] = table_cells;
    cells += table_cells;
  }
  const double w = cells / cycles;
  const double ns_per_cycle = (witness_s + prove_s) * 1e9 / cycles;
  std::cout << fmt::format(
      "{:<7} {:<6} 2^{:<2} {:>9.0f} cyc  setup {:6.2f} s  witness {:6.2f} s  prove {:7.2f} s  {:7.1f} kHz  "
      "W {:6.1f}  {:6.1f} ns/cyc = {:4.2f} x 20W  proof {:7.1f} KiB  verify {:6.1f} ms  peak {:6.0f} MiB  "
      "{:5.1f} bits (udr {:.1f})  exit {}\n",
      guest, profile.name, log_cycles, cycles, setup_s, witness_s, prove_s, cycles / (witness_s + prove_s) / 1e3, w,
      ns_per_cycle, ns_per_cycle / (20 * w), static_cast<double>(proof.size()) / 1024, verify_s * 1e3, peak_mib,
      result.security.conjectured_bits, result.security.unique_decoding.bits, statement.exit_code);
  std::string phases = "    prover phases:";
  for (const auto& [name, seconds] : result.phase_seconds) phases += fmt::format("  {} {:.2f} s", name, seconds);
  std::cout << phases << "\n";
  if (options.tables) {
    for (const auto& [name, table_cells] : cells_by_table) {
      if (table_cells > 0) std::cout << fmt::format("    {:<12} {:7.2f} cells/cycle\n", name, table_cells / cycles);
    }
  }
  std::cout.flush();  // a killed run keeps the lines printed before it
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.guests = fs::path(argv[0]).parent_path() / "guests";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--guests") {
      options.guests = value();
    } else if (arg == "--only") {
      options.only = split(value());
    } else if (arg == "--log-cycles") {
      options.log_cycles.clear();
      for (const std::string& k : split(value())) options.log_cycles.push_back(std::stoi(k));
    } else if (arg == "--profiles") {
      options.profiles = split(value());
    } else if (arg == "--tables") {
      options.tables = true;
    } else if (arg == "--threads") {
      options.threads = std::stoul(value());
    } else {
      std::cerr << "usage: bench_riscv_prove [--guests DIR] [--only hash,sort,bigint,interp] "
                   "[--log-cycles 16,18,20] [--profiles fast,secure] [--tables] [--threads N]\n";
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  if (!fs::exists(options.guests / "hash.elf")) {
    std::cout << "(no guests in " << options.guests.string() << ": configure with -DZKRV_BUILD_GUESTS=ON)\n";
    return 0;
  }
  // The proving libraries parallelise with TBB, which sizes its pool from the affinity mask; --threads
  // caps it below that (a 2-core figure on a bigger machine).
  const size_t threads = options.threads ? options.threads
                                         : tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  std::ifstream cpu("/proc/cpuinfo");
  std::string line, model;
  while (std::getline(cpu, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  std::ifstream load("/proc/loadavg");
  std::string load1;
  load >> load1;
  std::cout << fmt::format("== proving guest runs (riscv_air): {}, {} threads, load {}\n", model,
                           tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism), load1);
  int status = 0;
  for (const std::string& profile_name : options.profiles) {
    const std::optional<stark::SecurityProfile> profile = stark::profile_by_name(profile_name);
    if (!profile) {
      std::cerr << "unknown profile " << profile_name << "\n";
      return 2;
    }
    for (int log_cycles : options.log_cycles) {
      for (const std::string& guest : options.only) {
        // A size the machine or the profile does not prove (more steps than one proof covers, or a
        // statement below the profile's bar) is a result of the sweep, not a failure of it: the
        // other sizes still run and the status stays 0.
        try {
          bench_one(options, guest, log_cycles, *profile);
        } catch (const stark::prover::RefusedStatement& e) {
          std::cout << fmt::format("{:<7} {:<6} 2^{:<2} refused: {}\n", guest, profile_name, log_cycles,
                                   riscv_air::refused_run(e).what());
        } catch (const riscv_air::RefusedError& e) {
          std::cout << fmt::format("{:<7} {:<6} 2^{:<2} refused: {}\n", guest, profile_name, log_cycles, e.what());
        } catch (const std::exception& e) {
          std::cout << fmt::format("{:<7} {:<6} 2^{:<2} failed: {}\n", guest, profile_name, log_cycles, e.what());
          status = 1;
        }
      }
    }
  }
  return status;
}
