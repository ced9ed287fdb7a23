#include "output/diagnostics.h"

#include <nlohmann/json.hpp>

#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "output/style.h"

namespace meshctl::cli {

void print_diagnostics_text(std::ostream& out, const std::vector<Diagnostic>& diagnostics, bool color) {
  for (const auto& d : diagnostics) {
    out << printable_text(d.file);
    if (d.position.line != 0) out << ':' << d.position.line << ':' << d.position.column;
    const auto colour = d.severity == Severity::error     ? Colour::red
                        : d.severity == Severity::warning ? Colour::yellow
                                                          : Colour::dim;
    out << ": " << painted(to_string(d.severity), colour, color) << ": " << printable_text(d.message) << " [" << d.rule
        << "]\n";
  }
}

void print_diagnostics_json(std::ostream& out, const validate::Report& report) {
  const auto counts = count(report.diagnostics);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& d : report.diagnostics) {
    list.push_back({{"file", d.file},
                    {"line", d.position.line},
                    {"column", d.position.column},
                    {"severity", to_string(d.severity)},
                    {"rule", d.rule},
                    {"path", d.path},
                    {"message", d.message}});
  }
  nlohmann::ordered_json body = {{"files", report.files},
                                 {"errors", counts.errors},
                                 {"warnings", counts.warnings},
                                 {"diagnostics", std::move(list)}};
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const auto& source : report.skipped) skipped.push_back({{"file", source.file}, {"reason", source.reason}});
  body["skipped"] = std::move(skipped);
  body["standards"] = report.standards;
  out << json_text(body) << '\n';
}

}  // namespace meshctl::cli
