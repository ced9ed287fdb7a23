#include "meshctl/manifest/model.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/loader.h"

namespace {

using meshctl::manifest::DataProduct;
using meshctl::manifest::Number;
using meshctl::manifest::Scalar;
namespace manifest = meshctl::manifest;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses one YAML document that must be structurally valid, and decodes it.
DataProduct decode_text(const std::string& text) {
  auto file = meshctl::yaml::parse_yaml(text, "test.yaml");
  REQUIRE(file.diagnostics.empty());
  REQUIRE(file.documents.size() == 1);
  std::vector<meshctl::Diagnostic> shape_findings;
  manifest::check_shape(file.documents[0].root, "test.yaml", shape_findings);
  for (const auto& finding : shape_findings) CHECK(finding.severity != meshctl::Severity::error);
  return manifest::decode(file.documents[0].root);
}

void require_round_trip(const DataProduct& product) {
  const std::string first = manifest::canonical_text(product);
  auto back = manifest::from_json(nlohmann::json::parse(first));
  REQUIRE(back.ok());
  CHECK(manifest::canonical_text(*back) == first);
}

constexpr const char* kNested = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: shipments
  domain: logistics
  version: 2.0.0-rc.1
  labels: { zone: eu, tier: silver }
spec:
  outputPorts:
    - name: events
      type: topic
      schema:
        fields:
          - name: address
            type: object
            required: false
            fields:
              - { name: city, type: string, pii: false }
              - name: lines
                type: array
                items: string
          - name: status
            type: string
            enum: [open, 3, 2.5, true, "4", .inf]
      quality:
        - { rule: range, field: status, min: -3, max: 0.25 }
        - { rule: row_count, min: 0x10, max: 1e3 }
        - { rule: accepted_values, field: status, values: [open, 1, false] }
)";

}  // namespace

TEST_CASE("decode reads every key of the DESIGN.md example", "[manifest][model]") {
  const DataProduct product =
      decode_text(read_text(MESHCTL_SOURCE_DIR "/tests/unit/manifest/fixtures/design-example.yaml"));
  CHECK(product.id() == "sales/orders");
  const auto& m = product.metadata;
  CHECK(m.version == "1.2.0");
  CHECK(m.title == "Confirmed orders");
  CHECK(m.description == "One row per confirmed order line, updated hourly from the shop.");
  REQUIRE(m.owner);
  CHECK(m.owner->team == "sales-data");
  CHECK(m.owner->email == "sales-data@example.com");
  CHECK(m.tags == std::vector<std::string>{"orders", "revenue"});
  CHECK(m.labels == std::map<std::string, std::string>{{"tier", "gold"}});

  CHECK(product.spec.compatibility == "forward");
  REQUIRE(product.spec.input_ports.size() == 1);
  CHECK(product.spec.input_ports[0].name == "order-events");
  CHECK(product.spec.input_ports[0].product == "sales/order-events");
  CHECK(product.spec.input_ports[0].version == "^2");

  REQUIRE(product.spec.output_ports.size() == 1);
  const auto& port = product.spec.output_ports[0];
  CHECK(port.type == "table");
  CHECK(port.format == "parquet");
  CHECK(port.location == "s3://sales/orders/");
  REQUIRE(port.schema);
  REQUIRE(port.schema->fields.size() == 3);
  const auto& order_id = port.schema->fields[0];
  CHECK(order_id.required == true);
  CHECK(order_id.unique == true);
  CHECK(order_id.classification == "internal");
  CHECK_FALSE(order_id.pii);
  const auto& email = port.schema->fields[1];
  CHECK(email.pii == true);
  CHECK(email.term == "customer-email");
  REQUIRE(port.slo);
  CHECK(port.slo->freshness == "1h");
  CHECK(port.slo->availability == "99.9%");
  REQUIRE(port.quality.size() == 2);
  CHECK(port.quality[0].rule == "not_null");
  CHECK(port.quality[0].field == "order_id");
  CHECK(port.quality[1].min == Number{std::int64_t{1}});
  CHECK_FALSE(port.quality[1].max);
}

TEST_CASE("canonical JSON survives to_json -> from_json -> to_json byte for byte", "[manifest][model]") {
  SECTION("the DESIGN.md example") {
    require_round_trip(decode_text(read_text(MESHCTL_SOURCE_DIR "/tests/unit/manifest/fixtures/design-example.yaml")));
  }
  SECTION("nested fields, enums and numbers") {
    require_round_trip(decode_text(kNested));
  }
  SECTION("every structurally valid example under examples/") {
    int checked = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(MESHCTL_SOURCE_DIR "/examples")) {
      const auto& path = entry.path();
      if (path.extension() != ".yaml" && path.extension() != ".yml") continue;
      auto file = meshctl::yaml::parse_yaml(read_text(path), path.string());
      for (const auto& document : file.documents) {
        const auto* kind = document.root.find("kind");
        if (kind == nullptr || kind->text != manifest::kDataProductKind) continue;  // standards files
        std::vector<meshctl::Diagnostic> findings;
        manifest::check_shape(document.root, path.string(), findings);
        if (std::any_of(findings.begin(), findings.end(),
                        [](const auto& d) { return d.severity == meshctl::Severity::error; })) {
          continue;
        }
        INFO(path.string());
        require_round_trip(manifest::decode(document.root));
        ++checked;
      }
    }
    CHECK(checked >= 1);
  }
}

