#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {
// Adds the global flags and every command to `app`.
void register_commands(CLI::App& app, Context& context);
}  // namespace meshctl::cli
