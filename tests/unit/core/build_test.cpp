#include <catch2/catch.hpp>

#include <string>

#include "meshctl/core/build.h"

TEST_CASE("The build identity is the version and the executable's GNU build ID", "[core]") {
  const auto& identity = meshctl::build_identity();
  const std::string prefix = std::string(MESHCTL_VERSION) + "+";
  REQUIRE(identity.substr(0, prefix.size()) == prefix);
  const auto id = identity.substr(prefix.size());
  CHECK(id.size() >= 16);  // ld's --build-id: 20 bytes (sha1) by default
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(&meshctl::build_identity() == &identity);
}
