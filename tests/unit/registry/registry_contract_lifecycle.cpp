// The registry contract, part 3: the lifecycle rules the registry enforces.
// Input ports must resolve on every write (publish, plan, execute), and
// retirement follows a deprecation whose sunset has come.

#include <set>

#include <catch2/catch.hpp>

#include "meshctl/catalog/json.h"
#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

manifest::DataProduct reader_of(const std::string& domain, const std::string& name, const std::string& version,
                                const std::vector<std::pair<std::string, std::string>>& inputs) {
  auto product = make_manifest(domain, name, version);
  for (const auto& [input, constraint] : inputs) {
    manifest::InputPort port;
    port.name = "in-" + std::to_string(product.spec.input_ports.size());
    port.product = input;
    if (!constraint.empty()) port.version = constraint;
    product.spec.input_ports.push_back(port);
  }
  return product;
}

// The input ports a refusal lists, decoded (so they travel whole from a server too).
std::vector<InputPortFinding> unresolved_ports(const Error& error) {
  std::vector<InputPortFinding> findings;
  REQUIRE(error.details.contains("unresolvedInputs"));
  for (const auto& item : error.details["unresolvedInputs"]) {
    auto finding = input_port_finding_from_json(item);
    REQUIRE(finding.ok());
    findings.push_back(std::move(*finding));
  }
  return findings;
}

std::vector<std::string> rules_in(const std::vector<InputPortFinding>& findings) {
  std::vector<std::string> rules;
  for (const auto& finding : findings) rules.push_back(finding.rule);
  return rules;
}

DeprecateRequest deprecate_request(const std::string& product, const std::string& sunset,
                                   std::optional<std::string> version = std::nullopt) {
  return {ref(product), std::move(version), sunset, "replaced by sales/order-lines", std::nullopt};
}

RetireRequest retire_request(const std::string& product, bool force = false) {
  return {ref(product), force, "", std::nullopt};
}

// The built-in standards without MESH-INPUT-VERSION, which refuses a port
// without a constraint (or with one like "latest") before the registry looks
// the port up: a platform may allow such ports, and then the lookup decides.
constexpr const char* kAnyConstraint = R"(apiVersion: meshctl/v1
kind: Standards
extends: default
rules:
  MESH-INPUT-VERSION: off
)";

}  // namespace

