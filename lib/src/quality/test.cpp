#include "meshctl/quality/test.h"

#include <fmt/format.h>

#include "quality/engines.h"

namespace meshctl::quality {

Error source_unreachable(const Source& source, std::string_view why) {
  return make_error(ErrorKind::unavailable, fmt::format("cannot read the source {}: {}", source.display, why));
}

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::passed: return "passed";
    case CheckStatus::failed: return "failed";
    case CheckStatus::warning: return "warning";
    case CheckStatus::error: return "error";
    case CheckStatus::skipped: return "skipped";
  }
  return "error";
}

CheckCounts count(const TestRun& run) {
  CheckCounts counts;
  for (const auto& check : run.checks) {
    switch (check.status) {
      case CheckStatus::passed: ++counts.passed; break;
      case CheckStatus::failed: ++counts.failed; break;
      case CheckStatus::warning: ++counts.warning; break;
      case CheckStatus::error: ++counts.error; break;
      case CheckStatus::skipped: ++counts.skipped; break;
    }
  }
  return counts;
}

Result<TestRun> run_tests(const manifest::DataProduct& product, const TestOptions& options) {
  for (const auto& entry : options.sources) {
    const std::string& name = entry.first;  // not a structured binding: clang before 16 cannot capture one
    const auto& ports = product.spec.output_ports;
    if (std::none_of(ports.begin(), ports.end(), [&](const manifest::OutputPort& port) { return port.name == name; })) {
      return make_error(ErrorKind::invalid, fmt::format("{} has no output port '{}'", product.id(), name));
    }
  }
  TestRun run;
  run.product = product.id();
  run.version = product.metadata.version;
  for (const auto& port : product.spec.output_ports) {
    const auto found = port.name ? options.sources.find(*port.name) : options.sources.end();
    if (found == options.sources.end()) continue;
    const auto& source = found->second;
    const auto plan = plan_port(port);
    Result<PortOutcome> outcome = make_error(ErrorKind::invalid, "");
    switch (source.kind) {
      case SourceKind::csv: outcome = scan_csv(plan, source, options); break;
      case SourceKind::jsonl: outcome = scan_jsonl(plan, source, options); break;
      case SourceKind::sqlite: outcome = scan_sqlite(plan, source, options); break;
      case SourceKind::postgresql: outcome = scan_postgres(plan, source, options); break;
    }
    if (!outcome) return outcome.error();
    run.ports.push_back(std::move(outcome->scan));
    for (auto& check : outcome->checks) run.checks.push_back(std::move(check));
  }
  return run;
}

}  // namespace meshctl::quality
