// The registry contract, continued: quality runs that `meshctl test --publish` records for a published
// version, read back by `get quality` and `describe` (issue 16).

#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "meshctl/core/json_text.h"
#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

// A check as `meshctl test -o json` reports it, reduced to what the registry reads and keeps.
nlohmann::json check(const std::string& id, const std::string& status) {
  return {{"id", id}, {"status", status}, {"message", "checked " + id}, {"failedRows", 0}};
}

QualityPublication publication(const std::string& product, const std::string& version,
                               const std::vector<std::pair<std::string, nlohmann::json>>& ports) {
  QualityPublication request{ref(product), version, {}};
  for (const auto& [port, checks] : ports) request.ports.push_back({port, json_text(checks)});
  return request;
}

const nlohmann::json kElevenOfTwelve = [] {
  nlohmann::json checks = nlohmann::json::array();
  for (int i = 0; i < 11; ++i) checks.push_back(check("orders-table/f" + std::to_string(i) + "/exists", "passed"));
  checks.push_back(check("orders-table/quality[0]/row_count", "failed"));
  return checks;
}();

}  // namespace

void check_quality(Registry& registry, const RegistryContract& contract) {
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));

  SECTION("a run is recorded per port with its counts, time and actor, and read back newest first") {
    const auto first = expect_ok(registry.publish_quality(
        publication("sales/orders", "1.0.0", {{"orders-table", nlohmann::json::array({check("a", "passed")})}})));
    REQUIRE(first.size() == 1);
    const auto runs =
        expect_ok(registry.publish_quality(publication("sales/orders", "1.1.0", {{"orders-table", kElevenOfTwelve}})));
    REQUIRE(runs.size() == 1);
    const auto& run = runs[0];
    CHECK(run.id > first[0].id);
    CHECK(run.ref.text() == "sales/orders");
    CHECK(run.version == "1.1.0");
    CHECK(run.port == "orders-table");
    CHECK(run.actor == contract.expected_actor);
    CHECK_FALSE(run.time.empty());
    CHECK(run.counts == QualityCounts{11, 1, 0, 0, 0});
    CHECK(run.counts.total() == 12);
    // The checks are kept whole, whoever sent them.
    CHECK(nlohmann::json::parse(run.checks_json) == kElevenOfTwelve);

    const auto all = expect_ok(registry.quality_runs(ref("sales/orders"), {}));
    REQUIRE(all.size() == 2);
    CHECK(all[0] == run);
    CHECK(all[1] == first[0]);
    const auto of_one = expect_ok(registry.quality_runs(ref("sales/orders"), {"1.0.0", std::nullopt, 20}));
    REQUIRE(of_one.size() == 1);
    CHECK(of_one[0] == first[0]);
    CHECK(expect_ok(registry.quality_runs(ref("sales/orders"), {std::nullopt, "other-port", 20})).empty());
    CHECK(expect_ok(registry.quality_runs(ref("sales/orders"), {std::nullopt, std::nullopt, 1})).size() == 1);

    // One audit event for the publication, on the product and its version.
    const auto events = expect_ok(registry.history(ref("sales/orders"), {}));
    REQUIRE_FALSE(events.empty());
    CHECK(events[0].action == "quality-publish");
    CHECK(events[0].version == "1.1.0");
    CHECK(says(events[0].summary, "orders-table: 11/12 passed"));
  }

  SECTION("describe shows the latest run of each port of the version it shows, without checks") {
    CHECK(expect_ok(registry.describe(ref("sales/orders"), std::nullopt)).latest_quality.empty());
    expect_ok(registry.publish_quality(publication("sales/orders", "1.1.0", {{"orders-table", kElevenOfTwelve}})));
    const auto latest = expect_ok(registry.publish_quality(
        publication("sales/orders", "1.1.0",
                    {{"orders-table", nlohmann::json::array({check("a", "passed"), check("b", "error")})}})));
    expect_ok(registry.publish_quality(publication("sales/orders", "1.0.0", {{"orders-table", kElevenOfTwelve}})));
    const auto details = expect_ok(registry.describe(ref("sales/orders"), std::nullopt));
    REQUIRE(details.latest_quality.size() == 1);
    auto expected = latest[0];
    expected.checks_json.clear();
    CHECK(details.latest_quality[0] == expected);
    CHECK(details.latest_quality[0].counts == QualityCounts{1, 0, 0, 1, 0});
    const auto older = expect_ok(registry.describe(ref("sales/orders"), "1.0.0"));
    REQUIRE(older.latest_quality.size() == 1);
    CHECK(older.latest_quality[0].version == "1.0.0");
    CHECK(older.latest_quality[0].counts.total() == 12);
  }

  SECTION("what does not match the published version is refused, and nothing is written") {
    const auto none = nlohmann::json::array();
    expect_error(registry.publish_quality(publication("sales/nothing", "1.0.0", {{"orders-table", none}})),
                 ErrorKind::not_found);
    expect_error(registry.publish_quality(publication("sales/orders", "9.0.0", {{"orders-table", none}})),
                 ErrorKind::not_found);
    const auto port = expect_error(
        registry.publish_quality(publication("sales/orders", "1.1.0", {{"orders-table", none}, {"nowhere", none}})),
        ErrorKind::invalid);
    CHECK(says(port.message, "nowhere"));
    expect_error(registry.publish_quality(publication("sales/orders", "1.1.0", {})), ErrorKind::invalid);
    expect_error(registry.publish_quality(
                     publication("sales/orders", "1.1.0", {{"orders-table", none}, {"orders-table", none}})),
                 ErrorKind::invalid);
    const auto status =
        expect_error(registry.publish_quality(publication(
                         "sales/orders", "1.1.0", {{"orders-table", nlohmann::json::array({check("a", "great")})}})),
                     ErrorKind::invalid);
    CHECK(says(status.message, "great"));
    expect_error(registry.publish_quality(publication(
                     "sales/orders", "1.1.0", {{"orders-table", nlohmann::json::array({{{"status", "passed"}}})}})),
                 ErrorKind::invalid);
    expect_error(
        registry.publish_quality(publication("sales/orders", "1.1.0", {{"orders-table", nlohmann::json::object()}})),
        ErrorKind::invalid);
    CHECK(expect_ok(registry.quality_runs(ref("sales/orders"), {})).empty());
    expect_error(registry.quality_runs(ref("sales/nothing"), {}), ErrorKind::not_found);
    expect_error(registry.quality_runs(ref("sales/orders"), {std::nullopt, std::nullopt, 0}), ErrorKind::invalid);
  }

  SECTION("only the product's owners and admins publish; a refusal is forbidden and audited") {
    expect_ok(registry.publish(make_manifest("finance", "revenue", "1.0.0"), PublishMode::apply));
    const auto owner =
        contract.as_holder_of(expect_ok(registry.create_token({"sales-ci", Role::owner, {"sales"}})).secret);
    const auto stranger =
        contract.as_holder_of(expect_ok(registry.create_token({"finance-ci", Role::owner, {"finance"}})).secret);
    const auto reader = contract.as_holder_of(expect_ok(registry.create_token({"viewer", Role::reader, {}})).secret);
    const auto request = publication("sales/orders", "1.1.0", {{"orders-table", kElevenOfTwelve}});

    const auto refused = expect_error(stranger->publish_quality(request), ErrorKind::forbidden);
    CHECK(says(refused.message, "sales"));
    expect_error(reader->publish_quality(request), ErrorKind::forbidden);
    CHECK(expect_ok(registry.quality_runs(ref("sales/orders"), {})).empty());

    const auto runs = expect_ok(owner->publish_quality(request));
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].actor == "sales-ci");
    // Anyone authenticated reads them.
    CHECK(expect_ok(reader->quality_runs(ref("sales/orders"), {})).size() == 1);
    CHECK(expect_ok(stranger->describe(ref("sales/orders"), std::nullopt)).latest_quality.size() == 1);

    AuditQuery refusals;
    refusals.action = "forbidden";
    const auto page = expect_ok(registry.audit(refusals));
    const auto actors = [&] {
      std::vector<std::string> names;
      for (const auto& event : page.events) names.push_back(event.actor);
      std::sort(names.begin(), names.end());
      return names;
    }();
    CHECK(actors == std::vector<std::string>{"finance-ci", "viewer"});
  }

  SECTION("a retired product's quality is no longer recorded") {
    RetireRequest retire;
    retire.ref = ref("sales/orders");
    retire.force = true;
    retire.reason = "replaced";
    expect_ok(registry.retire(retire));
    expect_error(registry.publish_quality(publication("sales/orders", "1.1.0", {{"orders-table", kElevenOfTwelve}})),
                 ErrorKind::conflict);
  }
}

}  // namespace meshctl::registry::testing
