#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {

// `lineage DOMAIN/NAME [--upstream|--downstream] [--depth N] [--format tree|dot|mermaid|json]`, `lineage --all`.
void register_lineage(CLI::App& app, Context& context);

}  // namespace meshctl::cli
