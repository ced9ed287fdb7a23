// What the libyaml event source must get right for the tree (lib/src/yaml/libyaml_source.cpp),
// checked through the loader.
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/yaml/loader.h"
#include "yaml/position_printer.h"

using meshctl::Position;
using meshctl::yaml::LoadedFile;
using meshctl::yaml::LoadLimits;
using meshctl::yaml::Node;
using meshctl::yaml::NodeKind;
using meshctl::yaml::parse_yaml;

namespace {

LoadedFile load_text(std::string_view text) {
  return parse_yaml(text, "m.yaml");
}

// The root of the only document of `text`, which must load without findings.
const Node& root_of(const LoadedFile& file) {
  INFO((file.diagnostics.empty() ? std::string() : file.diagnostics.front().message));
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  return file.documents.front().root;
}
const Node& root_of(LoadedFile&& file) = delete;  // the root would outlive its file

}  // namespace

TEST_CASE("aliases name their anchors, the latest definition of a name winning", "[yaml][libyaml]") {
  const auto file = load_text("a: &x 1\nb: &y { k: v }\nc: *x\nd: *y\ne: &x two\nf: *x\n");
  const Node& root = root_of(file);
  CHECK(root.find("c")->text == "1");
  CHECK(root.find("c")->kind == NodeKind::integer);
  REQUIRE(root.find("d")->is_mapping());
  CHECK(root.find("d")->find("k")->text == "v");
  CHECK(root.find("f")->text == "two");
  SECTION("an alias keeps the position of the node it copies: where its anchor is") {
    CHECK(root.find("d")->position == Position{2, 4});
  }
}

TEST_CASE("an alias to an anchor not defined before it is MESH-YAML-SYNTAX at the alias", "[yaml][libyaml]") {
  for (const char* text : {"a: *x\nb: &x 1\n", "a: &x 1\n---\nb: *x\n"}) {
    INFO(text);
    const auto file = load_text(text);
    REQUIRE(file.diagnostics.size() == 1);
    CHECK(file.diagnostics[0].rule == "MESH-YAML-SYNTAX");
    CHECK(file.diagnostics[0].position.column == 4);
    CHECK(file.diagnostics[0].message ==
          "the alias *x names no anchor before it in this document: write &x on the node it stands for, above "
          "the alias");
  }
}

TEST_CASE("tags decide a scalar's kind; without one, plain scalars resolve by the core schema", "[yaml][libyaml]") {
  const auto file = load_text(
      "plain: 12\nquoted: \"12\"\nstr: !!str 12\nint: !!int \"12\"\nfloat: !!float 1\nbool: !!bool \"true\"\n"
      "nil: !!null \"\"\nbang: ! 12\ncustom: !custom 12\nliteral: |\n  12\n");
  const Node& root = root_of(file);
  CHECK(root.find("plain")->kind == NodeKind::integer);
  CHECK(root.find("quoted")->kind == NodeKind::string);
  CHECK(root.find("str")->kind == NodeKind::string);
  CHECK(root.find("int")->kind == NodeKind::integer);
  CHECK(root.find("float")->kind == NodeKind::floating);
  CHECK(root.find("bool")->kind == NodeKind::boolean);
  CHECK(root.find("nil")->kind == NodeKind::null);
  CHECK(root.find("bang")->kind == NodeKind::string);    // `!` is the non-specific tag: a string
  CHECK(root.find("custom")->kind == NodeKind::string);  // an unknown tag: a string, as written
  CHECK(root.find("custom")->text == "12");
  CHECK(root.find("literal")->text == "12\n");
  SECTION("a %TAG directive's shorthand resolves to the full tag") {
    const auto tagged = load_text("%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 1\n");
    CHECK(root_of(tagged).find("a")->kind == NodeKind::string);
  }
  SECTION("a tag on a collection changes nothing") {
    const auto collections = load_text("a: !!map { b: 1 }\nc: !x [1]\n");
    CHECK(root_of(collections).find("c")->is_sequence());
  }
}

TEST_CASE("nulls: ~, null and nothing at all are null nodes with no text; quoted, they are strings",
          "[yaml][libyaml]") {
  const auto file = load_text("a: ~\nb: null\nc: NULL\nd:\ne: \"null\"\nf: !!str ~\ng: &n\nh: *n\n");
  const Node& root = root_of(file);
  for (const char* key : {"a", "b", "c", "d", "g", "h"}) {
    INFO(key);
    CHECK(root.find(key)->kind == NodeKind::null);
    CHECK(root.find(key)->text.empty());
  }
  CHECK(root.find("e")->kind == NodeKind::string);
  CHECK(root.find("f")->kind == NodeKind::string);
  CHECK(root.find("f")->text == "~");
}

