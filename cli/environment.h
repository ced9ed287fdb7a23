#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace meshctl::cli {

// The one place that reads the process environment.
std::optional<std::string> environment_variable(const char* name);

// MESHCTL_CONFIG, else $XDG_CONFIG_HOME/meshctl/config.yaml, else ~/.config/meshctl/config.yaml.
std::filesystem::path config_file_path();

// $XDG_DATA_HOME/meshctl/registry.db, else ~/.local/share/meshctl/registry.db.
std::filesystem::path default_database_path();

// Where `validate --cache` keeps findings: $XDG_CACHE_HOME/meshctl/validate, else ~/.cache/meshctl/validate.
std::filesystem::path default_validate_cache_path();

// The operating-system user, the actor of embedded-registry changes.
std::string current_user();

}  // namespace meshctl::cli
