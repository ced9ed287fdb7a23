// The registry contract, second half: domains, tokens, subscriptions, usage and lineage (see
// registry_contract.h). Each check_* runs on a fresh registry of the implementation under test.

#include <algorithm>

#include <catch2/catch.hpp>

#include "meshctl/store/store.h"
#include "meshctl/usage/lineage.h"
#include "meshctl/usage/time.h"
#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

void publish(Registry& registry, const std::string& domain, const std::string& name,
             const std::vector<std::string>& inputs = {}) {
  expect_ok(registry.publish(make_manifest(domain, name, "1.0.0", inputs), PublishMode::apply));
}

}  // namespace

void check_domains(Registry& registry) {
  publish(registry, "sales", "orders");
  publish(registry, "sales", "customers");
  publish(registry, "finance", "revenue");

  const auto created = expect_ok(registry.create_domain({"logistics", "logistics-data"}));
  CHECK(created.name == "logistics");
  CHECK(created.owner_team == "logistics-data");
  expect_error(registry.create_domain({"logistics", "someone-else"}), ErrorKind::conflict);
  expect_error(registry.create_domain({"Not A Name", "team"}), ErrorKind::invalid);
  publish(registry, "logistics", "shipments");

  const auto domains = expect_ok(registry.list_domains());
  std::vector<std::pair<std::string, std::int64_t>> counts;
  for (const auto& domain : domains) counts.emplace_back(domain.name, domain.product_count);
  CHECK(counts == std::vector<std::pair<std::string, std::int64_t>>{{"finance", 1}, {"logistics", 1}, {"sales", 2}});
  const auto logistics =
      std::find_if(domains.begin(), domains.end(), [](const auto& d) { return d.name == "logistics"; });
  REQUIRE(logistics != domains.end());
  CHECK(logistics->owner_team == "logistics-data");
}

void check_tokens(Registry& registry) {
  publish(registry, "sales", "orders");
  const auto created = expect_ok(registry.create_token({"sales-ci", Role::owner, {"sales"}}));
  CHECK(created.principal.name == "sales-ci");
  CHECK(created.principal.role == Role::owner);
  CHECK(created.principal.domains == std::vector<std::string>{"sales"});
  CHECK_FALSE(created.principal.token_id.empty());
  CHECK_FALSE(created.principal.revoked_at);
  CHECK(created.secret.rfind("mesh_" + created.principal.token_id + "_", 0) == 0);
  expect_ok(registry.create_token({"auditor", Role::reader, {}}));
  expect_error(registry.create_token({"sales-ci", Role::reader, {}}), ErrorKind::conflict);
  expect_error(registry.create_token({"no-domains", Role::owner, {}}), ErrorKind::invalid);

  auto listed = expect_ok(registry.list_tokens());
  std::vector<std::string> names;
  for (const auto& principal : listed) names.push_back(principal.name);
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::count(names.begin(), names.end(), "sales-ci") == 1);
  CHECK(std::count(names.begin(), names.end(), "auditor") == 1);

  const auto revoked = expect_ok(registry.revoke_token("sales-ci"));
  REQUIRE(revoked.revoked_at);
  const auto again = expect_ok(registry.revoke_token("sales-ci"));
  CHECK(again.revoked_at == revoked.revoked_at);  // revoking again changes nothing
  expect_error(registry.revoke_token("nobody"), ErrorKind::not_found);
  listed = expect_ok(registry.list_tokens());
  const auto ci = std::find_if(listed.begin(), listed.end(), [](const auto& p) { return p.name == "sales-ci"; });
  REQUIRE(ci != listed.end());
  CHECK(ci->revoked_at == revoked.revoked_at);
}

