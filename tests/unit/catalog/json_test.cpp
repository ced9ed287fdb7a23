#include "meshctl/catalog/json.h"

#include <catch2/catch.hpp>

#include "meshctl/catalog/usage_json.h"

namespace meshctl::registry {
namespace {

TEST_CASE("A described product has DESIGN.md's JSON shape", "[registry][json]") {
  ProductDetails details;
  details.product = {{"sales", "orders"},
                     LifecycleStatus::deprecated,
                     3,
                     "1.1.0",
                     {"sales-data", "s@example.com"},
                     {{"tier", "gold"}},
                     Deprecation{"2027-06-30", "replaced"},
                     "2026-01-01T00:00:00Z",
                     "2026-02-01T00:00:00Z"};
  details.versions = {{{"sales", "orders"},
                       "1.0.0",
                       LifecycleStatus::active,
                       "",
                       "0123456789abcdef",
                       "2026-01-01T00:00:00Z",
                       "alice",
                       std::nullopt,
                       std::nullopt}};
  details.selected = details.versions[0];
  details.selected.manifest_json = R"({"kind":"DataProduct"})";
  details.dependencies = {{{"sales", "orders"}, "a", {"sales", "events"}, "^1", LifecycleStatus::active},
                          {{"sales", "orders"}, "b", {"sales", "events"}, "^1", LifecycleStatus::active}};
  details.dependents = {{{"finance", "revenue"}, "in", {"sales", "orders"}, "", LifecycleStatus::active}};

  const auto json = to_json(details);
  CHECK(json["domain"] == "sales");
  CHECK(json["latestVersion"] == "1.1.0");
  CHECK(json["owner"]["team"] == "sales-data");
  CHECK(json["deprecation"]["sunset"] == "2027-06-30");
  CHECK(json["versions"][0]["publishedBy"] == "alice");
  CHECK(json["versions"][0].contains("manifest") == false);
  CHECK(json["dependencies"] == nlohmann::json::array({"sales/events"}));
  CHECK(json["dependents"] == nlohmann::json::array({"finance/revenue"}));
  CHECK(json["dependencyEdges"].size() == 2);
  CHECK(json["dependencyEdges"][1] == to_json(details.dependencies[1]));
  CHECK(json["dependentEdges"] == nlohmann::json::array({to_json(details.dependents[0])}));
  CHECK(json["selectedVersion"] == "1.0.0");
  CHECK(json["manifest"]["kind"] == "DataProduct");
}

// A described product with something in every field: a deprecated product and
// version, edges (two ports reading one product), input warnings of a
// deprecated and of an unknown product, and the selected version's manifest.
ProductDetails described_product() {
  const ProductRef orders{"sales", "orders"};
  ProductDetails details;
  details.product = {orders,
                     LifecycleStatus::deprecated,
                     7,
                     "2.0.0",
                     {"sales-data", "sales-data@example.com"},
                     {{"tier", "gold"}, {"cost-center", "cc-1"}},
                     Deprecation{"2027-06-30", "replaced by sales/orders-v2"},
                     "2026-01-01T00:00:00Z",
                     "2026-03-01T00:00:00Z"};
  details.versions = {
      {orders, "1.0.0", LifecycleStatus::deprecated, "", "0123456789abcdef", "2026-01-01T00:00:00Z", "alice",
       Deprecation{"2026-12-31", "use 2.x"}, std::nullopt},
      {orders, "2.0.0", LifecycleStatus::active, "", "fedcba9876543210", "2026-03-01T00:00:00Z", "bob", std::nullopt,
       std::nullopt}};
  details.selected = details.versions[0];
  details.selected.manifest_json =
      R"({"apiVersion":"meshctl/v1","kind":"DataProduct","metadata":{"name":"orders","tags":["a","b"],"version":"1.0.0"}})";
  details.dependencies = {{orders, "events", {"sales", "events"}, "^1", LifecycleStatus::deprecated},
                          {orders, "events-late", {"sales", "events"}, ">=1.2.0 <3", LifecycleStatus::deprecated},
                          {orders, "rates", {"finance", "rates"}, "", LifecycleStatus::deprecated}};
  details.dependents = {{{"finance", "revenue"}, "orders", orders, "^1", LifecycleStatus::active},
                        {{"marketing", "attribution"}, "in", orders, "", LifecycleStatus::retired}};
  details.input_warnings = {{details.dependencies[0],
                             true,
                             LifecycleStatus::deprecated,
                             Deprecation{"2027-01-31", "use sales/orders"},
                             {"1.0.0", "1.1.0"},
                             true},
                            {details.dependencies[1],
                             true,
                             LifecycleStatus::active,
                             Deprecation{"2027-01-31", "use sales/orders"},
                             {"1.2.0"},
                             true},
                            {details.dependencies[2], false, LifecycleStatus::active, std::nullopt, {}, false}};
  return details;
}

// The same product without a manifest, edges, warnings or deprecations.
ProductDetails bare_product() {
  auto details = described_product();
  details.product.status = LifecycleStatus::active;
  details.product.deprecation.reset();
  details.product.labels.clear();
  details.versions.resize(1);
  details.versions[0].status = LifecycleStatus::active;
  details.versions[0].deprecation.reset();
  details.selected = details.versions[0];
  details.dependencies.clear();
  details.dependents.clear();
  details.input_warnings.clear();
  return details;
}

TEST_CASE("A described product's JSON text is its JSON value, the manifest put in as stored", "[registry][json]") {
  auto without_manifest = described_product();
  without_manifest.selected.manifest_json.clear();
  for (const auto& details : {described_product(), bare_product(), without_manifest}) {
    const auto text = to_json_text(details);
    INFO(text);
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(parsed == to_json(details));
  }
  CHECK(to_json(without_manifest)["manifest"].is_null());
  CHECK(to_json_text(described_product()).find(described_product().selected.manifest_json) != std::string::npos);
}

TEST_CASE("A described product reads back as it was written", "[registry][json]") {
  auto without_manifest = described_product();
  without_manifest.selected.manifest_json.clear();
  for (const auto& details : {described_product(), bare_product(), without_manifest}) {
    for (const auto& text : {to_json_text(details), to_json(details).dump()}) {
      INFO(text);
      const auto back = product_details_from_json(nlohmann::json::parse(text));
      if (!back) FAIL(back.error().message);
      CHECK(back->product == details.product);
      CHECK(back->versions == details.versions);
      CHECK(back->selected == details.selected);
      CHECK(back->dependencies == details.dependencies);
      CHECK(back->dependents == details.dependents);
      CHECK(back->input_warnings == details.input_warnings);
      CHECK(*back == details);
    }
  }
}

TEST_CASE("A described product that cannot be rebuilt names what is missing", "[registry][json]") {
  const auto refusal = [](nlohmann::json json) {
    const auto details = product_details_from_json(json);
    REQUIRE_FALSE(details);
    CHECK(details.error().kind == ErrorKind::invalid);
    return details.error().message;
  };
  auto json = to_json(described_product());
  json["selectedVersion"] = "9.9.9";
  CHECK(refusal(json) == "details.selectedVersion: '9.9.9' is not one of details.versions");

  json = to_json(described_product());
  json["inputWarnings"][2]["port"] = "elsewhere";
  CHECK(refusal(json) ==
        "details.inputWarnings[]: port 'elsewhere' reading finance/rates is not in details.dependencyEdges");

  json = to_json(described_product());
  json.erase("dependentEdges");
  CHECK(refusal(json) == "details.dependentEdges is missing");

  json = to_json(described_product());
  json.erase("latestVersion");
  CHECK(refusal(json) == "product.latestVersion is missing");
}

TEST_CASE("An apply change says what happened", "[registry][json]") {
  const auto evolved = to_json(Change{{"sales", "orders"}, ChangeAction::evolved, "1.1.0", "1.2.0", 4});
  CHECK(evolved == nlohmann::json{{"product", "sales/orders"},
                                  {"action", "evolved"},
                                  {"fromVersion", "1.1.0"},
                                  {"version", "1.2.0"},
                                  {"revision", 4}});
  CHECK_FALSE(to_json(Change{{"sales", "orders"}, ChangeAction::created, "", "1.0.0", 1}).contains("fromVersion"));
}

}  // namespace
}  // namespace meshctl::registry

