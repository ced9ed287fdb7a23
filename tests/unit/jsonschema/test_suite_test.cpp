// The JSON-Schema-Test-Suite against meshctl's validator, for the keywords it implements.
//
// Debian's json-schema-test-suite (2.0.0, installed by scripts/install-deps --test) holds drafts 3 to 7,
// not 2019-09. Its draft7 files are read for every keyword whose meaning 2019-09 kept; the keywords 2019-09
// added or changed that the ODCS and ODPS schemas use ($defs, unevaluatedProperties, $ref beside other
// keywords) are tested by draft2019-09.json beside this file, in the suite's own format.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "meshctl/jsonschema/schema.h"

namespace fs = std::filesystem;
using meshctl::jsonschema::node_from_json;
using meshctl::jsonschema::Schema;
using nlohmann::json;

namespace {

const fs::path kSuite = "/usr/share/json-schema-test-suite/tests/draft7";

// The suite's files for the keywords the validator implements.
const char* const kImplemented[] = {
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if-then-else",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "ref",
    "default",
    "boolean_schema",
    "multipleOf",
};

// The keywords of drafts 7 and 2019-09 (the suite's schemas also hold keys that are not keywords, targets
// of $refs such as "tilda~field").
const std::set<std::string> kKeywords = {
    "$anchor",
    "$id",
    "$recursiveAnchor",
    "$recursiveRef",
    "$vocabulary",
    "additionalItems",
    "additionalProperties",
    "allOf",
    "anyOf",
    "const",
    "contains",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "enum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "if",
    "items",
    "maxContains",
    "maxItems",
    "maxLength",
    "maxProperties",
    "maximum",
    "minContains",
    "minItems",
    "minLength",
    "minProperties",
    "minimum",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "properties",
    "propertyNames",
    "required",
    "then",
    "type",
    "unevaluatedItems",
    "unevaluatedProperties",
    "uniqueItems",
};
// Not run, as not implemented (no ODCS or ODPS schema uses them): contains, dependencies, maxProperties,
// minProperties, patternProperties, propertyNames, refRemote (references to other documents),
// definitions (it checks schemas against the draft-07 meta-schema, another document), optional/ (format
// assertions, big numbers, ECMAScript regular expressions).

// Groups of the files above that are not run, and why.
const std::set<std::pair<std::string, std::string>> kSkippedGroups = {
    // Uses patternProperties.
    {"properties", "properties, patternProperties, additionalProperties interaction"},
    {"additionalProperties", "additionalProperties being false does not allow other properties"},
    {"additionalProperties", "non-ASCII pattern with additionalProperties"},
    // Draft 7 ignores the keywords beside a $ref; draft 2019-09 applies them (draft2019-09.json tests that).
    {"ref", "ref overrides any sibling keywords"},
    // References to other documents and $id.
    {"ref", "remote ref, containing refs itself"},
    {"ref", "Recursive references between schemas"},
};

json read_suite_file(const fs::path& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

struct SuiteCounts {
  int passed = 0;
  int groups = 0;
};

void run_suite_file(const std::string& name, const json& groups, SuiteCounts& counts) {
  for (const auto& group : groups) {
    const std::string description = group.at("description").get<std::string>();
    if (kSkippedGroups.count({name, description}) != 0) continue;
    ++counts.groups;
    auto schema = Schema::compile(group.at("schema"));
    INFO(name << ": " << description << ": " << group.at("schema").dump());
    REQUIRE(schema);
    for (const auto& keyword : schema->unsupported_keywords()) CHECK(kKeywords.count(keyword) == 0);
    for (const auto& test : group.at("tests")) {
      const auto instance = node_from_json(test.at("data"));
      const bool expected = test.at("valid").get<bool>();
      INFO(test.at("description").get<std::string>() << ": " << test.at("data").dump());
      CHECK(schema->is_valid(instance) == expected);
      // The answer and the findings agree.
      CHECK(schema->validate(instance).empty() == expected);
      ++counts.passed;
    }
  }
}

}  // namespace

TEST_CASE("JSON-Schema-Test-Suite draft7, for the keywords that draft 2019-09 kept", "[jsonschema]") {
  if (!fs::exists(kSuite)) {
    FAIL("the JSON-Schema-Test-Suite is not installed at " << kSuite << ": run scripts/install-deps --test");
  }
  SuiteCounts counts;
  for (const char* keyword : kImplemented) {
    const auto path = kSuite / (std::string(keyword) + ".json");
    INFO(path);
    REQUIRE(fs::exists(path));
    run_suite_file(keyword, read_suite_file(path), counts);
  }
  CHECK(counts.groups > 80);
  CHECK(counts.passed > 300);
}

TEST_CASE("draft 2019-09 keywords: $defs, unevaluatedProperties, $ref beside other keywords", "[jsonschema]") {
  SuiteCounts counts;
  run_suite_file("draft2019-09",
                 read_suite_file(fs::path(MESHCTL_SOURCE_DIR) / "tests/unit/jsonschema/draft2019-09.json"), counts);
  CHECK(counts.passed > 40);
}
