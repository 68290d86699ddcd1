// `zkrv verify`: checks a proof file (or a run-proof file, told by its magic) against a program (its ELF or its id) and the expected
// statement; exit status 0 only for a valid proof of that program with the expected values.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <optional>

#include "base/file.h"
#include "base/hex.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/proof_report.h"
#include "elf/elf.h"
#include "host/package_circuits.h"
#include "precompiles/package/package.h"
#include "riscv_air/program.h"
#include "riscv_air/prover.h"
#include "riscv_air/verifier.h"
#include "stark/proof/byte_io.h"

namespace zkrv::cli {
namespace {

// Far above any proof this machine makes (docs/benchmarks.md: well under 1 MiB), far below
// what would strain the host.
constexpr uint64_t kMaxProofFileBytes = uint64_t{256} << 20;

struct VerifyOptions {
  std::string proof_file;
  std::string elf;
  std::string program_id;
  std::string profile;
  SecurityOption security;
  std::optional<std::string> expect_output_hex;
  std::optional<std::string> expect_input_hex;
  int64_t expect_exit = 0;
  bool json = false;
  host::ResolverOptions precompiles;
};

CLI::App* add_command(CLI::App& app, VerifyOptions& o) {
  CLI::App* verify = app.add_subcommand("verify", "Verify a proof file for a program and its expected statement");
  verify->add_option("proof", o.proof_file, "Proof file (from zkrv prove)")->required();
  CLI::Option* elf = verify->add_option("--elf", o.elf, "The guest ELF the proof must be for (its id is computed)");
  CLI::Option* id = verify->add_option("--program-id", o.program_id, "The program id the proof must be for (hex, from zkrv inspect)");
  elf->excludes(id);
  id->excludes(elf);
  o.security = add_security_option(verify, o.profile, "Accept only a proof made with this security profile (default: either)");
  verify->add_option("--expect-output-hex", o.expect_output_hex, "The public output the proof must state (default: any)");
  verify->add_option("--expect-input-hex", o.expect_input_hex, "The public input the proof must state (default: any)");
  verify->add_option("--expect-exit", o.expect_exit, "The exit code the proof must state")
      ->capture_default_str()->check(CLI::Range(int64_t{INT32_MIN}, int64_t{INT32_MAX}));
  verify->add_flag("--json", o.json, "Print the result as JSON on stdout");
  verify->add_flag("--allow-untrusted", o.precompiles.allow_untrusted,
                   "Accept unsigned or untrusted precompile packages (their circuits)");
  verify->add_option("--trust-key", o.precompiles.trust_keys, "Also trust this public key for precompile packages");
  return verify;
}

struct Rejection {
  int status;
  std::string reason;
};

int reject(const VerifyOptions& o, const Rejection& r, const nlohmann::json& partial = nlohmann::json::object()) {
  if (o.json) {
    nlohmann::json j = partial;
    j["proof_file"] = o.proof_file;
    j["valid"] = false;
    j["status"] = r.status == kExitInvalidProof ? "invalid-proof" : r.status == kExitUnexpected ? "unexpected-statement" : "error";
    j["error"] = r.reason;
    std::cout << j.dump(2) << "\n";
  }
  std::cerr << "zkrv verify: " << r.reason << "\n";
  return r.status;
}

// The ELF's declarations resolved as the prover's setup resolves them, except that where the
// proof's key commits to a circuit for the same declaration (index, name, requirement) the
// installed package carrying that circuit is preferred: any package the declaration allows (and
// its pin) that verifies and is trusted is one the prover could have used. The key chooses
// nothing the ELF does not declare, so the store is read only for the ELF's own declarations. A
// circuit the machine refuses is the package's fault, not the program's: PackageError.
riscv_air::PackageCircuitResolver preferring_key(const riscv_air::PackageCircuitResolver& circuits,
                                                 const riscv_air::ProgramKey& key) {
  return [&circuits, &key](const riscv_air::DeclaredPrecompile& d) -> std::shared_ptr<const riscv_air::PackageCircuit> {
    try {
      for (const riscv_air::DeclaredPrecompile& k : key.shape.precompiles) {
        if (k.index != d.index || k.name != d.name || k.version_requirement != d.version_requirement ||
            !k.circuit_digest) {
          continue;
        }
        riscv_air::DeclaredPrecompile hinted = d;
        hinted.circuit_digest = k.circuit_digest;
        try {
          return circuits(hinted);
        } catch (const precompiles::PackageError&) {  // none carries it: resolve as the prover does
        }
        break;
      }
      return circuits(d);
    } catch (const riscv_air::RefusedError& e) {
      throw precompiles::PackageError(e.what());
    }
  };
}

// The id of `elf` under `profile`: setup commits the program's fixed tables and its package
// circuits, as the prover does.
stark::Digest elf_program_id(const std::string& path, const std::string& profile,
                             const riscv_air::PackageCircuitResolver& circuits) {
  std::vector<uint8_t> storage;
  const elf::ElfImage image = elf::load_file(path, &storage);
  return riscv_air::program_id(riscv_air::setup(image, *stark::profile_by_name(profile), circuits).key);
}

// The mismatch between a verified statement and the expected one (--expect-*), or empty.
std::string statement_mismatch(const VerifyOptions& o, const riscv_air::Statement& statement,
                               const std::vector<uint8_t>& expected_output, const std::vector<uint8_t>& expected_input) {
  if (statement.exit_code != o.expect_exit) {
    return fmt::format("the proof states exit code {}, expected {}", statement.exit_code, o.expect_exit);
  }
  if (o.expect_output_hex && statement.public_output != expected_output) {
    return fmt::format("the proof states public output '{}', expected '{}'", base::to_hex(statement.public_output),
                       base::to_hex(expected_output));
  }
  if (o.expect_input_hex && statement.public_input != expected_input) {
    return fmt::format("the proof states public input '{}', expected '{}'", base::to_hex(statement.public_input),
                       base::to_hex(expected_input));
  }
  return "";
}

// The end both proof kinds share: a statement other than the expected one (`mismatch`) is status
// kExitUnexpected; else the report, as JSON or as "<file>: <verdict>", the statement and `details`.
int report_verified(const VerifyOptions& o, nlohmann::json& j, const riscv_air::Statement& statement,
                    const std::string& profile, const std::string& mismatch, std::string_view verdict,
                    const std::string& details) {
  if (!mismatch.empty()) {
    if (!o.json) {
      std::cout << fmt::format("zkrv verify {}: {}, unexpected statement\n", o.proof_file, verdict)
                << statement_lines(statement, profile);
    }
    return reject(o, {kExitUnexpected, "valid proof, but " + mismatch}, j);
  }
  if (o.json) {
    j["valid"] = true;
    j["status"] = "verified";
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("zkrv verify {}: {}\n", o.proof_file, verdict) << statement_lines(statement, profile) << details;
  }
  return kExitSuccess;
}

// A run-proof file (riscv_air/run_proof.h, told by its magic): verified against the ELF, whose
// image gives the first segment's root (a program id alone does not).
int verify_run_proof(const VerifyOptions& o, std::span<const uint8_t> bytes, const std::vector<uint8_t>& expected_output,
                     const std::vector<uint8_t>& expected_input) {
  if (o.elf.empty()) {
    std::cerr << "zkrv verify: " << o.proof_file
              << " is a run proof (segments): verify it with --elf GUEST.elf, whose image gives the run's initial state\n";
    return kExitUsage;
  }
  std::string profile;
  try {
    profile = riscv_air::decode_run_proof_file(bytes).key.profile;
  } catch (const std::exception& e) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: malformed run-proof file: {}", e.what())});
  }
  if (!o.profile.empty() && profile != o.profile) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: made with profile {}, --security {} asked", profile, o.profile)});
  }
  stark::Digest expected_id{};
  riscv_air::ProgramImage program;
  try {
    std::vector<uint8_t> storage;
    const elf::ElfImage image = elf::load_file(o.elf, &storage);
    const riscv_air::ProvingSetup setup = riscv_air::setup(image, *stark::profile_by_name(profile));
    expected_id = riscv_air::segment_program_id(riscv_air::segment_setup(setup).key);
    program = setup.program;
  } catch (const riscv_air::RefusedError& e) {
    return reject(o, {kExitNotProvable, fmt::format("{} has no segment program id (this machine does not prove it): {}", o.elf, e.what())});
  } catch (const std::exception& e) {  // elf::ElfError, base file errors
    return reject(o, {kExitBadInput, e.what()});
  }
  const auto start = std::chrono::steady_clock::now();
  riscv_air::RunStatement run;
  try {
    run = riscv_air::verify_run(bytes, expected_id, program);
  } catch (const riscv_air::RejectedProof& e) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: {}", e.what())});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  riscv_air::Statement statement;
  statement.program_id = run.program_id;
  statement.exit_code = run.exit_code;