void check_subscriptions(Registry& registry) {
  publish(registry, "sales", "orders");
  publish(registry, "sales", "customers");
  const SubscribeRequest request{ref("sales/orders"), "revenue-dashboard", "finance-bi", "orders-table", "^1",
                                 "monthly revenue"};
  const auto first = expect_ok(registry.subscribe(request));
  CHECK(first.changed);
  CHECK(first.warnings.empty());
  CHECK(first.subscription.consumer == "revenue-dashboard");
  CHECK(first.subscription.port == "orders-table");
  CHECK(first.subscription.version_constraint == "^1");
  CHECK_FALSE(expect_ok(registry.subscribe(request)).changed);  // the same subscription again

  expect_error(registry.subscribe({ref("sales/orders"), "x", "team", "no-such-port", "", ""}), ErrorKind::not_found);
  expect_error(registry.subscribe({ref("sales/nothing"), "x", "team", "", "", ""}), ErrorKind::not_found);
  expect_error(registry.subscribe({ref("sales/orders"), "", "team", "", "", ""}), ErrorKind::invalid);
  expect_error(registry.subscribe({ref("sales/orders"), "x", "team", "", "not a constraint", ""}), ErrorKind::invalid);
  // A constraint no published version meets pins nothing: refused, naming the versions there are.
  const auto unmatched =
      expect_error(registry.subscribe({ref("sales/orders"), "x", "team", "", "^3", ""}), ErrorKind::not_found);
  CHECK(unmatched.message.find("1.0.0") != std::string::npos);
  CHECK(unmatched.message.find("^1") != std::string::npos);  // a constraint that would do
  CHECK(unmatched.details["published"] == nlohmann::json::array({"1.0.0"}));
  CHECK(expect_ok(registry.list_subscriptions(ref("sales/orders"))).size() == 1);
  // One that resolves only to deprecated versions is taken, with a warning naming the sunset.
  expect_ok(registry.deprecate({ref("sales/orders"), "1.0.0", "2027-01-31", "1.1.0 fixes amounts", std::nullopt}));
  const auto deprecated_only = expect_ok(registry.subscribe({ref("sales/orders"), "x", "team", "", "^1", ""}));
  REQUIRE(deprecated_only.warnings.size() == 1);
  CHECK(deprecated_only.warnings[0].find("2027-01-31") != std::string::npos);
  CHECK(expect_ok(registry.unsubscribe({ref("sales/orders"), "x", std::nullopt})).size() == 1);

  expect_ok(registry.subscribe({ref("sales/customers"), "crm-sync", "marketing-ops", "", "", ""}));
  const auto all = expect_ok(registry.list_subscriptions(std::nullopt));
  REQUIRE(all.size() == 2);
  CHECK(all[0].product == ref("sales/customers"));  // ordered by product, then consumer
  CHECK(all[1].product == ref("sales/orders"));
  CHECK(expect_ok(registry.list_subscriptions(ref("sales/orders"))).size() == 1);
  expect_error(registry.list_subscriptions(ref("sales/nothing")), ErrorKind::not_found);

  expect_ok(registry.deprecate({ref("sales/customers"), std::nullopt, "2027-06-30", "moving", std::nullopt}));
  const auto warned = expect_ok(registry.subscribe({ref("sales/customers"), "late-reader", "team", "", "", ""}));
  CHECK_FALSE(warned.warnings.empty());

  expect_error(registry.unsubscribe({ref("sales/orders"), "nobody", std::nullopt}), ErrorKind::not_found);
  const auto removed = expect_ok(registry.unsubscribe({ref("sales/orders"), "revenue-dashboard", std::nullopt}));
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].consumer == "revenue-dashboard");
  CHECK(expect_ok(registry.list_subscriptions(ref("sales/orders"))).empty());

  RetireRequest retire{ref("sales/customers"), true, "gone", std::nullopt};
  expect_ok(registry.retire(retire));
  expect_error(registry.subscribe({ref("sales/customers"), "too-late", "team", "", "", ""}), ErrorKind::conflict);
}

