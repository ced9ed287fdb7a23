// PLACEHOLDER: replaced by the SARIF printer.
#include "output/diagnostics.h"

namespace meshctl::cli {
void print_diagnostics_sarif(std::ostream& out, const validate::Report& report) { print_diagnostics_json(out, report); }
}  // namespace meshctl::cli
