#include "meshctl/yaml/node.h"

#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/yaml/loader.h"
#include "yaml/position_printer.h"

using meshctl::Position;
using meshctl::yaml::Node;
using meshctl::yaml::NodeKind;
using meshctl::yaml::parse_yaml;
using meshctl::yaml::resolve_plain_scalar;

namespace {

// The value of `v` in a one-line document `v: <value>`.
Node value_of(const std::string& value) {
  auto file = parse_yaml("v: " + value + "\n", "m.yaml");
  INFO(value);
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  const Node* node = file.documents[0].root.find("v");
  REQUIRE(node != nullptr);
  return *node;
}

NodeKind kind_of(const std::string& value) {
  return value_of(value).kind;
}

}  // namespace

TEST_CASE("plain scalars resolve by the YAML 1.2 core schema", "[yaml][node]") {
  SECTION("null") {
    for (const char* text : {"", "~", "null", "Null", "NULL"}) {
      INFO(text);
      CHECK(resolve_plain_scalar(text) == NodeKind::null);
    }
    CHECK(kind_of("~") == NodeKind::null);
    CHECK(kind_of("") == NodeKind::null);
    CHECK(resolve_plain_scalar("nULL") == NodeKind::string);
  }
  SECTION("booleans, and the YAML 1.1 words that are strings now") {
    for (const char* text : {"true", "True", "TRUE", "false", "False", "FALSE"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::boolean);
    }
    for (const char* text : {"yes", "no", "on", "off", "y", "n", "tRUE"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::string);
    }
  }
  SECTION("integers: decimal, 0o octal, 0x hexadecimal") {
    for (const char* text : {"0", "42", "-17", "+3", "007", "0o17", "0x1F", "0xff"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::integer);
    }
    for (const char* text : {"0o", "0x", "0o8", "0xG", "0b101", "1_000", "-0x1F", "12abc"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::string);
    }
  }
  SECTION("floats, infinities and not-a-number") {
    for (const char* text : {"1.5", "-0.5", "+2.25", ".5", "1.", "1e3", "1.5E-3", "-2e+10", ".inf", "-.inf", "+.INF",
                             ".Inf", ".nan", ".NaN", ".NAN"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::floating);
    }
    for (const char* text : {".", "1e", "1.2.0", "e3", "-.nan", "inf", "nan", "1,5"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::string);
    }
  }
  SECTION("ordinary text is a string") {
    for (const char* text : {"orders", "1h", "99.9%", "^2", "s3://sales/orders/", "2024-01-31", "12:30"}) {
      INFO(text);
      CHECK(kind_of(text) == NodeKind::string);
    }
  }
}

TEST_CASE("quoted and block scalars stay strings whatever they read like", "[yaml][node]") {
  for (const char* text : {"\"1.2\"", "'true'", "\"null\"", "''", "\"0x1F\"", "'.inf'"}) {
    INFO(text);
    CHECK(kind_of(text) == NodeKind::string);
  }
  CHECK(value_of("''").text.empty());
  CHECK(value_of("\"a\\tb\"").text == "a\tb");  // escapes are unescaped
  CHECK(value_of("'it''s'").text == "it's");

  auto file = parse_yaml("a: |\n  12\nb: >\n  true\nc: |-\n  line one\n  line two\n", "m.yaml");
  REQUIRE(file.diagnostics.empty());
  const Node& root = file.documents[0].root;
  CHECK(root.find("a")->kind == NodeKind::string);
  CHECK(root.find("a")->text == "12\n");
  CHECK(root.find("b")->kind == NodeKind::string);
  CHECK(root.find("b")->text == "true\n");
  CHECK(root.find("c")->text == "line one\nline two");
}

TEST_CASE("explicit core tags decide the kind", "[yaml][node]") {
  CHECK(kind_of("!!str 12") == NodeKind::string);
  CHECK(kind_of("!!str true") == NodeKind::string);
  CHECK(kind_of("!!int \"12\"") == NodeKind::integer);
  CHECK(kind_of("!!float \"1\"") == NodeKind::floating);
  CHECK(kind_of("!!bool \"true\"") == NodeKind::boolean);
}

TEST_CASE("number and boolean values", "[yaml][node]") {
  CHECK(value_of("42").as_double() == 42);
  CHECK(value_of("-17").as_double() == -17);
  CHECK(value_of("0o17").as_double() == 15);
  CHECK(value_of("0x1F").as_double() == 31);
  CHECK(value_of("1.5E-3").as_double() == Approx(0.0015));
  CHECK(value_of("-.inf").as_double() == -HUGE_VAL);
  CHECK(std::isnan(value_of(".nan").as_double()));
  CHECK(value_of("True").as_bool());
  CHECK_FALSE(value_of("false").as_bool());
}

