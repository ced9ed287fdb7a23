#include "meshctl/manifest/explain.h"

#include <algorithm>

#include <catch2/catch.hpp>

namespace meshctl::manifest {

TEST_CASE("explain_field reads the manifest's schema", "[manifest][explain]") {
  SECTION("the top level: every key, each required but extensions; a glossary's terms too") {
    const auto doc = explain_field("");
    REQUIRE(doc.ok());
    REQUIRE(doc->fields.size() == 6);
    CHECK(doc->fields[0].name == "apiVersion");
    CHECK(doc->fields[0].required);
    CHECK(doc->fields[1].name == "extensions");
    CHECK_FALSE(doc->fields[1].required);
    CHECK(doc->fields[5].name == "terms");
    CHECK_FALSE(doc->fields[5].required);
  }
  SECTION("array elements are implied, with or without an index") {
    const auto plain = explain_field("spec.outputPorts.slo");
    const auto indexed = explain_field("spec.outputPorts[3].slo");
    REQUIRE(plain.ok());
    REQUIRE(indexed.ok());
    CHECK(plain->path == "spec.outputPorts.slo");
    CHECK(indexed->path == plain->path);
    CHECK(plain->type == "object");
    CHECK_FALSE(plain->fields.empty());
  }
  SECTION("a $ref is followed: nested fields are fields") {
    const auto doc = explain_field("spec.outputPorts.schema.fields.fields");
    REQUIRE(doc.ok());
    CHECK(doc->type == "array of object");
    CHECK(std::any_of(doc->fields.begin(), doc->fields.end(), [](const auto& f) { return f.name == "pii"; }));
  }
  SECTION("an unknown key is not found, with the closest one") {
    const auto doc = explain_field("spec.outputPorts.slos");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.error().kind == ErrorKind::not_found);
    CHECK_THAT(doc.error().message, Catch::Contains("did you mean 'slo'?"));
    CHECK_FALSE(explain_field("metadata.name.x").ok());
  }
}

}  // namespace meshctl::manifest
