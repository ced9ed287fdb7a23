#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "meshctl/validate/validator.h"

namespace meshctl::cli {

// `file:line:col: severity: message [RULE]`, one per line (the format editors and CI annotate).
// With `color`, the severity is red (error), yellow (warning) or dim (info).
void print_diagnostics_text(std::ostream& out, const std::vector<Diagnostic>& diagnostics, bool color = false);
// {"files", "errors", "warnings", "diagnostics": [{file, line, column, severity, rule, path, message}]}
void print_diagnostics_json(std::ostream& out, const validate::Report& report);
// SARIF 2.1.0, as GitHub code scanning accepts it.
void print_diagnostics_sarif(std::ostream& out, const validate::Report& report);
// JUnit XML: a test suite per file in `files` (the names the report's diagnostics use, clean
// files included), a failing test case per finding at or above `fail_on`, a skipped one per
// finding below it, a passing "valid" case for a file without failures (layout: junit.cpp).
void print_diagnostics_junit(std::ostream& out, const validate::Report& report, const std::vector<std::string>& files,
                             Severity fail_on);

}  // namespace meshctl::cli
