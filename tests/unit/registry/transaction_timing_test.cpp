// The store's transaction observer: what the server's store-latency metric is made of.

#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/core/clock.h"
#include "meshctl/registry/service.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

TEST_CASE("The registry service reports each transaction's mode, outcome and duration", "[registry][timing]") {
  testing::TemporaryFolder folder;
  auto opened = SqliteStore::open(folder.path() / "r.db");
  REQUIRE(opened);
  auto store = std::move(*opened);
  std::vector<TransactionTiming> seen;
  store->observe_transactions([&seen](const TransactionTiming& timing) { seen.push_back(timing); });
  RegistryService service(*store, testing::test_clock());
  const Caller local{"operator", std::nullopt};

  REQUIRE(service.create_domain(local, {"sales", "sales-data"}));
  REQUIRE(service.publish(local, testing::make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back().mode == TransactionMode::write);
  CHECK(seen.back().committed);
  CHECK(seen.back().seconds >= 0);

  seen.clear();
  REQUIRE(service.get_product(ProductRef{"sales", "orders"}));
  REQUIRE(seen.size() == 1);
  CHECK(seen.front().mode == TransactionMode::read);
  CHECK_FALSE(seen.front().committed);  // a read never commits

  seen.clear();
  // A lower version than the latest is refused: the write transaction rolls back.
  REQUIRE_FALSE(service.publish(local, testing::make_manifest("sales", "orders", "0.9.0"), PublishMode::apply));
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back().mode == TransactionMode::write);
  CHECK_FALSE(seen.back().committed);
}

}  // namespace
}  // namespace meshctl::registry
