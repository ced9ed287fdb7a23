#include "environment.h"

#include <cstdlib>

#include <pwd.h>
#include <unistd.h>

namespace meshctl::cli {

namespace fs = std::filesystem;

std::optional<std::string> environment_variable(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before any thread starts
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

namespace {

fs::path home_folder() {
  if (auto home = environment_variable("HOME")) return *home;
  if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr) return entry->pw_dir;
  return fs::current_path();
}

// An XDG base folder: the variable when it is an absolute path (the spec says to ignore relative ones).
fs::path xdg_folder(const char* variable, const char* fallback_under_home) {
  if (auto value = environment_variable(variable); value && fs::path(*value).is_absolute()) return *value;
  return home_folder() / fallback_under_home;
}

}  // namespace

fs::path config_file_path() {
  if (auto explicit_path = environment_variable("MESHCTL_CONFIG")) return *explicit_path;
  return xdg_folder("XDG_CONFIG_HOME", ".config") / "meshctl" / "config.yaml";
}

fs::path default_database_path() {
  return xdg_folder("XDG_DATA_HOME", ".local/share") / "meshctl" / "registry.db";
}

fs::path default_validate_cache_path() {
  return xdg_folder("XDG_CACHE_HOME", ".cache") / "meshctl" / "validate";
}

std::string current_user() {
  if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr && entry->pw_name != nullptr) {
    return entry->pw_name;
  }
  if (auto user = environment_variable("USER")) return *user;
  return "uid-" + std::to_string(::geteuid());
}

}  // namespace meshctl::cli
