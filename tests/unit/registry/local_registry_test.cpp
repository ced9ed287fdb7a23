// The registry contract, run against the embedded registry: LocalRegistry over
// a temporary SQLite file.

#include <chrono>

#include <catch2/catch.hpp>

#include "meshctl/store/store_factory.h"
#include "registry/authenticated_registry.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

TEST_CASE("LocalRegistry keeps the registry contract", "[registry][contract]") {
  testing::TemporaryFolder folder;
  testing::ContractClock clock;
  int made = 0;
  const auto path = [&] { return folder.path() / ("registry-" + std::to_string(made) + ".db"); };
  testing::check_registry_contract({[&]() -> std::unique_ptr<Registry> {
                                      ++made;
                                      auto registry = LocalRegistry::open(path(), "alice", clock);
                                      if (!registry.ok()) FAIL(registry.error().message);
                                      return std::move(*registry);
                                    },
                                    "alice",
                                    [&](const std::string& token) -> std::unique_ptr<Registry> {
                                      auto store = open_store("sqlite:" + path().string());
                                      if (!store.ok()) FAIL(store.error().message);
                                      return std::make_unique<testing::AuthenticatedRegistry>(std::move(*store), clock,
                                                                                              token);
                                    },
                                    &clock});
}

TEST_CASE("LocalRegistry stamps events with the injected clock", "[registry]") {
  testing::TemporaryFolder folder;
  ManualClock clock(std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{9});
  auto registry = LocalRegistry::open(folder.path() / "registry.db", "bob", clock);
  REQUIRE(registry.ok());
  REQUIRE((*registry)->publish(testing::make_manifest("sales", "orders", "1.0.0"), PublishMode::apply).ok());
  const auto events = (*registry)->history({"sales", "orders"}, {});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK(events->front().time == "2026-11-23T09:00:00Z");
  CHECK(events->front().actor == "bob");
  CHECK((*registry)->get_version({"sales", "orders"}, "1.0.0")->published_at == "2026-11-23T09:00:00Z");
}

TEST_CASE("LocalRegistry refuses text it cannot store, naming where it is", "[registry]") {
  testing::TemporaryFolder folder;
  ManualClock clock(std::chrono::sys_days{std::chrono::year{2026} / 11 / 23});
  auto registry = LocalRegistry::open(folder.path() / "registry.db", "bob", clock);
  REQUIRE(registry.ok());
  auto in_value = testing::make_manifest("sales", "orders", "1.0.0");
  in_value.spec.output_ports[0].description = std::string("Orders\x01 of the day, one row each.");
  auto refused = (*registry)->publish(in_value, PublishMode::apply);
  REQUIRE(!refused.ok());
  CHECK(refused.error().kind == ErrorKind::invalid);
  CHECK(refused.error().message ==
        "sales/orders: the manifest.spec.outputPorts[0].description holds the control character U+0001 at byte 7: "
        "write it without control characters, as UTF-8");

  auto in_key = testing::make_manifest("sales", "orders", "1.0.0");
  in_key.metadata.labels["cost\x7f"] = "cc-1";
  refused = (*registry)->publish(in_key, PublishMode::apply);
  REQUIRE(!refused.ok());
  CHECK(refused.error().message ==
        "sales/orders: a key of the manifest.metadata.labels holds the control character U+007F at byte 5: write "
        "it without control characters, as UTF-8");
  CHECK((*registry)->get_product({"sales", "orders"}).error().kind == ErrorKind::not_found);
}

}  // namespace
}  // namespace meshctl::registry