void check_input_ports(Registry& registry) {
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "orders", "2.1.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "legacy", "1.0.0"), PublishMode::apply));
  expect_ok(registry.retire(retire_request("sales/legacy", true)));

  SECTION("a port reading an unknown product is refused, and nothing is written") {
    for (auto mode : {PublishMode::apply, PublishMode::create}) {
      const auto error =
          expect_error(registry.publish(reader_of("finance", "revenue", "1.0.0", {{"sales/ordres", "^1"}}), mode),
                       ErrorKind::conflict);
      CHECK(says(error.message, "sales/ordres"));
      CHECK(says(error.message, "not registered"));
      const auto findings = unresolved_ports(error);
      REQUIRE(findings.size() == 1);
      CHECK(findings[0].rule == "MESH-INPUT-UNKNOWN");
      CHECK(findings[0].consumer == ref("finance/revenue"));
      CHECK(findings[0].version == "1.0.0");
      CHECK(findings[0].index == 0);
      CHECK(findings[0].port == "in-0");
      CHECK(findings[0].provider == ref("sales/ordres"));
      CHECK(findings[0].version_constraint == "^1");
    }
    expect_error(registry.get_product(ref("finance/revenue")), ErrorKind::not_found);
    CHECK(expect_ok(registry.list_domains()).size() == 1);  // not even the domain
  }

  SECTION("every port that does not resolve is listed, at its index, however it fails") {
    expect_ok(registry.publish_standards(kAnyConstraint));
    const auto manifest = reader_of("finance", "revenue", "1.0.0",
                                    {{"sales/orders", "^2"},      // 0: fine (2.1.0)
                                     {"sales/nowhere", "^1"},     // 1: unknown
                                     {"sales/legacy", "^1"},      // 2: retired
                                     {"sales/orders", "^3"},      // 3: no version meets it
                                     {"sales/orders", "latest"},  // 4: not a constraint
                                     {"sales/orders", "~1.0"}});  // 5: fine (1.0.0)
    const auto error = expect_error(registry.publish(manifest, PublishMode::apply), ErrorKind::conflict);
    const auto findings = unresolved_ports(error);
    CHECK(rules_in(findings) == std::vector<std::string>{"MESH-INPUT-UNKNOWN", "MESH-INPUT-RETIRED",
                                                         "MESH-INPUT-UNMATCHED", "MESH-INPUT-UNMATCHED"});
    REQUIRE(findings.size() == 4);
    CHECK(findings[0].index == 1);
    CHECK(findings[1].index == 2);
    CHECK(findings[2].index == 3);
    CHECK(findings[2].available == std::vector<std::string>{"1.0.0", "2.1.0"});
    CHECK(says(findings[2].message, "1.0.0, 2.1.0"));  // says which versions there are
    CHECK(findings[3].index == 4);
    CHECK(says(findings[3].message, "latest"));
    CHECK(says(error.message, "4 of its input ports"));
    expect_error(registry.get_product(ref("finance/revenue")), ErrorKind::not_found);
  }

  SECTION("a port without a constraint reads any version; a pre-release meets no constraint") {
    expect_ok(registry.publish_standards(kAnyConstraint));
    expect_ok(registry.publish(reader_of("finance", "revenue", "1.0.0", {{"sales/orders", ""}}), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("sales", "preview", "3.0.0-rc.1"), PublishMode::apply));
    const auto error = expect_error(
        registry.publish(reader_of("finance", "forecast", "1.0.0", {{"sales/preview", "^3"}}), PublishMode::apply),
        ErrorKind::conflict);
    CHECK(rules_in(unresolved_ports(error)) == std::vector<std::string>{"MESH-INPUT-UNMATCHED"});
  }

  SECTION("an evolve is held to the rule too; a product left as it is is not") {
    expect_ok(registry.publish(make_manifest("sales", "events", "1.0.0"), PublishMode::apply));
    expect_ok(registry.publish(reader_of("finance", "revenue", "1.0.0", {{"sales/events", "^1"}}), PublishMode::apply));
    expect_ok(registry.retire(retire_request("sales/events", true)));
    // The same manifest again writes nothing, so nothing is refused.
    const auto again = expect_ok(
        registry.publish(reader_of("finance", "revenue", "1.0.0", {{"sales/events", "^1"}}), PublishMode::apply));
    CHECK(again.action == ChangeAction::unchanged);
    const auto plan = expect_ok(
        registry.plan({reader_of("finance", "revenue", "1.0.0", {{"sales/events", "^1"}})}, PublishMode::apply));
    CHECK(plan.items.size() == 1);
    for (auto mode : {PublishMode::apply, PublishMode::evolve}) {
      const auto error =
          expect_error(registry.publish(reader_of("finance", "revenue", "1.1.0", {{"sales/events", "^1"}}), mode),
                       ErrorKind::conflict);
      CHECK(rules_in(unresolved_ports(error)) == std::vector<std::string>{"MESH-INPUT-RETIRED"});
    }
    CHECK(expect_ok(registry.get_product(ref("finance/revenue"))).latest_version == "1.0.0");
  }

  SECTION("a port may read what the same apply publishes, its new versions counted") {
    // sales/orders goes to 3.0.0 in the same apply that adds a reader of ^3; a new product is read at once.
    const auto plan = expect_ok(
        registry.plan({reader_of("finance", "revenue", "1.0.0", {{"sales/orders", "^3"}, {"sales/refunds", "^1"}}),
                       make_manifest("sales", "orders", "3.0.0"), make_manifest("sales", "refunds", "1.0.0")},
                      PublishMode::apply));
    REQUIRE(plan.items.size() == 3);
    CHECK(plan.items[2].change.ref == ref("finance/revenue"));
    CHECK(plan.warnings.empty());
    expect_ok(registry.execute(plan));
    CHECK(expect_ok(registry.get_product(ref("finance/revenue"))).latest_version == "1.0.0");

    // A version the apply does not publish does not count.
    const auto error = expect_error(registry.plan({reader_of("finance", "forecast", "1.0.0", {{"sales/orders", "^4"}}),
                                                   make_manifest("sales", "orders", "3.1.0")},
                                                  PublishMode::apply),
                                    ErrorKind::conflict);
    CHECK(rules_in(unresolved_ports(error)) == std::vector<std::string>{"MESH-INPUT-UNMATCHED"});
    CHECK(says(unresolved_ports(error)[0].message, "3.1.0"));
  }

  SECTION("a refused plan lists every port of every manifest that does not resolve; nothing is written") {
    const auto error = expect_error(
        registry.plan({reader_of("finance", "revenue", "1.0.0", {{"sales/nowhere", "^1"}}),
                       reader_of("finance", "forecast", "1.0.0", {{"sales/orders", "^9"}, {"sales/legacy", "^1"}}),
                       make_manifest("finance", "budget", "1.0.0")},
                      PublishMode::apply),
        ErrorKind::conflict);
    CHECK(error.details["refusals"].size() == 2);
    const auto findings = unresolved_ports(error);
    REQUIRE(findings.size() == 3);
    std::set<std::string> where;
    for (const auto& finding : findings) where.insert(finding.consumer.text() + "#" + std::to_string(finding.index));
    CHECK(where == std::set<std::string>{"finance/revenue#0", "finance/forecast#0", "finance/forecast#1"});
    expect_error(registry.get_product(ref("finance/budget")), ErrorKind::not_found);
  }

  SECTION("execute checks again: what a port reads may go away after the plan") {
    expect_ok(registry.publish(make_manifest("sales", "events", "1.0.0"), PublishMode::apply));
    const auto plan = expect_ok(registry.plan({make_manifest("finance", "budget", "1.0.0"),
                                               reader_of("finance", "revenue", "1.0.0", {{"sales/events", "^1"}})},
                                              PublishMode::apply));
    expect_ok(registry.retire(retire_request("sales/events", true)));
    const auto error = expect_error(registry.execute(plan), ErrorKind::conflict);
    CHECK(rules_in(unresolved_ports(error)) == std::vector<std::string>{"MESH-INPUT-RETIRED"});
    expect_error(registry.get_product(ref("finance/budget")), ErrorKind::not_found);
  }

  SECTION("a port that resolves only to deprecated versions is a warning of the plan, with the sunset") {
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-01-31", "2.1.0")));
    const auto manifests = std::vector<manifest::DataProduct>{
        reader_of("finance", "revenue", "1.0.0", {{"sales/orders", "^2"}, {"sales/orders", "^1"}})};
    const auto plan = expect_ok(registry.plan(manifests, PublishMode::apply));
    REQUIRE(plan.warnings.size() == 1);
    const auto& warning = plan.warnings[0];
    CHECK(warning.rule == "MESH-INPUT-DEPRECATED");
    CHECK(warning.index == 0);
    CHECK(warning.sunset == "2027-01-31");
    CHECK(warning.available == std::vector<std::string>{"2.1.0"});
    CHECK(says(warning.message, "2027-01-31"));
    expect_ok(registry.execute(plan));
    // A product left as it is: its readers are still told.
    CHECK(expect_ok(registry.plan(manifests, PublishMode::apply)).warnings.size() == 1);

    // The whole product deprecated: every port reading it is warned of, with the product's sunset.
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-06-30")));
    const auto later = expect_ok(registry.plan(manifests, PublishMode::apply));
    REQUIRE(later.warnings.size() == 2);
    CHECK(later.warnings[0].sunset == "2027-01-31");  // 2.1.0's own sunset
    CHECK(later.warnings[1].sunset == "2027-06-30");
    CHECK(says(later.warnings[1].message, "replaced by sales/order-lines"));
  }
}

