// The registry contract, continued: the products that need their owners' attention (issue 19, the
// catalog's home page), read in one go, judged as describe and usage judge each product.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "meshctl/core/json_text.h"
#include "meshctl/registry/health.h"
#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

// One port's run of checks with the given statuses, as `meshctl test --publish` sends it.
QualityPublication run_of(const std::string& product, const std::string& version, const std::string& port,
                          const std::vector<std::string>& statuses) {
  nlohmann::json checks = nlohmann::json::array();
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    checks.push_back({{"id", port + "/check" + std::to_string(i)}, {"status", statuses[i]}, {"failedRows", 0}});
  }
  return {ref(product), version, {{port, json_text(checks)}}};
}

// A freshness event: the port's data last changed at `updated_at`.
std::string changed(const std::string& product, const std::string& port, const std::string& updated_at) {
  return R"({"time": "2026-11-22T23:55:00Z", "product": ")" + product + R"(", "port": ")" + port +
         R"(", "updatedAt": ")" + updated_at + "\"}\n";
}

// What describe and usage say of each product that is not retired: the answer attention() must give.
std::vector<ProductAttention> judged_one_by_one(Registry& registry) {
  std::vector<ProductAttention> expected;
  const auto page = expect_ok(registry.list_products({}));
  for (const auto& product : page.products) {
    const auto details = expect_ok(registry.describe(product.ref, std::nullopt));
    const auto usage = expect_ok(registry.usage(product.ref, {1}));
    auto reasons = attention_reasons(details, usage);
    if (!reasons.empty()) expected.push_back({product.ref, std::move(reasons)});
  }
  return expected;
}

}  // namespace

void check_attention(Registry& registry, ContractClock& clock) {
  for (const auto* name : {"orders", "customers", "quiet"}) {
    expect_ok(registry.publish(make_manifest("sales", name, "1.0.0"), PublishMode::apply));
  }
  expect_ok(registry.publish(make_manifest("finance", "revenue", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("marketing", "legacy", "1.0.0"), PublishMode::apply));
  CHECK(expect_ok(registry.attention()).empty());

  // The clock stands at 2026-11-23T00:00: orders' data is 3 hours old (its SLO says 1h), customers' 10
  // minutes; legacy's is stale but it is retired below.
  const auto report =
      expect_ok(registry.report_usage(changed("sales/orders", "orders-table", "2026-11-22T21:00:00Z") +
                                      changed("sales/customers", "customers-table", "2026-11-22T23:50:00Z") +
                                      changed("marketing/legacy", "legacy-table", "2026-11-20T00:00:00Z")));
  CHECK(report.problems.empty());
  CHECK(report.freshness == 3);
  // orders: a failed run, then a passing one (the latest counts); customers: an errored check; revenue: a
  // failed run of 1.0.0, then 1.1.0 is published (a run of an earlier version says nothing of the latest).
  expect_ok(registry.publish_quality(run_of("sales/orders", "1.0.0", "orders-table", {"passed", "failed"})));
  expect_ok(registry.publish_quality(run_of("sales/orders", "1.0.0", "orders-table", {"passed", "passed"})));
  const auto errored =
      expect_ok(registry.publish_quality(run_of("sales/customers", "1.0.0", "customers-table", {"passed", "error"})));
  REQUIRE(errored.size() == 1);
  expect_ok(registry.publish_quality(run_of("finance/revenue", "1.0.0", "revenue-table", {"failed", "failed"})));
  expect_ok(registry.publish(make_manifest("finance", "revenue", "1.1.0"), PublishMode::apply));
  expect_ok(registry.retire({ref("marketing/legacy"), true, "", std::nullopt}));

  const auto attention = expect_ok(registry.attention());
  REQUIRE(attention.size() == 2);
  CHECK(attention[0].product.text() == "sales/customers");
  REQUIRE(attention[0].reasons.size() == 1);
  CHECK(attention[0].reasons[0].kind == AttentionReason::Kind::quality_failed);
  CHECK(attention[0].reasons[0].port == "customers-table");
  CHECK(attention[0].reasons[0].text ==
        "quality run failed on customers-table: 0 failed, 1 error (version 1.0.0, " + errored[0].time + ")");
  CHECK(attention[1].product.text() == "sales/orders");
  REQUIRE(attention[1].reasons.size() == 1);
  CHECK(attention[1].reasons[0].kind == AttentionReason::Kind::slo_violated);
  CHECK(attention[1].reasons[0].port == "orders-table");
  CHECK(attention[1].reasons[0].text == "freshness SLO 1h violated on orders-table: last change 2026-11-22T21:00:00Z");
  CHECK(attention == judged_one_by_one(registry));

  // Data goes stale with time, without a write: two hours on, customers' SLO is violated too.
  clock.advance(std::chrono::hours{2});
  const auto later = expect_ok(registry.attention());
  REQUIRE(later.size() == 2);
  CHECK(later[0].product.text() == "sales/customers");
  REQUIRE(later[0].reasons.size() == 2);
  CHECK(later[0].reasons[0].text == "freshness SLO 1h violated on customers-table: last change 2026-11-22T23:50:00Z");
  CHECK(later[0].reasons[1].kind == AttentionReason::Kind::quality_failed);
  CHECK(later == judged_one_by_one(registry));
}

}  // namespace meshctl::registry::testing
