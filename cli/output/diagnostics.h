#pragma once

#include <ostream>

#include "meshctl/validate/validator.h"

namespace meshctl::cli {

// `file:line:col: severity: message [RULE]`, one per line (the format editors and CI annotate).
void print_diagnostics_text(std::ostream& out, const std::vector<Diagnostic>& diagnostics);
// {"files", "errors", "warnings", "diagnostics": [{file, line, column, severity, rule, path, message}]}
void print_diagnostics_json(std::ostream& out, const validate::Report& report);
// SARIF 2.1.0, as GitHub code scanning accepts it.
void print_diagnostics_sarif(std::ostream& out, const validate::Report& report);
// JUnit XML: a test suite per file, a failing test case per error.
void print_diagnostics_junit(std::ostream& out, const validate::Report& report);

}  // namespace meshctl::cli
