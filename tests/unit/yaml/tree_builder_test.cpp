#include "yaml/tree_builder.h"

#include <string>

#include <catch2/catch.hpp>

#include "yaml/position_printer.h"

using meshctl::Diagnostic;
using meshctl::Position;
using meshctl::yaml::Document;
using meshctl::yaml::LoadLimits;
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
