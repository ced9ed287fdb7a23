#include <array>
#include <utility>

#include <unistd.h>

#include "meshctl/network/module.h"

// Null unless the network areas are linked into this program.
extern "C" const meshctl::network::Module* meshctl_network_module() __attribute__((weak));

namespace meshctl::network {
namespace {

std::function<Error()>& handover() {
  static std::function<Error()> installed;
  return installed;
}

std::filesystem::path executable_folder() {
  std::array<char, 4096> buffer{};
  const auto length = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (length <= 0) return {};
  return std::filesystem::path(std::string(buffer.data(), static_cast<std::size_t>(length))).parent_path();
}

}  // namespace

Result<const Module*> load_module() {
  if (meshctl_network_module != nullptr) return meshctl_network_module();
  if (handover()) return handover()();
  return make_error(ErrorKind::unavailable,
                    "this program has no network support (PostgreSQL, the registry server and its client)");
}

void set_handover(std::function<Error()> run) {
  handover() = std::move(run);
}

std::vector<std::filesystem::path> helper_candidates() {
  const auto folder = executable_folder();
  if (folder.empty()) return {};
  return {folder / kHelperName, (folder / MESHCTL_HELPER_FOLDER / kHelperName).lexically_normal()};
}

}  // namespace meshctl::network
