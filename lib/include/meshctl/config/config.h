#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/core/registry_location.h"

namespace meshctl::config {

// A named registry (and its credential), as kubectl's contexts.
struct NamedContext {
  std::string name;
  std::string registry;
  std::optional<std::string> token;
};

// The user's config file (`meshctl config …`).
struct Config {
  std::optional<std::string> current_context;
  std::vector<NamedContext> contexts;  // names unique, in the order they were added

  const NamedContext* find(std::string_view name) const;
  // Adds the context or updates the given members of an existing one.
  void set_context(const std::string& name, const std::optional<std::string>& registry,
                   const std::optional<std::string>& token);
};

// Loads the config file; a missing file is an empty Config, not an error.
// A malformed one fails with ErrorKind::invalid naming the file, line and column.
Result<Config> load_config(const std::filesystem::path& path);

// The file's text: YAML that load_config reads back unchanged.
std::string render_config(const Config& config);

// Writes the config atomically (a temporary file renamed over the old one),
// readable by its owner only (it may hold tokens); creates the folder.
Status save_config(const std::filesystem::path& path, const Config& config);

// Everything that may name the registry, gathered by the CLI (lib reads no environment).
struct RegistryInputs {
  std::optional<std::string> flag_registry;  // --registry
  std::optional<std::string> flag_token;     // --token
  std::optional<std::string> env_registry;   // MESHCTL_REGISTRY
  std::optional<std::string> env_token;      // MESHCTL_TOKEN
  Config config;                             // its current context, if any
  std::filesystem::path default_database;    // $XDG_DATA_HOME/meshctl/registry.db
};

struct ResolvedRegistry {
  RegistryLocation location;
  // The default registry only: its folder is meshctl's to create (see
  // LocalRegistryOptions::create_folder).
  bool create_folder = false;
  std::optional<std::string> token;
  std::string origin;  // what chose it: "--registry", "MESHCTL_REGISTRY", "context NAME", "default"
};

// Picks the registry: --registry, else MESHCTL_REGISTRY, else the current
// context, else the default database. The token: --token, else MESHCTL_TOKEN,
// else the current context's. Fails with ErrorKind::invalid on a location
// that parse_registry_location refuses or a current context that does not
// exist.
Result<ResolvedRegistry> resolve_registry(const RegistryInputs& inputs);

}  // namespace meshctl::config
