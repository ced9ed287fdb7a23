// PLACEHOLDER: replaced by the real command.
#include "commands/init.h"

namespace meshctl::cli {
void register_init(CLI::App& app, Context& /*context*/) { app.add_subcommand("init", "(not yet implemented)"); }
}  // namespace meshctl::cli
