#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "meshctl/core/error.h"

namespace meshctl::cli {

enum class OutputFormat { text, json, yaml };

// What every command shares: the global flags and the streams it writes to.
struct Context {
  OutputFormat output = OutputFormat::text;  // -o, for what every command writes (errors included)
  // -o as given: text, json, yaml, or a format only some commands write (sarif, markdown, wide, dot...).
  // commands.cpp refuses a format the command does not write before the command runs.
  std::string output_name = "text";
  bool output_set = false;
  std::optional<std::string> output_conflict;  // a second -o/--format that differs from the first
  std::optional<std::string> registry;         // --registry
  std::optional<std::string> token;            // --token
  std::string color = "auto";                  // --color: auto, always or never
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::istream* in = nullptr;
  // Standard input as read_stdin read it: a command that hands over to meshctl-network
  // (network_handover.h) passes it on.
  std::optional<std::string> stdin_text;
  int exit_code = 0;
};

// Sets -o (or a command's --format, its alias) to `name`.
void set_output(Context& context, const std::string& name);

// Prints `error` on the error stream (text, or {"error": {...}} with -o json)
// and returns its exit code.
int report_error(Context& context, const Error& error);

// Whether text written to context.out (color_on_out) or context.err (color_on_err) may carry ANSI
// colours: --color always, or --color auto (the default) when that stream is a terminal and NO_COLOR is
// unset or empty (no-color.org). Never with --color never.
bool color_on_out(const Context& context);
bool color_on_err(const Context& context);

// Whether long work shows progress on stderr (progress.h): when stderr is a terminal, or always /
// never when the environment variable MESHCTL_PROGRESS (for tests) says so.
bool progress_wanted(const Context& context);

// All of standard input (context.in), read the first time and kept in context.stdin_text.
const std::string& read_stdin(Context& context);

}  // namespace meshctl::cli
