#include "guest/driver/guest_build.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "base/layout.h"
#include "base/process.h"

namespace zkrv::guestbuild {
namespace fs = std::filesystem;

namespace {

enum class Language { kC, kCxx, kAsm };

std::optional<Language> language_of(const fs::path& source) {
  std::string extension = source.extension().string();
  if (extension == ".c") return Language::kC;
  if (extension == ".cc" || extension == ".cpp" || extension == ".cxx" || extension == ".C") {
    return Language::kCxx;
  }
  if (extension == ".S" || extension == ".s") return Language::kAsm;
  return std::nullopt;
}

std::string quote(const std::string& word) {
  if (!word.empty() && word.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string join_command(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& word : argv) {
    if (!line.empty()) line += ' ';
    line += quote(word);
  }
  return line;
}

// Runs argv (looked up in PATH) with stdout and stderr captured together, so the compiler's
// diagnostics can be handed back to the caller; `stdout_text` holds both, or why it did not start.
base::ProcessResult run_tool(const std::vector<std::string>& argv) {
  base::ProcessOptions options;
  options.stdout_mode = base::ChildOutput::kCapture;
  options.stderr_mode = base::ChildOutput::kToOtherStream;
  base::ProcessResult result = base::run_process(argv, options);
  if (!result.started) result.stdout_text = result.start_error;
  return result;
}

// A temporary directory removed when this object goes away.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (fs::temp_directory_path() / "zkrv-build-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// sdk.cfg: key=value lines naming the host's compilers, picolibc and libc++ headers.
using SdkConfig = std::map<std::string, std::string>;

std::optional<std::string> read_sdk_config(const fs::path& sdk_dir, SdkConfig* config) {
  fs::path path = sdk_dir / "sdk.cfg";
  std::ifstream in(path);
  if (!in) {
    return fmt::format("zkrv build: no guest SDK at {} ({} is missing); build the SDK first",
                       sdk_dir.string(), path.string());
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    (*config)[line.substr(0, equals)] = line.substr(equals + 1);
  }
  for (const char* key : {"clang", "clangxx", "gcc", "gxx", "picolibc", "libcxx_include"}) {
    if (config->count(key) == 0) {
      return fmt::format("zkrv build: {} lacks the key '{}'", path.string(), key);
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_options(const BuildOptions& options) {
  if (options.inputs.empty()) return "zkrv build: no sources given";
  if (options.output.empty()) return "zkrv build: no output path given (-o)";
  static const char* const kLevels[] = {"0", "1", "2", "3", "s", "z", "g"};
  if (std::find(std::begin(kLevels), std::end(kLevels), options.optimization) ==
      std::end(kLevels)) {
    return fmt::format("zkrv build: optimisation level '{}' is not one of 0, 1, 2, 3, s, z, g",
                       options.optimization);
  }
  if (options.stack_size && (*options.stack_size == 0 || *options.stack_size % 16 != 0 ||
                             *options.stack_size > 0x40000000)) {
    return fmt::format("zkrv build: stack size {} must be a non-zero multiple of 16, at most 1 GiB",
                       *options.stack_size);
  }
  if (options.heap_size && *options.heap_size > 0xC0000000) {
    return fmt::format("zkrv build: heap size {} exceeds 3 GiB", *options.heap_size);
  }
  for (const fs::path& input : options.inputs) {
    std::error_code error;
    if (fs::is_directory(input, error)) {
      if (options.inputs.size() != 1) {
        return fmt::format("zkrv build: {} is a directory; give either one project directory or "
                           "source files, not both",
                           input.string());
      }
      if (!fs::exists(input / "CMakeLists.txt")) {
        return fmt::format("zkrv build: directory {} has no CMakeLists.txt", input.string());
      }
      continue;
    }
    if (!fs::exists(input, error)) {
      return fmt::format("zkrv build: source {} does not exist", input.string());
    }
    if (!language_of(input)) {
      return fmt::format("zkrv build: {}: unknown source type '{}' (expected .c, .cc, .cpp, "
                         ".cxx, .S or .s)",
                         input.string(), input.extension().string());
    }
  }
  return std::nullopt;
}

std::vector<std::string> arch_flags(const BuildOptions& options) {
  std::vector<std::string> flags = {fmt::format("-march={}", to_string(options.arch)),
                                    "-mabi=ilp32"};
  if (options.compiler == Compiler::kClang) {
    flags.insert(flags.begin(), "--target=riscv32-unknown-elf");
    flags.push_back("-mno-relax");  // LLD 14 implements no RISC-V relaxation
  }
  return flags;
}

// The same flags as guest/cmake/zkrv-riscv32.cmake; keep the two in step.
std::vector<std::string> compile_flags(const BuildOptions& options, const fs::path& sdk_dir,
                                       const SdkConfig& config, Language language) {
  std::vector<std::string> flags = arch_flags(options);
  if (language == Language::kCxx) {
    flags.insert(flags.end(), {"-nostdinc++", "-isystem", (sdk_dir / "include/libcxx").string(),
                               "-isystem", config.at("libcxx_include")});
  }
  if (options.compiler == Compiler::kClang) flags.push_back("-nostdlibinc");
  flags.insert(flags.end(),
               {"-ffunction-sections", "-fdata-sections", "-ftls-model=local-exec", "-isystem",
                (sdk_dir / "include").string(), "-isystem", config.at("picolibc") + "/include/release",
                // -g: source lines in fault reports and traces; debug sections are never loaded.
                "-O" + options.optimization, "-g"});
  if (language == Language::kCxx) {
    flags.insert(flags.end(), {"-std=c++20", "-D_DEFAULT_SOURCE", "-fno-exceptions", "-fno-rtti",
                               "-fno-threadsafe-statics"});
  }
  return flags;
}

std::string compiler_for(const BuildOptions& options, const SdkConfig& config, bool cxx) {
  if (options.compiler == Compiler::kClang) return config.at(cxx ? "clangxx" : "clang");
  return config.at(cxx ? "gxx" : "gcc");
}

BuildResult fail(BuildResult result, std::string message) {
  result.ok = false;
  result.error = std::move(message);
  return result;
}

// Runs one step; on failure returns the message "<what> failed (exit N):\n<tool output>".
std::optional<std::string> run_step(const std::vector<std::string>& argv, const std::string& what,
                                    BuildResult* result) {
  result->commands.push_back(join_command(argv));
  const base::ProcessResult process = run_tool(argv);
  if (!process.started) return fmt::format("zkrv build: {}: {}", what, process.stdout_text);
  if (process.exit_status != 0) {
    return fmt::format("zkrv build: {} failed (exit status {}):\n{}", what, process.exit_status,
                       process.stdout_text);
  }
  return std::nullopt;
}

BuildResult build_sources(const BuildOptions& options, const fs::path& sdk_dir,
                          const SdkConfig& config) {
  BuildResult result;
  TemporaryDirectory objects;
  if (objects.path().empty()) return fail(result, "zkrv build: cannot create a temporary directory");

  bool any_cxx = false;
  std::vector<std::string> object_files;
  for (size_t i = 0; i < options.inputs.size(); ++i) {
    const fs::path& source = options.inputs[i];
    Language language = *language_of(source);
    any_cxx = any_cxx || language == Language::kCxx;
    std::string object =
        (objects.path() / fmt::format("{}-{}.o", i, source.stem().string())).string();
    std::vector<std::string> argv = {compiler_for(options, config, language == Language::kCxx)};
    for (std::string& flag : compile_flags(options, sdk_dir, config, language)) {
      argv.push_back(std::move(flag));
    }
    argv.insert(argv.end(), options.extra_flags.begin(), options.extra_flags.end());
    argv.insert(argv.end(), {"-c", source.string(), "-o", object});
    if (auto error = run_step(argv, fmt::format("compiling {}", source.string()), &result)) {
      return fail(std::move(result), *error);
    }
    object_files.push_back(std::move(object));
  }

  std::string arch(to_string(options.arch));
  std::vector<std::string> libgcc_query = {config.at("gcc"), "-march=" + arch, "-mabi=ilp32",
                                           "-print-libgcc-file-name"};
  const base::ProcessResult libgcc = run_tool(libgcc_query);
  if (!libgcc.started || libgcc.exit_status != 0) {
    return fail(std::move(result),
                fmt::format("zkrv build: cannot locate libgcc with {}:\n{}", config.at("gcc"),
                            libgcc.stdout_text));
  }
  std::string libgcc_path = libgcc.stdout_text.substr(0, libgcc.stdout_text.find_last_not_of("\r\n") + 1);

  std::error_code ignored;
  if (options.output.has_parent_path()) fs::create_directories(options.output.parent_path(), ignored);
  std::vector<std::string> argv = {compiler_for(options, config, any_cxx)};
  for (std::string& flag : arch_flags(options)) argv.push_back(std::move(flag));
  if (options.compiler == Compiler::kClang) argv.push_back("-fuse-ld=lld");
  argv.insert(argv.end(), {"-nostdlib", "-T", (sdk_dir / "zkrv.ld").string(), "-Wl,--gc-sections",
                           "-L" + (sdk_dir / "lib" / arch).string(),
                           "-L" + config.at("picolibc") + "/lib/release/" + arch + "/ilp32"});
  if (options.stack_size) {
    argv.push_back(fmt::format("-Wl,--defsym=__zkrv_stack_size={:#x}", *options.stack_size));
  }
  if (options.heap_size) {
    argv.push_back(fmt::format("-Wl,--defsym=__zkrv_heap_size={:#x}", *options.heap_size));
  }
  argv.insert(argv.end(), options.extra_flags.begin(), options.extra_flags.end());
  argv.insert(argv.end(), object_files.begin(), object_files.end());
  argv.insert(argv.end(), {"-Wl,--start-group", "-lzkrv", "-lc", "-lm", libgcc_path,
                           "-Wl,--end-group", "-o", options.output.string()});
  if (auto error = run_step(argv, fmt::format("linking {}", options.output.string()), &result)) {
    return fail(std::move(result), *error);
  }
  result.ok = true;
  return result;
}

BuildResult build_project(const BuildOptions& options, const fs::path& sdk_dir) {
  BuildResult result;
  TemporaryDirectory build_dir;
  if (build_dir.path().empty()) {
    return fail(result, "zkrv build: cannot create a temporary directory");
  }
  std::string flags;
  for (const std::string& flag : options.extra_flags) flags += (flags.empty() ? "" : " ") + flag;
  std::string linker_flags = flags;
  if (options.stack_size) {
    linker_flags += fmt::format(" -Wl,--defsym=__zkrv_stack_size={:#x}", *options.stack_size);
  }
  if (options.heap_size) {
    linker_flags += fmt::format(" -Wl,--defsym=__zkrv_heap_size={:#x}", *options.heap_size);
  }
  // The toolchain file appends ZKRV_EXTRA_FLAGS / ZKRV_EXTRA_LINK_FLAGS to its own flags; setting
  // CMAKE_C_FLAGS here instead would replace them.
  std::vector<std::string> configure = {
      "cmake", "-S", options.inputs[0].string(), "-B", build_dir.path().string(), "-G", "Ninja",
      "-DCMAKE_TOOLCHAIN_FILE=" + (sdk_dir / "cmake/zkrv-riscv32.cmake").string(),
      "-DZKRV_SDK_DIR=" + sdk_dir.string(),
      fmt::format("-DZKRV_COMPILER={}", to_string(options.compiler)),
      fmt::format("-DZKRV_ARCH={}", to_string(options.arch)),
      "-DCMAKE_BUILD_TYPE=None",
      "-DZKRV_EXTRA_FLAGS=-O" + options.optimization + (flags.empty() ? "" : " " + flags),
      "-DZKRV_EXTRA_LINK_FLAGS=" + linker_flags};
  if (auto error = run_step(configure, "configuring " + options.inputs[0].string(), &result)) {
    return fail(std::move(result), *error);
  }
  std::vector<std::string> build = {"cmake", "--build", build_dir.path().string()};
  if (auto error = run_step(build, "building " + options.inputs[0].string(), &result)) {
    return fail(std::move(result), *error);
  }

  std::vector<fs::path> elves;
  for (const auto& entry : fs::recursive_directory_iterator(build_dir.path())) {
    if (entry.is_regular_file() && entry.path().extension() == ".elf") elves.push_back(entry.path());
  }
  if (elves.size() != 1) {
    std::string found;
    for (const fs::path& elf : elves) found += "\n  " + fs::relative(elf, build_dir.path()).string();
    return fail(std::move(result),
                fmt::format("zkrv build: project {} produced {} .elf files; expected exactly one{}",
                            options.inputs[0].string(), elves.size(), found));
  }
  std::error_code error;
  if (options.output.has_parent_path()) fs::create_directories(options.output.parent_path(), error);
  fs::copy_file(elves[0], options.output, fs::copy_options::overwrite_existing, error);
  if (error) {
    return fail(std::move(result), fmt::format("zkrv build: cannot write {}: {}",
                                               options.output.string(), error.message()));
  }
  result.ok = true;
  return result;
}

}  // namespace

std::optional<Compiler> parse_compiler(std::string_view name) {
  if (name == "clang") return Compiler::kClang;
  if (name == "gcc") return Compiler::kGcc;
  return std::nullopt;
}

std::optional<Arch> parse_arch(std::string_view name) {
  if (name == "rv32imac") return Arch::kRv32imac;
  if (name == "rv32im") return Arch::kRv32im;
  return std::nullopt;
}

std::string_view to_string(Compiler compiler) {
  return compiler == Compiler::kClang ? "clang" : "gcc";
}

std::string_view to_string(Arch arch) { return arch == Arch::kRv32imac ? "rv32imac" : "rv32im"; }

SdkLocation find_sdk() {
  const char* variable = std::getenv("ZKRV_SDK");
  if (variable != nullptr && *variable != '\0') return {variable, "ZKRV_SDK"};
  const base::Layout& layout = base::running_layout();
  std::error_code error;
  if (layout.kind == base::LayoutKind::kInstalled) {
    const fs::path installed = layout.data_dir / "sdk";
    if (fs::is_regular_file(installed / "zkrv.ld", error)) return {installed, "installed"};
    return {};
  }
  if (layout.kind == base::LayoutKind::kBuildTree && !layout.guest_sdk_dir.empty()) {
    return {layout.guest_sdk_dir, "build tree"};
  }
  return {};
}

fs::path default_sdk_dir() { return find_sdk().dir; }

fs::path guest_linker_script(const std::string& sdk_dir, std::string* error) {
  const fs::path dir = sdk_dir.empty() ? default_sdk_dir() : fs::path(sdk_dir);
  if (dir.empty()) {
    *error = "zkrv build: no guest SDK found (set ZKRV_SDK or pass --sdk DIR; `zkrv sdk-path` explains)";
    return {};
  }
  const fs::path candidate = dir / "zkrv.ld";
  std::error_code ignored;
  if (fs::is_regular_file(candidate, ignored)) return fs::absolute(candidate, ignored);
  *error = fmt::format("zkrv build: no SDK linker script {}; pass --sdk DIR", candidate.string());
  return {};
}

BuildResult build_guest(const BuildOptions& options) {
  if (auto error = check_options(options)) return fail(BuildResult{}, *error);
  fs::path sdk_dir = options.sdk_dir.empty() ? default_sdk_dir() : options.sdk_dir;
  if (sdk_dir.empty()) {
    return fail(BuildResult{}, "zkrv build: no guest SDK found (set ZKRV_SDK or pass --sdk DIR; `zkrv sdk-path` explains)");
  }
  SdkConfig config;
  if (auto error = read_sdk_config(sdk_dir, &config)) return fail(BuildResult{}, *error);
  fs::path library = sdk_dir / "lib" / std::string(to_string(options.arch)) / "libzkrv.a";
  if (!fs::exists(library)) {
    return fail(BuildResult{}, fmt::format("zkrv build: the SDK at {} has no {}", sdk_dir.string(),
                                           library.string()));
  }
  std::error_code error;
  if (fs::is_directory(options.inputs[0], error)) return build_project(options, sdk_dir);
  return build_sources(options, sdk_dir, config);
}

}  // namespace zkrv::guestbuild