TEST_CASE("canonical JSON: sorted keys, typed values, absent optionals omitted", "[manifest][model]") {
  const DataProduct product = decode_text(kNested);
  const std::string text = manifest::canonical_text(product);
  CHECK(text.starts_with(R"({"apiVersion":"meshctl/v1","kind":"DataProduct","metadata":{"domain":"logistics",)"));
  CHECK(text.find(R"("labels":{"tier":"silver","zone":"eu"})") != std::string::npos);
  CHECK(text.find(R"("enum":["open",3,2.5,true,"4",".inf"])") != std::string::npos);
  CHECK(text.find(R"("max":0.25,"min":-3)") != std::string::npos);
  CHECK(text.find(R"("max":1000.0,"min":16)") != std::string::npos);
  CHECK(text.find(R"("values":["open",1,false])") != std::string::npos);
  CHECK(text.find("title") == std::string::npos);
  CHECK(text.find("compatibility") == std::string::npos);

  const auto& fields = product.spec.output_ports[0].schema->fields;
  REQUIRE(fields[0].fields.size() == 2);
  CHECK(fields[0].required == false);
  CHECK(fields[0].fields[0].pii == false);
  CHECK(fields[0].fields[1].items == "string");
  CHECK(fields[1].enum_values ==
        std::vector<Scalar>{std::string("open"), std::int64_t{3}, 2.5, true, std::string("4"), std::string(".inf")});
  CHECK(product.effective_compatibility() == "forward");
}

TEST_CASE("from_json of a hand-written canonical document gives it back unchanged", "[manifest][model]") {
  const std::string canonical =
      R"({"apiVersion":"meshctl/v1","kind":"DataProduct","metadata":{"description":"Daily balances.",)"
      R"("domain":"finance","labels":{"cost-center":"fin-001"},"name":"balances","owner":{"email":"fin@example.com",)"
      R"("team":"finance-data"},"tags":["ledger"],"title":"Balances","version":"3.1.0"},"spec":{"compatibility":)"
      R"("backward_transitive","inputPorts":[{"name":"ledger","product":"finance/ledger","version":">=3.1.0"}],)"
      R"("outputPorts":[{"format":"delta","location":"s3://fin/balances/","name":"balances","quality":[{"max":)"
      R"(100.5,"min":0,"rule":"range","field":"amount"}],"schema":{"fields":[{"classification":"restricted",)"
      R"("description":"Account","fields":[{"name":"iban","pii":true,"type":"string"}],"name":"account",)"
      R"("required":true,"type":"object"}]},"slo":{"availability":"99.5%","freshness":"1d"},"type":"table"}]}})";
  auto product = manifest::from_json(nlohmann::json::parse(canonical));
  REQUIRE(product.ok());
  CHECK(product->id() == "finance/balances");
  CHECK(product->spec.output_ports[0].quality[0].max == Number{100.5});
  CHECK(product->spec.output_ports[0].quality[0].min == Number{std::int64_t{0}});
  // Same content, keys sorted: `field` precedes `max` in canonical order.
  std::string expected = canonical;
  const std::string unsorted = R"("max":100.5,"min":0,"rule":"range","field":"amount")";
  expected.replace(expected.find(unsorted), unsorted.size(), R"("field":"amount","max":100.5,"min":0,"rule":"range")");
  CHECK(manifest::canonical_text(*product) == expected);
}

TEST_CASE("from_json refuses what is not a canonical DataProduct, naming the place", "[manifest][model]") {
  const auto valid = manifest::to_json(decode_text(kNested));
  auto refused = [](const nlohmann::json& document) {
    auto result = manifest::from_json(document);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == meshctl::ErrorKind::invalid);
    return result.error().message;
  };
  CHECK_THAT(refused(nlohmann::json::array()), Catch::Contains("expected an object, found an array"));

  auto wrong_kind = valid;
  wrong_kind["kind"] = "Standards";
  CHECK_THAT(refused(wrong_kind), Catch::Contains("kind: expected 'DataProduct', found 'Standards'"));

  auto missing_name = valid;
  missing_name["metadata"].erase("name");
  CHECK_THAT(refused(missing_name), Catch::Contains("metadata: 'name' is missing"));

  auto string_bool = valid;
  string_bool["spec"]["outputPorts"][0]["schema"]["fields"][0]["fields"][0]["pii"] = "yes";
  CHECK_THAT(refused(string_bool),
             Catch::Contains("spec.outputPorts[0].schema.fields[0].fields[0].pii: expected a boolean, found a string"));

  auto unknown = valid;
  unknown["spec"]["outputPorts"][0]["quality"][0]["minimum"] = 1;
  CHECK_THAT(refused(unknown), Catch::Contains("spec.outputPorts[0].quality[0]: unknown key 'minimum'"));

  auto bad_enum = valid;
  bad_enum["spec"]["outputPorts"][0]["schema"]["fields"][1]["enum"][0] = nlohmann::json::object();
  CHECK_THAT(refused(bad_enum), Catch::Contains("fields[1].enum[0]: expected a string, number or boolean"));

  auto string_min = valid;
  string_min["spec"]["outputPorts"][0]["quality"][0]["min"] = "1";
  CHECK_THAT(refused(string_min), Catch::Contains("quality[0].min: expected a number, found a string"));
}

