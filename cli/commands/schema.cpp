// PLACEHOLDER: replaced by the real command.
#include "commands/schema.h"

namespace meshctl::cli {
void register_schema(CLI::App& app, Context& /*context*/) { app.add_subcommand("schema", "(not yet implemented)"); }
}  // namespace meshctl::cli
