// What `zkrv prove` and `zkrv verify` print about a proof: its statement, security, sizes and
// times, as text lines and as JSON fields (ere's names where ere has them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "host/package_circuits.h"
#include "riscv_air/key.h"
#include "stark/security/security.h"

namespace zkrv::cli {

// `{secs, nanos}`, the form of ere's execution_duration (a Rust Duration).
nlohmann::json duration_json(double seconds);

// The statement's fields: program_id, exit_code, public_output_hex, public_input_hex.
void add_statement_json(nlohmann::json& j, const riscv_air::Statement& statement);
// The better of the two proven figures (unique decoding, list decoding up to the Johnson bound):
// both are theorems, and which is larger depends on the parameters.
double proven_bits(const stark::SecurityReport& report);
// conjectured_bits, proven_bits, proven_bits_unique_decoding, proven_bits_johnson, and the
// profile's bar.
nlohmann::json security_json(const stark::SecurityReport& report, std::string_view profile);

// "  key          value" lines of the statement (program id with its profile, exit code, output, input).
std::string statement_lines(const riscv_air::Statement& statement, std::string_view profile);
std::string security_line(const stark::SecurityReport& report, std::string_view profile);

// The third-party circuits a statement relies on (a package circuit is part of the statement:
// docs/precompiles.md): a JSON array of {name, version, circuit_digest, package_sha256, signer},
// and one "circuit" line each.
nlohmann::json package_circuits_json(const host::ResolvedCircuits& circuits);
std::string package_circuit_lines(const host::ResolvedCircuits& circuits);

// One aligned report line, as `zkrv run` prints them.
std::string report_line(std::string_view key, const std::string& value);

// This process's peak resident memory (getrusage's ru_maxrss), in bytes.
uint64_t peak_memory_bytes();

}  // namespace zkrv::cli
