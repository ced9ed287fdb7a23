#include <catch2/catch.hpp>

#include "meshctl/network/module.h"
#include "meshctl/store/store.h"
#include "meshctl/store/store_factory.h"

using namespace meshctl;

TEST_CASE("A program that links the network areas uses them without a handover", "[network]") {
  bool handed_over = false;
  network::set_handover([&handed_over] {
    handed_over = true;
    return make_error(ErrorKind::unavailable, "no handover expected");
  });
  auto module = network::load_module();
  network::set_handover(nullptr);
  REQUIRE(module.ok());
  CHECK(*module == meshctl_network_module());
  CHECK_FALSE(handed_over);
}

TEST_CASE("meshctl-network is looked for beside the executable, then where it is installed", "[network]") {
  const auto candidates = network::helper_candidates();
  REQUIRE(candidates.size() == 2);
  CHECK(candidates[0].filename() == network::kHelperName);
  CHECK(candidates[1].filename() == network::kHelperName);
  CHECK(candidates[0].parent_path() != candidates[1].parent_path());
}

TEST_CASE("The store factory reaches PostgreSQL through the network areas", "[network]") {
  // Port 9 (discard) has no PostgreSQL: the PostgreSQL store answers, not a handover.
  auto store = registry::open_store("postgresql://nobody@127.0.0.1:9/none", {std::chrono::milliseconds(1000)});
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().kind == ErrorKind::unavailable);
  CHECK_THAT(store.error().message, Catch::Contains("127.0.0.1"));
  CHECK_THAT(store.error().message, !Catch::Contains("meshctl-network"));
}
