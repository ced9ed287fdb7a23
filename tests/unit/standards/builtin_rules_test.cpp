#include <algorithm>
#include <set>

#include "standards/test_support.h"

using namespace meshctl;
using meshctl::test::check_with;
using meshctl::test::kCleanManifest;
using meshctl::test::replaced;
using meshctl::test::rules_of;

TEST_CASE("the built-in standard has at least 20 documented rules with unique ids", "[standards]") {
  const auto& rules = standards::builtin_rules();
  CHECK(rules.size() >= 20);
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    INFO(rule.id);
    CHECK(rule.id.starts_with("MESH-"));
    CHECK(ids.insert(rule.id).second);
    CHECK_FALSE(rule.summary.empty());
    CHECK_FALSE(rule.rationale.empty());
    CHECK_FALSE(rule.example_violation.empty());
    CHECK_FALSE(rule.example_fix.empty());
    CHECK(rule.params.is_object());
    CHECK(standards::find_builtin_rule(rule.id) == &rule);
  }
  CHECK(standards::find_builtin_rule("MESH-NOPE") == nullptr);
}

TEST_CASE("the clean manifest passes the structure and every built-in rule", "[standards]") {
  CHECK(check_with(standards::Standards::builtin(), kCleanManifest, true).empty());
}

namespace {

struct RuleCase {
  const char* rule;
  const char* from;  // text in kCleanManifest
  const char* to;    // what breaks the rule
  std::uint32_t line;
  std::uint32_t column;
  const char* path;
};

// One failing edit per rule case; each must give exactly that one finding.
const RuleCase kFailing[] = {
    {"MESH-NAME-FORMAT", "name: orders\n", "name: Orders\n", 4, 9, "metadata.name"},
    {"MESH-NAME-FORMAT", "name: orders\n", "name: orders-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
     4, 9, "metadata.name"},
    {"MESH-DOMAIN-FORMAT", "domain: sales", "domain: Sales_Team", 5, 11, "metadata.domain"},
    {"MESH-VERSION-SEMVER", "version: 1.2.0", "version: v1.2", 6, 12, "metadata.version"},
    {"MESH-VERSION-SEMVER", "version: 1.2.0", "version: \"1.02.0\"", 6, 12, "metadata.version"},
    {"MESH-TITLE", "  title: Confirmed orders\n", "", 3, 1, "metadata.title"},
    {"MESH-DESCRIPTION", "  description: One row per confirmed order line, updated hourly from the shop.\n", "", 3, 1,
     "metadata.description"},
    {"MESH-DESCRIPTION", "description: One row per confirmed order line, updated hourly from the shop.",
     "description: \"  \"", 8, 16, "metadata.description"},
    {"MESH-DESCRIPTION", "description: One row per confirmed order line, updated hourly from the shop.",
     "description: Confirmed orders.", 8, 16, "metadata.description"},
    {"MESH-DESCRIPTION", "description: One row per confirmed order line, updated hourly from the shop.",
     "description: Order lines", 8, 16, "metadata.description"},
    {"MESH-OWNER-TEAM", "owner: { team: sales-data, ", "owner: { ", 9, 3, "metadata.owner.team"},
    {"MESH-OWNER-TEAM", "team: sales-data", "team: Sales Data", 9, 18, "metadata.owner.team"},
    {"MESH-OWNER-EMAIL", ", email: sales-data@example.com }", " }", 9, 3, "metadata.owner.email"},
    {"MESH-OWNER-EMAIL", "email: sales-data@example.com", "email: sales-data@example", 9, 37, "metadata.owner.email"},
    {"MESH-OWNER-EMAIL", "email: sales-data@example.com", "email: \"sales data@example.com\"", 9, 37,
     "metadata.owner.email"},
    {"MESH-TAGS", "tags: [orders, revenue]", "tags: [orders, Revenue]", 10, 18, "metadata.tags[1]"},
    {"MESH-TAGS", "tags: [orders, revenue]", "tags: [orders, orders]", 10, 18, "metadata.tags[1]"},
    {"MESH-LABELS", "tier: gold", "Tier: gold", 11, 13, "metadata.labels.Tier"},
    {"MESH-LABELS", "tier: gold", "tier: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 11, 19,
     "metadata.labels.tier"},
    {"MESH-COMPATIBILITY", "compatibility: forward", "compatibility: strict", 13, 18, "spec.compatibility"},
    {"MESH-PORT-NAME-FORMAT", "name: order-events", "name: OrderEvents", 15, 13, "spec.inputPorts[0].name"},
    {"MESH-PORT-NAMES-UNIQUE", "name: order-events", "name: orders-table", 19, 13, "spec.outputPorts[0].name"},
    {"MESH-PORT-TYPE", "type: table", "type: bucket", 20, 13, "spec.outputPorts[0].type"},
    {"MESH-PORT-TYPE", "      type: table\n", "", 19, 7, "spec.outputPorts[0].type"},
    {"MESH-PORT-FORMAT", "format: parquet", "format: xml", 21, 15, "spec.outputPorts[0].format"},
    {"MESH-PORT-LOCATION", "location: s3://sales/orders/", "location: /data/orders", 22, 17,
     "spec.outputPorts[0].location"},
    {"MESH-PORT-LOCATION", "location: s3://sales/orders/", "location: \"s3://sales/my orders\"", 22, 17,
     "spec.outputPorts[0].location"},
    {"MESH-FIELD-NAME", "name: customer_email", "name: CustomerEmail", 26, 21,
     "spec.outputPorts[0].schema.fields[1].name"},
    {"MESH-FIELD-NAMES-UNIQUE", "name: customer_email", "name: order_id", 26, 21,
     "spec.outputPorts[0].schema.fields[1].name"},
    {"MESH-FIELD-TYPE", "{ name: order_id, type: string,", "{ name: order_id, type: money,", 25, 37,
     "spec.outputPorts[0].schema.fields[0].type"},
    {"MESH-FIELD-TYPE", "type: object", "type: string", 30, 13, "spec.outputPorts[0].schema.fields[2].fields"},
    {"MESH-FIELD-TYPE", "{ name: city, type: string,", "{ name: city,", 31, 17,
     "spec.outputPorts[0].schema.fields[2].fields[0].type"},
    {"MESH-FIELD-DESCRIPTION", "description: Order key", "description: \"\"", 25, 88,
     "spec.outputPorts[0].schema.fields[0].description"},
    {"MESH-FIELD-DESCRIPTION", ", description: City }", " }", 31, 17,
     "spec.outputPorts[0].schema.fields[2].fields[0].description"},
    {"MESH-FIELD-CLASSIFICATION", "classification: internal", "classification: secret", 25, 115,
     "spec.outputPorts[0].schema.fields[0].classification"},
    {"MESH-PII-CLASS", "classification: confidential", "classification: internal", 26, 95,
     "spec.outputPorts[0].schema.fields[1]"},
    {"MESH-PII-CLASS", "classification: confidential, pii", "pii", 26, 13, "spec.outputPorts[0].schema.fields[1]"},
    {"MESH-SLO", "      slo: { freshness: 1h, availability: \"99.9%\" }\n", "", 19, 7, "spec.outputPorts[0].slo"},
    {"MESH-SLO-FRESHNESS", "freshness: 1h", "freshness: 1 hour", 32, 25, "spec.outputPorts[0].slo.freshness"},
    {"MESH-SLO-FRESHNESS", "freshness: 1h, ", "", 32, 7, "spec.outputPorts[0].slo.freshness"},
    {"MESH-SLO-AVAILABILITY", "\"99.9%\"", "\"100.1%\"", 32, 43, "spec.outputPorts[0].slo.availability"},
    {"MESH-SLO-AVAILABILITY", "\"99.9%\"", "high", 32, 43, "spec.outputPorts[0].slo.availability"},
    {"MESH-INPUT-PRODUCT", "product: sales/order-events", "product: order-events", 16, 16,
     "spec.inputPorts[0].product"},
    {"MESH-INPUT-PRODUCT", "      product: sales/order-events\n", "", 15, 7, "spec.inputPorts[0].product"},
    {"MESH-INPUT-VERSION", "version: \"^2\"", "version: latest", 17, 16, "spec.inputPorts[0].version"},
    {"MESH-INPUT-VERSION", "      version: \"^2\"\n", "", 15, 7, "spec.inputPorts[0].version"},
    {"MESH-INPUT-SELF", "product: sales/order-events", "product: sales/orders", 16, 16, "spec.inputPorts[0].product"},
    {"MESH-QUALITY-RULE", "{ rule: not_null, field: order_id }", "{ rule: not_null }", 34, 11,
     "spec.outputPorts[0].quality[0]"},
    {"MESH-QUALITY-RULE", "{ rule: not_null,", "{ rule: completeness,", 34, 19, "spec.outputPorts[0].quality[0].rule"},
    {"MESH-QUALITY-RULE", "{ rule: not_null, field: order_id }", "{ field: order_id }", 34, 11,
     "spec.outputPorts[0].quality[0]"},
    {"MESH-QUALITY-RULE", "{ rule: row_count, min: 1 }", "{ rule: row_count }", 35, 11,
     "spec.outputPorts[0].quality[1]"},
    {"MESH-QUALITY-RULE", "{ rule: row_count, min: 1 }", "{ rule: pattern, field: order_id }", 35, 11,
     "spec.outputPorts[0].quality[1]"},
    {"MESH-QUALITY-RULE", "{ rule: row_count, min: 1 }", "{ rule: pattern, field: order_id, pattern: \"\" }", 35, 54,
     "spec.outputPorts[0].quality[1].pattern"},
    {"MESH-QUALITY-RULE", "values: [Berlin]", "values: []", 36, 65, "spec.outputPorts[0].quality[2].values"},
    {"MESH-QUALITY-FIELD", "field: order_id }", "field: orderid }", 34, 36, "spec.outputPorts[0].quality[0].field"},
};

}  // namespace

