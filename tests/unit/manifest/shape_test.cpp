#include "meshctl/manifest/shape.h"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/yaml/loader.h"
#include "yaml/position_printer.h"

using meshctl::Diagnostic;
using meshctl::Position;
using meshctl::Severity;
using meshctl::manifest::check_shape;

namespace {

// A structurally complete manifest; the tests replace one line of it.
const std::string kValid = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: orders
  domain: sales
  version: 1.2.0
  title: Confirmed orders
  description: One row per confirmed order line.
  owner: { team: sales-data, email: sales-data@example.com }
  tags: [orders, revenue]
  labels: { tier: gold }
spec:
  compatibility: forward
  inputPorts:
    - { name: order-events, product: sales/order-events, version: "^2" }
  outputPorts:
    - name: orders-table
      type: table
      format: parquet
      location: s3://sales/orders/
      schema:
        fields:
          - { name: order_id, type: string, required: true, unique: true, description: Order key }
          - name: customer
            type: object
            description: The buyer
            fields:
              - { name: email, type: string, pii: true, classification: confidential }
          - { name: status, type: string, enum: [open, 3, 2.5, true] }
      slo: { freshness: 1h, availability: "99.9%" }
      quality:
        - { rule: row_count, min: 1, max: 1e6 }
        - { rule: accepted_values, field: status, values: [open, closed] }
)";

std::vector<Diagnostic> check(const std::string& text) {
  auto file = meshctl::yaml::parse_yaml(text, "m.yaml");
  INFO(text);
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  std::vector<Diagnostic> out;
  check_shape(file.documents[0].root, "m.yaml", out);
  return out;
}

// kValid with the first occurrence of `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to, std::string text = kValid) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const Diagnostic& only(const std::vector<Diagnostic>& findings) {
  REQUIRE(findings.size() == 1);
  return findings.front();
}

void require_finding(const std::vector<Diagnostic>& findings, Severity severity, const std::string& rule,
                     Position position, const std::string& path, const std::string& message) {
  const Diagnostic& finding = only(findings);
  CHECK(finding.severity == severity);
  CHECK(finding.rule == rule);
  CHECK(finding.position == position);
  CHECK(finding.path == path);
  CHECK(finding.message == message);
  CHECK(finding.file == "m.yaml");
}

}  // namespace

TEST_CASE("a complete manifest has no structural findings", "[manifest][shape]") {
  CHECK(check(kValid).empty());
  CHECK(check(with("  compatibility: forward\n  inputPorts:\n    - { name: order-events, product: sales/order-events, "
                   "version: \"^2\" }\n",
                   ""))
            .empty());  // spec's keys are all optional
}

