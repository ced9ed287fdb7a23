#include "meshctl/quality/source.h"

#include <fmt/format.h>

namespace meshctl::quality {

namespace {

constexpr std::string_view kForms =
    "sqlite:PATH#TABLE, postgresql://USER@HOST:PORT/DATABASE#SCHEMA.TABLE, csv:PATH or jsonl:PATH";

Error not_a_source(std::string_view display, std::string_view why) {
  return make_error(ErrorKind::invalid, fmt::format("'{}' is not a data source meshctl reads{}: write {}", display,
                                                    why.empty() ? "" : fmt::format(" ({})", why), kForms));
}

}  // namespace

std::string redact_password(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::string(text);
  const auto authority_start = scheme_end + 3;
  const auto authority_end = text.find_first_of("/?#", authority_start);
  const auto authority = text.substr(authority_start, authority_end == std::string_view::npos
                                                          ? std::string_view::npos
                                                          : authority_end - authority_start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(text);
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, authority_start + colon + 1));
  out += "***";
  out += text.substr(authority_start + at);
  return out;
}

Result<Source> parse_source(std::string_view text) {
  const std::string display = redact_password(text);
  Source source;
  source.display = display;
  auto file_path = [&](std::string_view rest) -> Result<std::string> {
    if (rest.starts_with("//")) rest.remove_prefix(2);  // csv://data/x.csv reads as csv:data/x.csv
    if (rest.empty()) return not_a_source(display, "no path after the prefix");
    return std::string(rest);
  };
  if (text.starts_with("csv:") || text.starts_with("jsonl:")) {
    source.kind = text.starts_with("csv:") ? SourceKind::csv : SourceKind::jsonl;
    auto path = file_path(text.substr(text.find(':') + 1));
    if (!path) return path.error();
    source.target = std::move(*path);
    return source;
  }
  if (text.starts_with("sqlite:")) {
    source.kind = SourceKind::sqlite;
    auto rest = text.substr(7);
    const auto hash = rest.rfind('#');
    if (hash == std::string_view::npos || hash + 1 == rest.size()) {
      return not_a_source(display, "name the table after '#': sqlite:PATH#TABLE");
    }
    auto path = file_path(rest.substr(0, hash));
    if (!path) return path.error();
    source.target = std::move(*path);
    source.table = std::string(rest.substr(hash + 1));
    return source;
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    source.kind = SourceKind::postgresql;
    const auto hash = text.rfind('#');
    if (hash == std::string_view::npos || hash + 1 == text.size()) {
      return not_a_source(display, "name the table after '#': postgresql://...#SCHEMA.TABLE");
    }
    source.target = std::string(text.substr(0, hash));
    source.table = std::string(text.substr(hash + 1));
    return source;
  }
  return not_a_source(display, "");
}

}  // namespace meshctl::quality
