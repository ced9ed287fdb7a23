#include "meshctl/network/module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

// Null unless the module's areas are linked into this program.
extern "C" const meshctl::network::Module* meshctl_network_module() __attribute__((weak));

namespace meshctl::network {
namespace {

constexpr std::string_view kFileName = "meshctl-network.so";

std::filesystem::path executable_folder() {
  std::array<char, 4096> buffer{};
  const auto length = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (length <= 0) return {};
  return std::filesystem::path(std::string(buffer.data(), static_cast<std::size_t>(length))).parent_path();
}

std::vector<std::filesystem::path> candidates() {
  const auto folder = executable_folder();
  if (folder.empty()) return {};
  return {folder / kFileName, (folder / MESHCTL_MODULE_FOLDER / kFileName).lexically_normal()};
}

// The module in the file at `path`; the reason it cannot be used otherwise.
Result<const Module*> open(const std::filesystem::path& path) {
  // RTLD_NOW: a symbol the executable does not provide fails here, with a
  // message, rather than at the first call.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* cause = ::dlerror();
    return make_error(ErrorKind::unavailable, cause != nullptr ? cause : "it cannot be loaded");
  }
  // The handle stays open: the module's code runs until the process ends.
  using Entry = const Module* (*)();
  auto* entry = reinterpret_cast<Entry>(::dlsym(handle, "meshctl_network_module"));  // NOLINT: dlsym's type
  const Module* module = entry != nullptr ? entry() : nullptr;
  if (module == nullptr) return make_error(ErrorKind::unavailable, "it is not a meshctl network module");
  if (module->abi != kModuleAbi || module->version == nullptr || std::string_view(module->version) != MESHCTL_VERSION) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("it is from meshctl {} (this is {}): install both from one build",
                                  module->version != nullptr ? module->version : "?", MESHCTL_VERSION));
  }
  return module;
}

Result<const Module*> find_module() {
  if (meshctl_network_module != nullptr) return meshctl_network_module();
  std::string tried;
  for (const auto& path : candidates()) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      tried += fmt::format("\n  {}: no such file", path.string());
      continue;
    }
    auto module = open(path);
    if (module) return module;
    tried += fmt::format("\n  {}: {}", path.string(), module.error().message);
  }
  return make_error(ErrorKind::unavailable,
                    "this command needs meshctl's network module (PostgreSQL, the registry server and its "
                    "client), which could not be loaded:" +
                        tried);
}

}  // namespace

Result<const Module*> load_module() {
  static const Result<const Module*> module = find_module();
  return module;
}

}  // namespace meshctl::network