void check_usage(Registry& registry) {
  publish(registry, "sales", "orders");
  // The registry's own today: its clock may be a test's or the system's.
  const auto today = expect_ok(registry.usage(ref("sales/orders"), {1})).until_day;
  REQUIRE(today.size() == 10);
  const std::string at = today + "T08:00:00Z";
  const std::string lines =
      R"({"id": "u-1", "time": ")" + at +
      R"(", "product": "sales/orders", "port": "orders-table", "consumer": "revenue-dashboard", "rows": 10, "bytes": 100})"
      "\n"
      R"({"id": "u-2", "time": ")" +
      at +
      R"(", "product": "sales/orders", "port": "orders-table", "consumer": "revenue-dashboard", "rows": 5, "bytes": 50})"
      "\n"
      R"({"id": "u-3", "time": ")" +
      at +
      R"(", "product": "sales/orders", "port": "orders-table"})"
      "\n"
      R"({"id": "u-4", "time": ")" +
      at +
      R"(", "product": "sales/nothing", "port": "t", "consumer": "c"})"
      "\n"
      R"({"time": ")" +
      at + R"(", "product": "sales/orders", "port": "orders-table", "updatedAt": ")" + at +
      R"("})"
      "\n";

  const auto report = expect_ok(registry.report_usage(lines));
  CHECK(report.accepted == 2);
  CHECK(report.duplicates == 0);
  CHECK(report.freshness == 1);
  REQUIRE(report.problems.size() == 2);
  CHECK(report.problems[0].line == 3);  // no consumer
  CHECK(report.problems[1].line == 4);  // an unknown product

  const auto again = expect_ok(registry.report_usage(lines));
  CHECK(again.accepted == 0);
  CHECK(again.duplicates == 2);  // ingest is idempotent by event id
  const auto offset = expect_ok(registry.report_usage("not json\n", 41));
  REQUIRE(offset.problems.size() == 1);
  CHECK(offset.problems[0].line == 41);

  const auto summary = expect_ok(registry.usage(ref("sales/orders"), {7}));
  CHECK(summary.until_day == today);
  CHECK(summary.days.size() == 7);
  CHECK(summary.events == 2);
  CHECK(summary.rows == 15);
  CHECK(summary.bytes == 150);
  REQUIRE(summary.consumers.size() == 1);
  CHECK(summary.consumers[0].consumer == "revenue-dashboard");
  CHECK(summary.consumers[0].observed);
  CHECK(summary.consumers[0].events == 2);
  CHECK(summary.unsubscribed == std::vector<std::string>{"revenue-dashboard"});
  REQUIRE(summary.freshness.size() == 1);
  CHECK(summary.freshness[0].port == "orders-table");
  CHECK(summary.freshness[0].updated_at == at);
  expect_error(registry.usage(ref("sales/nothing"), {7}), ErrorKind::not_found);
  CHECK(summary.slo_days == 7);

  // The SLO's days (1h): changes every 50 minutes from 3 days ago at 23:30 to yesterday at 00:10 cover the
  // day before yesterday whole; yesterday goes stale at 01:10; 3 days ago no change was known when it began.
  const auto midnight = *usage::day_start(today);
  std::string changes;
  for (auto change = midnight - 2 * 86400 - 30 * 60; change <= midnight - 86400 + 10 * 60; change += 50 * 60) {
    changes += R"({"time": ")" + usage::format_timestamp(midnight - 3600) +
               R"(", "product": "sales/orders", "port": "orders-table", "updatedAt": ")" +
               usage::format_timestamp(change) + "\"}\n";
  }
  const auto reported = expect_ok(registry.report_usage(changes));
  CHECK(reported.problems.empty());
  const auto judged = expect_ok(registry.usage(ref("sales/orders"), {7}));
  REQUIRE(judged.freshness.size() == 1);
  CHECK(judged.freshness[0].slo_days_met == 1);
  // Today counts when the clock is past midnight (a test clock may stand at it): stale since yesterday.
  CHECK(judged.freshness[0].slo_days_judged >= 2);
  CHECK(judged.freshness[0].slo_days_judged <= 3);
  CHECK(judged.slo_days_met == 1);
  CHECK(judged.slo_days_judged == judged.freshness[0].slo_days_judged);
}

