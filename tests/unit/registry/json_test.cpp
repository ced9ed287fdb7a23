#include "meshctl/registry/json.h"

#include <catch2/catch.hpp>

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
  CHECK(json["manifest"]["kind"] == "DataProduct");
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
