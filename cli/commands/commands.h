#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {
// The command a command line runs: its first word that is not a global option (nullopt for none, or when an
// option other than the globals comes first). `args` excludes the program's name.
std::optional<std::string_view> command_word(std::span<const char* const> args);

// Adds the global flags and the commands to `app`: only the one `args` runs when it names one (building the
// whole tree costs more than validating a file), every command otherwise (top-level help, a misspelt name).
void register_commands(CLI::App& app, Context& context, std::span<const char* const> args);

// The formats -o takes for `command`, its words after `meshctl` ("get products").
const std::vector<std::string_view>& output_formats(std::string_view command);

// What to tell someone whose command line `app` refused with `error`, when meshctl can say more than CLI11:
// an unknown command or flag (with the closest one, "did you mean 'describe'?"), or a missing command.
std::optional<std::string> usage_error_advice(const CLI::App& app, const CLI::ParseError& error);
}  // namespace meshctl::cli