void check_freshness_history(Store& store) {
  const ProductRef orders{"sales", "orders"};
  const auto record = [&](const std::string& port, const std::string& updated_at, const std::string& since) {
    auto write = store.begin(TransactionMode::write);
    REQUIRE(write.ok());
    REQUIRE((*write)->record_freshness({orders, port, updated_at, "2026-11-23T00:00:00Z", "ci"}, since).ok());
    REQUIRE((*write)->commit().ok());
  };
  const auto history = [&](const std::string& since) {
    auto read = store.begin(TransactionMode::read);
    REQUIRE(read.ok());
    auto records = (*read)->freshness_history(orders, since);
    REQUIRE(records.ok());
    std::vector<std::string> changes;
    for (const auto& change : *records) changes.push_back(change.port + "@" + change.updated_at);
    return changes;
  };
  const std::string keep = "2026-10-25T00:00:00Z";
  for (const char* time : {"2026-10-01T00:00:00Z", "2026-10-10T00:00:00Z", "2026-11-01T00:00:00Z"}) {
    record("table", time, keep);
  }
  record("table", "2026-11-01T00:00:00Z", keep);  // the same change again is kept once
  record("table", "2026-10-20T00:00:00Z", keep);  // reported late: older than the newest, kept in the history
  record("topic", "2026-11-02T00:00:00Z", keep);
  // Before `keep`, only the newest change of each port stays.
  CHECK(history("2026-01-01T00:00:00Z") == std::vector<std::string>{"table@2026-10-20T00:00:00Z",
                                                                    "table@2026-11-01T00:00:00Z",
                                                                    "topic@2026-11-02T00:00:00Z"});
  // A read from `since` on: the changes from then, and each port's newest before.
  CHECK(history("2026-11-01T12:00:00Z") ==
        std::vector<std::string>{"table@2026-11-01T00:00:00Z", "topic@2026-11-02T00:00:00Z"});
  CHECK(history("2026-10-30T00:00:00Z") == std::vector<std::string>{"table@2026-10-20T00:00:00Z",
                                                                    "table@2026-11-01T00:00:00Z",
                                                                    "topic@2026-11-02T00:00:00Z"});
  // The latest record is still the greatest change.
  auto read = store.begin(TransactionMode::read);
  REQUIRE(read.ok());
  auto latest = (*read)->freshness_of(orders);
  REQUIRE(latest.ok());
  REQUIRE(latest->size() == 2);
  CHECK(latest->front().updated_at == "2026-11-01T00:00:00Z");
}

