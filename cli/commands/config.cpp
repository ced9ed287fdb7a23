#include "commands/config.h"

#include <memory>

#include <nlohmann/json.hpp>

#include "environment.h"
#include "exit_codes.h"
#include "meshctl/config/config.h"
#include "meshctl/core/json_text.h"

namespace meshctl::cli {

namespace {

struct ConfigOptions {
  std::string name;
  std::string registry;
  std::string token;
};

Result<config::Config> load() {
  return config::load_config(config_file_path());
}

int run_set_context(const ConfigOptions& options, Context& context, const CLI::App& command) {
  auto config = load();
  if (!config) return report_error(context, config.error());
  std::optional<std::string> registry;
  std::optional<std::string> token;
  if (command.count("--registry") > 0) {
    auto location = parse_registry_location(options.registry);
    if (!location) return report_error(context, location.error());
    registry = options.registry;
  }
  if (command.count("--token") > 0) token = options.token;
  if (config->find(options.name) == nullptr && !registry) {
    return report_error(
        context, make_error(ErrorKind::invalid, "a new context needs --registry: e.g. meshctl config set-context " +
                                                    options.name + " --registry https://registry.example.com:8443"));
  }
  config->set_context(options.name, registry, token);
  if (auto saved = config::save_config(config_file_path(), *config); !saved) {
    return report_error(context, saved.error());
  }
  *context.out << "context \"" << options.name << "\" set\n";
  return kSuccess;
}

int run_use_context(const ConfigOptions& options, Context& context) {
  auto config = load();
  if (!config) return report_error(context, config.error());
  if (config->find(options.name) == nullptr) {
    return report_error(context, make_error(ErrorKind::not_found, "no context named '" + options.name +
                                                                      "': create it with meshctl config set-context " +
                                                                      options.name + " --registry URL"));
  }
  config->current_context = options.name;
  if (auto saved = config::save_config(config_file_path(), *config); !saved) {
    return report_error(context, saved.error());
  }
  *context.out << "switched to context \"" << options.name << "\"\n";
  return kSuccess;
}

int run_delete_context(const ConfigOptions& options, Context& context) {
  auto config = load();
  if (!config) return report_error(context, config.error());
  auto& contexts = config->contexts;
  const auto before = contexts.size();
  std::erase_if(contexts, [&](const config::NamedContext& c) { return c.name == options.name; });
  if (contexts.size() == before) {
    return report_error(context, make_error(ErrorKind::not_found, "no context named '" + options.name + "'"));
  }
  if (config->current_context == options.name) config->current_context.reset();
  if (auto saved = config::save_config(config_file_path(), *config); !saved) {
    return report_error(context, saved.error());
  }
  *context.out << "context \"" << options.name << "\" deleted\n";
  return kSuccess;
}

int run_get_contexts(Context& context) {
  auto config = load();
  if (!config) return report_error(context, config.error());
  if (context.output == OutputFormat::json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : config->contexts) {
      list.push_back({{"name", c.name},
                      {"registry", c.registry},
                      {"current", config->current_context == c.name},
                      {"hasToken", c.token.has_value()}});
    }
    *context.out << json_text(list) << '\n';
    return kSuccess;
  }
  *context.out << "CURRENT  NAME                 REGISTRY\n";
  for (const auto& c : config->contexts) {
    const bool current = config->current_context == c.name;
    *context.out << (current ? "*        " : "         ") << c.name
                 << std::string(c.name.size() < 21 ? 21 - c.name.size() : 1, ' ') << c.registry << '\n';
  }
  return kSuccess;
}

int run_current_context(Context& context) {
  auto config = load();
  if (!config) return report_error(context, config.error());
  if (!config->current_context) {
    return report_error(context,
                        make_error(ErrorKind::not_found, "no current context: meshctl uses the embedded registry at " +
                                                             default_database_path().string()));
  }
  *context.out << *config->current_context << '\n';
  return kSuccess;
}

}  // namespace

void register_config(CLI::App& app, Context& context) {
  auto options = std::make_shared<ConfigOptions>();
  auto* command = app.add_subcommand("config", "Named registry contexts (kept in ~/.config/meshctl/config.yaml)");
  command->require_subcommand(1);
  command->footer(R"(The config file is $MESHCTL_CONFIG, else $XDG_CONFIG_HOME/meshctl/config.yaml.
The registry a command uses: --registry, else $MESHCTL_REGISTRY, else the current
context, else the embedded registry $XDG_DATA_HOME/meshctl/registry.db.

Examples:
  meshctl config set-context prod --registry https://registry.example.com:8443 --token "$TOKEN"
  meshctl config set-context scratch --registry sqlite:/tmp/scratch.db
  meshctl config use-context prod
  meshctl config get-contexts)");

  auto* set = command->add_subcommand("set-context", "Create or update a context");
  set->add_option("name", options->name, "Context name")->required();
  set->add_option("--registry", options->registry, "PATH, sqlite:PATH, postgresql://... or http(s)://HOST:PORT");
  set->add_option("--token", options->token, "Credential for a registry server (stored in the config file, mode 0600)");
  set->callback([options, &context, set] { context.exit_code = run_set_context(*options, context, *set); });

  auto* use = command->add_subcommand("use-context", "Make a context the current one");
  use->add_option("name", options->name, "Context name")->required();
  use->callback([options, &context] { context.exit_code = run_use_context(*options, context); });

  auto* remove = command->add_subcommand("delete-context", "Remove a context");
  remove->add_option("name", options->name, "Context name")->required();
  remove->callback([options, &context] { context.exit_code = run_delete_context(*options, context); });

  command->add_subcommand("get-contexts", "List the contexts; * marks the current one")->callback([&context] {
    context.exit_code = run_get_contexts(context);
  });
  command->add_subcommand("current-context", "Print the current context's name")->callback([&context] {
    context.exit_code = run_current_context(context);
  });
}

}  // namespace meshctl::cli
