#include "meshctl/yaml/loader.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "yaml/position_printer.h"

using meshctl::Diagnostic;
using meshctl::Position;
using meshctl::Severity;
using meshctl::yaml::LoadedFile;
using meshctl::yaml::LoadLimits;
using meshctl::yaml::NodeKind;
using meshctl::yaml::parse_yaml;

namespace {

LoadedFile load(std::string_view text, const LoadLimits& limits = {}) {
  return parse_yaml(text, "m.yaml", limits);
}

// The only finding of `file`, which must have exactly one.
const Diagnostic& only_finding(const LoadedFile& file) {
  REQUIRE(file.diagnostics.size() == 1);
  return file.diagnostics.front();
}

void require_finding(const LoadedFile& file, const std::string& rule, Position position) {
  const Diagnostic& finding = only_finding(file);
  INFO(finding.message);
  CHECK(finding.rule == rule);
  CHECK(finding.position == position);
  CHECK(finding.severity == Severity::error);
  CHECK(finding.file == "m.yaml");
}

// `levels` mappings nested in one another, in block style: a:\n  a:\n    a: ...
std::string nested_mappings(std::size_t levels) {
  std::string text;
  for (std::size_t i = 0; i < levels; ++i) text += std::string(2 * i, ' ') + "a:\n";
  text += std::string(2 * levels, ' ') + "leaf\n";
  return text;
}

}  // namespace

TEST_CASE("a well-formed document loads with no findings", "[yaml][loader]") {
  const auto file = load("apiVersion: meshctl/v1\nkind: DataProduct\n");
  CHECK(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  CHECK(file.documents[0].root.kind == NodeKind::mapping);
  CHECK(file.documents[0].root.entries.size() == 2);
}

TEST_CASE("malformed YAML is MESH-YAML-SYNTAX where the parser stopped", "[yaml][loader]") {
  SECTION("an unclosed flow sequence") {
    const auto file = load("a: [1, 2\nb: 3\n");
    CHECK(file.documents.empty());
    require_finding(file, "MESH-YAML-SYNTAX", Position{2, 2});
  }
  SECTION("a tab used for indentation") {
    const auto file = load("a:\n\tb: 1\n");
    CHECK(only_finding(file).rule == "MESH-YAML-SYNTAX");
    CHECK(only_finding(file).position.line == 2);
  }
  SECTION("a key and value that do not line up") {
    const auto file = load("a:\n  b: 1\n c: 2\n");
    require_finding(file, "MESH-YAML-SYNTAX", Position{3, 2});
  }
  SECTION("an alias to an anchor never defined") {
    const auto file = load("a: 1\nb: *nowhere\n");
    require_finding(file, "MESH-YAML-SYNTAX", Position{2, 4});
  }
}

TEST_CASE("a duplicate key is reported at the second one, and the first value stays", "[yaml][loader]") {
  SECTION("in a block mapping") {
    const auto file = load("name: orders\ndomain: sales\nname: returns\n");
    require_finding(file, "MESH-YAML-DUPLICATE-KEY", Position{3, 1});
    CHECK(only_finding(file).message == "key 'name' appears twice in the same mapping: keep one");
    REQUIRE(file.documents.size() == 1);
    const auto& root = file.documents[0].root;
    CHECK(root.entries.size() == 2);
    CHECK(root.find("name")->text == "orders");
  }
  SECTION("in a nested flow mapping") {
    const auto file = load("owner: { team: a, email: b, team: c }\n");
    require_finding(file, "MESH-YAML-DUPLICATE-KEY", Position{1, 29});
  }
  SECTION("in a mapping large enough to be hashed") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "key" + std::to_string(i) + ": " + std::to_string(i) + "\n";
    text += "key7: again\n";
    const auto file = load(text);
    require_finding(file, "MESH-YAML-DUPLICATE-KEY", Position{41, 1});
    CHECK(file.documents[0].root.find("key7")->text == "7");
  }
  SECTION("a quoted key equal to a plain one is the same key") {
    const auto file = load("a: 1\n\"a\": 2\n");
    require_finding(file, "MESH-YAML-DUPLICATE-KEY", Position{2, 1});
  }
  SECTION("the same key in two different mappings is fine") {
    const auto file = load("a: { name: x }\nb: { name: y }\n");
    CHECK(file.diagnostics.empty());
  }
  SECTION("every duplicate is reported, not only the first") {
    const auto file = load("a: 1\na: 2\nb: 3\nb: 4\n");
    REQUIRE(file.diagnostics.size() == 2);
    CHECK(file.diagnostics[0].position == Position{2, 1});
    CHECK(file.diagnostics[1].position == Position{4, 1});
  }
}

