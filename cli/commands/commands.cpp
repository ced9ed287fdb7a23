#include "commands/commands.h"

#include "commands/init.h"
#include "commands/schema.h"
#include "commands/standards.h"
#include "commands/validate.h"

namespace meshctl::cli {

void register_commands(CLI::App& app, Context& context) {
  app.set_version_flag("--version", std::string("meshctl ") + MESHCTL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option_function<std::string>(
         "-o,--output",
         [&context](const std::string& value) {
           context.output = value == "json" ? OutputFormat::json : value == "yaml" ? OutputFormat::yaml : OutputFormat::text;
         },
         "Output format of every command: text, json or yaml")
      ->check(CLI::IsMember({"text", "json", "yaml"}));
  register_init(app, context);
  register_validate(app, context);
  register_standards(app, context);
  register_schema(app, context);
}

}  // namespace meshctl::cli
