#include "base/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

extern char** environ;

namespace zkrv::base {
namespace {

using Clock = std::chrono::steady_clock;

class Pipe {
 public:
  Pipe() = default;
  ~Pipe() { close_both(); }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  bool open() { return ::pipe2(fds_, O_CLOEXEC) == 0; }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_write() { close_fd(fds_[1]); }
  void close_read() { close_fd(fds_[0]); }
  void close_both() {
    close_read();
    close_write();
  }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  int fds_[2] = {-1, -1};
};

// Reads what is available on `fd` into `out`; false once the stream is finished.
bool drain(int fd, std::string& out) {
  char buffer[65536];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    out.append(buffer, static_cast<size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

int milliseconds_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

std::vector<std::string> environment_with(const std::vector<std::string>& set, const std::set<std::string>& unset) {
  std::set<std::string> replaced = unset;
  for (const std::string& entry : set) replaced.insert(entry.substr(0, entry.find('=')));
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (replaced.count(text.substr(0, text.find('='))) == 0) environment.push_back(text);
  }
  environment.insert(environment.end(), set.begin(), set.end());
  return environment;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult result;
  if (argv.empty()) {
    result.start_error = "cannot start a process: no program named";
    return result;
  }
  const bool capture_out = options.stdout_mode == ChildOutput::kCapture;
  const bool capture_err = options.stderr_mode == ChildOutput::kCapture;
  Pipe out_pipe, err_pipe;
  if ((capture_out && !out_pipe.open()) || (capture_err && !err_pipe.open())) {
    result.start_error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return result;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const auto direct = [&](ChildOutput mode, int fd, const Pipe& pipe) {
    if (mode == ChildOutput::kDiscard) posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0);
    if (mode == ChildOutput::kCapture) posix_spawn_file_actions_adddup2(&actions, pipe.write_end(), fd);
  };
  // The stream sent to the other one is set up after that one, so it follows its redirection.
  if (options.stdout_mode == ChildOutput::kToOtherStream) {
    direct(options.stderr_mode, STDERR_FILENO, err_pipe);
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  } else {
    direct(options.stdout_mode, STDOUT_FILENO, out_pipe);
    if (options.stderr_mode == ChildOutput::kToOtherStream) {
      posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    } else {
      direct(options.stderr_mode, STDERR_FILENO, err_pipe);
    }
  }

  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  const bool edited_environment = !options.set_environment.empty() || !options.unset_environment.empty();
  const std::vector<std::string> environment =
      edited_environment ? environment_with(options.set_environment, options.unset_environment) : std::vector<std::string>{};
  std::vector<char*> env;
  for (const std::string& entry : environment) env.push_back(const_cast<char*>(entry.c_str()));
  env.push_back(nullptr);
  // What this process has buffered must come out before what the child writes to the same place.
  std::fflush(nullptr);
  pid_t pid = 0;
  const int spawn_error =
      posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), edited_environment ? env.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  out_pipe.close_write();
  err_pipe.close_write();
  if (spawn_error != 0) {
    result.start_error = "cannot start " + argv[0] + ": " + std::strerror(spawn_error);
    return result;
  }
  result.started = true;

  const bool has_deadline = options.timeout_ms > 0;
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  const auto kill_child = [&] {
    ::kill(pid, SIGKILL);
    result.timed_out = true;
  };
  bool out_open = capture_out, err_open = capture_err;
  while ((out_open || err_open) && !result.timed_out) {
    pollfd fds[2] = {{out_open ? out_pipe.read_end() : -1, POLLIN, 0}, {err_open ? err_pipe.read_end() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, has_deadline ? milliseconds_until(deadline) : -1);
    if (ready < 0 && errno != EINTR) break;
    if (ready == 0 && has_deadline && Clock::now() >= deadline) {
      kill_child();
      break;
    }
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) out_open = drain(out_pipe.read_end(), result.stdout_text);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) err_open = drain(err_pipe.read_end(), result.stderr_text);
  }
  out_pipe.close_read();
  err_pipe.close_read();

  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, has_deadline && !result.timed_out ? WNOHANG : 0);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (done == 0) {  // still running, with its streams closed or not captured
      if (Clock::now() >= deadline) {
        kill_child();
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5, milliseconds_until(deadline) + 1)));
      }
    }
  }
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_status = 128 + result.signal;
  }
  return result;
}

}  // namespace zkrv::base
