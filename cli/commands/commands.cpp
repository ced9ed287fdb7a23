#include "commands/commands.h"

#include "commands/apply.h"
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
#include "commands/token.h"
#include "commands/usage.h"
#include "commands/validate.h"

namespace meshctl::cli {

void register_commands(CLI::App& app, Context& context) {
  app.set_version_flag("--version", std::string("meshctl ") + MESHCTL_VERSION, "Print meshctl's version and exit");
  app.footer(R"(Every command has --help, with examples. Exit codes: 0 success, 1 findings,
2 usage error, 3 not found, 4 conflict, 5 forbidden, 6 registry unavailable.

Examples:
  meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com
  meshctl validate products/
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
  register_init(app, context);
  register_validate(app, context);
  register_standards(app, context);
  register_schema(app, context);
  register_apply(app, context);
  register_diff(app, context);
  register_changelog(app, context);
  register_get(app, context);
  register_describe(app, context);
  register_history(app, context);
  register_deprecate(app, context);
  register_retire(app, context);
  register_subscribe(app, context);
  register_usage(app, context);
  register_lineage(app, context);
  register_config(app, context);
  register_domain(app, context);
  register_token(app, context);
  register_serve(app, context);
  register_registry(app, context);
}

}  // namespace meshctl::cli