TEST_CASE("a value of the wrong type says what was expected and what was found", "[manifest][shape]") {
  SECTION("a float where a string belongs: quote it") {
    require_finding(check(with("version: 1.2.0", "version: 1.2")), Severity::error, "MESH-SCHEMA-TYPE", Position{6, 12},
                    "metadata.version", "'metadata.version' must be a string, found a float: quote it (\"1.2\")");
  }
  SECTION("an integer where a string belongs") {
    require_finding(check(with("version: \"^2\"", "version: 2")), Severity::error, "MESH-SCHEMA-TYPE", Position{15, 67},
                    "spec.inputPorts[0].version",
                    "'spec.inputPorts[0].version' must be a string, found an integer: quote it (\"2\")");
  }
  SECTION("a boolean where a string belongs") {
    CHECK(only(check(with("title: Confirmed orders", "title: true"))).message ==
          "'metadata.title' must be a string, found a boolean: quote it (\"true\")");
  }
  SECTION("nothing where a string belongs: no quoting hint, and the key's position") {
    require_finding(check(with("title: Confirmed orders", "title:")), Severity::error, "MESH-SCHEMA-TYPE",
                    Position{7, 3}, "metadata.title", "'metadata.title' must be a string, found nothing (null)");
  }
  SECTION("a string where a list belongs") {
    require_finding(check(with("tags: [orders, revenue]", "tags: orders")), Severity::error, "MESH-SCHEMA-TYPE",
                    Position{10, 9}, "metadata.tags", "'metadata.tags' must be a list, found a string");
  }
  SECTION("a list where a mapping belongs") {
    CHECK(only(check(with("owner: { team: sales-data, email: sales-data@example.com }", "owner: [sales-data]")))
              .message == "'metadata.owner' must be a mapping, found a list");
  }
  SECTION("a quoted string where a boolean belongs") {
    require_finding(check(with("required: true", "required: \"yes\"")), Severity::error, "MESH-SCHEMA-TYPE",
                    Position{23, 55}, "spec.outputPorts[0].schema.fields[0].required",
                    "'spec.outputPorts[0].schema.fields[0].required' must be a boolean (true or false), found a "
                    "string");
  }
  SECTION("YAML 1.1 words are strings, not booleans") {
    CHECK(only(check(with("pii: true", "pii: yes"))).rule == "MESH-SCHEMA-TYPE");
  }
  SECTION("a string where a number belongs") {
    require_finding(check(with("min: 1,", "min: \"1\",")), Severity::error, "MESH-SCHEMA-TYPE", Position{32, 35},
                    "spec.outputPorts[0].quality[0].min",
                    "'spec.outputPorts[0].quality[0].min' must be a number, found a string");
  }
  SECTION("a number that JSON cannot hold") {
    require_finding(check(with("max: 1e6", "max: .inf")), Severity::error, "MESH-SCHEMA-TYPE", Position{32, 43},
                    "spec.outputPorts[0].quality[0].max",
                    "'spec.outputPorts[0].quality[0].max' must be a number, found a float (.inf): write a finite "
                    "number");
    CHECK(only(check(with("min: 1,", "min: .nan,"))).rule == "MESH-SCHEMA-TYPE");
    CHECK(check(with("max: 1e6", "max: -1.5e300")).empty());
  }
  SECTION("a label value that is not a string") {
    require_finding(check(with("tier: gold", "tier: 3")), Severity::error, "MESH-SCHEMA-TYPE", Position{11, 19},
                    "metadata.labels.tier",
                    "'metadata.labels.tier' must be a string, found an integer: quote it (\"3\")");
  }
  SECTION("an enum value that is not a scalar") {
    CHECK(only(check(with("enum: [open, 3, 2.5, true]", "enum: [open, [3]]"))).path ==
          "spec.outputPorts[0].schema.fields[2].enum[1]");
    CHECK(only(check(with("enum: [open, 3, 2.5, true]", "enum: [open, ~]"))).message ==
          "'spec.outputPorts[0].schema.fields[2].enum[1]' must be a string, number or boolean, found nothing (null)");
  }
  SECTION("nested fields are checked at any depth") {
    const auto findings = check(with("pii: true", "pii: 1"));
    CHECK(only(findings).path == "spec.outputPorts[0].schema.fields[1].fields[0].pii");
    CHECK(only(findings).position == Position{28, 51});
  }
  SECTION("a document that is not a mapping") {
    const auto findings = check("- apiVersion\n- kind\n");
    CHECK(only(findings).rule == "MESH-SCHEMA-TYPE");
    CHECK(only(findings).position == Position{1, 1});
    CHECK(only(findings).message == "the manifest must be a mapping, found a list");
  }
  SECTION("every wrong value is reported, not only the first") {
    CHECK(check(with("tier: gold", "tier: 3", with("title: Confirmed orders", "title: 4"))).size() == 2);
  }
}

TEST_CASE("missing required keys are reported on the mapping that lacks them", "[manifest][shape]") {
  SECTION("metadata.version") {
    require_finding(check(with("  version: 1.2.0\n", "")), Severity::error, "MESH-SCHEMA-REQUIRED", Position{4, 3},
                    "metadata", "'metadata' has no 'version': add it");
  }
  SECTION("a top-level key") {
    const auto findings = check(with("kind: DataProduct\n", ""));
    require_finding(findings, Severity::error, "MESH-SCHEMA-REQUIRED", Position{1, 1}, "",
                    "the manifest has no 'kind': add it");
  }
  SECTION("each missing key once") {
    const auto findings = check("apiVersion: meshctl/v1\nkind: DataProduct\nmetadata: {}\nspec: {}\n");
    REQUIRE(findings.size() == 3);
    for (const auto& finding : findings) CHECK(finding.rule == "MESH-SCHEMA-REQUIRED");
    CHECK(findings[0].message == "'metadata' has no 'name': add it");
    CHECK(findings[1].message == "'metadata' has no 'domain': add it");
    CHECK(findings[2].message == "'metadata' has no 'version': add it");
  }
}