TEST_CASE("a key that is a list or a mapping is MESH-YAML-KEY", "[yaml][loader]") {
  SECTION("a complex block key") {
    const auto file = load("a: 1\n? [x, y]\n: 2\n");
    require_finding(file, "MESH-YAML-KEY", Position{2, 3});
    CHECK_THAT(only_finding(file).message, Catch::Contains("found a list"));
  }
  SECTION("a mapping as a flow key") {
    const auto file = load("{ { a: 1 }: b }\n");
    require_finding(file, "MESH-YAML-KEY", Position{1, 3});
    CHECK_THAT(only_finding(file).message, Catch::Contains("found a mapping"));
  }
}

TEST_CASE("an empty file is MESH-YAML-EMPTY for the whole file", "[yaml][loader]") {
  for (const char* text : {"", "\n\n", "   \n", "# only a comment\n"}) {
    INFO('"' << text << '"');
    const auto file = load(text);
    CHECK(file.documents.empty());
    require_finding(file, "MESH-YAML-EMPTY", Position{0, 0});
  }
}

TEST_CASE("several documents in one file are each loaded on their own", "[yaml][loader]") {
  SECTION("every document, in order, with where it starts") {
    const auto file = load("a: 1\n---\nb: 2\n---\nc: 3\n");
    CHECK(file.diagnostics.empty());
    REQUIRE(file.documents.size() == 3);
    CHECK(file.documents[0].root.find("a") != nullptr);
    CHECK(file.documents[1].root.find("b") != nullptr);
    CHECK(file.documents[2].root.find("c") != nullptr);
    CHECK(file.documents[1].root.position == Position{3, 1});
    CHECK(file.documents[2].root.position == Position{5, 1});
  }
  SECTION("a key may appear once in each document") {
    const auto file = load("name: a\n---\nname: b\n");
    CHECK(file.diagnostics.empty());
    CHECK(file.documents.size() == 2);
  }
  SECTION("a duplicate key in the second document is found there") {
    const auto file = load("a: 1\n---\nb: 2\nb: 3\n");
    require_finding(file, "MESH-YAML-DUPLICATE-KEY", Position{4, 1});
    CHECK(file.documents.size() == 2);
  }
  SECTION("an empty document among several is reported where it starts") {
    const auto file = load("a: 1\n---\n---\nc: 3\n");
    require_finding(file, "MESH-YAML-EMPTY", Position{2, 1});
    REQUIRE(file.documents.size() == 2);
    CHECK(file.documents[1].root.find("c") != nullptr);
  }
  SECTION("anchors do not reach from one document into the next") {
    const auto file = load("a: &x 1\n---\nb: *x\n");
    REQUIRE(file.documents.size() == 1);
    CHECK(only_finding(file).rule == "MESH-YAML-SYNTAX");
    CHECK(only_finding(file).position.line == 3);
  }
  SECTION("a syntax error in the second keeps the first") {
    const auto file = load("a: 1\n---\nb: [1\n");
    CHECK(file.documents.size() == 1);
    CHECK(only_finding(file).rule == "MESH-YAML-SYNTAX");
  }
}

