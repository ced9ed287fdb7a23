#include "meshctl/config/config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "meshctl/core/file.h"
#include "meshctl/core/json_text.h"
#include "meshctl/yaml/loader.h"

namespace meshctl::config {

namespace fs = std::filesystem;

const NamedContext* Config::find(std::string_view name) const {
  auto it = std::find_if(contexts.begin(), contexts.end(), [&](const NamedContext& c) { return c.name == name; });
  return it == contexts.end() ? nullptr : &*it;
}

void Config::set_context(const std::string& name, const std::optional<std::string>& registry,
                         const std::optional<std::string>& token) {
  auto it = std::find_if(contexts.begin(), contexts.end(), [&](const NamedContext& c) { return c.name == name; });
  if (it == contexts.end()) {
    contexts.push_back(NamedContext{name, registry.value_or(""), token});
    return;
  }
  if (registry) it->registry = *registry;
  if (token) it->token = token;
}

namespace {

Error config_error(const fs::path& path, Position position, const std::string& message) {
  return make_error(ErrorKind::invalid,
                    fmt::format("{}:{}:{}: {}", path.string(), position.line, position.column, message));
}

// A JSON string is a valid YAML double-quoted scalar: one escaping rule for both.
std::string quoted(const std::string& text) {
  return json_text(nlohmann::json(text));
}

}  // namespace

Result<Config> load_config(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Config{};
  auto text = read_file(path);
  if (!text) return text.error();
  auto loaded = yaml::parse_yaml(*text, path.string());
  if (!loaded.diagnostics.empty()) {
    const auto& d = loaded.diagnostics.front();
    return config_error(path, d.position, d.message);
  }
  Config config;
  if (loaded.documents.empty()) return config;
  const yaml::Node& root = loaded.documents.front().root;
  if (!root.is_mapping()) return config_error(path, root.position, "the config file must be a mapping");
  if (const auto* current = root.find("current-context")) {
    if (!current->is_string()) return config_error(path, current->position, "current-context must be a string");
    config.current_context = current->text;
  }
  if (const auto* contexts = root.find("contexts")) {
    if (!contexts->is_mapping()) {
      return config_error(path, contexts->position, "contexts must be a mapping of name: {registry, token}");
    }
    for (const auto& entry : contexts->entries) {
      const auto* registry = entry.value.find("registry");
      if (registry == nullptr || !registry->is_string()) {
        return config_error(path, entry.value.position,
                            fmt::format("context '{}' needs a registry (a string)", entry.key));
      }
      NamedContext context{entry.key, registry->text, std::nullopt};
      if (const auto* token = entry.value.find("token"); token != nullptr && token->is_string()) {
        context.token = token->text;
      }
      config.contexts.push_back(std::move(context));
    }
  }
  return config;
}

std::string render_config(const Config& config) {
  std::string out = "# meshctl configuration: written by `meshctl config`, may hold tokens (keep it private)\n";
  out += "apiVersion: meshctl/v1\nkind: Config\n";
  if (config.current_context) out += fmt::format("current-context: {}\n", quoted(*config.current_context));
  out += config.contexts.empty() ? "contexts: {}\n" : "contexts:\n";
  for (const auto& context : config.contexts) {
    out += fmt::format("  {}:\n    registry: {}\n", quoted(context.name), quoted(context.registry));
    if (context.token) out += fmt::format("    token: {}\n", quoted(*context.token));
  }
  return out;
}

Status save_config(const fs::path& path, const Config& config) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) {
    return make_error(ErrorKind::invalid,
                      fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));
  }
  const fs::path temporary = path.string() + fmt::format(".tmp.{}", ::getpid());
  fs::remove(temporary, ec);
  auto written = write_new_file(temporary, render_config(config), 0600);
  if (!written) return written.error();
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove(temporary, ec);
    return make_error(ErrorKind::invalid, fmt::format("cannot write {}: {}", path.string(), reason));
  }
  return ok_status();
}

Result<ResolvedRegistry> resolve_registry(const RegistryInputs& inputs) {
  const NamedContext* context = nullptr;
  if (inputs.config.current_context) {
    context = inputs.config.find(*inputs.config.current_context);
    if (context == nullptr && !inputs.flag_registry && !inputs.env_registry) {
      return make_error(ErrorKind::invalid,
                        fmt::format("the current context '{}' is not defined: run `meshctl config get-contexts` "
                                    "and `meshctl config use-context NAME`",
                                    *inputs.config.current_context));
    }
  }
  ResolvedRegistry resolved;
  std::string text;
  if (inputs.flag_registry) {
    text = *inputs.flag_registry, resolved.origin = "--registry";
  } else if (inputs.env_registry && !inputs.env_registry->empty()) {
    text = *inputs.env_registry, resolved.origin = "MESHCTL_REGISTRY";
  } else if (context != nullptr) {
    text = context->registry, resolved.origin = "context " + context->name;
  } else {
    text = inputs.default_database.string(), resolved.origin = "default";
    resolved.create_folder = true;
  }
  auto location = parse_registry_location(text);
  if (!location) return location.error();
  resolved.location = std::move(*location);
  if (inputs.flag_token) {
    resolved.token = inputs.flag_token;
  } else if (inputs.env_token && !inputs.env_token->empty()) {
    resolved.token = inputs.env_token;
  } else if (context != nullptr) {
    resolved.token = context->token;
  }
  return resolved;
}

}  // namespace meshctl::config
