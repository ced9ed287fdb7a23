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

TEST_CASE("an SLO's days are judged from the port's data changes, the day's start on") {
  const auto at = [](const char* text) { return *usage::parse_timestamp(text); };
  const auto first = at("2026-11-20T00:00:00Z");
  const auto now = at("2026-11-23T12:00:00Z");
  // Changes every 50 minutes from the 20th at 23:30 to the 22nd at 00:10: the 21st is covered whole.
  std::vector<std::int64_t> changes;
  for (auto change = at("2026-11-20T23:30:00Z"); change <= at("2026-11-22T00:10:00Z"); change += 50 * 60) {
    changes.push_back(change);
  }
  const auto days = usage::slo_days(3600, changes, first, 5, now);
  REQUIRE(days.size() == 5);
  CHECK(days[0] == FreshnessVerdict::unknown);   // the 20th: no change known when it began
  CHECK(days[1] == FreshnessVerdict::met);       // the 21st: never older than 50 minutes
  CHECK(days[2] == FreshnessVerdict::violated);  // the 22nd: the last change at 00:10
  CHECK(days[3] == FreshnessVerdict::violated);  // today, until noon
  CHECK(days[4] == FreshnessVerdict::unknown);   // tomorrow
  // A gap of more than the SLO inside a day violates it; at most the SLO does not.
  CHECK(usage::slo_days(3600, {first - 60, first + 3600 - 60, first + 7200 + 60}, first, 1, now)[0] ==
        FreshnessVerdict::violated);
  CHECK(usage::slo_days(86400, {first}, first, 1, now)[0] == FreshnessVerdict::met);
  CHECK(usage::slo_days(3600, {}, first, 1, now)[0] == FreshnessVerdict::unknown);
  CHECK(usage::slo_history_start(now, 7) == "2026-11-17T00:00:00Z");
  CHECK(usage::slo_history_start(now, 90) == "2026-10-25T00:00:00Z");  // at most the 30 days kept
}

TEST_CASE("the summary counts the SLO's days per port and for the product") {
  const auto now = *usage::parse_timestamp("2026-11-23T12:00:00Z");
  usage::UsageInputs inputs;
  inputs.product.ref = {"sales", "orders"};
  for (const char* name : {"table", "topic", "files"}) {
    manifest::OutputPort port;
    port.name = name;
    if (std::string(name) != "files") port.slo = manifest::Slo{"1d", std::nullopt};
    inputs.latest.spec.output_ports.push_back(port);
  }
  // table: fresh every day since the 20th; topic: a change on the 21st only.
  for (const char* time :
       {"2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z"}) {
    inputs.freshness_history.push_back({{"sales", "orders"}, "table", time, time, "ci"});
  }
  inputs.freshness_history.push_back({{"sales", "orders"}, "topic", "2026-11-21T00:00:00Z", "", "ci"});
  inputs.freshness_history.push_back({{"sales", "orders"}, "files", "2026-11-21T00:00:00Z", "", "ci"});
  const auto summary = usage::summarize_usage(inputs, {7}, now);
  CHECK(summary.slo_days == 7);
  REQUIRE(summary.freshness.size() == 3);
  CHECK(summary.freshness[0].slo_days_judged == 4);  // the 20th to today
  CHECK(summary.freshness[0].slo_days_met == 4);
  CHECK(summary.freshness[1].slo_days_judged == 3);  // the 21st to today
  CHECK(summary.freshness[1].slo_days_met == 1);     // the 21st; the 22nd ends 2 days after the change
  CHECK(summary.freshness[2].slo_days_judged == 0);  // no SLO
  // The product: a day is met when every port judged that day met its SLO.
  CHECK(summary.slo_days_judged == 4);
  CHECK(summary.slo_days_met == 2);  // the 20th (table alone) and the 21st
  CHECK(usage::summarize_usage(inputs, {90}, now).slo_days == 30);
}
