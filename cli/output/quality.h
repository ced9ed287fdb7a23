#pragma once

// Printers of `meshctl test`: one line per check for people, the whole run as JSON, JUnit XML for CI.

#include <ostream>

#include <nlohmann/json.hpp>

#include "meshctl/quality/test.h"

namespace meshctl::cli {

// `STATUS  ID  MESSAGE`, one line per check, columns aligned.
void print_test_text(std::ostream& out, const quality::TestRun& run);
// "sales/orders 1.2.0: 14 checks, 12 passed, 1 failed, 1 warning".
std::string test_summary(const quality::TestRun& run);
// {product, version, summary {checks, passed, failed, warning, error, skipped}, ports [{port, source, rows,
// scan}], checks [{id, port, field, rule, status, message, query, sampleQuery, failedRows, totalRows,
// observed, samples}]}
nlohmann::ordered_json test_run_json(const quality::TestRun& run);
// A test suite per port, a test case per check: <failure> for failed, <error> for error, <skipped> for
// skipped and warning (with the message, which CI tools show), the samples in the failure's text.
void print_test_junit(std::ostream& out, const quality::TestRun& run);

}  // namespace meshctl::cli
