#pragma once

#include <string>
#include <string_view>

namespace meshctl::cli {

enum class Colour { red, yellow, dim };

// `text` in `colour` (ANSI SGR codes, reset after it) when `enabled`; else `text` as it is.
// Whether a stream may be coloured is decided once, by color_on_out / color_on_err (context.h).
inline std::string painted(std::string_view text, Colour colour, bool enabled) {
  if (!enabled) return std::string(text);
  const char* code = colour == Colour::red ? "\033[31m" : colour == Colour::yellow ? "\033[33m" : "\033[2m";
  return code + std::string(text) + "\033[0m";
}

}  // namespace meshctl::cli
