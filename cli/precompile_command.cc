// `zkrv precompile new | build | pack | inspect | verify | sign | keygen | install | list | check`:
// precompile packages (docs/precompiles.md). The work is done by precompiles/package
// (zkrv::precompiles) and, for `check`, riscv_air/package_check.h; this file parses options, prints
// reports and maps failures to exit statuses: 2 for usage errors, 5 for a package that is bad,
// tampered with, untrusted or cannot be read or written, 9 for a `check` that finds a problem.
#include <fmt/format.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.h"

#include "base/file.h"
#include "base/hex.h"
#include "base/process.h"
#include "precompiles/package/package.h"
#include "precompiles/package/semver.h"
#include "precompiles/package/store.h"
#include "precompiles/package/trust.h"
#include "riscv_air/package_check.h"

namespace zkrv::cli {

namespace {

namespace fs = std::filesystem;
using precompiles::Package;
using precompiles::PackageError;

constexpr const char* kProjectFile = "zkrv-precompile.json";

struct PrecompileOptions {
  // new
  std::string directory;
  std::string name;
  std::string version = "0.1.0";
  // build
  std::string sdk;
  std::string build_type = "Release";
  // pack
  std::string manifest;
  std::string library;
  std::string circuit;
  std::string output;
  std::string revision;
  bool no_check = false;
  bool no_circuit = false;
  // inspect, verify, sign, install
  std::string package;
  std::string key;
  std::string expect_sha256;
  std::vector<std::string> trust_keys;
  std::vector<std::string> trust_files;
  std::string into;
  bool allow_untrusted = false;
  bool force = false;
  bool run_in_process = false;
  // list
  std::vector<std::string> paths;
  bool json = false;
  // check
  riscv_air::PackageCheckOptions check;
  CLI::App* command = nullptr;  // `zkrv precompile`, to tell which of its subcommands was parsed
};

CLI::App* add_command(CLI::App& app, PrecompileOptions& o) {
  CLI::App* precompile =
      app.add_subcommand("precompile", "Create, build, pack, sign, verify and install precompile packages");
  o.command = precompile;
  precompile->require_subcommand(1);
  const auto trust_options = [&](CLI::App* command) {
    command->add_option("--trust-file", o.trust_files,
                        "Trust file (repeatable; default: $ZKRV_TRUST_FILE, else the per-user and the bundled one)");
    command->add_option("--trust-key", o.trust_keys, "Also trust this public key (key file or ed25519:<hex>; repeatable)");
    command->add_flag("--allow-untrusted", o.allow_untrusted, "Accept an unsigned or untrusted package (with a warning)");
  };

  CLI::App* create = precompile->add_subcommand("new", "Scaffold a CMake precompile project");
  create->add_option("directory", o.directory, "Directory to create (must be empty or absent)")->required();
  create->add_option("--name", o.name, "Precompile name, e.g. acme.blake2s_compress")->required();
  create->add_option("--version", o.version, "Initial version")->capture_default_str();

  CLI::App* build = precompile->add_subcommand("build", "Configure and build a precompile project with CMake");
  build->add_option("directory", o.directory, "Project directory (with CMakeLists.txt)")->required();
  build->add_option("--sdk", o.sdk, "Precompile SDK directory (default: $ZKRV_PRECOMPILE_SDK, else this build's)");
  build->add_option("--build-type", o.build_type, "CMAKE_BUILD_TYPE")->capture_default_str();

  CLI::App* pack = precompile->add_subcommand("pack", "Pack manifest + library (+ circuit) into one package file");
  pack->add_option("directory", o.directory, "Project directory (reads zkrv-precompile.json and the build record)");
  pack->add_option("--manifest", o.manifest, "Project manifest (default: <directory>/zkrv-precompile.json)");
  pack->add_option("--library", o.library, "The built library (default: from <directory>/build)");
  pack->add_option("--circuit", o.circuit, "Circuit file for the prover (default: the build record's, when zkrv_add_precompile_circuit made one)");
  pack->add_option("--revision", o.revision, "Source revision for the provenance (default: git HEAD)");
  pack->add_option("--key", o.key, "Sign with this secret key file");
  pack->add_option("-o,--output", o.output, "Package file (default: <directory>/<name>-<version>.zkrvpkg)");
  pack->add_flag("--no-circuit", o.no_circuit, "Pack without the circuit the build made (the package runs but cannot be proven)")
      ->excludes(pack->get_option("--circuit"));
  pack->add_flag("--no-check", o.no_check, "Do not load the library to check its name, version and ABI");
  pack->add_flag("--json", o.json, "Print a JSON report on stdout");

  CLI::App* inspect = precompile->add_subcommand("inspect", "Show a package's manifest, digests and signature");
  inspect->add_option("package", o.package, "Package file")->required();
  inspect->add_option("--trust-file", o.trust_files, "Trust file (repeatable)");
  inspect->add_flag("--json", o.json, "Print as JSON");

  CLI::App* verify = precompile->add_subcommand("verify", "Check a package's digests, ABI version, signature and trust");
  verify->add_option("package", o.package, "Package file")->required();
  verify->add_option("--expect-sha256", o.expect_sha256, "Fail unless the package SHA-256 is this");
  trust_options(verify);
  verify->add_flag("--json", o.json, "Print a JSON report on stdout");

  CLI::App* sign = precompile->add_subcommand("sign", "Sign a package with an ed25519 key (replaces any signature)");
  sign->add_option("package", o.package, "Package file")->required();
  sign->add_option("--key", o.key, "Secret key file (zkrv precompile keygen)")->required();
  sign->add_option("-o,--output", o.output, "Write the signed package here (default: in place)");

  CLI::App* keygen = precompile->add_subcommand("keygen", "Generate an ed25519 signing key (secret file + .pub.json)");
  keygen->add_option("--name", o.name, "Key name shown to people who trust it")->required();
  keygen->add_option("-o,--output", o.output, "Secret key file to create (mode 0600)")->required();

  CLI::App* install = precompile->add_subcommand("install", "Verify a package and install it into the search path");
  install->add_option("package", o.package, "Package file")->required();
  install->add_option("--into", o.into, "Install directory (default: the first search-path entry)");
  install->add_flag("--force", o.force, "Replace an installed package of the same name and version");
  install->add_flag("--run-in-process", o.run_in_process,
                    "Let packages trusted through this install's --trust-key keys (or this package, if it is "
                    "allowed by digest) run inside zkrv instead of the sandbox");
  trust_options(install);
  install->add_flag("--json", o.json, "Print a JSON report on stdout");

  CLI::App* list = precompile->add_subcommand("list", "List installed packages and whether they verify");
  list->add_option("--path", o.paths, "Search this directory instead of the search path (repeatable)");
  list->add_option("--trust-file", o.trust_files, "Trust file (repeatable)");
  list->add_flag("--json", o.json, "Print as JSON");

  CLI::App* check = precompile->add_subcommand(
      "check", "Check a package's circuit against its library's rows on random calls (a soundness linter)");
  check->add_option("package", o.package, "Package file, or the name of an installed package")->required();
  check->add_option("--calls", o.check.calls, "Random calls to make")->check(whole_number_in(1, 100000))->capture_default_str();
  check->add_option("--seed", o.check.seed, "Seed of the calls, their memory and the sampled cells")
      ->check(whole_number_in(0, UINT64_MAX))
      ->capture_default_str();
  check->add_option("--cells", o.check.cells, "Cells to mutate, at most")->check(whole_number_in(0, 100000000))->capture_default_str();
  check->add_option("--path", o.paths, "Search this directory for an installed package instead of the search path (repeatable)");
  check->add_flag("--json", o.json, "Print a JSON report on stdout");
  return precompile;
}

std::string created_by() { return std::string("zkrv ") + ZKRV_VERSION; }

std::vector<fs::path> trust_files(const PrecompileOptions& options) {
  if (options.trust_files.empty()) return precompiles::default_trust_files();
  return {options.trust_files.begin(), options.trust_files.end()};
}

// The trust store for verify/install: the trust files plus any --trust-key given for this command.
precompiles::TrustStore trust_store(const PrecompileOptions& options) {
  precompiles::TrustStore trust = precompiles::TrustStore::load(trust_files(options));
  for (const auto& key : options.trust_keys) trust.add_key(precompiles::read_public_key(key));
  return trust;
}

std::vector<fs::path> search_path(const PrecompileOptions& options) {
  if (options.paths.empty()) return precompiles::default_search_path();
  return {options.paths.begin(), options.paths.end()};
}

nlohmann::json manifest_summary(const Package& package) {
  nlohmann::json j = package.manifest.to_json();
  j.erase("format");
  return j;
}

// The JSON report of pack, verify and install on stdout: the package's identity plus `fields`
// (nlohmann::json sorts the keys, so where they are added does not show).
void print_package_report(const Package& package, nlohmann::json fields) {
  fields["name"] = package.manifest.name;
  fields["version"] = package.manifest.version;
  fields["package_sha256"] = base::to_hex(package.digest());
  std::cout << fields.dump(2) << "\n";
}

std::string signature_text(const Package& package) {
  if (!package.signature) return "none";
  return fmt::format("{} ({})", precompiles::public_key_text(package.signature->public_key),
                     precompiles::signature_verifies(package) ? "verifies" : "DOES NOT VERIFY");
}

// Runs a program with its stdout and stderr on our stderr (the command's chatter is not our
// report); returns its exit status, 127 when it cannot start.
int run_program(const std::vector<std::string>& argv) {
  std::cerr << "+";
  for (const auto& arg : argv) std::cerr << " " << arg;
  std::cerr << "\n";
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kToOtherStream;
  const base::ProcessResult result = base::run_process(argv, options);
  return result.started ? result.exit_status : 127;
}

std::string git_revision(const fs::path& directory) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kDiscard;
  const base::ProcessResult result = base::run_process({"git", "-C", directory.string(), "rev-parse", "HEAD"}, options);
  if (!result.started || result.exit_status != 0) return "";
  std::string revision = result.stdout_text.substr(0, result.stdout_text.find('\n'));
  while (!revision.empty() && revision.back() == '\r') revision.pop_back();
  return revision;
}

nlohmann::json read_json(const fs::path& path, const char* what) {
  constexpr uint64_t kLimit = uint64_t{16} << 20;
  std::vector<uint8_t> bytes;
  if (const auto failure = base::read_file(path, kLimit, &bytes)) {
    if (failure->kind == base::FileReadFailure::Kind::kOpen) {
      throw PackageError(fmt::format("cannot open {} '{}'", what, path.string()));
    }
    throw PackageError(fmt::format("{} {}", what, failure->describe(path, kLimit)));
  }
  nlohmann::json json = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) throw PackageError(fmt::format("{} '{}' is not a JSON object", what, path.string()));
  return json;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw PackageError(fmt::format("cannot write '{}'", path.string()));
}

