#include "cli/proof_report.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>

#include "base/hex.h"
#include "stark/hash/digest.h"

namespace zkrv::cli {
namespace {

std::string bytes_text(const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return "none";
  if (bytes.size() <= 64) return fmt::format("{} bytes: {}", bytes.size(), base::to_hex(bytes));
  return fmt::format("{} bytes: {}... (--json for all of it)",  bytes.size(),
                     base::to_hex(std::span(bytes).first(32)));
}

}  // namespace

nlohmann::json package_circuits_json(const host::ResolvedCircuits& circuits) {
  nlohmann::json j = nlohmann::json::array();
  for (const host::ResolvedCircuit& c : circuits) {
    if (!c.circuit) continue;
    j.push_back({{"name", c.name}, {"version", c.version}, {"circuit_digest", stark::to_hex(c.circuit->digest)},
                 {"package_sha256", base::to_hex(c.package_sha256)}, {"signer", c.signer}});
  }
  return j;
}

std::string package_circuit_lines(const host::ResolvedCircuits& circuits) {
  std::string text;
  for (const host::ResolvedCircuit& c : circuits) {
    if (!c.circuit) continue;
    text += report_line("circuit", fmt::format("{} {} (package), digest {}, {}", c.name, c.version,
                                               stark::to_hex(c.circuit->digest), c.signer));
  }
  return text;
}

double proven_bits(const stark::SecurityReport& report) {
  return std::max(report.unique_decoding.bits, report.johnson.bits);
}

nlohmann::json duration_json(double seconds) {
  const auto nanos = static_cast<uint64_t>(seconds * 1e9);
  return {{"secs", nanos / 1000000000}, {"nanos", nanos % 1000000000}};
}

void add_statement_json(nlohmann::json& j, const riscv_air::Statement& statement) {
  j["program_id"] = stark::to_hex(statement.program_id);
  j["exit_code"] = statement.exit_code;
  j["public_output_hex"] = base::to_hex(statement.public_output);
  j["public_input_hex"] = base::to_hex(statement.public_input);
}

nlohmann::json security_json(const stark::SecurityReport& report, std::string_view profile) {
  nlohmann::json j;
  j["profile"] = profile;
  j["conjectured_bits"] = report.conjectured_bits;
  j["proven_bits"] = proven_bits(report);
  j["proven_bits_unique_decoding"] = report.unique_decoding.bits;
  j["proven_bits_johnson"] = report.johnson.bits;
  if (const auto p = stark::profile_by_name(profile)) {
    j["bar"] = p->bar == stark::SecurityBar::kConjectured ? "conjectured" : "proven (unique decoding)";
    j["bar_bits"] = p->min_bits;
  }
  return j;
}

std::string report_line(std::string_view key, const std::string& value) {
  return fmt::format("  {:<13}{}\n", key, value);
}

std::string statement_lines(const riscv_air::Statement& statement, std::string_view profile) {
  std::string out;
  out += report_line("program id", fmt::format("{} (profile {})", stark::to_hex(statement.program_id), profile));
  out += report_line("exit code", fmt::format("{}{}", statement.exit_code, statement.exit_code == 0 ? " (success)" : " (guest failure)"));
  out += report_line("output", bytes_text(statement.public_output));
  out += report_line("input", statement.public_input.empty() ? "none"
                                                             : fmt::format("{} bytes (public)", statement.public_input.size()));
  return out;
}

std::string security_line(const stark::SecurityReport& report, std::string_view profile) {
  return report_line("security", fmt::format("{:.1f} bits conjectured, {:.1f} proven (unique decoding {:.1f}, "
                                             "Johnson bound {:.1f}); profile {}",
                                             report.conjectured_bits, proven_bits(report),
                                             report.unique_decoding.bits, report.johnson.bits, profile));
}

uint64_t peak_memory_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace zkrv::cli
