#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "context.h"

namespace meshctl::cli {

// -o json: one line of compact JSON. -o yaml: the same value as block YAML.
// For nlohmann::json (keys sorted) and nlohmann::ordered_json (keys as inserted).
template <typename Json>
void print_json(std::ostream& out, const Json& value);
template <typename Json>
void print_yaml(std::ostream& out, const Json& value);

// Prints `value` as -o asks: JSON, YAML, or (text) what `print_text` writes.
template <typename Json, typename TextPrinter>
void print_as_requested(const Context& context, const Json& value, TextPrinter&& print_text) {
  switch (context.output) {
    case OutputFormat::json: print_json(*context.out, value); break;
    case OutputFormat::yaml: print_yaml(*context.out, value); break;
    case OutputFormat::text: print_text(*context.out); break;
  }
}

}  // namespace meshctl::cli
