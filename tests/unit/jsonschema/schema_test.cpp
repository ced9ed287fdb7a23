#include "meshctl/jsonschema/schema.h"

#include <string>

#include <catch2/catch.hpp>

#include "meshctl/jsonschema/image.h"
#include "meshctl/yaml/loader.h"

using meshctl::jsonschema::Schema;
using meshctl::jsonschema::Violation;
using nlohmann::json;

namespace {

std::vector<Violation> check_yaml(const json& schema_document, const std::string& yaml_text) {
  auto schema = Schema::compile(schema_document);
  REQUIRE(schema);
  auto loaded = meshctl::yaml::parse_yaml(yaml_text, "x.yaml");
  REQUIRE(loaded.diagnostics.empty());
  return schema->validate(loaded.documents.at(0).root);
}

}  // namespace

TEST_CASE("a $ref loop ends in a violation, not a crash", "[jsonschema]") {
  const json loop = {{"$defs", {{"a", {{"$ref", "#/$defs/b"}}}, {"b", {{"$ref", "#/$defs/a"}}}}},
                     {"$ref", "#/$defs/a"}};
  auto schema = Schema::compile(loop);
  REQUIRE(schema);
  const auto violations = check_yaml(loop, "x: 1\n");
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].message.find("nests deeper than 200 subschemas") != std::string::npos);
  CHECK_FALSE(schema->is_valid(meshctl::jsonschema::node_from_json(1)));
  CHECK_FALSE(Schema::compile(json{{"$ref", "#"}})->is_valid(meshctl::jsonschema::node_from_json(nullptr)));
}

TEST_CASE("schemas that are not well formed are refused with the culprit's pointer", "[jsonschema]") {
  const auto message = [](const json& document) {
    auto compiled = Schema::compile(document);
    REQUIRE_FALSE(compiled);
    return compiled.error().message;
  };
  CHECK(message({{"$ref", "other.json#/a"}}) ==
        "schema #: $ref 'other.json#/a' points outside the schema: only '#/...' references are supported");
  CHECK(message({{"properties", {{"a", {{"$ref", "#/$defs/missing"}}}}}}) ==
        "schema #/properties/a: $ref '#/$defs/missing' points to nothing: there is no '$defs'");
  CHECK(message({{"pattern", "(a"}}).starts_with("schema #/pattern: not an RE2 regular expression"));
  CHECK(message({{"type", "text"}}) == "schema #/type: \"text\" is not a JSON type");
  CHECK(message({{"minItems", -1}}) == "schema #/minItems: must be a whole number, 0 or more");
  CHECK(message(json(3)) == "schema #: a schema must be an object or a boolean");
  json deep = true;
  for (int i = 0; i < 300; ++i) deep = json{{"items", deep}};
  CHECK(message(deep).find("nests deeper than 256 subschemas") != std::string::npos);
}

TEST_CASE("keywords not implemented are listed", "[jsonschema]") {
  auto schema =
      Schema::compile({{"patternProperties", json::object()}, {"properties", {{"a", {{"propertyNames", true}}}}}});
  REQUIRE(schema);
  CHECK(schema->unsupported_keywords() == std::vector<std::string>{"patternProperties", "propertyNames"});
}

TEST_CASE("violations point at the value, or at the key of a property that is not allowed", "[jsonschema]") {
  const json schema = {
      {"type", "object"},
      {"properties", {{"name", {{"type", "string"}}}, {"tags", {{"type", "array"}, {"uniqueItems", true}}}}},
      {"required", {"name", "owner"}},
      {"additionalProperties", false}};
  const auto violations = check_yaml(schema, "name: 12\ntags: [a, b, a]\nnmae: x\n");
  REQUIRE(violations.size() == 4);
  CHECK(violations[0] == Violation{{1, 1}, "", "the document has no 'owner': add it", "#/required"});
  CHECK(violations[1] == Violation{{1, 7},
                                   "name",
                                   "'name' must be a string, found an integer (12): quote it (\"12\")",
                                   "#/properties/name/type"});
  CHECK(violations[2] == Violation{{2, 14},
                                   "tags[2]",
                                   "'tags[2]' repeats element 0: the elements of 'tags' must be unique",
                                   "#/properties/tags/uniqueItems"});
  CHECK(
      violations[3] ==
      Violation{{3, 1}, "nmae", "unknown key 'nmae' at the top level: did you mean 'name'?", "#/additionalProperties"});
}

