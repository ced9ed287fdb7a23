#include "meshctl/registry/standards_in_force.h"

#include <catch2/catch.hpp>

namespace meshctl::registry {
namespace {

StandardsRecord kept(std::int64_t version, std::string text) {
  StandardsRecord record;
  record.version = version;
  record.content_hash = content_hash(text);
  record.text = std::move(text);
  return record;
}

}  // namespace

TEST_CASE("The standards in force are the latest kept version, else the built-in ones", "[registry][standards]") {
  SECTION("none published: the built-in default, said so") {
    const auto in_force = standards_in_force(std::nullopt);
    REQUIRE(in_force.ok());
    CHECK(in_force->key == "builtin");
    CHECK(in_force->label == "the built-in standards (the registry has none published)");
  }
  SECTION("a kept version: its rules, its number in the label, number and hash in the key") {
    const auto record = kept(3, "apiVersion: meshctl/v1\nkind: Standards\nextends: none\n");
    const auto in_force = standards_in_force(record);
    REQUIRE(in_force.ok());
    CHECK(in_force->label == "the registry's standards (version 3)");
    CHECK(in_force->key == "registry 3 " + record.content_hash);
  }
  SECTION("a kept text that does not load: unavailable, naming the version and the reason") {
    const auto in_force = standards_in_force(kept(7, "apiVersion: meshctl/v1\nkind: Standards\nrules: [\n"));
    REQUIRE_FALSE(in_force.ok());
    CHECK(in_force.error().kind == ErrorKind::unavailable);
    CHECK(in_force.error().details.at("standardsVersion") == 7);
    CHECK_THAT(in_force.error().message, Catch::Contains("version 7") && Catch::Contains("standards publish"));
  }
}

}  // namespace meshctl::registry
