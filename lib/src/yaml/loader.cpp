#include "meshctl/yaml/loader.h"

#include <fmt/format.h>

#include "tree_builder.h"

namespace meshctl::yaml {

namespace {

// The position of the first byte that is not valid UTF-8, or nullopt.
std::optional<Position> first_invalid_utf8(std::string_view text) {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());  // NOLINT
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t min_code = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min_code = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min_code = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min_code = 0x10000;
    } else {
      return Position{line, column};
    }
    if (i + length > size) return Position{line, column};
    std::uint32_t code = c & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return Position{line, column};
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return Position{line, column};
    i += length;
    ++column;
  }
  return std::nullopt;
}

}  // namespace

LoadedFile parse_yaml(std::string_view text, const std::string& file_name, const LoadLimits& limits) {
  LoadedFile file;
  auto finding = [&](Position position, std::string rule, std::string message) {
    file.diagnostics.push_back(
        Diagnostic{file_name, position, Severity::error, std::move(rule), "", std::move(message)});
  };
  if (text.size() > limits.max_file_bytes) {
    finding(Position{}, "MESH-YAML-LIMIT",
            fmt::format("the file has {} bytes, more than the limit of {}: split it, or raise the limit with "
                        "--max-file-size",
                        text.size(), limits.max_file_bytes));
    return file;
  }
  if (auto bad = first_invalid_utf8(text)) {
    finding(*bad, "MESH-YAML-ENCODING", "the file is not valid UTF-8 here: save it as UTF-8");
    return file;
  }
  detail::TreeBuilder builder(limits, file.documents, file.diagnostics, file_name);
  std::optional<detail::LoadAbort> abort;
  try {
    abort = detail::parse_with_yaml_cpp(text, builder);
  } catch (const detail::LoadAbort& e) {
    abort = e;
  }
  if (abort) {
    finding(abort->position, abort->rule, abort->message);
  } else if (file.documents.empty() && file.diagnostics.empty()) {
    finding(Position{}, "MESH-YAML-EMPTY", "the file is empty: write a manifest (see `meshctl init`)");
  }
  return file;
}

}  // namespace meshctl::yaml
