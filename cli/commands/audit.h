#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {
void register_audit(CLI::App& app, Context& context);
}  // namespace meshctl::cli