TEST_CASE("every built-in rule reports its violation once, positioned, and only that", "[standards]") {
  std::set<std::string> covered;
  for (const auto& c : kFailing) {
    const auto text = replaced(kCleanManifest, c.from, c.to);
    INFO(c.rule << ": " << c.from << " -> " << c.to);
    const auto found = check_with(standards::Standards::builtin(), text, true);
    REQUIRE(rules_of(found) == c.rule);
    CHECK(found[0].position.line == c.line);
    CHECK(found[0].position.column == c.column);
    CHECK(found[0].path == c.path);
    CHECK(found[0].file == "test.yaml");
    CHECK(found[0].severity == standards::find_builtin_rule(c.rule)->severity);
    covered.insert(c.rule);
  }
  // MESH-OUTPUT-PORTS and MESH-PORT-SCHEMA have cases below; MESH-DUPLICATE is checked by the registry, never on
  // a document alone (tests/unit/registry/similar_test.cpp); every other rule is in the table.
  CHECK(covered.count("MESH-DUPLICATE") == 0);
  CHECK(standards::find_builtin_rule("MESH-DUPLICATE") != nullptr);
  CHECK(covered.size() + 3 == standards::builtin_rules().size());
}

TEST_CASE("the design's PII example message", "[standards]") {
  const auto text = replaced(kCleanManifest, "classification: confidential", "classification: internal");
  const auto found = check_with(standards::Standards::builtin(), text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].message.starts_with("field 'customer_email' is PII but classified 'internal'"));
}

