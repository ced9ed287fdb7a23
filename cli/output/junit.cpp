// PLACEHOLDER: replaced by the JUnit printer.
#include "output/diagnostics.h"

namespace meshctl::cli {
void print_diagnostics_junit(std::ostream& out, const validate::Report& report) { print_diagnostics_json(out, report); }
}  // namespace meshctl::cli
