#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "meshctl/core/error.h"

namespace meshctl::cli {

enum class OutputFormat { text, json, yaml };

// What every command shares: the global flags and the streams it writes to.
struct Context {
  OutputFormat output = OutputFormat::text;
  std::optional<std::string> registry;  // --registry
  std::optional<std::string> token;     // --token
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::istream* in = nullptr;
  int exit_code = 0;
};

// Prints `error` on the error stream (text, or {"error": {...}} with -o json)
// and returns its exit code.
int report_error(Context& context, const Error& error);

// Reads all of standard input.
std::string read_all(std::istream& in);

}  // namespace meshctl::cli
