#include "meshctl/core/json.h"

#include <fmt/format.h>

namespace meshctl {

namespace {

// The byte offset where nesting first exceeds `max_depth`, or npos. Strings
// are skipped as JSON defines them; any text that is not JSON is left for the
// parser to refuse.
std::size_t first_too_deep(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, std::string_view what, std::size_t max_depth) {
  if (const auto offset = first_too_deep(text, max_depth); offset != std::string_view::npos) {
    return make_error(ErrorKind::invalid,
                      fmt::format("{} nests arrays and objects deeper than {} levels (at byte {}): flatten it",
                                  what, max_depth, offset + 1));
  }
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded()) return make_error(ErrorKind::invalid, fmt::format("{} is not valid JSON", what));
  return value;
}

}  // namespace meshctl
