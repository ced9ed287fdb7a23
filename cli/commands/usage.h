#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {

// `usage DOMAIN/NAME [--since 30d]` and `usage report -f EVENTS`.
void register_usage(CLI::App& app, Context& context);

}  // namespace meshctl::cli
