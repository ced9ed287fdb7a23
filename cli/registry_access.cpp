#include "registry_access.h"

#include <filesystem>
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

Result<std::unique_ptr<registry::Registry>> open_registry(const Context& context, const OpenRegistryOptions& how) {
  static const SystemClock clock;
  auto resolved = chosen_registry(context);
  if (!resolved) return resolved.error();
  if (resolved->location.kind == RegistryLocation::Kind::http) {
    registry::RemoteRegistryOptions options;
    options.base_url = resolved->location.target;
    options.token = resolved->token;
    options.ca_file = environment_variable("MESHCTL_CA_FILE");
    if (how.timeout) options.connect_timeout = options.read_timeout = options.write_timeout = *how.timeout;
    auto module = network::load_module();
    if (!module) return module.error();
    return (*module)->open_remote_registry(options);
  }
  if (how.existing_only && resolved->location.kind == RegistryLocation::Kind::sqlite &&
      !std::filesystem::exists(resolved->location.target)) {
    return make_error(ErrorKind::not_found, "no registry at " + resolved->location.target);
  }
  registry::LocalRegistryOptions options;
  options.create_folder = resolved->create_folder && !how.existing_only;
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

Result<std::vector<validate::DefinedTerm>> fetch_registry_terms(registry::Registry& registry) {
  auto terms = registry.list_terms(std::nullopt);
  if (!terms) return terms.error();
  std::vector<validate::DefinedTerm> defined;
  defined.reserve(terms->size());
  for (auto& record : *terms) {
    defined.push_back({std::move(record.term.name), std::move(record.term.status), std::move(record.term.synonyms)});
  }
  return defined;
}

Result<registry::StandardsInForce> fetch_registry_standards(registry::Registry& registry) {
  auto record = registry.standards();
  if (!record) return record.error();
  return registry::standards_in_force(*record);
}

}  // namespace meshctl::cli