TEST_CASE("alternatives: the findings of the one whose type fits", "[jsonschema]") {
  const json schema = {
      {"properties",
       {{"team",
         {{"oneOf",
           {{{"type", "object"}, {"required", {"name"}}}, {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}}}};
  auto violations = check_yaml(schema, "team:\n  - a\n  - 3\n");
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].position == meshctl::Position{3, 5});
  CHECK(violations[0].path == "team[1]");
  violations = check_yaml(schema, "team: 3\n");
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].message == "'team' must be a list or a mapping, found an integer (3)");
}

TEST_CASE("a schema loads from an image, which must not refer outside itself", "[jsonschema]") {
  using meshctl::jsonschema::Image;
  using meshctl::jsonschema::Property;
  using meshctl::jsonschema::SchemaNode;
  using meshctl::jsonschema::Text;
  // {"type": "object", "required": ["a"], "properties": {"a": {"enum": ["x", "y"], "pattern": "^x"}}}, as
  // the build would write it: every string in one text, everything else by offset.
  constexpr std::string_view text = "##/properties/aa[\"x\",\"y\"]^xenumLike";
  constexpr Property properties[] = {{Text{15, 1}, 1}};
  constexpr Text names[] = {{15, 1}};
  constexpr Text values[] = {{16, 9}};
  constexpr Text patterns[] = {{25, 2}};
  constexpr Text unsupported[] = {{27, 8}};
  const SchemaNode nodes[] = {
      {.pointer = {0, 1}, .types = 64, .properties = {0, 1}, .required = {0, 1}},
      {.pointer = {1, 14}, .enum_values = 0, .pattern = 0},
  };
  const Image image{nodes, text, {}, properties, names, values, patterns, unsupported};
  auto schema = Schema::load(image);
  REQUIRE(schema);
  CHECK(schema->unsupported_keywords() == std::vector<std::string>{"enumLike"});
  auto loaded = meshctl::yaml::parse_yaml("a: y\n", "x.yaml");
  const auto violations = schema->validate(loaded.documents.at(0).root);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].schema_path == "#/properties/a/pattern");
  CHECK(violations[0].path == "a");
  CHECK(schema->validate(meshctl::yaml::parse_yaml("a: x\n", "x.yaml").documents.at(0).root).empty());
  CHECK(schema->validate(meshctl::yaml::parse_yaml("b: x\n", "x.yaml").documents.at(0).root).at(0).schema_path ==
        "#/required");

  const auto refused = [&](auto change) {
    SchemaNode broken[] = {nodes[0], nodes[1]};
    Image copy = image;
    copy.nodes = broken;
    change(broken, copy);
    auto result = Schema::load(copy);
    return !result && result.error().message == "the schema image refers outside itself";
  };
  CHECK(refused([](SchemaNode* n, Image&) { n[0].ref = 2; }));
  CHECK(refused([](SchemaNode* n, Image&) { n[1].pointer = Text{30, 10}; }));
  CHECK(refused([](SchemaNode* n, Image&) { n[1].pointer = Text{4'000'000'000U, 500'000'000U}; }));
  CHECK(refused([](SchemaNode* n, Image&) { n[0].properties = {1, 1}; }));
  CHECK(refused([](SchemaNode* n, Image&) { n[0].all_of = {0, 1}; }));  // no indexes at all
  CHECK(refused([](SchemaNode* n, Image&) { n[1].pattern = 1; }));
  CHECK(refused([](SchemaNode*, Image& i) { i.values = {}; }));
  CHECK(refused([](SchemaNode*, Image& i) { i.text = i.text.substr(0, 20); }));
  CHECK(refused([](SchemaNode*, Image& i) { i.nodes = {}; }));
  Image bad_value = image;
  constexpr Text value_not_json[] = {{0, 3}};  // "##/"
  bad_value.values = value_not_json;
  CHECK_FALSE(Schema::load(bad_value));
}
