#include "network_handover.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include "environment.h"
#include "meshctl/network/module.h"

namespace meshctl::cli {

namespace {

// The variable that tells meshctl-network which meshctl handed it the command.
constexpr const char* kHandoverVariable = "MESHCTL_HANDED_OVER_BY";

// Puts `text` where the helper reads standard input: an in-memory file at descriptor 0.
bool give_stdin_again(const std::string& text) {
  const int file = ::memfd_create("meshctl-stdin", 0);
  if (file < 0) return false;
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(file, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(file);
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  const bool ok = ::lseek(file, 0, SEEK_SET) == 0 && ::dup2(file, STDIN_FILENO) == STDIN_FILENO;
  ::close(file);
  return ok;
}

Error hand_over(std::span<char* const> argv, const Context& context) {
  std::string tried;
  if (context.stdin_text && !give_stdin_again(*context.stdin_text)) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("this command needs meshctl-network, and standard input could not be passed on "
                                  "to it: {}",
                                  std::strerror(errno)));
  }
  ::setenv(kHandoverVariable, MESHCTL_VERSION, 1);  // NOLINT(concurrency-mt-unsafe): the process is replaced
  std::vector<char*> arguments(argv.begin(), argv.end());
  arguments.push_back(nullptr);
  for (const auto& path : network::helper_candidates()) {
    ::execv(path.c_str(), arguments.data());
    tried += fmt::format("\n  {}: {}", path.string(), errno == ENOENT ? "no such file" : std::strerror(errno));
  }
  ::unsetenv(kHandoverVariable);  // NOLINT(concurrency-mt-unsafe): single-threaded here
  return make_error(ErrorKind::unavailable,
                    "this command needs meshctl-network (PostgreSQL, the registry server and its client), installed "
                    "with meshctl, which could not be run:" +
                        tried);
}

}  // namespace

void install_network_handover(std::span<char* const> argv, Context& context) {
  network::set_handover([argv, &context] { return hand_over(argv, context); });
}

int check_handover(Context& context) {
  const auto by = environment_variable(kHandoverVariable);
  ::unsetenv(kHandoverVariable);  // NOLINT(concurrency-mt-unsafe): before any thread starts
  if (!by || *by == MESHCTL_VERSION) return 0;
  return report_error(context,
                      make_error(ErrorKind::unavailable,
                                 fmt::format("meshctl {} handed this command to meshctl-network {}: install both from "
                                             "one build",
                                             *by, MESHCTL_VERSION)));
}

}  // namespace meshctl::cli
