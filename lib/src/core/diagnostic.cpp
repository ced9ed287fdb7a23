#include "meshctl/core/diagnostic.h"

#include <tuple>

#include "meshctl/core/error.h"

namespace meshctl {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return "invalid";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::unauthenticated: return "unauthenticated";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::findings: return "findings";
  }
  return "invalid";
}

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::error;
  if (text == "warning") return Severity::warning;
  if (text == "info") return Severity::info;
  return std::nullopt;
}

bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.file, a.position.line, a.position.column, a.rule, a.message) <
         std::tie(b.file, b.position.line, b.position.column, b.rule, b.message);
}

DiagnosticCounts count(const std::vector<Diagnostic>& diagnostics) {
  DiagnosticCounts counts;
  for (const auto& d : diagnostics) {
    switch (d.severity) {
      case Severity::error: ++counts.errors; break;
      case Severity::warning: ++counts.warnings; break;
      case Severity::info: ++counts.infos; break;
    }
  }
  return counts;
}

}  // namespace meshctl