TEST_CASE("decode ignores unknown keys and values of the wrong type", "[manifest][model]") {
  auto file = meshctl::yaml::parse_yaml(R"(apiVersion: meshctl/v1
kind: DataProduct
extra: 1
metadata: { name: a, domain: sales, version: 1.2, colour: red, tags: [ok, 3] }
spec: { outputPorts: [ { name: p, slo: { freshness: 15 } } ] }
)",
                                        "x.yaml");
  REQUIRE(file.documents.size() == 1);
  const DataProduct product = manifest::decode(file.documents[0].root);
  CHECK(product.metadata.version.empty());
  CHECK(product.metadata.tags == std::vector<std::string>{"ok"});
  REQUIRE(product.spec.output_ports[0].slo);
  CHECK_FALSE(product.spec.output_ports[0].slo->freshness);
  require_round_trip(product);
}

namespace {

// A canonical manifest whose one port nests `levels` fields, each inside the one before.
nlohmann::json nested_fields_manifest(std::size_t levels) {
  nlohmann::json field = {{"name", "leaf"}, {"type", "string"}};
  for (std::size_t level = 1; level < levels; ++level) {
    nlohmann::json outer = {{"name", "f"}, {"type", "object"}, {"fields", nlohmann::json::array()}};
    outer["fields"].push_back(std::move(field));
    field = std::move(outer);
  }
  nlohmann::json port = {{"name", "p"}, {"type", "table"}, {"schema", {{"fields", nlohmann::json::array()}}}};
  port["schema"]["fields"].push_back(std::move(field));
  nlohmann::json document = {{"apiVersion", "meshctl/v1"},
                             {"kind", "DataProduct"},
                             {"metadata", {{"name", "deep"}, {"domain", "sales"}, {"version", "1.0.0"}}},
                             {"spec", {{"outputPorts", nlohmann::json::array()}}}};
  document["spec"]["outputPorts"].push_back(std::move(port));
  return document;
}

bool loader_refuses_depth(const std::string& text) {
  for (const auto& finding : meshctl::yaml::parse_yaml(text, "deep.yaml").diagnostics) {
    if (finding.rule == "MESH-YAML-LIMIT") return true;
  }
  return false;
}

}  // namespace

TEST_CASE("from_json refuses deeper nesting than the YAML loader allows, before reading it", "[manifest][model]") {
  // 29 nested fields reach level 63 (document, spec, outputPorts, port, schema, then a list and an object per
  // field); 30 reach 65, past the loader's 64.
  const auto deepest = nested_fields_manifest(29);
  CHECK_FALSE(loader_refuses_depth(deepest.dump()));
  CHECK(manifest::from_json(deepest).ok());

  const auto too_deep = nested_fields_manifest(30);
  CHECK(loader_refuses_depth(too_deep.dump()));
  auto refused = manifest::from_json(too_deep);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == meshctl::ErrorKind::invalid);
  CHECK_THAT(refused.error().message, Catch::Contains("nests more than 64 levels"));

  // What a fuzz target found (and a reader's POST /v1/products did to the server): reading fields recursed once
  // per level and overflowed the stack at 20,000 levels.
  auto hostile = manifest::from_json(nested_fields_manifest(20'000));
  REQUIRE_FALSE(hostile.ok());
  CHECK_THAT(hostile.error().message, Catch::Contains("nests more than 64 levels"));
}

TEST_CASE("sql quality rules keep their query and bounds through canonical JSON", "[manifest][model]") {
  const auto product = decode_text(R"(apiVersion: meshctl/v1
kind: DataProduct
metadata: { name: orders, domain: sales, version: 1.0.0 }
spec:
  outputPorts:
    - name: orders-table
      quality:
        - { rule: sql, query: "SELECT COUNT(*) FROM orders_table", mustBe: 0, mustBeLessThan: 1.5, mustBeGreaterThan: -1 }
)");
  const auto& rule = product.spec.output_ports.at(0).quality.at(0);
  CHECK(rule.query == "SELECT COUNT(*) FROM orders_table");
  CHECK(rule.must_be == Number{std::int64_t{0}});
  CHECK(rule.must_be_less_than == Number{1.5});
  CHECK(rule.must_be_greater_than == Number{std::int64_t{-1}});
  require_round_trip(product);
  CHECK(manifest::canonical_text(product).find(R"("mustBe":0,"mustBeGreaterThan":-1,"mustBeLessThan":1.5)") !=
        std::string::npos);
}
