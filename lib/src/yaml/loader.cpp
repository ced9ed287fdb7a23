#include "meshctl/yaml/loader.h"

#include <fmt/format.h>

#include "meshctl/core/text.h"
#include "tree_builder.h"

namespace meshctl::yaml {

namespace {

// YAML 1.2 §5.1 (c-printable): the characters a stream may hold. Others can
// only be written as escapes in double-quoted scalars.
bool allowed_in_stream(char32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

struct StreamProblem {
  Position position;
  std::string rule;
  std::string message;
};

// The first byte that is not UTF-8, or the first character YAML does not allow
// in a stream, with its line and column (columns count characters; LF, CR LF
// and CR alone each end a line).
std::optional<StreamProblem> first_stream_problem(std::string_view text) {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  std::size_t offset = 0;
  while (offset < text.size()) {
    const auto byte = static_cast<unsigned char>(text[offset]);
    if (byte >= 0x20 && byte < 0x7F) {  // most of any file: skip decoding
      ++offset;
      ++column;
      continue;
    }
    const auto character = decode_utf8(text, offset);
    if (!character) {
      return StreamProblem{Position{line, column}, "MESH-YAML-ENCODING",
                           "the file is not valid UTF-8 here: save it as UTF-8"};
    }
    const char32_t c = character->code_point;
    if (!allowed_in_stream(c)) {
      const auto code = static_cast<std::uint32_t>(c);
      return StreamProblem{
          Position{line, column}, "MESH-YAML-CHARACTER",
          fmt::format("the control character U+{:04X} is not allowed in a YAML file: delete it, or to keep it "
                      "in a value write it as the escape {} inside a double-quoted string",
                      code, code <= 0xFF ? fmt::format("\\x{:02X}", code) : fmt::format("\\u{:04X}", code))};
    }
    offset += character->length;
    const bool line_break = c == '\n' || (c == '\r' && (offset >= text.size() || text[offset] != '\n'));
    if (line_break) {
      ++line;
      column = 1;
    } else if (c != '\r') {
      ++column;
    }
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
  if (auto problem = first_stream_problem(text)) {
    finding(problem->position, std::move(problem->rule), std::move(problem->message));
    return file;
  }
  detail::TreeBuilder builder(limits, file.documents, file.diagnostics, file_name);
  std::optional<detail::LoadAbort> abort;
  try {
    abort = detail::parse_with_libyaml(text, builder);
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