namespace meshctl::registry {
namespace {

// to_json then read_*: what the server sends is what the client gets back.
template <typename T, typename Read>
T round_trip(const T& value, Read read) {
  auto back = read(nlohmann::json::parse(to_json(value).dump()));
  if (!back) FAIL(back.error().message);
  CHECK(to_json(*back) == to_json(value));
  return *back;
}

TEST_CASE("Usage answers read back as they were written", "[registry][json]") {
  UsageSummary summary;
  summary.product = {"sales", "orders"};
  summary.status = LifecycleStatus::deprecated;
  summary.since_day = "2026-11-01";
  summary.until_day = "2026-11-23";
  summary.days = {{"2026-11-22", 3, 30, 300}, {"2026-11-23", 0, 0, 0}};
  ConsumerUsage dashboard;
  dashboard.consumer = "dashboard";
  dashboard.subscribed = dashboard.observed = true;
  dashboard.team = "bi";
  dashboard.ports = {"orders-table"};
  dashboard.version_constraint = "^1";
  dashboard.events = 3;
  dashboard.last_access = "2026-11-22T10:00:00Z";
  ConsumerUsage dependent;
  dependent.consumer = "finance/revenue";
  dependent.dependent = true;
  summary.consumers = {dashboard, dependent};
  summary.unsubscribed = {"model"};
  summary.versions = {{"1.2.0", {"dashboard", "finance/revenue"}}};
  summary.freshness = {{"orders-table", "1h", "2026-11-23T09:00:00Z", "ci-sales", 3600, FreshnessVerdict::met},
                       {"orders-topic", "", std::nullopt, std::nullopt, std::nullopt, FreshnessVerdict::unknown}};
  summary.events = 3;
  const auto back = round_trip(summary, read_usage_summary);
  CHECK(back.consumers[0].last_access == "2026-11-22T10:00:00Z");
  CHECK_FALSE(back.freshness[1].age_seconds);

  LineageGraph graph;
  graph.root = ProductRef{"sales", "orders"};
  graph.direction = LineageDirection::downstream;
  graph.nodes = {{{"sales", "orders"}, LifecycleStatus::active, true, 0},
                 {{"finance", "revenue"}, LifecycleStatus::active, false, 1}};
  graph.edges = {{{"sales", "orders"}, {"finance", "revenue"}, "orders"}};
  graph.cycles = {{{"a", "x"}, {"b", "y"}}};
  graph.truncated = true;
  round_trip(graph, read_lineage_graph);

  UsageReport report;
  report.accepted = 2;
  report.duplicates = 1;
  report.problems = {{3, "not valid JSON"}};
  CHECK(round_trip(report, read_usage_report).problems[0].line == 3);
}

TEST_CASE("A new token reads back with its secret; without one it is refused", "[registry][json]") {
  NewToken token;
  token.principal = {"ci", Role::owner, {"finance", "sales"}, "tok123", "2026-01-01T00:00:00Z", "admin", std::nullopt};
  token.secret = "mesh_tok123_secret";
  const auto back = round_trip(token, new_token_from_json);
  CHECK(back.secret == token.secret);
  CHECK(back.principal.domains == token.principal.domains);

  auto without_secret = to_json(token);
  without_secret.erase("token");
  const auto refused = new_token_from_json(without_secret);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "new token.token is missing");
}

TEST_CASE("A principal's expiry is a time or null, and reads back", "[registry][json]") {
  PrincipalRecord principal{"ci", Role::reader, {}, "tok123", "2026-01-01T00:00:00Z", "admin", std::nullopt};
  CHECK(to_json(principal)["expiresAt"].is_null());
  CHECK_FALSE(round_trip(principal, principal_record_from_json).expires_at);
  principal.expires_at = "2026-04-01T00:00:00Z";
  CHECK(to_json(principal)["expiresAt"] == "2026-04-01T00:00:00Z");
  CHECK(round_trip(principal, principal_record_from_json).expires_at == principal.expires_at);
  auto without = to_json(principal);
  without.erase("expiresAt");  // what a server from before token expiry answers
  CHECK_FALSE(principal_record_from_json(without)->expires_at);
}

TEST_CASE("Audit events name their domain and product, and a page its next one", "[registry][json]") {
  const AuditEvent product_event{7, "2026-01-01T00:00:00Z", "alice", "evolve", {"sales", "orders"}, "1.1.0", "x"};
  const AuditEvent domain_event{8, "2026-01-01T00:00:01Z", "admin", "domain-create", {"sales", ""}, "", "y"};
  const AuditEvent token_event{9, "2026-01-01T00:00:02Z", "admin", "token-create", {}, "", "z"};
  CHECK(to_json(product_event)["domain"] == "sales");
  CHECK(to_json(product_event)["product"] == "sales/orders");
  CHECK(to_json(domain_event)["domain"] == "sales");
  CHECK(to_json(domain_event)["product"] == "");
  CHECK(to_json(token_event)["domain"] == "");
  CHECK(to_json(token_event)["product"] == "");
  for (const auto& event : {product_event, domain_event, token_event}) {
    CHECK(round_trip(event, audit_event_from_json) == event);
  }
  auto from_before = to_json(product_event);
  from_before.erase("domain");  // a product's history from a server before the registry-wide audit
  CHECK(audit_event_from_json(from_before)->ref == product_event.ref);

  AuditPage page{{token_event, domain_event}, 8};
  CHECK(to_json(page)["nextBefore"] == 8);
  const auto back = round_trip(page, audit_page_from_json);
  CHECK(back.events == page.events);
  CHECK(back.next_before == 8);
  page.next_before.reset();
  CHECK(to_json(page)["nextBefore"].is_null());
  CHECK_FALSE(round_trip(page, audit_page_from_json).next_before);
  const auto broken = audit_page_from_json(nlohmann::json::parse(R"({"events": [{"id": "x"}]})"));
  REQUIRE_FALSE(broken);
  CHECK(broken.error().kind == ErrorKind::invalid);
}

TEST_CASE("A malformed usage answer names what is wrong", "[registry][json]") {
  auto wrong_verdict = to_json(UsageSummary{});
  wrong_verdict["product"] = "sales/orders";
  wrong_verdict["freshness"] = {{{"port", "p"}, {"verdict", "fine"}}};
  const auto summary = read_usage_summary(wrong_verdict);
  REQUIRE_FALSE(summary);
  CHECK(summary.error().message == "usage.freshness[].verdict is not met, violated or unknown");

  auto wrong_count = to_json(UsageReport{});
  wrong_count["accepted"] = "two";
  const auto report = read_usage_report(wrong_count);
  REQUIRE_FALSE(report);
  CHECK(report.error().message == "usage report.accepted is not an integer");
  CHECK(read_lineage_graph(nlohmann::json::array()).error().message == "lineage is not a JSON object");
}

TEST_CASE("A plan reads back with its warnings; an input port's finding has a stable shape", "[registry][json]") {
  manifest::DataProduct manifest;
  manifest.metadata.name = "revenue";
  manifest.metadata.domain = "finance";
  manifest.metadata.version = "1.0.0";
  const InputPortFinding warning{{"finance", "revenue"},
                                 "1.0.0",
                                 2,
                                 "orders",
                                 {"sales", "orders"},
                                 "^1",
                                 "MESH-INPUT-DEPRECATED",
                                 "input port 'orders' reads sales/orders ^1, ...",
                                 {"1.0.0", "1.1.0"},
                                 "2027-06-30"};
  const ApplyPlan plan{
      PublishMode::evolve,
      {{{{"finance", "revenue"}, ChangeAction::created, "", "1.0.0", 0}, manifest, std::nullopt}},
      {warning},
      {}};
  const auto json = to_json(plan);
  CHECK(json["warnings"][0] == nlohmann::json{{"product", "finance/revenue"},
                                              {"version", "1.0.0"},
                                              {"index", 2},
                                              {"port", "orders"},
                                              {"provider", "sales/orders"},
                                              {"versionConstraint", "^1"},
                                              {"rule", "MESH-INPUT-DEPRECATED"},
                                              {"message", warning.message},
                                              {"available", {"1.0.0", "1.1.0"}},
                                              {"sunset", "2027-06-30"}});
  const auto back = apply_plan_from_json(json);
  if (!back) FAIL(back.error().message);
  CHECK(back->mode == PublishMode::evolve);
  CHECK(back->warnings == plan.warnings);
  REQUIRE(back->items.size() == 1);
  CHECK(back->items[0].change.to_version == "1.0.0");

  // A refused port has no sunset; a plan from an older server has no warnings.
  auto refused = warning;
  refused.rule = "MESH-INPUT-UNKNOWN";
  refused.sunset.clear();
  CHECK_FALSE(to_json(refused).contains("sunset"));
  CHECK(input_port_finding_from_json(to_json(refused)).value() == refused);
  auto older = json;
  older.erase("warnings");
  CHECK(apply_plan_from_json(older).value().warnings.empty());
  auto broken = to_json(refused);
  broken["index"] = -1;
  CHECK(input_port_finding_from_json(broken).error().message == "input port.index: -1 is negative");
}

}  // namespace
}  // namespace meshctl::registry