TEST_CASE("output ports and schemas must exist and not be empty", "[standards]") {
  const auto builtin = standards::Standards::builtin();
  auto no_ports = check_with(builtin, "apiVersion: meshctl/v1\nkind: DataProduct\nspec:\n  inputPorts: []\n");
  CHECK(rules_of(no_ports).find("MESH-OUTPUT-PORTS") != std::string::npos);
  const auto empty_ports = check_with(builtin, "spec:\n  outputPorts: []\n");
  REQUIRE(rules_of(empty_ports) == "MESH-OUTPUT-PORTS");
  CHECK(empty_ports[0].position.line == 2);
  const auto no_schema = check_with(builtin,
                                    "spec:\n  outputPorts:\n    - { name: a, type: table, format: csv, location: "
                                    "'s3://x', slo: { freshness: 1h, availability: '99%' } }\n");
  REQUIRE(rules_of(no_schema) == "MESH-PORT-SCHEMA");
  CHECK(no_schema[0].path == "spec.outputPorts[0].schema");
  // An empty schema is one finding, not also one per quality rule naming a field.
  const auto empty = check_with(builtin, R"(spec:
  outputPorts:
    - name: a
      type: table
      format: csv
      location: s3://x
      schema: { fields: [] }
      slo: { freshness: 1h, availability: "99%" }
      quality: [{ rule: unique, field: id }]
)");
  CHECK(rules_of(empty) == "MESH-PORT-SCHEMA");
}