TEST_CASE("apiVersion and kind are constants", "[manifest][shape]") {
  require_finding(check(with("apiVersion: meshctl/v1", "apiVersion: meshctl/v2")), Severity::error, "MESH-SCHEMA-CONST",
                  Position{1, 13}, "apiVersion", "'apiVersion' must be 'meshctl/v1', found 'meshctl/v2'");
  require_finding(check(with("kind: DataProduct", "kind: Dataset")), Severity::error, "MESH-SCHEMA-CONST",
                  Position{2, 7}, "kind", "'kind' must be 'DataProduct', found 'Dataset'");
  CHECK(only(check(with("apiVersion: meshctl/v1", "apiVersion: 1"))).rule == "MESH-SCHEMA-TYPE");
}

TEST_CASE("an unknown key is a warning, with a did-you-mean for a near miss", "[manifest][shape]") {
  SECTION("a typo of a known key") {
    const auto findings = check(with("  title:", "  titl:"));
    require_finding(findings, Severity::warning, "MESH-SCHEMA-UNKNOWN-KEY", Position{7, 3}, "metadata.titl",
                    "unknown key 'titl' in 'metadata': did you mean 'title'?");
  }
  SECTION("a typo at the top level") {
    const auto findings = check(kValid + "specs: {}\n");
    require_finding(findings, Severity::warning, "MESH-SCHEMA-UNKNOWN-KEY", Position{34, 1}, "specs",
                    "unknown key 'specs' at the top level: did you mean 'spec'?");
  }
  SECTION("a typo inside a list item") {
    CHECK(only(check(with("freshness: 1h", "freshnes: 1h"))).message ==
          "unknown key 'freshnes' in 'spec.outputPorts[0].slo': did you mean 'freshness'?");
  }
  SECTION("nothing close: the keys allowed there are listed") {
    const auto findings = check(with("owner: { team: sales-data,", "owner: { team: sales-data, pager: x,"));
    require_finding(findings, Severity::warning, "MESH-SCHEMA-UNKNOWN-KEY", Position{9, 30}, "metadata.owner.pager",
                    "unknown key 'pager' in 'metadata.owner': the keys here are 'team' and 'email'");
  }
  SECTION("the value of an unknown key is not checked") {
    CHECK(only(check(kValid + "x-extra: [1, {a: b}]\n")).rule == "MESH-SCHEMA-UNKNOWN-KEY");
  }
  SECTION("labels take any key") {
    CHECK(check(with("tier: gold", "anything-goes: gold")).empty());
  }
}

TEST_CASE("rule ids of the structural check and the loader are structural", "[manifest][shape]") {
  using meshctl::manifest::is_structural_rule;
  CHECK(is_structural_rule("MESH-SCHEMA-TYPE"));
  CHECK(is_structural_rule("MESH-YAML-SYNTAX"));
  CHECK_FALSE(is_structural_rule("MESH-PII-CLASS"));
  CHECK_FALSE(is_structural_rule("ACME-COST-CENTER"));
}

TEST_CASE("the JSON Schema describes the same structure", "[manifest][shape]") {
  const auto schema = meshctl::manifest::manifest_json_schema();
  CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema["type"] == "object");
  // spec is required of a DataProduct (else), terms of a Glossary (then).
  CHECK(schema["required"] == nlohmann::json({"apiVersion", "kind", "metadata"}));
  CHECK(schema["else"]["required"] == nlohmann::json({"spec"}));
  CHECK(schema["additionalProperties"] == false);
  CHECK(schema["properties"]["apiVersion"]["const"] == "meshctl/v1");
  CHECK(schema["properties"]["kind"]["enum"][0] == "DataProduct");
  const auto& metadata = schema["properties"]["metadata"];
  CHECK(metadata["required"] == nlohmann::json({"name", "domain", "version"}));
  CHECK(metadata["properties"]["labels"]["additionalProperties"]["type"] == "string");
  // Fields nest: the field definition refers to itself.
  const auto& field = schema["$defs"]["field"];
  CHECK(field["properties"]["fields"]["items"]["$ref"] == "#/$defs/field");
  CHECK(field["properties"]["pii"]["type"] == "boolean");
}
