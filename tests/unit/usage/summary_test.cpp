#include "meshctl/usage/summary.h"

#include <catch2/catch.hpp>

#include "meshctl/usage/time.h"

using namespace meshctl;
using registry::FreshnessVerdict;

TEST_CASE("freshness is met, violated or unknown against the SLO") {
  const auto now = *usage::parse_timestamp("2026-11-23T12:00:00Z");
  CHECK(usage::judge_freshness("1h", "2026-11-23T11:30:00Z", now) == FreshnessVerdict::met);
  CHECK(usage::judge_freshness("1h", "2026-11-23T11:00:00Z", now) == FreshnessVerdict::met);
  CHECK(usage::judge_freshness("30m", "2026-11-23T11:00:00Z", now) == FreshnessVerdict::violated);
  CHECK(usage::judge_freshness("1d", "2026-11-21T12:00:00Z", now) == FreshnessVerdict::violated);
  CHECK(usage::judge_freshness(std::nullopt, "2026-11-23T11:30:00Z", now) == FreshnessVerdict::unknown);
  CHECK(usage::judge_freshness("1h", std::nullopt, now) == FreshnessVerdict::unknown);
  CHECK(usage::judge_freshness("hourly", "2026-11-23T11:30:00Z", now) == FreshnessVerdict::unknown);
}

TEST_CASE("the summary merges subscribed, dependent and observed consumers") {
  const auto now = *usage::parse_timestamp("2026-11-23T12:00:00Z");
  usage::UsageInputs inputs;
  inputs.product.ref = {"sales", "orders"};
  for (const char* version : {"1.0.0", "1.2.0", "2.0.0"}) {
    registry::VersionRecord record;
    record.version = version;
    inputs.versions.push_back(record);
  }
  inputs.product.latest_version = "2.0.0";
  manifest::OutputPort port;
  port.name = "orders-table";
  port.slo = manifest::Slo{"1h", std::nullopt};
  inputs.latest.spec.output_ports.push_back(port);
  manifest::OutputPort other;
  other.name = "orders-topic";
  inputs.latest.spec.output_ports.push_back(other);
  inputs.subscriptions.push_back({{"sales", "orders"}, "dash", "bi", "orders-table", "^1", "", "", "", {}});
  registry::DependencyEdge edge;
  edge.consumer = {"finance", "revenue"};
  edge.provider = {"sales", "orders"};
  edge.port = "orders";
  edge.version_constraint = "^2";
  inputs.dependents.push_back(edge);
  inputs.days.push_back(
      {{"sales", "orders"}, "2026-11-20", "dash", "orders-table", "", 3, 30, 300, "2026-11-20T09:00:00Z"});
  inputs.days.push_back(
      {{"sales", "orders"}, "2026-11-23", "ml", "orders-table", "1.0.0", 2, 0, 0, "2026-11-23T08:00:00Z"});
  inputs.days.push_back(
      {{"sales", "orders"}, "2026-10-01", "old", "orders-table", "", 9, 0, 0, "2026-10-01T08:00:00Z"});
  inputs.freshness.push_back(
      {{"sales", "orders"}, "orders-table", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", "ci"});

  const auto summary = usage::summarize_usage(inputs, {7}, now);
  CHECK(summary.since_day == "2026-11-17");
  CHECK(summary.until_day == "2026-11-23");
  REQUIRE(summary.days.size() == 7);
  CHECK(summary.days[3].day == "2026-11-20");
  CHECK(summary.days[3].events == 3);
  CHECK(summary.days[6].events == 2);
  CHECK(summary.events == 5);
  REQUIRE(summary.consumers.size() == 3);  // "old" is outside the window
  CHECK(summary.consumers[0].consumer == "dash");
  CHECK(summary.consumers[0].subscribed);
  CHECK(summary.consumers[0].observed);
  CHECK(summary.consumers[0].last_access == "2026-11-20T09:00:00Z");
  CHECK(summary.consumers[1].consumer == "finance/revenue");
  CHECK(summary.consumers[1].dependent);
  CHECK_FALSE(summary.consumers[1].observed);
  CHECK(summary.unsubscribed == std::vector<std::string>{"ml"});
  REQUIRE(summary.versions.size() == 3);  // ^1 -> 1.2.0, ^2 -> 2.0.0, 1.0.0 reported by events
  CHECK(summary.versions[0].version == "1.0.0");
  CHECK(summary.versions[0].consumers == std::vector<std::string>{"ml"});
  CHECK(summary.versions[1].version == "1.2.0");
  CHECK(summary.versions[1].consumers == std::vector<std::string>{"dash"});
  CHECK(summary.versions[2].consumers == std::vector<std::string>{"finance/revenue"});
  REQUIRE(summary.freshness.size() == 2);
  CHECK(summary.freshness[0].verdict == FreshnessVerdict::violated);
  CHECK(summary.freshness[0].age_seconds == 7200);
  CHECK(summary.freshness[1].verdict == FreshnessVerdict::unknown);
}
