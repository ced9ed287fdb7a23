#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl {

// A place in a source file. Lines and columns count from 1; 0 means "the whole file".
struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

enum class Severity { error, warning, info };

const char* to_string(Severity severity);
// Parses "error" | "warning" | "info"; nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text);

// One finding about one file. Findings are data, not failures: a run that finds
// problems still succeeds.
struct Diagnostic {
  std::string file;  // as the user named it ("-" reads as "<stdin>")
  Position position;
  Severity severity = Severity::error;
  std::string rule;     // stable id, e.g. "MESH-PII-CLASS" or "MESH-YAML-SYNTAX"
  std::string path;     // where in the document, e.g. "spec.outputPorts[0].schema.fields[1]"
  std::string message;  // says what is wrong and what to change
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Orders by file, line, column, rule, then message: the stable output order.
bool diagnostic_less(const Diagnostic& a, const Diagnostic& b);

struct DiagnosticCounts {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t infos = 0;
};
DiagnosticCounts count(const std::vector<Diagnostic>& diagnostics);

}  // namespace meshctl