TEST_CASE("nesting deeper than the limit is MESH-YAML-LIMIT at the first level too many", "[yaml][loader]") {
  SECTION("a small limit") {
    LoadLimits limits;
    limits.max_depth = 3;
    CHECK(load(nested_mappings(3), limits).diagnostics.empty());  // three mappings: the limit
    const auto file = load(nested_mappings(4), limits);
    require_finding(file, "MESH-YAML-LIMIT", Position{4, 7});
    CHECK_THAT(only_finding(file).message, Catch::Contains("deeper than 3 levels"));
  }
  SECTION("the default limit is 64") {
    CHECK(load(std::string(64, '[') + std::string(64, ']')).diagnostics.empty());
    const auto file = load(std::string(65, '[') + std::string(65, ']'));
    require_finding(file, "MESH-YAML-LIMIT", Position{1, 65});
  }
  SECTION("a hundred thousand open brackets end in a diagnostic, not a stack overflow") {
    const auto file = load(std::string(100'000, '['));
    CHECK(only_finding(file).rule == "MESH-YAML-LIMIT");
  }
}

TEST_CASE("aliases that expand past the limit are MESH-YAML-LIMIT", "[yaml][loader]") {
  SECTION("the nodes every alias adds are counted") {
    LoadLimits limits;
    limits.max_alias_nodes = 5;
    // The anchored list is 4 nodes: the first alias adds 4, the second 8 > 5.
    const auto file = load("a: &x [1, 2, 3]\nb: *x\nc: *x\n", limits);
    require_finding(file, "MESH-YAML-LIMIT", Position{3, 4});
    CHECK_THAT(only_finding(file).message, Catch::Contains("billion laughs"));
  }
  SECTION("a billion laughs document is refused by the alias budget, not expanded") {
    // Expanded, it would hold 10^10 nodes: being refused at all proves the expansion stopped early.
    std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int level = 1; level <= 9; ++level) {
      const std::string previous = fmt::format("*l{}", level - 1);
      text += fmt::format("l{}: &l{} [", level, level);
      for (int i = 0; i < 10; ++i) {
        if (i > 0) text += ", ";
        text += previous;
      }
      text += "]\n";
    }
    const auto file = load(text);
    CHECK(only_finding(file).rule == "MESH-YAML-LIMIT");
    CHECK(file.documents.empty());
  }
  SECTION("an alias inside the node it names is refused, not followed") {
    const auto file = load("a: &x [1, *x]\n");
    require_finding(file, "MESH-YAML-LIMIT", Position{1, 11});
  }
}

TEST_CASE("a file larger than the limit is MESH-YAML-LIMIT before it is parsed", "[yaml][loader]") {
  LoadLimits limits;
  limits.max_file_bytes = 16;
  CHECK(load("a: 0123456789ab\n", limits).diagnostics.empty());  // exactly 16 bytes
  const auto file = load("a: 0123456789abc\n", limits);
  require_finding(file, "MESH-YAML-LIMIT", Position{0, 0});
  CHECK_THAT(only_finding(file).message, Catch::Contains("17 bytes") && Catch::Contains("limit of 16"));
  CHECK(file.documents.empty());
  CHECK(LoadLimits{}.max_file_bytes == 8u * 1024 * 1024);
}

TEST_CASE("bytes that are not UTF-8 are MESH-YAML-ENCODING at the first bad one", "[yaml][loader]") {
  SECTION("a Latin-1 byte") {
    const auto file = load("a: 1\nb: caf\xe9\n");
    require_finding(file, "MESH-YAML-ENCODING", Position{2, 7});
    CHECK(file.documents.empty());
  }
  SECTION("columns count characters, not bytes") {
    const auto file = load("a: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff\n");  // é € 😀 then 0xFF
    require_finding(file, "MESH-YAML-ENCODING", Position{1, 7});
  }
  SECTION("an overlong encoding") {
    require_finding(load("a: \xc0\xaf\n"), "MESH-YAML-ENCODING", Position{1, 4});
  }
  SECTION("a UTF-16 surrogate") {
    require_finding(load("a: \xed\xa0\x80\n"), "MESH-YAML-ENCODING", Position{1, 4});
  }
  SECTION("a sequence cut short at the end of the file") {
    require_finding(load("a: \xe2\x82"), "MESH-YAML-ENCODING", Position{1, 4});
  }
  SECTION("a continuation byte on its own") {
    require_finding(load("a: x\x80\n"), "MESH-YAML-ENCODING", Position{1, 5});
  }
  SECTION("valid multi-byte text loads") {
    const auto file = load("title: Rücksendungen – 返品 😀\n");
    CHECK(file.diagnostics.empty());
    CHECK(file.documents[0].root.find("title")->text == "Rücksendungen – 返品 😀");
  }
}

TEST_CASE("a UTF-8 byte order mark is accepted", "[yaml][loader]") {
  const auto file = load(
      "\xef\xbb\xbf"
      "a: 1\nb: 2\n");
  CHECK(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  const auto& root = file.documents[0].root;
  REQUIRE(root.entries.size() == 2);
  CHECK(root.entries[0].key == "a");
  CHECK(root.entries[1].key_position == Position{2, 1});
}

TEST_CASE("the escapes \\N and \\_ are U+0085 and U+00A0, written as UTF-8", "[yaml][loader]") {
  const auto file = load("a: \"x\\Ny\"\nb: \"x\\_y\"\nc: \"\\L\\P\"\n");
  REQUIRE(file.diagnostics.empty());
  const auto& root = file.documents[0].root;
  CHECK(root.find("a")->text == "x\xc2\x85y");
  CHECK(root.find("b")->text == "x\xc2\xa0y");
  CHECK(root.find("c")->text == "\xe2\x80\xa8\xe2\x80\xa9");
}

TEST_CASE("characters YAML does not allow in a stream are MESH-YAML-CHARACTER where they are", "[yaml][loader]") {
  SECTION("NUL") {
    const auto file = load(std::string_view("a: 1\nb: x\0t\n", 12));
    require_finding(file, "MESH-YAML-CHARACTER", Position{2, 5});
    CHECK_THAT(only_finding(file).message, Catch::Contains("U+0000") && Catch::Contains("\\x00"));
    CHECK(file.documents.empty());
  }
  SECTION("other C0 controls, DEL, C1 controls and the non-characters U+FFFE and U+FFFF") {
    require_finding(load("a: \x1b[31m\n"), "MESH-YAML-CHARACTER", Position{1, 4});
    require_finding(load("a: \x7f\n"), "MESH-YAML-CHARACTER", Position{1, 4});
    require_finding(load("a: é\xc2\x9b\n"), "MESH-YAML-CHARACTER", Position{1, 5});
    require_finding(load("a: \xef\xbf\xbe\n"), "MESH-YAML-CHARACTER", Position{1, 4});
  }
  SECTION("tab, line breaks, NEL, NBSP and the byte order mark are allowed") {
    const auto file = load(
        "\xef\xbb\xbf"
        "a: \"x\ty\"\r\nb: x\xc2\x85\xc2\xa0y\n");
    CHECK(file.diagnostics.empty());
  }
  SECTION("escaped control characters in double quotes are text, not stream characters") {
    const auto file = load("a: \"\\e[31m\\0\"\n");
    REQUIRE(file.diagnostics.empty());
    CHECK(file.documents[0].root.find("a")->text == std::string("\x1b[31m\0", 6));
  }
}

TEST_CASE("a carriage return alone is a line break, as YAML allows", "[yaml][loader]") {
  const auto file = load("a: 1\rb: two\rc:\r  - x\r");
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  const auto& root = file.documents[0].root;
  CHECK(root.find("b")->text == "two");
  CHECK(root.entries[1].key_position == Position{2, 1});
  CHECK(root.find("c")->items.at(0).position == Position{4, 5});
  SECTION("positions of later findings count those lines") {
    require_finding(load("a: 1\rb: 2\ra: 3\r"), "MESH-YAML-DUPLICATE-KEY", Position{3, 1});
    require_finding(load("a: 1\rb: \x01\r"), "MESH-YAML-CHARACTER", Position{2, 4});
  }
  SECTION("CR LF stays one line break") {
    CHECK(load("a: 1\r\nb: 2\r\n").documents[0].root.entries[1].key_position == Position{2, 1});
  }
}

namespace {

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
}

}  // namespace

// Inputs the fuzzers found (tests/fuzz/crashes/TARGET/): each must now load,
// promptly, into findings; a hang here ends the test at ctest's timeout.
TEST_CASE("inputs the fuzzers found load into findings", "[yaml]") {
  const std::filesystem::path crashes = std::filesystem::path(MESHCTL_SOURCE_DIR) / "tests" / "fuzz" / "crashes";
  std::size_t inputs = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(crashes)) {
    if (!entry.is_regular_file() || entry.path().filename().string().rfind("yaml-", 0) != 0) continue;
    INFO(entry.path().string());
    const auto file = load(read_whole(entry.path()));
    CHECK_FALSE(file.diagnostics.empty());
    ++inputs;
  }
  CHECK(inputs >= 2);
}

// yaml-cpp, the parser before libyaml, started document after document at one place on this input.
TEST_CASE("an unclosed flow collection followed by more text ends in one MESH-YAML-SYNTAX", "[yaml]") {
  const auto file = load(read_whole(std::filesystem::path(MESHCTL_SOURCE_DIR) / "tests" / "fuzz" / "crashes" /
                                    "fuzz_manifest" / "yaml-endless-documents-after-unclosed-flow"));
  REQUIRE_FALSE(file.diagnostics.empty());
  CHECK(file.diagnostics.back().rule == "MESH-YAML-SYNTAX");
  CHECK(file.diagnostics.size() < 10);
}
