#include "yaml/tree_builder.h"

#include <string>

#include <catch2/catch.hpp>

#include "yaml/position_printer.h"

using meshctl::Diagnostic;
using meshctl::Position;
using meshctl::yaml::Document;
using meshctl::yaml::LoadLimits;
using meshctl::yaml::detail::flow_nesting_cut;
using meshctl::yaml::detail::LoadAbort;
using meshctl::yaml::detail::ScalarStyle;
using meshctl::yaml::detail::TreeBuilder;

TEST_CASE("a scalar that is not UTF-8 after decoding is refused where it is", "[yaml][tree_builder]") {
  const LoadLimits limits;
  std::vector<Document> documents;
  std::vector<Diagnostic> findings;
  const std::string file_name = "m.yaml";
  TreeBuilder builder(limits, documents, findings, file_name);
  builder.begin_document(Position{1, 1});
  builder.begin_mapping(Position{1, 1}, 0);
  builder.scalar(Position{1, 1}, "a", ScalarStyle::plain, "", 0);
  try {
    builder.scalar(Position{1, 4}, "x\xa0", ScalarStyle::quoted, "", 0);
    FAIL("no LoadAbort");
  } catch (const LoadAbort& abort) {
    CHECK(abort.rule == "MESH-YAML-ENCODING");
    CHECK(abort.position == Position{1, 4});
  }
}

TEST_CASE("flow_nesting_cut finds where flow brackets first open deeper than the limit", "[yaml][tree_builder]") {
  CHECK(flow_nesting_cut(std::string(64, '[') + std::string(64, ']'), 64) == std::nullopt);
  const auto brackets = flow_nesting_cut(std::string(65, '['), 64);
  REQUIRE(brackets);
  CHECK(brackets->end == 65u);
  CHECK(brackets->closers == std::string(65, ']'));
  const auto mixed = flow_nesting_cut("a: " + std::string(3, '{') + "b: [c", 3);
  REQUIRE(mixed);
  CHECK(mixed->end == 10u);
  CHECK(mixed->closers == "]}}}");
  SECTION("brackets in comments, quotes and plain text are not nesting") {
    CHECK_FALSE(flow_nesting_cut("# [[[[\na: '[[[[' \nb: \"[[[[\\\"[[\"\nc: x[[[[\n", 3));
    CHECK_FALSE(flow_nesting_cut("a: [\"]]]\", '[[[[', x]\n", 3));
  }
  SECTION("brackets opening at the start of a node in block context are nesting") {
    CHECK(flow_nesting_cut("a:\n  - [[[[", 3)->end == 11u);
    CHECK(flow_nesting_cut("? [[[[", 3)->end == 6u);
  }
}
