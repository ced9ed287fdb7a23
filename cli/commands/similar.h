#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {

void register_similar(CLI::App& app, Context& context);

}  // namespace meshctl::cli
