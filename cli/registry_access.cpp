#include "registry_access.h"

#include <filesystem>
#include <string_view>

#include "environment.h"
#include "meshctl/config/config.h"
#include "meshctl/registry/remote_registry.h"

namespace meshctl::cli {

namespace {

// The registry chosen by the flags, the environment and the config file.
Result<config::ResolvedRegistry> chosen_registry(const Context& context) {
  auto config = config::load_config(config_file_path());
  if (!config) return config.error();
  config::RegistryInputs inputs{context.registry,
                                context.token,
                                environment_variable("MESHCTL_REGISTRY"),
                                environment_variable("MESHCTL_TOKEN"),
                                std::move(*config),
                                default_database_path()};
  return config::resolve_registry(inputs);
}

}  // namespace

Result<std::unique_ptr<registry::Registry>> open_registry(const Context& context) {
  static const registry::SystemClock clock;
  auto resolved = chosen_registry(context);
  if (!resolved) return resolved.error();
  if (resolved->location.kind == config::RegistryLocation::Kind::http) {
    registry::RemoteRegistryOptions options;
    options.base_url = resolved->location.target;
    options.token = resolved->token;
    options.ca_file = environment_variable("MESHCTL_CA_FILE");
    auto remote = registry::RemoteRegistry::open(std::move(options));
    if (!remote) return remote.error();
    return std::unique_ptr<registry::Registry>(std::move(*remote));
  }
  const std::filesystem::path path = resolved->location.target;
  // Only the default registry's folder is meshctl's to create: a folder
  // missing under a path the user gave is more likely a typo.
  if (resolved->origin == "default" && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return make_error(ErrorKind::unavailable,
                        "cannot create the registry folder " + path.parent_path().string() + ": " + ec.message());
    }
  }
  auto opened = registry::LocalRegistry::open(path, current_user(), clock);
  if (!opened) return opened.error();
  return std::unique_ptr<registry::Registry>(std::move(*opened));
}

Result<std::string> registry_store_location(const Context& context, std::string_view command) {
  const auto is_postgres = [](const std::optional<std::string>& location) {
    return location && (location->starts_with("postgresql://") || location->starts_with("postgres://"));
  };
  if (context.registry) {
    if (is_postgres(context.registry)) return *context.registry;
  } else if (auto variable = environment_variable("MESHCTL_REGISTRY"); is_postgres(variable)) {
    return *variable;
  }
  auto resolved = chosen_registry(context);
  if (!resolved) return resolved.error();
  if (resolved->location.kind == config::RegistryLocation::Kind::http) {
    return make_error(ErrorKind::invalid,
                      std::string(command) + " works on the registry's store, where it is: " +
                          resolved->location.target +
                          " is a registry server, so run it on the server's machine with --registry set to the "
                          "store given to `meshctl serve --store` (a file path, or postgresql://...)");
  }
  return "sqlite:" + resolved->location.target;
}

}  // namespace meshctl::cli