void check_lineage(Registry& registry) {
  publish(registry, "sales", "orders");
  publish(registry, "finance", "revenue", {"sales/orders"});
  publish(registry, "finance", "forecast", {"finance/revenue"});

  const auto down = expect_ok(registry.lineage({ref("sales/orders"), LineageDirection::downstream, std::nullopt}));
  std::vector<std::string> nodes;
  for (const auto& node : down.nodes) nodes.push_back(node.ref.text() + "@" + std::to_string(node.depth));
  CHECK(nodes == std::vector<std::string>{"finance/forecast@2", "finance/revenue@1", "sales/orders@0"});
  REQUIRE(down.edges.size() == 2);
  CHECK(down.edges[0].provider == ref("finance/revenue"));  // by (provider, consumer, port)
  CHECK(down.edges[0].consumer == ref("finance/forecast"));
  CHECK(down.edges[1].port == "from-orders");
  CHECK(down.cycles.empty());

  const auto near = expect_ok(registry.lineage({ref("sales/orders"), LineageDirection::downstream, 1}));
  CHECK(near.nodes.size() == 2);
  CHECK(near.truncated);

  const auto up = expect_ok(registry.lineage({ref("finance/revenue"), LineageDirection::upstream, std::nullopt}));
  REQUIRE(up.nodes.size() == 2);
  CHECK(up.nodes[1].ref == ref("sales/orders"));
  expect_error(registry.lineage({ref("sales/nowhere"), LineageDirection::both, std::nullopt}), ErrorKind::not_found);

  // Products published one by one may come to read each other: the graph reports the cycle, it does not refuse it.
  publish(registry, "marketing", "b");
  publish(registry, "marketing", "a", {"marketing/b"});
  expect_ok(registry.publish(make_manifest("marketing", "b", "1.1.0", {"marketing/a"}), PublishMode::apply));
  const auto all = expect_ok(registry.lineage({std::nullopt, LineageDirection::both, std::nullopt}));
  CHECK(all.nodes.size() == 5);
  CHECK(all.edges.size() == 4);
  REQUIRE(all.cycles.size() == 1);
  CHECK(all.cycles[0] == std::vector<ProductRef>{ref("marketing/a"), ref("marketing/b")});

  // A rooted lineage reads only what it reaches; it is the whole graph's, cut at the root: every root, way
  // and depth, with a hub, a retired product and the cycle.
  publish(registry, "finance", "budget", {"finance/revenue", "marketing/a"});
  publish(registry, "finance", "audit", {"finance/budget", "finance/forecast"});
  expect_ok(registry.retire({ref("finance/forecast"), true, "replaced", std::nullopt}));
  const auto mesh = expect_ok(registry.lineage({std::nullopt, LineageDirection::both, std::nullopt}));
  std::vector<DependencyEdge> mesh_edges;
  for (const auto& edge : mesh.edges) mesh_edges.push_back({edge.consumer, edge.port, edge.provider, "", {}});
  std::vector<usage::ProductState> mesh_products;
  for (const auto& node : mesh.nodes) {
    if (node.registered) mesh_products.push_back({node.ref, node.status});
  }
  REQUIRE(mesh.nodes.size() == 7);
  for (const auto& node : mesh.nodes) {
    for (const auto direction : {LineageDirection::both, LineageDirection::upstream, LineageDirection::downstream}) {
      // Depth 1 and up (the API's minimum; the CLI's 0 is no limit).
      for (const auto depth : {std::optional<std::size_t>(), std::optional<std::size_t>(1),
                               std::optional<std::size_t>(2), std::optional<std::size_t>(3)}) {
        const LineageRequest request{node.ref, direction, depth};
        const auto rooted = expect_ok(registry.lineage(request));
        const auto expected = usage::build_lineage(mesh_edges, mesh_products, request);
        INFO(node.ref.text() << " direction " << static_cast<int>(direction) << " depth " << depth.value_or(99));
        REQUIRE(rooted.nodes.size() == expected.nodes.size());
        for (std::size_t i = 0; i < rooted.nodes.size(); ++i) {
          CHECK(rooted.nodes[i].ref == expected.nodes[i].ref);
          CHECK(rooted.nodes[i].status == expected.nodes[i].status);
          CHECK(rooted.nodes[i].registered == expected.nodes[i].registered);
          CHECK(rooted.nodes[i].depth == expected.nodes[i].depth);
        }
        REQUIRE(rooted.edges.size() == expected.edges.size());
        for (std::size_t i = 0; i < rooted.edges.size(); ++i) {
          CHECK(rooted.edges[i].provider == expected.edges[i].provider);
          CHECK(rooted.edges[i].consumer == expected.edges[i].consumer);
          CHECK(rooted.edges[i].port == expected.edges[i].port);
        }
        CHECK(rooted.cycles == expected.cycles);
        CHECK(rooted.truncated == expected.truncated);
      }
    }
  }
}

}  // namespace meshctl::registry::testing
