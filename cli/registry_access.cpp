#include "registry_access.h"

#include <string_view>

#include "environment.h"
#include "meshctl/config/config.h"
#include "meshctl/network/module.h"
#include "meshctl/registry/local_registry.h"
#include "meshctl/remote/remote_options.h"

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
  static const SystemClock clock;
  auto resolved = chosen_registry(context);
  if (!resolved) return resolved.error();
  if (resolved->location.kind == RegistryLocation::Kind::http) {
    registry::RemoteRegistryOptions options;
    options.base_url = resolved->location.target;
    options.token = resolved->token;
    options.ca_file = environment_variable("MESHCTL_CA_FILE");
    auto module = network::load_module();
    if (!module) return module.error();
    return (*module)->open_remote_registry(options);
  }
  registry::LocalRegistryOptions options;
  options.create_folder = resolved->create_folder;
  auto opened = registry::LocalRegistry::open(resolved->location, current_user(), clock, options);
  if (!opened) return opened.error();
  return std::unique_ptr<registry::Registry>(std::move(*opened));
}

Result<RegistryLocation> registry_store_location(const Context& context, std::string_view command) {
  auto resolved = chosen_registry(context);
  if (!resolved) return resolved.error();
  if (resolved->location.kind != RegistryLocation::Kind::http) return resolved->location;
  return make_error(ErrorKind::invalid,
                    std::string(command) + " works on the registry's store, where it is: " + resolved->location.target +
                        " is a registry server, so run it on the server's machine with --registry set to the "
                        "store given to `meshctl serve --store` (a file path, or postgresql://...)");
}

Result<registry::StandardsInForce> fetch_registry_standards(registry::Registry& registry) {
  auto record = registry.standards();
  if (!record) return record.error();
  return registry::standards_in_force(*record);
}

}  // namespace meshctl::cli
