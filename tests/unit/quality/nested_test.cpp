// meshctl test on nested fields (objects, arrays of scalars, arrays of objects): the same planted violations
// found in JSON Lines, in CSV (JSON text in a column) and in SQLite (JSON text in a TEXT column).
#include <catch2/catch.hpp>

#include "meshctl/quality/test.h"
#include "quality/quality_fixtures.h"
#include "registry/raw_sqlite.h"
#include "registry/temporary_folder.h"

using namespace meshctl;
using namespace meshctl::quality;
using namespace meshctl::quality::testing;
using meshctl::registry::testing::execute_raw_sql;
using meshctl::registry::testing::TemporaryFolder;

namespace {

constexpr const char* kNestedManifest = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata: { name: customers, domain: sales, version: 1.0.0 }
spec:
  outputPorts:
    - name: customers-table
      type: table
      schema:
        fields:
          - { name: customer_id, type: string, required: true }
          - name: billing_address
            type: object
            fields:
              - { name: street, type: string, pii: true }
              - { name: country_code, type: string, required: true, enum: [DE, FR, NL] }
              - { name: region, type: string }
          - { name: segments, type: array, items: string }
          - name: lines
            type: array
            fields:
              - { name: sku, type: string, required: true }
              - { name: quantity, type: integer }
      quality:
        - { rule: pattern, field: billing_address.country_code, pattern: "^[A-Z]{2}$" }
        - { rule: range, field: lines.quantity, min: 1 }
        - { rule: unique, field: billing_address.street }
        - { rule: unique, field: "lines[].sku" }
)";

// Row 2: country_code missing (required), segments [1] (segments[] type), an element without sku
// (lines[].sku required), quantity 0 (range), the street of row 1 again (unique). Row 3: a null parent,
// nothing nested to check. Row 4: country_code "de" (enum, pattern), quantity "x" (lines[].quantity type).
const std::vector<std::string> kRows = {
    R"({"customer_id":"c-1","billing_address":{"street":"Main 1","country_code":"DE"},"segments":["a"],"lines":[{"sku":"s1","quantity":1}]})",
    R"({"customer_id":"c-2","billing_address":{"street":"Main 1"},"segments":[1],"lines":[{"sku":"s2","quantity":0},{"quantity":2}]})",
    R"({"customer_id":"c-3","billing_address":null,"segments":null,"lines":null})",
    R"({"customer_id":"c-4","billing_address":{"street":"Side 2","country_code":"de"},"segments":["b","c"],"lines":[{"sku":"s3","quantity":"x"}]})",
};

const char* const kColumns[] = {"customer_id", "billing_address", "segments", "lines"};