// ---- new ----------------------------------------------------------------------------------------

int do_new(const PrecompileOptions& options) {
  const std::string& name = options.name;
  if (!precompiles::valid_precompile_name(name)) {
    throw UsageError(fmt::format("--name '{}' is not a valid precompile name (lower-case letters, digits, '.', '_', '-'; "
                                 "starting with a letter or digit; at most 63 bytes), e.g. 'acme.blake2s_compress'",
                                 name));
  }
  if (!precompiles::parse_version(options.version)) throw UsageError(fmt::format("--version '{}' is not MAJOR.MINOR.PATCH", options.version));
  const fs::path dir = options.directory;
  if (fs::exists(dir) && !fs::is_empty(dir)) throw UsageError(fmt::format("'{}' exists and is not empty", dir.string()));
  std::string target = name;
  for (char& c : target) {
    if (c == '.' || c == '-') c = '_';
  }
  fs::create_directories(dir / "src");
  write_text(dir / "CMakeLists.txt", fmt::format(R"(# A zkrv precompile: one shared library exporting zkrv_precompile_eval.
# Built by `zkrv precompile build`, or by hand with
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=<zkrv precompile SDK> && cmake --build build
cmake_minimum_required(VERSION 3.20)
project({0} CXX)

find_package(zkrv-precompile 1 REQUIRED CONFIG)
zkrv_add_precompile({0} SOURCES src/precompile.cc)
)", target));
  write_text(dir / "src" / "precompile.cc", fmt::format(R"(// {0}: rd = the sum of the rs2 32-bit words at guest address rs1.
#include <zkrv/precompile.hpp>

namespace {{

uint32_t sum_words(uint32_t rs1, uint32_t rs2, zkrv::precompile::Memory& memory) {{
  if (rs2 > 1024) throw zkrv::precompile::Fault("{0}: at most 1024 words");
  uint32_t sum = 0;
  for (uint32_t i = 0; i < rs2; ++i) sum += memory.load<uint32_t>(rs1 + 4 * i);
  return sum;
}}

}}  // namespace

// The name and version must match zkrv-precompile.json: the loader checks.
ZKRV_DEFINE_PRECOMPILE("{0}", "{1}", sum_words)
)", name, options.version));
  nlohmann::json project = {{"name", name},
                            {"version", options.version},
                            {"description", "rd = sum of rs2 words at rs1"},
                            {"authors", nlohmann::json::array({"Your Name <you@example.org>"})},
                            {"license", "MIT"},
                            {"repository", "https://example.org/your/repository.git"}};
  write_text(dir / kProjectFile, project.dump(2) + "\n");
  write_text(dir / ".gitignore", "/build/\n*.zkrvpkg\n");
  write_text(dir / "README.md", fmt::format(R"(# {0}

A zkrv precompile. Edit `src/precompile.cc` and `{1}`, then:

    zkrv precompile build .
    zkrv precompile pack . -o {0}.zkrvpkg
    zkrv precompile sign {0}.zkrvpkg --key my-key.json
    zkrv precompile install {0}.zkrvpkg --trust-key my-key.pub.json
)", name, kProjectFile));
  std::cerr << fmt::format("zkrv precompile new: created '{}' for precompile {}@{}\n", dir.string(), name, options.version);
  return kExitSuccess;
}

// ---- build --------------------------------------------------------------------------------------

fs::path sdk_dir(const PrecompileOptions& options) {
  if (!options.sdk.empty()) return options.sdk;
  if (const char* env = std::getenv("ZKRV_PRECOMPILE_SDK"); env && *env) return env;
  return precompiles::bundled_sdk_dir();
}

int do_build(const PrecompileOptions& options) {
  const fs::path dir = options.directory;
  if (!fs::exists(dir / "CMakeLists.txt")) throw UsageError(fmt::format("'{}' has no CMakeLists.txt", dir.string()));
  const fs::path sdk = sdk_dir(options);
  if (sdk.empty() || !fs::exists(sdk / "lib" / "cmake" / "zkrv-precompile" / "zkrv-precompile-config.cmake")) {
    throw UsageError(fmt::format("no precompile SDK at '{}' (pass --sdk or set ZKRV_PRECOMPILE_SDK)", sdk.string()));
  }
  const fs::path build = dir / "build";
  int status = run_program({"cmake", "-S", dir.string(), "-B", build.string(), "-DCMAKE_PREFIX_PATH=" + fs::absolute(sdk).string(),
                            "-DCMAKE_BUILD_TYPE=" + options.build_type});
  if (status == 0) status = run_program({"cmake", "--build", build.string()});
  if (status != 0) {
    std::cerr << fmt::format("zkrv precompile build: building '{}' failed (status {})\n", dir.string(), status);
    return kExitBadInput;
  }
  std::cerr << fmt::format("zkrv precompile build: built '{}'\n", build.string());
  // The circuits zkrv_add_precompile_circuit encoded, which pack will pack. Only said: the build
  // succeeded, and pack checks the records again (a bad one is its error to report).
  for (const auto& entry : fs::directory_iterator(build)) {
    if (!entry.path().filename().string().ends_with(".zkrv-precompile.json")) continue;
    nlohmann::json record;
    try {
      record = read_json(entry.path(), "build record");
    } catch (const std::exception& e) {
      std::cerr << "zkrv precompile build: warning: " << e.what() << "\n";
      continue;
    }
    const auto it = record.find("circuit");
    if (it == record.end() || !it->is_string()) continue;
    const fs::path circuit = it->get<std::string>();
    std::error_code error;
    if (!fs::is_regular_file(circuit, error)) continue;
    const uintmax_t size = fs::file_size(circuit, error);
    if (!error) std::cerr << fmt::format("zkrv precompile build: circuit '{}' ({} bytes)\n", circuit.string(), size);
  }
  return kExitSuccess;
}

// ---- pack ---------------------------------------------------------------------------------------

// What zkrv_add_precompile (and zkrv_add_precompile_circuit) record in the build directory: the
// library, and the circuit when the package has one.
struct BuildRecord {
  fs::path library;
  fs::path circuit;  // empty: none
};

BuildRecord read_build_record(const fs::path& dir) {
  std::vector<fs::path> records;
  if (fs::is_directory(dir / "build")) {
    for (const auto& entry : fs::directory_iterator(dir / "build")) {
      if (entry.path().filename().string().ends_with(".zkrv-precompile.json")) records.push_back(entry.path());
    }
  }
  if (records.empty()) throw UsageError(fmt::format("no built precompile in '{}' (run `zkrv precompile build {}` or pass --library)",
                                                    (dir / "build").string(), dir.string()));
  if (records.size() > 1) throw UsageError(fmt::format("'{}' has several precompiles; pass --library", (dir / "build").string()));
  const nlohmann::json record = read_json(records[0], "build record");
  if (!record.contains("library") || !record["library"].is_string()) {
    throw PackageError(fmt::format("build record '{}' names no library", records[0].string()));
  }
  BuildRecord built{record["library"].get<std::string>(), {}};
  if (const auto it = record.find("circuit"); it != record.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      throw PackageError(fmt::format("build record '{}': 'circuit' is not a file name", records[0].string()));
    }
    built.circuit = it->get<std::string>();
    if (!fs::exists(built.circuit)) {
      throw PackageError(fmt::format("build record '{}' names the circuit '{}', which does not exist (run `zkrv precompile build {}`)",
                                     records[0].string(), built.circuit.string(), dir.string()));
    }
  }
  return built;
}

precompiles::Manifest manifest_from_project(const nlohmann::json& project, const fs::path& path) {
  const auto text = [&](const char* key, bool required) -> std::string {
    const auto it = project.find(key);
    if (it == project.end()) {
      if (required) throw PackageError(fmt::format("'{}': '{}' is missing", path.string(), key));
      return "";
    }
    if (!it->is_string()) throw PackageError(fmt::format("'{}': '{}' is not a string", path.string(), key));
    return it->get<std::string>();
  };
  precompiles::Manifest m;
  m.name = text("name", true);
  m.version = text("version", true);
  m.description = text("description", false);
  m.license = text("license", false);
  m.repository = text("repository", false);
  m.revision = text("revision", false);
  if (const auto it = project.find("authors"); it != project.end()) {
    if (!it->is_array()) throw PackageError(fmt::format("'{}': 'authors' is not a list", path.string()));
    for (const auto& author : *it) {
      if (!author.is_string()) throw PackageError(fmt::format("'{}': 'authors' must be a list of strings", path.string()));
      m.authors.push_back(author.get<std::string>());
    }
  }
  if (!precompiles::valid_precompile_name(m.name)) throw PackageError(fmt::format("'{}': name '{}' is not a valid precompile name", path.string(), m.name));
  if (!precompiles::parse_version(m.version)) throw PackageError(fmt::format("'{}': version '{}' is not MAJOR.MINOR.PATCH", path.string(), m.version));
  return m;
}

int do_pack(const PrecompileOptions& options) {
  fs::path project_file = options.manifest;
  fs::path library = options.library;
  fs::path circuit_file = options.circuit;
  if (!options.directory.empty()) {
    if (project_file.empty()) project_file = fs::path(options.directory) / kProjectFile;
    // Without --library, the build record names the library and the circuit it made, if any; an
    // explicit --circuit wins over the record's. With --library the record is not read.
    if (library.empty()) {
      const BuildRecord built = read_build_record(options.directory);
      library = built.library;
      if (circuit_file.empty() && !options.no_circuit) circuit_file = built.circuit;
    }
  }
  if (project_file.empty() || library.empty()) throw UsageError("pass a project directory, or --manifest and --library");
  precompiles::Manifest manifest = manifest_from_project(read_json(project_file, "project manifest"), project_file);
  if (!options.revision.empty()) manifest.revision = options.revision;
  if (manifest.revision.empty()) manifest.revision = git_revision(project_file.parent_path().empty() ? "." : project_file.parent_path());
  if (manifest.revision.empty()) manifest.revision = "unknown";
  manifest.precompile_abi_version = ZKRV_PRECOMPILE_ABI_VERSION;
  manifest.created_by = created_by();
  std::optional<std::vector<uint8_t>> circuit;
  if (!circuit_file.empty()) circuit = precompiles::read_file_bytes(circuit_file);
  Package package = precompiles::make_package(std::move(manifest), precompiles::read_file_bytes(library), std::move(circuit),
                                              library.filename().string(), circuit_file.filename().string());
  if (!options.no_check) {
    // The author's own library, loaded from the bytes just hashed: catches a name or version that
    // differs from the manifest, or a library built against another ABI, before anyone installs it.
    precompiles::open_package_library(package, library.string());
  }
  if (!options.key.empty()) precompiles::sign_package(package, precompiles::read_signing_key(options.key));
  const fs::path output = options.output.empty() ? fs::path(options.directory.empty() ? "." : options.directory) /
                                                       (package.manifest.name + "-" + package.manifest.version + ".zkrvpkg")
                                                 : fs::path(options.output);
  precompiles::write_package_file(output, package);
  if (options.json) {
    print_package_report(package, {{"package", output.string()}, {"signed", package.signature.has_value()}});
  }
  std::cerr << fmt::format("zkrv precompile pack: wrote '{}' ({}, package sha256 {}{})\n", output.string(), package.id(),
                           base::to_hex(package.digest()), package.signature ? ", signed" : ", unsigned");
  return kExitSuccess;
}

// ---- inspect ------------------------------------------------------------------------------------

int do_inspect(const PrecompileOptions& options) {
  const Package package = precompiles::read_package_file(options.package);
  const std::vector<std::string> problems = precompiles::integrity_problems(package);
  const precompiles::TrustDecision trust = precompiles::evaluate_trust(package, precompiles::TrustStore::load(trust_files(options)));
  if (options.json) {
    nlohmann::json j;
    j["package"] = options.package;
    j["package_sha256"] = base::to_hex(package.digest());
    j["manifest"] = manifest_summary(package);
    j["signature"] = package.signature ? nlohmann::json{{"public_key", precompiles::public_key_text(package.signature->public_key)},
                                                        {"verifies", precompiles::signature_verifies(package)}}
                                       : nlohmann::json(nullptr);
    j["trust"] = trust.kind_name();
    j["integrity_problems"] = problems;
    std::cout << j.dump(2) << "\n";
  } else {
    const auto& m = package.manifest;
    std::cout << fmt::format("{}: precompile package {}\n", options.package, package.id());
    std::cout << fmt::format("  package sha256  {}\n", base::to_hex(package.digest()));
    std::cout << fmt::format("  description     {}\n", m.description);
    std::string authors;
    for (const auto& author : m.authors) authors += (authors.empty() ? "" : ", ") + author;
    std::cout << fmt::format("  authors         {}\n", authors);
    std::cout << fmt::format("  license         {}\n", m.license);
    std::cout << fmt::format("  provenance      {} @ {}\n", m.repository, m.revision);
    std::cout << fmt::format("  precompile ABI  v{}\n", m.precompile_abi_version);
    std::cout << fmt::format("  library         {} ({} bytes, sha256 {})\n", m.library.file, m.library.size, base::to_hex(m.library.sha256));
    std::cout << fmt::format("  circuit         {}\n", m.circuit ? fmt::format("{} ({} bytes, sha256 {})", m.circuit->file, m.circuit->size,
                                                                               base::to_hex(m.circuit->sha256))
                                                                 : "none");
    std::cout << fmt::format("  created by      {}\n", m.created_by);
    std::cout << fmt::format("  signature       {}\n", signature_text(package));
    std::cout << fmt::format("  trust           {}\n", trust.describe());
    std::cout << fmt::format("  integrity       {}\n", problems.empty() ? "ok" : "DAMAGED");
    for (const auto& problem : problems) std::cout << fmt::format("    {}\n", problem);
  }
  return problems.empty() ? kExitSuccess : kExitBadInput;
}

// ---- verify -------------------------------------------------------------------------------------

int do_verify(const PrecompileOptions& options) {
  std::optional<precompiles::Sha256> expected;
  if (!options.expect_sha256.empty()) {
    expected = precompiles::sha256_from_hex(options.expect_sha256);
    if (!expected) throw UsageError(fmt::format("--expect-sha256 '{}' is not 64 hex digits", options.expect_sha256));
  }
  const precompiles::TrustStore trust = trust_store(options);
  const Package package = precompiles::read_package_file(options.package);
  const precompiles::VerifyReport report =
      precompiles::verify_package(package, options.package, {&trust, options.allow_untrusted, expected});
  for (const auto& warning : report.warnings) std::cerr << "zkrv precompile verify: warning: " << warning << "\n";
  if (options.json) {
    print_package_report(package, {{"package", options.package},
                                   {"valid", true},
                                   {"trust", report.trust.kind_name()},
                                   {"warnings", report.warnings}});
  }
  std::cerr << fmt::format("zkrv precompile verify: {} ('{}') is intact and {}\n", package.id(), options.package,
                           report.trust.describe());
  return kExitSuccess;
}

// ---- sign, keygen -------------------------------------------------------------------------------

int do_sign(const PrecompileOptions& options) {
  const precompiles::SigningKey key = precompiles::read_signing_key(options.key);
  Package package = precompiles::read_package_file(options.package);
  const std::vector<std::string> problems = precompiles::integrity_problems(package);
  if (!problems.empty()) {
    throw PackageError(fmt::format("package {} ('{}') is damaged; not signing it: {}", package.id(), options.package, problems[0]));
  }
  precompiles::sign_package(package, key);
  const std::string output = options.output.empty() ? options.package : options.output;
  precompiles::write_package_file(output, package);
  std::cerr << fmt::format("zkrv precompile sign: signed {} with '{}' ({}) into '{}'\n", package.id(), key.name,
                           precompiles::public_key_text(key.public_key), output);
  return kExitSuccess;
}

fs::path public_key_path(const fs::path& secret) {
  std::string text = secret.string();
  if (text.ends_with(".json")) text.resize(text.size() - 5);
  return text + ".pub.json";
}

int do_keygen(const PrecompileOptions& options) {
  if (options.output.empty()) throw UsageError("keygen needs -o <secret key file>");
  const precompiles::SigningKey key = precompiles::generate_signing_key(options.name.empty() ? "unnamed" : options.name);
  const fs::path output = options.output;
  if (output.has_parent_path()) fs::create_directories(output.parent_path());
  precompiles::write_signing_key(output, key);
  precompiles::write_public_key(public_key_path(output), {key.name, key.public_key});
  std::cerr << fmt::format("zkrv precompile keygen: wrote the secret key '{}' (keep it private) and the public key '{}' ({})\n",
                           output.string(), public_key_path(output).string(), precompiles::public_key_text(key.public_key));
  return kExitSuccess;
}

// ---- install, list ------------------------------------------------------------------------------

int do_install(const PrecompileOptions& options) {
  const std::vector<fs::path> files = trust_files(options);
  if (files.empty()) throw UsageError("no trust file (set ZKRV_TRUST_FILE or pass --trust-file)");
  // --trust-key is a lasting decision: it goes into the first trust file, as does an allowed package.
  for (const auto& key_text : options.trust_keys) {
    precompiles::NamedPublicKey key = precompiles::read_public_key(key_text);
    key.run_in_process = options.run_in_process;
    if (precompiles::add_key_to_trust_file(files[0], key)) {
      std::cerr << fmt::format("zkrv precompile install: trusting '{}' ({}){} in '{}'\n", key.name,
                               precompiles::public_key_text(key.public_key),
                               key.run_in_process ? " to run in process" : "", files[0].string());
    }
  }
  const precompiles::TrustStore trust = precompiles::TrustStore::load(files);
  const Package package = precompiles::read_package_file(options.package);
  const precompiles::VerifyReport report =
      precompiles::verify_package(package, options.package, {&trust, options.allow_untrusted, std::nullopt});
  for (const auto& warning : report.warnings) std::cerr << "zkrv precompile install: warning: " << warning << "\n";
  const std::vector<fs::path> path = search_path(options);
  const fs::path into = options.into.empty() ? (path.empty() ? fs::path() : path[0]) : fs::path(options.into);
  if (into.empty()) throw UsageError("no install directory (set ZKRV_PRECOMPILE_PATH or pass --into)");
  const fs::path installed = precompiles::install_package(package, into, options.force);
  if (!report.trust.trusted()) {
    precompiles::allow_package_in_trust_file(
        files[0], {package.manifest.name, package.manifest.version, package.digest(), options.run_in_process});
    std::cerr << fmt::format("zkrv precompile install: recorded {} (package sha256 {}) as allowed in '{}'\n", package.id(),
                             base::to_hex(package.digest()), files[0].string());
  }
  if (options.json) {
    print_package_report(package, {{"installed", installed.string()}, {"trust", report.trust.kind_name()}});
  }
  std::cerr << fmt::format("zkrv precompile install: installed {} as '{}' ({})\n", package.id(), installed.string(),
                           report.trust.describe());
  return kExitSuccess;
}

int do_list(const PrecompileOptions& options) {
  const std::vector<fs::path> path = search_path(options);
  const precompiles::TrustStore trust = precompiles::TrustStore::load(trust_files(options));
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& item : precompiles::list_installed(path)) {
    nlohmann::json e{{"file", item.file.string()}};
    if (!item.package) {
      e["status"] = "unreadable";
      e["error"] = item.error;
    } else {
      const Package& p = *item.package;
      const std::vector<std::string> problems = precompiles::integrity_problems(p);
      const precompiles::TrustDecision decision = precompiles::evaluate_trust(p, trust);
      e["name"] = p.manifest.name;
      e["version"] = p.manifest.version;
      e["package_sha256"] = base::to_hex(p.digest());
      e["description"] = p.manifest.description;
      e["trust"] = decision.kind_name();
      e["status"] = !problems.empty() ? "damaged" : decision.trusted() ? "ok" : "untrusted";
      if (!problems.empty()) e["error"] = problems[0];
      else if (!decision.trusted()) e["error"] = decision.describe();
      else e["signer"] = decision.signer;
    }
    entries.push_back(std::move(e));
  }
  // Damaged or unreadable packages are errors (a run that needs one fails to load); untrusted
  // ones are shown but are the user's decision.
  const bool broken = std::any_of(entries.begin(), entries.end(), [](const nlohmann::json& e) {
    return e["status"] == "damaged" || e["status"] == "unreadable";
  });
  if (options.json) {
    nlohmann::json dirs = nlohmann::json::array();
    for (const auto& dir : path) dirs.push_back(dir.string());
    std::cout << nlohmann::json{{"search_path", dirs}, {"packages", entries}}.dump(2) << "\n";
    return broken ? kExitBadInput : kExitSuccess;
  }
  std::cout << "search path:\n";
  for (const auto& dir : path) std::cout << "  " << dir.string() << (fs::is_directory(dir) ? "" : " (missing)") << "\n";
  if (entries.empty()) std::cout << "no precompile packages installed\n";
  for (const auto& e : entries) {
    if (e["status"] == "unreadable") {
      std::cout << fmt::format("  {:<32} {:<9} {}\n", "?", "", e["file"].get<std::string>());
      std::cout << fmt::format("      unreadable: {}\n", e["error"].get<std::string>());
      continue;
    }
    std::cout << fmt::format("  {:<32} {:<9} {}  {}\n", e["name"].get<std::string>(), e["version"].get<std::string>(),
                             e["package_sha256"].get<std::string>().substr(0, 16), e["file"].get<std::string>());
    std::cout << fmt::format("      {}\n", e["status"] == "ok" ? "signed by " + e["signer"].get<std::string>()
                                                               : e["status"].get<std::string>() + ": " + e["error"].get<std::string>());
  }
  return broken ? kExitBadInput : kExitSuccess;
}

// ---- check ---------------------------------------------------------------------------------------

// The package to check: the file, or else the highest installed version of that name (integrity
// only: an author checks packages nobody has signed yet; the library runs in the sandbox anyway).
std::pair<Package, std::string> package_to_check(const PrecompileOptions& options) {
  const fs::path file = options.package;
  if (fs::is_regular_file(file)) return {precompiles::read_package_file(file), file.string()};
  if (!precompiles::valid_precompile_name(options.package)) {
    throw PackageError(fmt::format("'{}' is neither a package file nor a precompile name", options.package));
  }
  precompiles::LoaderOptions loader;
  loader.search_path = search_path(options);
  loader.allow_untrusted = true;
  precompiles::ResolvedPackage resolved = precompiles::resolve_precompile({options.package, "*", std::nullopt}, loader);
  return {std::move(resolved.package), resolved.file.string()};
}

nlohmann::json check_json(const riscv_air::PackageCheckReport& r) {
  nlohmann::json failures = nlohmann::json::array();
  for (const riscv_air::RowFailure& f : r.row_failures) {
    failures.push_back({{"row", f.row},
                        {"call", f.call ? nlohmann::json(*f.call) : nlohmann::json(nullptr)},
                        {"constraint", f.constraint},
                        {"constraint_name", f.constraint_name},
                        {"value", f.value}});
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const riscv_air::CellFinding& c : r.cell_problems) {
    problems.push_back({{"problem", riscv_air::cell_problem_name(c.problem)},
                        {"row", c.row},
                        {"call", c.call},
                        {"column", c.column},
                        {"column_name", c.column_name},
                        {"honest", c.honest},
                        {"mutated", c.mutated},
                        {"detail", c.detail}});
  }
  return {{"package", r.package},
          {"clean", r.clean()},
          {"refusal", r.refusal},
          {"circuit_digest", r.circuit_digest},
          {"main_width", r.main_width},
          {"constraints", r.constraints},
          {"interactions", r.interactions},
          {"rows_per_call", r.rows_per_call},
          {"calls", {{"made", r.calls}, {"faulted", r.faulted_calls}, {"witnessed", r.witnessed_calls},
                     {"checked", r.checked_calls}, {"capped", r.calls_capped}, {"fault_samples", r.fault_samples}}},
          {"witness_errors", {{"count", r.witness_error_count}, {"listed", r.witness_errors}}},
          {"rows", {{"checked", r.rows}, {"padding", r.padding_rows}, {"failure_count", r.row_failure_count},
                    {"failures", failures}}},
          {"unread_columns", r.unread_columns},
          {"probe", {{"cells_mutated", r.cells_mutated}, {"caught_by_constraints", r.caught_by_constraints},
                     {"caught_by_buses", r.caught_by_buses}, {"problem_count", r.cell_problem_count},
                     {"problems", problems}}}};
}

void print_check(const riscv_air::PackageCheckReport& r) {
  std::cout << r.package << ": ";
  if (!r.refusal.empty()) {
    std::cout << "circuit refused: " << r.refusal << "\n";
  } else {
    std::cout << fmt::format("circuit {} ({} columns, {} constraints, {} interactions as the machine binds it)\n",
                             r.circuit_digest, r.main_width, r.constraints, r.interactions);
    std::cout << fmt::format("calls: {} made, {} faulted (counted, not problems), {} witnessed, {} witness errors\n", r.calls,
                             r.faulted_calls, r.witnessed_calls, r.witness_error_count);
    for (const std::string& f : r.fault_samples) std::cout << "  fault: " << f << "\n";
    for (const std::string& e : r.witness_errors) std::cout << "  WITNESS ERROR: " << e << "\n";
    if (r.calls_capped) std::cout << "  (no more calls made: their rows reached the check's bound on values)\n";
    if (r.checked_calls == 0 && r.witness_error_count == 0) {
      std::cout << fmt::format("NOTHING CHECKED: no call's rows reached the table ({} witnessed; every call faulted, or the "
                               "circuit's fixed columns are too short for one call): try more --calls\n",
                               r.witnessed_calls);
    }
    std::cout << fmt::format("rows: {} checked ({} zero rows): {} failing constraint(s)\n", r.rows, r.padding_rows,
                             r.row_failure_count);
    for (const riscv_air::RowFailure& f : r.row_failures) {
      std::cout << fmt::format("  FAILS: row {} ({}): constraint {} '{}' is {:#x}\n", f.row,
                               f.call ? fmt::format("call {}", *f.call) : std::string("zero row"), f.constraint,
                               f.constraint_name, f.value);
    }
    if (!r.unread_columns.empty()) {
      std::cout << fmt::format("UNREAD: {} column(s) no constraint or message reads:", r.unread_columns.size());
      for (size_t i = 0; i < r.unread_columns.size() && i < 16; ++i) std::cout << " " << r.unread_columns[i];
      std::cout << (r.unread_columns.size() > 16 ? " ...\n" : "\n");
    }
    std::cout << fmt::format("probe: {} cells mutated: {} caught by a constraint, {} by the bus balance, {} unsound\n",
                             r.cells_mutated, r.caught_by_constraints, r.caught_by_buses, r.cell_problem_count);
    for (const riscv_air::CellFinding& c : r.cell_problems) {
      std::cout << fmt::format("  {}: row {} (call {}) column {} '{}': {:#x} -> {:#x} keeps every constraint{}\n",
                               c.problem == riscv_air::CellProblem::kForgeableOutput ? "FORGEABLE OUTPUT" : "FREE CELL", c.row,
                               c.call, c.column, c.column_name, c.honest, c.mutated,
                               c.detail.empty() ? " and every message" : "; " + c.detail);
    }
  }
  std::cout << (r.clean() ? "clean\n" : "PROBLEMS FOUND\n");
}

int do_check(const PrecompileOptions& options) {
  const auto [package, origin] = package_to_check(options);
  const riscv_air::PackageCheckReport report =
      riscv_air::check_package(package, origin, precompiles::sandbox::default_worker_path(), options.check);
  if (options.json) {
    std::cout << check_json(report).dump(2) << "\n";
  } else {
    print_check(report);
  }
  return report.clean() ? kExitSuccess : kExitUnsound;
}

int run_precompile(const PrecompileOptions& options) {
  const CLI::App& precompile = *options.command;
  const std::string command = precompile.get_subcommands().empty() ? "" : precompile.get_subcommands()[0]->get_name();
  try {
    if (command == "new") return do_new(options);
    if (command == "build") return do_build(options);
    if (command == "pack") return do_pack(options);
    if (command == "inspect") return do_inspect(options);
    if (command == "verify") return do_verify(options);
    if (command == "sign") return do_sign(options);
    if (command == "keygen") return do_keygen(options);
    if (command == "install") return do_install(options);
    if (command == "list") return do_list(options);
    if (command == "check") return do_check(options);
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "zkrv precompile " << command << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {  // PackageError, filesystem errors
    if (options.json) std::cout << nlohmann::json{{"valid", false}, {"error", e.what()}}.dump(2) << "\n";
    std::cerr << "zkrv precompile " << command << ": " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace

Subcommand register_precompile(CLI::App& app) { return make_subcommand(app, add_command, run_precompile); }

}  // namespace zkrv::cli
