#pragma once

// The engines that compute a port's checks, one per kind of source.

#include <vector>

#include "meshctl/quality/test.h"
#include "quality/plan.h"

namespace meshctl::quality {

struct PortOutcome {
  PortScan scan;
  std::vector<CheckResult> checks;
};

// ErrorKind::unavailable: "cannot read the source SOURCE: WHY".
Error source_unreachable(const Source& source, std::string_view why);

// Each fails with ErrorKind::unavailable, naming source.display, when the source cannot be read.
Result<PortOutcome> scan_csv(const PortPlan& plan, const Source& source, const TestOptions& options);
Result<PortOutcome> scan_jsonl(const PortPlan& plan, const Source& source, const TestOptions& options);
Result<PortOutcome> scan_sqlite(const PortPlan& plan, const Source& source, const TestOptions& options);
Result<PortOutcome> scan_postgres(const PortPlan& plan, const Source& source, const TestOptions& options);

}  // namespace meshctl::quality