// A cell as CSV writes it: strings as text, null as an empty field, objects and arrays as JSON text.
std::string csv_cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  const auto text = value.is_string() ? value.get<std::string>() : value.dump();
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string sql_cell(const nlohmann::json& value) {
  if (value.is_null()) return "NULL";
  const auto text = value.is_string() ? value.get<std::string>() : value.dump();
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

TestOptions nested_options(const std::string& source) {
  TestOptions options;
  auto parsed = parse_source(source);
  REQUIRE(parsed.ok());
  options.sources.emplace("customers-table", *parsed);
  return options;
}

void check_nested(const TestRun& run) {
  const auto checks = by_id(run);
  const std::map<std::string, std::pair<CheckStatus, std::optional<std::int64_t>>> expected = {
      {"customers-table/billing_address/type", {CheckStatus::passed, 0}},
      {"customers-table/billing_address.street/exists", {CheckStatus::passed, std::nullopt}},
      {"customers-table/billing_address.street/type", {CheckStatus::passed, 0}},
      {"customers-table/billing_address.country_code/exists", {CheckStatus::passed, std::nullopt}},
      {"customers-table/billing_address.country_code/type", {CheckStatus::passed, 0}},
      {"customers-table/billing_address.country_code/required", {CheckStatus::failed, 1}},
      {"customers-table/billing_address.country_code/enum", {CheckStatus::failed, 1}},
      {"customers-table/billing_address.region/exists", {CheckStatus::failed, std::nullopt}},
      {"customers-table/billing_address.region/type", {CheckStatus::skipped, std::nullopt}},
      {"customers-table/segments/type", {CheckStatus::passed, 0}},
      {"customers-table/segments[]/type", {CheckStatus::failed, 1}},
      {"customers-table/lines[].sku/exists", {CheckStatus::passed, std::nullopt}},
      {"customers-table/lines[].sku/required", {CheckStatus::failed, 1}},
      {"customers-table/lines[].quantity/type", {CheckStatus::failed, 1}},
      {"customers-table/quality[0]/pattern", {CheckStatus::failed, 1}},
      {"customers-table/quality[1]/range", {CheckStatus::failed, 1}},
      {"customers-table/quality[2]/unique", {CheckStatus::failed, 1}},
      {"customers-table/quality[3]/unique", {CheckStatus::skipped, std::nullopt}},
  };
  for (const auto& [id, want] : expected) {
    INFO(id);
    REQUIRE(checks.contains(id));
    INFO(checks.at(id).message);
    CHECK(checks.at(id).status == want.first);
    if (want.second) {
      CHECK(checks.at(id).failed_rows == want.second);
      CHECK(checks.at(id).total_rows == 4);
    }
  }
  CHECK(checks.at("customers-table/quality[0]/pattern").field == "billing_address.country_code");
  CHECK(checks.at("customers-table/quality[1]/range").field == "lines[].quantity");
  CHECK(checks.at("customers-table/billing_address.region/type").message.find("no record has 'billing_address.region'") !=
        std::string::npos);
  CHECK(checks.at("customers-table/segments[]/type").message == "1 of 4 rows: values of 'segments[]' that are not string");
  // Samples are whole records, the nested PII field masked inside its object.
  const auto& required = checks.at("customers-table/billing_address.country_code/required");
  REQUIRE(required.samples.size() == 1);
  CHECK(required.samples[0]["customer_id"] == "c-2");
  CHECK(required.samples[0]["billing_address"]["street"] == "***");
  const auto& pattern = checks.at("customers-table/quality[0]/pattern");
  REQUIRE(pattern.samples.size() == 1);
  CHECK(pattern.samples[0]["billing_address"]["country_code"] == "de");
  CHECK(pattern.samples[0]["billing_address"]["street"] == "***");
  for (const auto& check : run.checks) {
    for (const auto& sample : check.samples) CHECK(sample.dump().find("Main 1") == std::string::npos);
  }
}

}  // namespace

TEST_CASE("nested fields: JSON Lines", "[quality][nested]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "customers.jsonl";
  std::string text;
  for (const auto& row : kRows) text += row + "\n";
  write_text(path, text);
  auto run = run_tests(test_manifest(kNestedManifest), nested_options("jsonl:" + path.string()));
  REQUIRE(run.ok());
  check_nested(*run);
}

TEST_CASE("nested fields: CSV columns holding JSON text", "[quality][nested]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "customers.csv";
  std::string text = "customer_id,billing_address,segments,lines\n";
  for (const auto& row : kRows) {
    const auto object = nlohmann::json::parse(row);
    std::string line;
    for (const char* column : kColumns) {
      if (!line.empty()) line += ',';
      line += csv_cell(object.at(column));
    }
    text += line + "\n";
  }
  write_text(path, text);
  auto run = run_tests(test_manifest(kNestedManifest), nested_options("csv:" + path.string()));
  REQUIRE(run.ok());
  check_nested(*run);
}

TEST_CASE("nested fields: SQLite TEXT columns holding JSON, in the one scan", "[quality][nested]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "warehouse.db";
  std::string sql = "CREATE TABLE customers (customer_id TEXT, billing_address TEXT, segments TEXT, lines TEXT);";
  for (const auto& row : kRows) {
    const auto object = nlohmann::json::parse(row);
    std::string values;
    for (const char* column : kColumns) {
      if (!values.empty()) values += ',';
      values += sql_cell(object.at(column));
    }
    sql += "INSERT INTO customers VALUES (" + values + ");";
  }
  execute_raw_sql(path, sql);
  auto run = run_tests(test_manifest(kNestedManifest), nested_options("sqlite:" + path.string() + "#customers"));
  REQUIRE(run.ok());
  check_nested(*run);
  REQUIRE(run->ports.size() == 1);
  CHECK(run->ports[0].scan.find("meshctl_nested(") != std::string::npos);
  const auto checks = by_id(*run);
  CHECK(checks.at("customers-table/segments[]/type").sample_query.find("meshctl_nested(") != std::string::npos);
}
