#pragma once

#include <span>

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {
void register_completion(CLI::App& app, Context& context);

// `meshctl __complete WORD...`, which the completion scripts run: the candidates for the last of `words`
// (the words after `meshctl`), one per line; none when the shell should complete file names.
int run_complete(std::span<const char* const> words, Context& context);
}  // namespace meshctl::cli
