#include "output/quality.h"

#include <algorithm>

#include <fmt/format.h>

#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "output/xml.h"

namespace meshctl::cli {

namespace {

using quality::CheckStatus;

std::string counted(std::size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

std::string xml_attribute(std::string_view text) {
  return xml_escape(text, true);
}

}  // namespace

void print_test_text(std::ostream& out, const quality::TestRun& run) {
  std::size_t width = 0;
  for (const auto& check : run.checks) width = std::max(width, check.id.size());
  for (const auto& check : run.checks) {
    out << fmt::format("{:<8} {:<{}}  {}\n", quality::to_string(check.status), printable_text(check.id), width,
                       printable_text(check.message));
  }
}

std::string test_summary(const quality::TestRun& run) {
  const auto counts = quality::count(run);
  std::string summary = fmt::format("{} {}: {}, {} passed, {} failed", run.product, run.version,
                                    counted(run.checks.size(), "check", "checks"), counts.passed, counts.failed);
  if (counts.warning > 0) summary += ", " + counted(counts.warning, "warning", "warnings");
  if (counts.error > 0) summary += ", " + counted(counts.error, "error", "errors");
  if (counts.skipped > 0) summary += fmt::format(", {} skipped", counts.skipped);
  return printable_text(summary);
}

nlohmann::ordered_json test_run_json(const quality::TestRun& run) {
  const auto counts = quality::count(run);
  nlohmann::ordered_json body;
  body["product"] = run.product;
  body["version"] = run.version;
  body["summary"] = {{"checks", run.checks.size()}, {"passed", counts.passed},   {"failed", counts.failed},
                     {"warning", counts.warning},   {"error", counts.error},     {"skipped", counts.skipped}};
  auto& ports = body["ports"] = nlohmann::ordered_json::array();
  for (const auto& port : run.ports) {
    ports.push_back({{"port", port.port}, {"source", port.source}, {"rows", port.rows}, {"scan", port.scan}});
  }
  auto& checks = body["checks"] = nlohmann::ordered_json::array();
  for (const auto& check : run.checks) {
    nlohmann::ordered_json item;
    item["id"] = check.id;
    item["port"] = check.port;
    item["field"] = check.field.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(check.field);
    item["rule"] = check.rule;
    item["status"] = quality::to_string(check.status);
    item["message"] = check.message;
    item["query"] = check.query;
    if (!check.sample_query.empty()) item["sampleQuery"] = check.sample_query;
    item["failedRows"] = check.failed_rows ? nlohmann::ordered_json(*check.failed_rows) : nullptr;
    item["totalRows"] = check.total_rows ? nlohmann::ordered_json(*check.total_rows) : nullptr;
    if (!check.observed.is_null()) item["observed"] = nlohmann::ordered_json::parse(check.observed.dump());
    item["samples"] = check.samples;
    checks.push_back(std::move(item));
  }
  return body;
}

void print_test_junit(std::ostream& out, const quality::TestRun& run) {
  struct Totals {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    void add(CheckStatus status) {
      ++tests;
      failures += status == CheckStatus::failed ? 1 : 0;
      errors += status == CheckStatus::error ? 1 : 0;
      skipped += status == CheckStatus::skipped || status == CheckStatus::warning ? 1 : 0;
    }
  };
  Totals all;
  for (const auto& check : run.checks) all.add(check.status);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"meshctl test {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
                     xml_attribute(run.product), all.tests, all.failures, all.errors, all.skipped);
  for (const auto& port : run.ports) {
    Totals totals;
    for (const auto& check : run.checks) {
      if (check.port == port.port) totals.add(check.status);
    }
    const auto suite = fmt::format("{}/{}", run.product, port.port);
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
                       xml_attribute(suite), totals.tests, totals.failures, totals.errors, totals.skipped);
    for (const auto& check : run.checks) {
      if (check.port != port.port) continue;
      out << fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_attribute(suite), xml_attribute(check.id));
      if (check.status == CheckStatus::passed) {
        out << "/>\n";
        continue;
      }
      out << ">\n";
      std::string body = check.message + "\n" + (check.query.empty() ? "" : "query: " + check.query + "\n");
      for (const auto& sample : check.samples) body += "sample: " + json_text(sample) + "\n";
      switch (check.status) {
        case CheckStatus::failed:
          out << fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", xml_attribute(check.message),
                             xml_attribute(check.rule), xml_escape(body, false));
          break;
        case CheckStatus::error:
          out << fmt::format("      <error message=\"{}\" type=\"{}\">{}</error>\n", xml_attribute(check.message),
                             xml_attribute(check.rule), xml_escape(body, false));
          break;
        default:
          out << fmt::format("      <skipped message=\"{}\"/>\n",
                             xml_attribute(fmt::format("{}: {}", quality::to_string(check.status), check.message)));
          break;
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace meshctl::cli
