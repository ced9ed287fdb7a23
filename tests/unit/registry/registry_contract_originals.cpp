// The registry contract, continued: a version applied as ODCS or ODPS documents keeps them beside the
// manifest they convert to, written by the plan's execution and read back with the version (issue 17).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "registry/registry_contract.h"

namespace meshctl::registry::testing {

void check_original_documents(Registry& registry) {
  // Keys out of alphabetical order: the registry keeps them as they were.
  const std::string documents = R"([{"kind":"DataContract","apiVersion":"v3.1.0","id":"sales.orders.table"}])";
  auto plan = expect_ok(registry.plan({make_manifest("sales", "orders", "1.0.0")}, PublishMode::apply));
  REQUIRE(plan.items.size() == 1);
  CHECK_FALSE(plan.items[0].original);  // plan() leaves it to whoever applies the documents
  plan.items[0].original = OriginalDocuments{"odcs", documents};
  expect_ok(registry.execute(plan));

  const auto version = expect_ok(registry.get_version(ref("sales/orders"), "1.0.0"));
  REQUIRE(version.original);
  CHECK(version.original->format == "odcs");
  CHECK(version.original->documents_json == documents);

  SECTION("a version published as a native manifest has none") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));
    CHECK_FALSE(expect_ok(registry.get_version(ref("sales/orders"), "1.1.0")).original);
  }
}

}  // namespace meshctl::registry::testing