TEST_CASE("a value with nothing written is placed at its key; other nulls where they are written", "[yaml][libyaml]") {
  const auto file = load_text("title:\nnext: ~\nflow: { a: , b: 1 }\nlist:\n  -\n  - x\nlater:\n  null\n");
  const Node& root = root_of(file);
  CHECK(root.find("title")->position == Position{1, 1});
  CHECK(root.find("next")->position == Position{2, 7});
  CHECK(root.find("flow")->find("a")->position == Position{3, 9});
  CHECK(root.find("list")->items.at(0).position == Position{5, 4});  // just after its `-`
  CHECK(root.find("later")->position == Position{8, 3});
}

TEST_CASE("a document begins at its ---, even after directives", "[yaml][libyaml]") {
  const auto file = load_text("%YAML 1.2\n---\n");
  REQUIRE(file.diagnostics.size() == 1);
  CHECK(file.diagnostics[0].rule == "MESH-YAML-EMPTY");
  CHECK(file.diagnostics[0].position == Position{2, 1});
}

TEST_CASE("columns count characters, not bytes", "[yaml][libyaml]") {
  const auto file = load_text("b: {\xc3\xa9: 1, \xc3\xa9: 2, c: [\xe2\x82\xac, x]}\n");
  REQUIRE(file.diagnostics.size() == 1);
  CHECK(file.diagnostics[0].rule == "MESH-YAML-DUPLICATE-KEY");
  CHECK(file.diagnostics[0].position == Position{1, 11});
  CHECK(file.documents.at(0).root.find("b")->find("c")->items.at(1).position == Position{1, 24});
}

TEST_CASE("NEL, LS and PS are ordinary characters, as in YAML 1.2, not line breaks", "[yaml][libyaml]") {
  const std::string nel = "\xc2\x85";
  const std::string ls = "\xe2\x80\xa8";
  const std::string ps = "\xe2\x80\xa9";
  SECTION("inside a plain scalar of a nested mapping, and in the lines after it") {
    const auto file = load_text("m:\n  d: a" + ls + "b" + nel + "c" + ps + "d\n  e: 1\n  e: 2\n");
    REQUIRE(file.diagnostics.size() == 1);
    CHECK(file.diagnostics[0].rule == "MESH-YAML-DUPLICATE-KEY");
    CHECK(file.diagnostics[0].position == Position{4, 3});
    CHECK(file.documents.at(0).root.find("m")->find("d")->text == "a" + ls + "b" + nel + "c" + ps + "d");
  }
  SECTION("in quoted and block scalars, and in keys") {
    const auto file = load_text("q: \"x" + ls + " y\"\nb: |\n  x" + nel + "y\n  z\nk" + ps + ": 1\n");
    const Node& root = root_of(file);
    CHECK(root.find("q")->text == "x" + ls + " y");
    CHECK(root.find("b")->text == "x" + nel + "y\nz\n");
    CHECK(root.find("k" + ps) != nullptr);
  }
  SECTION("next to the private-use characters that stand in for them while libyaml reads") {
    const std::string plane15 = "\xf3\xb0\x80\x80";  // U+F0000
    const auto file = load_text("a: " + plane15 + ls + "\nb: \"\\U000F0001\\U000f0002 " + nel + "\"\n");
    const Node& root = root_of(file);
    CHECK(root.find("a")->text == plane15 + ls);
    CHECK(root.find("b")->text == "\xf3\xb0\x80\x81\xf3\xb0\x80\x82 " + nel);  // U+F0001, U+F0002
  }
}

TEST_CASE("a syntax error says libyaml's problem, and what it was reading from where", "[yaml][libyaml]") {
  SECTION("an unclosed flow sequence") {
    const auto file = load_text("a: [1, 2\nb: 3\n");
    REQUIRE(file.diagnostics.size() == 1);
    CHECK(file.diagnostics[0].rule == "MESH-YAML-SYNTAX");
    CHECK(file.diagnostics[0].position == Position{2, 2});
    CHECK(file.diagnostics[0].message ==
          "did not find expected ',' or ']' (while parsing a flow sequence that starts at line 1, column 4)");
  }
  SECTION("where what it was reading begins at the problem, no position is repeated") {
    const auto file = load_text("a: @x\n");
    REQUIRE(file.diagnostics.size() == 1);
    CHECK(file.diagnostics[0].position == Position{1, 4});
    CHECK(file.diagnostics[0].message ==
          "found character that cannot start any token (while scanning for the next token)");
  }
  SECTION("positions count lone carriage returns as line breaks") {
    const auto file = load_text("a: 1\rb: [x\rc: 2\r");
    REQUIRE(file.diagnostics.size() == 1);
    CHECK(file.diagnostics[0].position == Position{3, 2});
  }
}

TEST_CASE("8 MiB of open brackets are refused at the first level too many", "[yaml][libyaml]") {
  const auto file = load_text(std::string(LoadLimits{}.max_file_bytes, '['));
  REQUIRE(file.diagnostics.size() == 1);
  CHECK(file.diagnostics[0].rule == "MESH-YAML-LIMIT");
  CHECK(file.diagnostics[0].position == Position{1, 65});
}