TEST_CASE("every node and every key keeps its line and column", "[yaml][node]") {
  const char* text =
      "metadata:\n"
      "  name: orders\n"
      "  tags: [a, \"b\"]\n"
      "spec:\n"
      "  outputPorts:\n"
      "    - name: t\n"
      "      slo: { freshness: 1h }\n";
  auto file = parse_yaml(text, "m.yaml");
  REQUIRE(file.diagnostics.empty());
  const Node& root = file.documents[0].root;
  CHECK(root.position == Position{1, 1});
  CHECK(root.entries[0].key_position == Position{1, 1});
  const Node& metadata = *root.find("metadata");
  CHECK(metadata.position == Position{2, 3});
  CHECK(metadata.find_entry("name")->key_position == Position{2, 3});
  CHECK(metadata.find("name")->position == Position{2, 9});
  const Node& tags = *metadata.find("tags");
  CHECK(tags.position == Position{3, 9});
  CHECK(tags.items[0].position == Position{3, 10});
  CHECK(tags.items[1].position == Position{3, 13});
  const Node& ports = *root.find("spec")->find("outputPorts");
  CHECK(ports.position == Position{6, 5});
  CHECK(ports.items[0].position == Position{6, 7});
  const Node& slo = *ports.items[0].find("slo");
  CHECK(slo.position == Position{7, 12});
  CHECK(slo.find_entry("freshness")->key_position == Position{7, 14});
  CHECK(slo.find("freshness")->position == Position{7, 25});
}

TEST_CASE("an empty value is where its key is; an explicit null is where it is written", "[yaml][node]") {
  auto file = parse_yaml("title:\ndescription: ~\nowner:\n  team:\nlast:\n", "m.yaml");
  REQUIRE(file.diagnostics.empty());
  const Node& root = file.documents[0].root;
  CHECK(root.find("title")->kind == NodeKind::null);
  CHECK(root.find("title")->position == Position{1, 1});
  CHECK(root.find("description")->kind == NodeKind::null);
  CHECK(root.find("description")->position == Position{2, 14});
  CHECK(root.find("owner")->find("team")->position == Position{4, 3});
  CHECK(root.find("last")->position == Position{5, 1});
}

TEST_CASE("mappings keep their source order and answer lookups", "[yaml][node]") {
  auto file = parse_yaml("z: 1\na: 2\nm: 3\n", "m.yaml");
  const Node& root = file.documents[0].root;
  REQUIRE(root.entries.size() == 3);
  CHECK(root.entries[0].key == "z");
  CHECK(root.entries[1].key == "a");
  CHECK(root.entries[2].key == "m");
  CHECK(root.find("a")->text == "2");
  CHECK(root.find("missing") == nullptr);
  CHECK(root.find_entry("missing") == nullptr);
  CHECK(root.find("a")->find("x") == nullptr);  // not a mapping
}

TEST_CASE("an alias is a copy of the anchored node, with the anchored node's positions", "[yaml][node]") {
  const char* text =
      "owner: &team\n"
      "  team: sales-data\n"
      "  email: s@example.com\n"
      "backup: *team\n"
      "tags: &t [a, b]\n"
      "more: [*t, *t]\n"
      "name: &n orders\n"
      "title: *n\n";
  auto file = parse_yaml(text, "m.yaml");
  REQUIRE(file.diagnostics.empty());
  const Node& root = file.documents[0].root;
  const Node& backup = *root.find("backup");
  REQUIRE(backup.kind == NodeKind::mapping);
  REQUIRE(backup.entries.size() == 2);
  CHECK(backup.position == root.find("owner")->position);
  CHECK(backup.position == Position{1, 8});  // a block mapping with an anchor starts at the anchor
  CHECK(backup.find_entry("team")->key_position == Position{2, 3});
  CHECK(backup.find("email")->text == "s@example.com");
  CHECK(backup.find("email")->position == Position{3, 10});
  CHECK(root.find_entry("backup")->key_position == Position{4, 1});

  const Node& more = *root.find("more");
  REQUIRE(more.items.size() == 2);
  CHECK(more.items[1].items[1].text == "b");
  CHECK(more.items[1].items[1].position == Position{5, 14});

  const Node& title = *root.find("title");
  CHECK(title.kind == NodeKind::string);
  CHECK(title.text == "orders");
  CHECK(title.position == Position{7, 7});
}

TEST_CASE("kind names are the words diagnostics use", "[yaml][node]") {
  CHECK(std::string(to_string(NodeKind::null)) == "null");
  CHECK(std::string(to_string(NodeKind::boolean)) == "boolean");
  CHECK(std::string(to_string(NodeKind::integer)) == "integer");
  CHECK(std::string(to_string(NodeKind::floating)) == "float");
  CHECK(std::string(to_string(NodeKind::string)) == "string");
  CHECK(std::string(to_string(NodeKind::sequence)) == "list");
  CHECK(std::string(to_string(NodeKind::mapping)) == "mapping");
}