TEST_CASE("values of the wrong type are left to the structural check", "[standards]") {
  const auto text = replaced(replaced(replaced(kCleanManifest, "version: 1.2.0", "version: 1.2"),
                                      "tags: [orders, revenue]", "tags: [orders, 3]"),
                             "\"99.9%\"", "99.9");
  const auto found = check_with(standards::Standards::builtin(), text, true);
  CHECK(rules_of(found) == "MESH-SCHEMA-TYPE MESH-SCHEMA-TYPE MESH-SCHEMA-TYPE");
}

TEST_CASE("boundary values pass", "[standards]") {
  const auto builtin = standards::Standards::builtin();
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"99.9%\"", "\"100%\""},
           {"\"99.9%\"", "\"0%\""},
           {"\"99.9%\"", "\"99.995%\""},
           {"freshness: 1h", "freshness: 30s"},
           {"version: \"^2\"", "version: \">=3.1.0\""},
           {"version: \"^2\"", "version: \"2.0.1\""},
           {"version: 1.2.0", "version: 2.0.0-rc.1+build.5"},
           {"email: sales-data@example.com", "email: a.b+c%d@mail.example.co"},
           {"compatibility: forward", "compatibility: full_transitive"},
           {"name: orders\n", "name: a23456789012345678901234567890123456789012345678901234567890123\n"},
       }) {
    INFO(to);
    CHECK(check_with(builtin, replaced(kCleanManifest, from, to), true).empty());
  }
}

TEST_CASE("a document of another kind gets no standards findings", "[standards]") {
  CHECK(check_with(standards::Standards::builtin(), "kind: Standards\nmetadata: {}\n").empty());
  CHECK(check_with(standards::Standards::builtin(), "- a\n- b\n").empty());
}

TEST_CASE("sql quality rules need one SELECT and a bound", "[standards]") {
  const auto builtin = standards::Standards::builtin();
  const std::string rule = "        - { rule: row_count, min: 1 }\n";
  auto with = [&](const std::string& sql_rule) {
    return check_with(builtin, replaced(kCleanManifest, rule, rule + "        - " + sql_rule + "\n"), true);
  };
  CHECK(with("{ rule: sql, query: \"SELECT COUNT(*) FROM orders_table WHERE amount < 0\", mustBe: 0 }").empty());
  CHECK(with("{ rule: sql, query: \"WITH x AS (SELECT 1) SELECT * FROM x\", mustBeLessThan: 2, "
             "mustBeGreaterThan: 0 }")
            .empty());
  const auto deleting = with("{ rule: sql, query: \"DELETE FROM orders_table\", mustBe: 0 }");
  REQUIRE(rules_of(deleting) == "MESH-QUALITY-RULE");
  CHECK(deleting[0].path == "spec.outputPorts[0].quality[2].query");
  CHECK(deleting[0].message.find("DELETE") != std::string::npos);
  const auto two = with("{ rule: sql, query: \"SELECT 1; SELECT 2\", mustBe: 1 }");
  REQUIRE(rules_of(two) == "MESH-QUALITY-RULE");
  const auto unbounded = with("{ rule: sql, query: \"SELECT 1\" }");
  REQUIRE(rules_of(unbounded) == "MESH-QUALITY-RULE");
  CHECK(unbounded[0].message.find("mustBe") != std::string::npos);
  REQUIRE(rules_of(with("{ rule: sql, mustBe: 0 }")) == "MESH-QUALITY-RULE");
}
