// PLACEHOLDER: replaced by the real command.
#include "commands/standards.h"

namespace meshctl::cli {
void register_standards(CLI::App& app, Context& /*context*/) { app.add_subcommand("standards", "(not yet implemented)"); }
}  // namespace meshctl::cli
