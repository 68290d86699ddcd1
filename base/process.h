// Runs a child process: argv looked up in PATH, an edited copy of this process's environment,
// each of stdout and stderr inherited, discarded, captured or sent to the other, and an optional
// time limit after which the child is killed. stdin is always /dev/null: no tool run by zkrv
// reads from the user's terminal.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace zkrv::base {

enum class ChildOutput {
  kInherit,       // this process's own stream
  kDiscard,       // /dev/null
  kCapture,       // into ProcessResult::stdout_text / stderr_text
  kToOtherStream, // wherever the other stream goes (stdout into stderr, or stderr into stdout);
                  // the other stream must not be kToOtherStream too
};

struct ProcessOptions {
  ChildOutput stdout_mode = ChildOutput::kInherit;
  ChildOutput stderr_mode = ChildOutput::kInherit;
  std::vector<std::string> set_environment;  // "NAME=value": replaces or adds NAME
  std::set<std::string> unset_environment;   // names removed from the environment
  int timeout_ms = 0;                        // 0: wait as long as it takes
};

struct ProcessResult {
  bool started = false;
  std::string start_error;  // why it did not start, e.g. "cannot start cc: No such file or directory"
  bool timed_out = false;   // killed with SIGKILL after timeout_ms
  int exit_status = -1;     // the exit code, or 128 + the signal that ended it
  int signal = 0;           // the signal that ended it, 0 if it exited
  std::string stdout_text;  // captured stdout (with stderr too when stderr_mode is kToOtherStream)
  std::string stderr_text;  // captured stderr (with stdout too when stdout_mode is kToOtherStream)
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// This process's environment as "NAME=value" entries, with `unset` removed and `set` replacing or
// adding entries.
std::vector<std::string> environment_with(const std::vector<std::string>& set, const std::set<std::string>& unset);

}  // namespace zkrv::base
