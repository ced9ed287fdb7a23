// diff(): matching by name, paths into nested fields, order, JSON shape, and the mode it classifies with.

#include <catch2/catch.hpp>

#include "evolution/evolution_fixtures.h"
#include "meshctl/evolution/evolution.h"

namespace meshctl::evolution {
namespace {

using manifest::DataProduct;
using manifest::Field;
using testing::base_product;
using testing::kFields;
using testing::field_named;
using testing::make_field;
using testing::make_rule;
using testing::port;

TEST_CASE("equal products differ in nothing, whatever their versions and field order", "[evolution]") {
  const auto before = base_product("1.0.0");
  auto after = base_product("7.3.1");
  std::reverse(port(after).schema->fields.begin(), port(after).schema->fields.end());
  const auto result = diff(before, after);
  CHECK(result.changes.empty());
  CHECK(result.breaking == 0);
  CHECK(result.required_bump == Bump::none);
  CHECK(to_json(result) ==
        nlohmann::json{{"changes", nlohmann::json::array()}, {"breaking", 0}, {"requiredBump", "none"}});
}

TEST_CASE("nested object fields are compared by name, with paths through them", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  auto& address = field_named(after, "address");
  address.fields.front().type = "bytes";
  address.fields.push_back(make_field("zip", "string", true));
  const auto result = diff(before, after, Compatibility::backward);
  REQUIRE(result.changes.size() == 2);
  CHECK(result.changes[0].kind == "field-type-changed");
  CHECK(result.changes[0].path == kFields + "[address].fields[city].type");
  CHECK(result.changes[0].before == "string");
  CHECK(result.changes[0].after == "bytes");
  CHECK(result.changes[1].kind == "field-added-required");
  CHECK(result.changes[1].path == kFields + "[address].fields[zip]");
  CHECK(result.changes[1].after == nlohmann::json{{"name", "zip"}, {"type", "string"}, {"required", true}});
  CHECK(result.breaking == 2);
  CHECK(result.required_bump == Bump::major);
}

TEST_CASE("an array's item type is compared like a field type", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  field_named(after, "labels").items = "integer";
  const auto result = diff(before, after, Compatibility::forward);
  REQUIRE(result.changes.size() == 1);
  CHECK(result.changes[0].kind == "field-type-changed");
  CHECK(result.changes[0].path == kFields + "[labels].items");
}

TEST_CASE("a removed field carries its canonical JSON in before", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  std::erase_if(port(after).schema->fields, [](const Field& f) { return f.name == "email"; });
  const auto result = diff(before, after, Compatibility::forward);
  REQUIRE(result.changes.size() == 1);
  CHECK(
      result.changes[0].before ==
      nlohmann::json{
          {"name", "email"}, {"type", "string"}, {"classification", "confidential"}, {"pii", true}, {"term", "email"}});
  CHECK(result.changes[0].after.is_null());
  CHECK(result.changes[0].message == "field 'email' removed");
  const auto json = to_json(result);
  CHECK(json["breaking"] == 1);
  CHECK(json["requiredBump"] == "major");
  CHECK(json["changes"][0]["kind"] == "field-removed");
  CHECK(json["changes"][0]["breaking"] == true);
  CHECK(json["changes"][0]["requiredBump"] == "major");
  CHECK(json["changes"][0]["path"] == kFields + "[email]");
}

TEST_CASE("without a mode, diff classifies under the new manifest's compatibility", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  field_named(after, "amount").required = true;  // breaks backward only
  CHECK(diff(before, after).breaking == 0);      // default: forward
  after.spec.compatibility = "backward";
  const auto result = diff(before, after);
  CHECK(result.breaking == 1);
  CHECK(result.changes.size() == 2);      // the mode change itself, and the field
  after.spec.compatibility = "sideways";  // not a mode: taken as full, the strictest
  CHECK(compatibility_of(after) == Compatibility::full);
  CHECK(diff(before, after).breaking == 1);
}

TEST_CASE("changes come in a stable order and the required bump is the largest", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  after.metadata.title = "Orders";                                     // patch
  port(after).schema->fields.push_back(make_field("note", "string"));  // minor
  const auto result = diff(before, after, Compatibility::forward);
  REQUIRE(result.changes.size() == 2);
  CHECK(result.changes[0].kind == "title-changed");
  CHECK(result.changes[1].kind == "field-added-optional");
  CHECK(result.required_bump == Bump::minor);
}

TEST_CASE("fields with repeated names pair up in order instead of being reported removed", "[evolution]") {
  auto before = base_product();
  port(before).schema->fields.push_back(make_field("amount", "double"));
  auto after = before;
  port(after).schema->fields.back().type = "string";
  const auto result = diff(before, after, Compatibility::forward);
  REQUIRE(result.changes.size() == 1);
  CHECK(result.changes[0].kind == "field-type-changed");
}

TEST_CASE("a quality rule is identified by its content; its description is wording", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  port(after).quality.front().description = "ids are always there";
  auto result = diff(before, after, Compatibility::full);
  REQUIRE(result.changes.size() == 1);
  CHECK(result.changes[0].kind == "description-changed");
  CHECK(result.changes[0].path == "spec.outputPorts[orders].quality[not_null(id)].description");
  port(after).quality.front().rule = "unique";
  result = diff(before, after, Compatibility::full);
  REQUIRE(result.changes.size() == 2);
  CHECK(result.changes[0].kind == "quality-rule-added");
  CHECK(result.changes[1].kind == "quality-rule-removed");
}

TEST_CASE("SLO values are compared as durations and percentages; absent promises nothing", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  port(after).slo->freshness = "60m";  // the same promise as 1h
  CHECK(diff(before, after).changes.empty());
  port(after).slo.reset();
  const auto result = diff(before, after, Compatibility::forward);
  REQUIRE(result.changes.size() == 2);
  CHECK(result.changes[0].kind == "slo-freshness-longer");
  CHECK(result.changes[1].kind == "slo-availability-lower");
  const auto back = diff(after, before, Compatibility::forward);
  REQUIRE(back.changes.size() == 2);
  CHECK(back.changes[0].kind == "slo-freshness-shorter");
  CHECK(back.changes[1].kind == "slo-availability-higher");
}

TEST_CASE("a field without classification ranks below public", "[evolution]") {
  const auto before = base_product();
  auto after = before;
  field_named(after, "amount").classification = "public";
  const auto result = diff(before, after, Compatibility::forward);
  REQUIRE(result.changes.size() == 1);
  CHECK(result.changes[0].kind == "field-classification-stricter");
}

// Speed is measured by bench/evolution/run, never asserted here.
TEST_CASE("diff of two products with 10,000 reordered fields matches every field by name", "[evolution]") {
  auto before = base_product();
  auto& fields = port(before).schema->fields;
  for (int i = 0; i < 10000; ++i) {
    fields.push_back(make_field("field_" + std::to_string(i), "integer"));
    fields.back().description = "a field";
  }
  auto after = before;
  auto& changed = port(after).schema->fields;
  std::reverse(changed.begin(), changed.end());
  for (std::size_t i = 0; i < changed.size(); i += 10) changed[i].type = "long";
  const auto result = diff(before, after, Compatibility::forward);
  CHECK(result.changes.size() == 1001);
  CHECK(result.breaking == 1000);  // every integer -> long widening; amount (double -> long) is a narrowing
  std::size_t widened = 0;
  for (const auto& change : result.changes) widened += change.kind == "field-type-widened" ? 1 : 0;
  CHECK(widened == 1000);
}

}  // namespace
}  // namespace meshctl::evolution
