#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {
// `meshctl catalog export DIR`: the web catalog as a static site.
void register_catalog(CLI::App& app, Context& context);
}  // namespace meshctl::cli
