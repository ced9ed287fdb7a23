// yaml::to_node: a JSON value as the tree its text reads to, so a check of the registry's canonical manifest
// needs no YAML parse of that text.

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "meshctl/core/json_text.h"
#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"

using meshctl::yaml::Node;
using meshctl::yaml::parse_yaml;
using meshctl::yaml::to_node;

namespace {

// The trees agree on everything but positions: kinds, scalar texts, keys and their order.
void require_same_tree(const Node& read, const Node& made, const std::string& path) {
  INFO(path);
  REQUIRE(read.kind == made.kind);
  CHECK(read.text == made.text);
  REQUIRE(read.items.size() == made.items.size());
  for (std::size_t i = 0; i < read.items.size(); ++i) {
    require_same_tree(read.items[i], made.items[i], path + "[" + std::to_string(i) + "]");
  }
  REQUIRE(read.entries.size() == made.entries.size());
  for (std::size_t i = 0; i < read.entries.size(); ++i) {
    CHECK(read.entries[i].key == made.entries[i].key);
    require_same_tree(read.entries[i].value, made.entries[i].value, path + "." + read.entries[i].key);
  }
}

}  // namespace

TEST_CASE("to_node gives the tree that reading the value's JSON text gives", "[yaml]") {
  const auto value = nlohmann::json::parse(R"({
    "zeta": "last by name", "alpha": {"b": [1, -2, 3.5, 1e300, -0.0, 12345678901234567890, 9223372036854775807]},
    "flags": [true, false, null], "text": ["", "yes", "no", "null", "1.0", "2024-01-01", "a\"b\\c\nd", "ü €"],
    "empty": {}, "none": [], "nested": [[{"k": [{}]}]]
  })");
  const auto text = meshctl::json_text(value);
  auto file = parse_yaml(text, "canonical.json");
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  require_same_tree(file.documents[0].root, to_node(value), "$");
}

TEST_CASE("to_node keeps a scalar document and an empty collection", "[yaml]") {
  for (const auto* text : {"\"only\"", "42", "-7.25", "true", "{}", "[]"}) {
    INFO(text);
    auto file = parse_yaml(text, "scalar.json");
    REQUIRE(file.documents.size() == 1);
    require_same_tree(file.documents[0].root, to_node(nlohmann::json::parse(text)), "$");
  }
}
