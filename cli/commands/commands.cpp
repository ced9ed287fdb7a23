#include "commands/commands.h"

#include <algorithm>
#include <iterator>

#include "commands/apply.h"
#include "commands/audit.h"
#include "commands/changelog.h"
#include "commands/config.h"
#include "commands/deprecate.h"
#include "commands/describe.h"
#include "commands/diff.h"
#include "commands/domain.h"
#include "commands/get.h"
#include "commands/history.h"
#include "commands/init.h"
#include "commands/lineage.h"
#include "commands/registry.h"
#include "commands/retire.h"
#include "commands/schema.h"
#include "commands/serve.h"
#include "commands/standards.h"
#include "commands/subscribe.h"
#include "commands/test.h"
#include "commands/token.h"
#include "commands/usage.h"
#include "commands/validate.h"

namespace meshctl::cli {

namespace {

using RegisterFunction = void (*)(CLI::App&, Context&);

struct CommandEntry {
  std::string_view name;
  RegisterFunction add;
};

// Every command, in the order of the top-level --help. Some functions register several commands.
constexpr CommandEntry kCommands[] = {
    {"init", register_init},         {"validate", register_validate},       {"test", register_test},
    {"standards", register_standards},
    {"schema", register_schema},     {"apply", register_apply},             {"create", register_apply},
    {"evolve", register_apply},      {"diff", register_diff},               {"changelog", register_changelog},
    {"get", register_get},           {"describe", register_describe},       {"history", register_history},
    {"deprecate", register_deprecate}, {"retire", register_retire},         {"subscribe", register_subscribe},
    {"unsubscribe", register_subscribe}, {"usage", register_usage},         {"lineage", register_lineage},
    {"config", register_config},     {"domain", register_domain},           {"token", register_token},
    {"audit", register_audit},       {"serve", register_serve},             {"registry", register_registry},
};

}  // namespace

std::optional<std::string_view> command_word(std::span<const char* const> args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-o" || arg == "--output" || arg == "--registry" || arg == "--token") {
      ++i;  // the option's value
      continue;
    }
    if (arg.starts_with("--output=") || arg.starts_with("--registry=") || arg.starts_with("--token=") ||
        (arg.starts_with("-o") && arg.size() > 2)) {
      continue;
    }
    if (arg.starts_with("-")) return std::nullopt;  // --help, --version or a mistake: CLI11 needs every command
    return arg;
  }
  return std::nullopt;
}

void register_commands(CLI::App& app, Context& context, std::span<const char* const> args) {
  app.set_version_flag("--version", std::string("meshctl ") + MESHCTL_VERSION, "Print meshctl's version and exit");
  app.footer(R"(Every command has --help, with examples. Exit codes: 0 success, 1 findings,
2 usage error, 3 not found, 4 conflict, 5 forbidden, 6 registry (or data source) unavailable.

Examples:
  meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com
  meshctl validate products/
  meshctl test products/orders.yaml --source csv:orders.csv
  meshctl apply -f products/
  meshctl describe sales/orders
  meshctl -o json get products --domain sales)");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option_function<std::string>(
         "-o,--output",
         [&context](const std::string& value) {
           context.output = value == "json"   ? OutputFormat::json
                            : value == "yaml" ? OutputFormat::yaml
                                              : OutputFormat::text;
         },
         "Output format of every command: text, json or yaml")
      ->check(CLI::IsMember({"text", "json", "yaml"}));
  app.add_option_function<std::string>(
      "--registry", [&context](const std::string& value) { context.registry = value; },
      "Registry: PATH or sqlite:PATH (embedded), postgresql://... (a database), http(s)://HOST:PORT (a server); env "
      "MESHCTL_REGISTRY");
  app.add_option_function<std::string>(
      "--token", [&context](const std::string& value) { context.token = value; },
      "Credential for a registry server; env MESHCTL_TOKEN");
  const auto word = command_word(args);
  const bool known = word && std::any_of(std::begin(kCommands), std::end(kCommands),
                                         [&](const CommandEntry& entry) { return entry.name == *word; });
  RegisterFunction registered_last = nullptr;
  for (const auto& entry : kCommands) {
    if (known && entry.name != *word) continue;
    if (entry.add == registered_last) continue;  // one function registers apply, create and evolve
    entry.add(app, context);
    registered_last = entry.add;
  }
}

}  // namespace meshctl::cli
