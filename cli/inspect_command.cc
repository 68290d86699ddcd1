// `zkrv inspect`: validates a guest ELF and shows its segments, notes, declared precompiles and
// ABI checks.
#include <fmt/format.h>

#include <algorithm>

#include <iostream>
#include <optional>

#include "base/hex.h"
#include "base/little_endian.h"
#include "cli/commands.h"
#include "host/package_circuits.h"
#include "host/precompile_resolver.h"
#include "elf/elf.h"
#include "riscv_air/program.h"
#include "riscv_air/prover.h"
#include "stark/hash/digest.h"
#include "vm/vm.h"

namespace zkrv::cli {
namespace {

struct InspectOptions {
  std::string program;
  host::ResolverOptions precompiles;
  bool json = false;
  bool all_symbols = false;
  std::vector<std::string> profiles;  // whose program ids to print; empty: every profile
  SecurityOption security;
};

CLI::App* add_command(CLI::App& app, InspectOptions& o) {
  CLI::App* inspect = app.add_subcommand("inspect", "Validate a guest ELF and show its segments, notes and ABI checks");
  inspect->add_option("program", o.program, "Guest ELF file")->required();
  inspect->add_flag("--json", o.json, "Print as JSON");
  inspect->add_flag("--symbols", o.all_symbols, "List every symbol");
  o.security = add_security_option(inspect, o.profiles,
                      "Print the program id for this security profile only (repeatable; default: fast and secure)");
  inspect->add_flag("--allow-untrusted", o.precompiles.allow_untrusted, "Accept unsigned or untrusted precompile packages");
  inspect->add_option("--trust-key", o.precompiles.trust_keys, "Also trust this public key for precompile packages");
  return inspect;
}

std::string flags_text(uint32_t flags) {
  return fmt::format("{}{}{}", flags & elf::kRead ? 'R' : '-', flags & elf::kWrite ? 'W' : '-', flags & elf::kExec ? 'X' : '-');
}

int do_inspect(const InspectOptions& o) {
  if (!check_security_option("inspect", o.security)) return kExitUsage;
  std::vector<uint8_t> storage;
  elf::ElfImage image;
  try {
    image = elf::load_file(o.program, &storage);
  } catch (const std::exception& e) {
    if (o.json) std::cout << nlohmann::json{{"program", o.program}, {"valid", false}, {"error", e.what()}}.dump(2) << "\n";
    std::cerr << "zkrv inspect: " << e.what() << "\n";
    return kExitBadInput;
  }
  // ABI checks that do not make a program invalid but that a user wants to see.
  std::vector<std::pair<std::string, std::string>> checks;
  const elf::Symbol* start = image.find_symbol("_start");
  checks.emplace_back("entry", start && start->value == image.entry ? "at _start"
                                                                     : fmt::format("0x{:x} ({})", image.entry, image.symbolize(image.entry)));
  std::optional<uint32_t> abi_version;
  if (const elf::Section* note = image.find_section(".note.zkrv.abi"); note && note->bytes.size() >= 4) {
    abi_version = base::load_le32(note->bytes.data());
  }
  checks.emplace_back("abi", abi_version ? fmt::format("zkrv guest ABI v{}{}", *abi_version, *abi_version == 1 ? "" : " (this VM runs v1)")
                                         : "no .note.zkrv.abi note (not built with the zkrv SDK; runs if it follows ABI v1)");
  checks.emplace_back("compressed", image.flags & 1 ? "yes (RVC)" : "no");
  const uint64_t mapped = image.mapped_size();
  checks.emplace_back("mapped", fmt::format("{} bytes in {} segments", mapped, image.segments.size()));

  // Declared precompiles and what each resolves to here (a failure is shown, not fatal).
  // Each also says which circuit proves its calls: zkrv's own, its installed package's (by the
  // digest the program id commits to), or none (`zkrv prove` refuses a run that calls it).
  struct Declared {
    vm::PrecompileDescriptor descriptor;
    std::string resolution;
    bool ok;
    std::string circuit_kind;  // "first-party", "package", "none", "unavailable"
    std::string circuit;       // the package circuit's digest, or why there is none
  };
  std::vector<Declared> declared;
  std::string descriptor_error;
  const riscv_air::PackageCircuitResolver circuits = host::package_circuit_resolver(o.precompiles);
  try {
    const vm::PrecompileResolver resolver = host::package_resolver(o.precompiles, nullptr);
    for (const auto& d : vm::parse_precompile_descriptors(image)) {
      Declared entry{d, "", false, "", ""};
      try {
        const vm::PrecompileImplementation impl = resolver(d);
        entry.resolution = fmt::format("{} {} (package sha256 {})", impl.name, impl.version, base::to_hex(impl.package_sha256));
        entry.ok = true;
      } catch (const std::exception& e) {
        entry.resolution = e.what();
      }
      if (riscv_air::has_circuit(d.name, d.version_requirement)) {
        entry.circuit_kind = "first-party";
      } else {
        try {
          const std::shared_ptr<const riscv_air::PackageCircuit> circuit =
              circuits(riscv_air::DeclaredPrecompile{d.index, d.name, d.version_requirement, std::nullopt, nullptr, d.package_sha256});
          entry.circuit_kind = circuit ? "package" : "none";
          if (circuit) entry.circuit = stark::to_hex(circuit->digest);
        } catch (const std::exception& e) {
          entry.circuit_kind = "unavailable";
          entry.circuit = e.what();
        }
      }
      declared.push_back(std::move(entry));
    }
  } catch (const std::exception& e) {
    descriptor_error = e.what();
  }

  // The program id per profile (riscv_air/key.h: it commits the fixed tables, whose Merkle tree
  // depends on the profile's blowup); none for a program the machine cannot describe.
  std::vector<std::pair<std::string, std::string>> program_ids;
  std::string not_provable;
  std::string id_unknown;  // the id commits to package circuits this host cannot read
  try {
    const std::vector<std::string> profiles = o.profiles.empty() ? std::vector<std::string>{"fast", "secure"} : o.profiles;
    for (const std::string& name : profiles) {
      const riscv_air::ProvingSetup setup = riscv_air::setup(image, *stark::profile_by_name(name), circuits);
      program_ids.emplace_back(name, stark::to_hex(riscv_air::program_id(setup.key)));
    }
  } catch (const riscv_air::RefusedError& e) {
    program_ids.clear();
    not_provable = e.what();
  } catch (const precompiles::PackageError& e) {
    // The id commits to the package circuits; without the package here it cannot be computed.
    program_ids.clear();
    id_unknown = e.what();
  }

  // A program whose precompiles do not resolve here would not load for `zkrv run`: say so in the
  // exit status too, not only in the text.
  const bool loadable = descriptor_error.empty() &&
                        std::all_of(declared.begin(), declared.end(), [](const Declared& d) { return d.ok; });
  if (o.json) {
    nlohmann::json j;
    j["program"] = o.program;
    j["loadable"] = loadable;
    j["valid"] = true;
    j["entry"] = image.entry;
    j["abi_version"] = abi_version ? nlohmann::json(*abi_version) : nlohmann::json(nullptr);
    j["segments"] = nlohmann::json::array();
    for (const auto& s : image.segments) {
      j["segments"].push_back({{"index", s.index}, {"vaddr", s.vaddr}, {"memsz", s.memsz},
                               {"filesz", s.file_bytes.size()}, {"flags", flags_text(s.flags)}});
    }
    j["sections"] = nlohmann::json::array();
    for (const auto& s : image.sections) {
      if (s.name.empty()) continue;
      j["sections"].push_back({{"name", s.name}, {"addr", s.addr}, {"size", s.bytes.size()}});
    }
    j["symbols"] = image.symbols.size();
    j["program_id"] = nlohmann::json::object();
    for (const auto& [profile, id] : program_ids) j["program_id"][profile] = id;
    if (!not_provable.empty()) j["not_provable"] = not_provable;
    if (!id_unknown.empty()) j["program_id_unknown"] = id_unknown;
    j["precompiles"] = nlohmann::json::array();
    for (const auto& p : declared) {
      j["precompiles"].push_back({{"index", p.descriptor.index}, {"name", p.descriptor.name},
                                  {"requirement", p.descriptor.version_requirement}, {"resolved", p.ok},
                                  {"resolution", p.resolution}, {"circuit", p.circuit_kind}});
      if (p.circuit_kind == "package") j["precompiles"].back()["circuit_digest"] = p.circuit;
      if (p.circuit_kind == "unavailable") j["precompiles"].back()["circuit_error"] = p.circuit;
    }
    if (!descriptor_error.empty()) j["precompile_error"] = descriptor_error;
    for (const auto& [k, v] : checks) j["checks"][k] = v;
    std::cout << j.dump(2) << "\n";
    return loadable ? kExitSuccess : kExitBadInput;
  }
  std::cout << fmt::format("{}: valid zkrv guest ELF\n", o.program);
  for (const auto& [k, v] : checks) std::cout << fmt::format("  {:<11}{}\n", k, v);
  std::cout << "  segments:\n";
  for (const auto& s : image.segments) {
    std::cout << fmt::format("    #{:<2} {}  0x{:08x}-0x{:08x}  {:>10} bytes ({} from the file)\n", s.index,
                             flags_text(s.flags), s.vaddr, uint64_t{s.vaddr} + s.memsz, s.memsz, s.file_bytes.size());
  }
  bool header = false;
  for (const auto& s : image.sections) {
    if (!s.name.starts_with(".note.zkrv")) continue;
    if (!header) std::cout << "  zkrv notes:\n";
    header = true;
    std::cout << fmt::format("    {} ({} bytes)\n", s.name, s.bytes.size());
  }
  if (!declared.empty() || !descriptor_error.empty()) std::cout << "  precompiles:\n";
  for (const auto& p : declared) {
    std::cout << fmt::format("    #{:<4} {} {}: {}{}\n", p.descriptor.index, p.descriptor.name,
                             p.descriptor.version_requirement, p.ok ? "" : "NOT RESOLVED: ", p.resolution);
    const std::string circuit = p.circuit_kind == "first-party" ? "zkrv's own (first-party)"
                                : p.circuit_kind == "package"   ? "the package's, digest " + p.circuit
                                : p.circuit_kind == "none"      ? "none (zkrv prove refuses a run that calls it)"
                                                                : "unavailable: " + p.circuit;
    std::cout << fmt::format("          circuit: {}\n", circuit);
  }
  if (!descriptor_error.empty()) std::cout << "    invalid: " << descriptor_error << "\n";
  std::cout << fmt::format("  symbols:   {}\n", image.symbols.size());
  for (const auto& [profile, id] : program_ids) std::cout << fmt::format("  program id {} (profile {})\n", id, profile);
  if (!not_provable.empty()) std::cout << fmt::format("  program id none: this machine does not prove it ({})\n", not_provable);
  if (!id_unknown.empty()) {
    std::cout << fmt::format("  program id unknown here: it commits to a declared package's circuit, which cannot be read ({})\n",
                             id_unknown);
  }
  if (o.all_symbols) {
    for (const auto& s : image.symbols) {
      std::cout << fmt::format("    0x{:08x} {:>8} {} {}\n", s.value, s.size, s.is_function ? 'F' : 'O', s.name);
    }
  }
  if (!loadable) {
    std::cerr << "zkrv inspect: the program's precompiles do not all resolve here, so it would not load\n";
    return kExitBadInput;
  }
  return kExitSuccess;
}

}  // namespace

Subcommand register_inspect(CLI::App& app) { return make_subcommand(app, add_command, do_inspect); }

}  // namespace zkrv::cli
