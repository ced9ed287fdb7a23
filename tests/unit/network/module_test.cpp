#include <catch2/catch.hpp>

#include "meshctl/network/module.h"
#include "meshctl/store/store.h"
#include "meshctl/store/store_factory.h"

using namespace meshctl;

TEST_CASE("A program that links the network module uses it without loading a file", "[network]") {
  auto module = network::load_module();
  REQUIRE(module.ok());
  CHECK(*module == meshctl_network_module());
  CHECK((*module)->abi == network::kModuleAbi);
  CHECK(std::string((*module)->version) == MESHCTL_VERSION);
}

TEST_CASE("The store factory reaches PostgreSQL through the network module", "[network]") {
  // Port 9 (discard) has no PostgreSQL: the module's store answers, not the loader.
  auto store = registry::open_store("postgresql://nobody@127.0.0.1:9/none", {std::chrono::milliseconds(1000)});
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().kind == ErrorKind::unavailable);
  CHECK_THAT(store.error().message, Catch::Contains("127.0.0.1"));
  CHECK_THAT(store.error().message, !Catch::Contains("network module"));
}