void check_retirement_lifecycle(Registry& registry, ContractClock& clock) {
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));
  const auto day = [](int year, unsigned month, unsigned day_of_month) {
    return std::chrono::sys_days{std::chrono::year{year} / month / day_of_month};
  };

  SECTION("an active product is not retired: deprecate it first") {
    const auto error = expect_error(registry.retire(retire_request("sales/orders")), ErrorKind::conflict);
    CHECK(says(error.message, "not deprecated"));
    CHECK(says(error.message, "meshctl deprecate sales/orders --sunset DATE --reason"));
    CHECK(says(error.message, "--force"));
    CHECK(error.details["blockers"] == nlohmann::json::array({"not-deprecated"}));
    CHECK(error.details["status"] == "active");
    // Deprecating versions does not deprecate the product.
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-01-31", "1.0.0")));
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-01-31", "1.1.0")));
    clock.set(day(2027, 2, 1));
    expect_error(registry.retire(retire_request("sales/orders")), ErrorKind::conflict);
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).status == LifecycleStatus::active);
  }

  SECTION("a deprecated product is retired from its sunset on, not before") {
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-06-30")));
    const auto error = expect_error(registry.retire(retire_request("sales/orders")), ErrorKind::conflict);
    CHECK(says(error.message, "2027-06-30"));
    CHECK(says(error.message, "--force"));
    CHECK(error.details["blockers"] == nlohmann::json::array({"sunset-not-reached"}));
    CHECK(error.details["sunset"] == "2027-06-30");
    clock.set(day(2027, 6, 29) + std::chrono::hours{23} + std::chrono::minutes{59});
    expect_error(registry.retire(retire_request("sales/orders")), ErrorKind::conflict);
    const auto revision = expect_ok(registry.get_product(ref("sales/orders"))).revision;
    CHECK(expect_ok(registry.history(ref("sales/orders"), {})).size() == 3);  // refusals write nothing

    clock.set(day(2027, 6, 30));
    const auto retired = expect_ok(registry.retire({ref("sales/orders"), false, "sunset", std::nullopt}));
    CHECK(retired.status == LifecycleStatus::retired);
    CHECK(retired.revision == revision + 1);
    const auto events = expect_ok(registry.history(ref("sales/orders"), {}));
    REQUIRE(events.size() == 4);
    CHECK(events[0].action == "retire");
    CHECK_FALSE(says(events[0].summary, "by force"));
  }

  SECTION("force retires before the sunset, and the audit log says what was in the way") {
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-06-30")));
    expect_ok(registry.retire({ref("sales/orders"), true, "leaked data", std::nullopt}));
    const auto events = expect_ok(registry.history(ref("sales/orders"), {}));
    REQUIRE_FALSE(events.empty());
    CHECK(events[0].action == "retire");
    CHECK(says(events[0].summary, "by force"));
    CHECK(says(events[0].summary, "sunset 2027-06-30"));
    CHECK(says(events[0].summary, "leaked data"));
  }

  SECTION("the product's sunset decides, and a new sunset moves the day") {
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2027-06-30")));
    expect_ok(registry.deprecate(deprecate_request("sales/orders", "2028-01-31")));
    clock.set(day(2027, 7, 1));
    const auto error = expect_error(registry.retire(retire_request("sales/orders")), ErrorKind::conflict);
    CHECK(says(error.message, "2028-01-31"));
    clock.set(day(2028, 1, 31));
    expect_ok(registry.retire(retire_request("sales/orders")));
  }
}

}  // namespace meshctl::registry::testing
