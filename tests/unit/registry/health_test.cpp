// A product's health line and why it needs attention, from its details and usage summary.

#include "meshctl/registry/health.h"

#include <catch2/catch.hpp>

namespace meshctl::registry {
namespace {

QualityRun run(const std::string& port, const std::string& version, std::int64_t failed, std::int64_t error) {
  QualityRun run;
  run.ref = {"sales", "orders"};
  run.port = port;
  run.version = version;
  run.time = "2026-11-03T01:00:00Z";
  run.counts.passed = 2;
  run.counts.failed = failed;
  run.counts.error = error;
  return run;
}

PortFreshness freshness(const std::string& port, FreshnessVerdict verdict) {
  PortFreshness fresh;
  fresh.port = port;
  fresh.slo = "1h";
  fresh.updated_at = "2026-11-01T00:00:00Z";
  fresh.verdict = verdict;
  return fresh;
}

ProductDetails details_of(LifecycleStatus status) {
  ProductDetails details;
  details.product.ref = {"sales", "orders"};
  details.product.status = status;
  details.product.latest_version = "1.2.0";
  return details;
}

}  // namespace

TEST_CASE("a product needs attention for a violated freshness SLO and a failed latest quality run", "[health]") {
  auto details = details_of(LifecycleStatus::active);
  details.latest_quality = {run("orders-table", "1.2.0", 1, 0), run("orders-api", "1.2.0", 0, 0),
                            run("orders-files", "1.2.0", 0, 2)};
  UsageSummary usage;
  usage.freshness = {freshness("orders-table", FreshnessVerdict::met),
                     freshness("orders-api", FreshnessVerdict::violated),
                     freshness("orders-files", FreshnessVerdict::unknown)};
  const auto reasons = attention_reasons(details, usage);
  REQUIRE(reasons.size() == 3);
  CHECK(reasons[0].kind == AttentionReason::Kind::slo_violated);
  CHECK(reasons[0].port == "orders-api");
  CHECK(reasons[0].text == "freshness SLO 1h violated on orders-api: last change 2026-11-01T00:00:00Z");
  CHECK(reasons[1].kind == AttentionReason::Kind::quality_failed);
  CHECK(reasons[1].text ==
        "quality run failed on orders-table: 1 failed, 0 errors (version 1.2.0, 2026-11-03T01:00:00Z)");
  CHECK(reasons[2].text ==
        "quality run failed on orders-files: 0 failed, 2 errors (version 1.2.0, 2026-11-03T01:00:00Z)");

  // A run of an earlier version is not the latest version's.
  details.latest_quality = {run("orders-table", "1.1.0", 1, 0)};
  usage.freshness.clear();
  CHECK(attention_reasons(details, usage).empty());

  // A retired product needs no attention.
  auto retired = details_of(LifecycleStatus::retired);
  retired.latest_quality = {run("orders-table", "1.2.0", 1, 0)};
  CHECK(attention_reasons(retired, usage).empty());
}

TEST_CASE("the health line says what is known and what is not", "[health]") {
  ProductHealth health;
  CHECK(health_line(health) == "0 consumers (no reads) · no SLO judged · no quality run · docs 100%");
  health.consumers = 1;
  health.reads = 3;
  health.reads_trend = Trend::steady;
  health.slo_judged = 2;
  health.slo_met = 1;
  health.quality_ports = 2;
  health.quality_failed = 1;
  health.documentable = 4;
  health.documented = 3;
  CHECK(health_line(health) == "1 consumer (reads steady) · SLO met 1/2 · quality failed 1/2 · docs 75%");
}

}  // namespace meshctl::registry