  nlohmann::json j;
  j["proof_file"] = o.proof_file;
  j["proof_kind"] = "run";
  j["profile"] = profile;
  add_statement_json(j, statement);
  j["segments"] = run.segment_steps.size();
  j["segment_steps"] = run.segment_steps;
  j["total_num_cycles"] = run.steps;
  j["verification_time"] = duration_json(seconds);
  j["proof_size"] = bytes.size();
  std::string steps;
  for (size_t k = 0; k < run.segment_steps.size(); ++k) steps += fmt::format("{}{}", k == 0 ? "" : ", ", run.segment_steps[k]);
  const std::string details = report_line("cycles", fmt::format("{}", run.steps)) +
                              report_line("segments", fmt::format("{} ({} steps)", run.segment_steps.size(), steps)) +
                              report_line("verifying", fmt::format("{:.3f} s", seconds)) +
                              report_line("proof", fmt::format("{} bytes", bytes.size()));
  return report_verified(o, j, statement, profile, statement_mismatch(o, statement, expected_output, expected_input),
                         "valid run proof", details);
}

int do_verify(const VerifyOptions& o) {
  if (!check_security_option("verify", o.security)) return kExitUsage;
  if (o.elf.empty() == o.program_id.empty()) {
    std::cerr << "zkrv verify: name the program with --elf GUEST.elf or --program-id ID\n";
    return kExitUsage;
  }
  std::vector<uint8_t> expected_output, expected_input;
  stark::Digest expected_id{};
  try {
    if (o.expect_output_hex) expected_output = parse_hex(*o.expect_output_hex, "--expect-output-hex");
    if (o.expect_input_hex) expected_input = parse_hex(*o.expect_input_hex, "--expect-input-hex");
    if (!o.program_id.empty()) {
      const std::vector<uint8_t> id = parse_hex(o.program_id, "--program-id");
      if (id.size() != expected_id.size()) {
        throw UsageError(fmt::format("--program-id: {} bytes of hex, a program id has {}", id.size(), expected_id.size()));
      }
      std::copy(id.begin(), id.end(), expected_id.begin());
    }
  } catch (const UsageError& e) {
    std::cerr << "zkrv verify: " << e.what() << "\n";
    return kExitUsage;
  }
  std::vector<uint8_t> bytes;
  if (const auto failure = base::read_file(o.proof_file, kMaxProofFileBytes, &bytes)) {
    return reject(o, {kExitBadInput, failure->describe(o.proof_file, kMaxProofFileBytes)});
  }
  if (riscv_air::is_run_proof_file(bytes)) return verify_run_proof(o, bytes, expected_output, expected_input);
  // The file names its profile; the id to expect depends on it (riscv_air/key.h).
  std::string profile;
  riscv_air::ProofFile file;
  try {
    file = riscv_air::decode_proof_file(bytes);
    profile = file.profile;
  } catch (const std::exception& e) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: malformed proof file: {}", e.what())});
  }
  if (!o.profile.empty() && profile != o.profile) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: made with profile {}, --security {} asked", profile, o.profile)});
  }
  // Nothing the proof's key names is resolved before its id is the expected one: a forged key
  // cannot make this verifier scan its store for names of its choosing.
  const auto resolved = std::make_shared<host::ResolvedCircuits>();
  const riscv_air::PackageCircuitResolver circuits = host::package_circuit_resolver(o.precompiles, resolved);
  if (!o.elf.empty()) {
    try {
      expected_id = elf_program_id(o.elf, profile, preferring_key(circuits, file.key));
    } catch (const riscv_air::RefusedError& e) {
      return reject(o, {kExitNotProvable, fmt::format("{} has no program id (this machine does not prove it): {}", o.elf, e.what())});
    } catch (const precompiles::PackageError& e) {
      return reject(o, {kExitBadInput, fmt::format("cannot verify: {} declares a precompile package whose circuit cannot be "
                                                   "used here: {}", o.elf, e.what())});
    } catch (const std::exception& e) {  // elf::ElfError, base file errors
      return reject(o, {kExitBadInput, e.what()});
    }
  }
  const auto start = std::chrono::steady_clock::now();
  riscv_air::Statement statement;
  stark::SecurityReport security;
  try {
    statement = riscv_air::verify(bytes, expected_id, &security, circuits);
  } catch (const riscv_air::RejectedProof& e) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: {}", e.what())});
  } catch (const host::CircuitMismatch& e) {
    return reject(o, {kExitInvalidProof, fmt::format("invalid proof: {}", e.what())});
  } catch (const std::exception& e) {  // precompiles::PackageError, riscv_air::RefusedError from the store
    return reject(o, {kExitBadInput, fmt::format("cannot verify: the proof relies on a precompile package's circuit: {}",
                                                 e.what())});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json j;
  j["proof_file"] = o.proof_file;
  j["profile"] = profile;
  add_statement_json(j, statement);
  j["verification_time"] = duration_json(seconds);
  j["proof_size"] = bytes.size();
  j["security"] = security_json(security, profile);
  j["package_circuits"] = package_circuits_json(*resolved);
  const std::string details = report_line("verifying", fmt::format("{:.3f} s", seconds)) +
                              report_line("proof", fmt::format("{} bytes", bytes.size())) + security_line(security, profile) +
                              package_circuit_lines(*resolved);
  return report_verified(o, j, statement, profile, statement_mismatch(o, statement, expected_output, expected_input),
                         "valid", details);
}

}  // namespace

Subcommand register_verify(CLI::App& app) { return make_subcommand(app, add_command, do_verify); }

}  // namespace zkrv::cli
