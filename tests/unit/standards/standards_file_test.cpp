#include <filesystem>
#include <fstream>
#include <sstream>

#include "standards/test_support.h"

using namespace meshctl;
using meshctl::test::check_with;
using meshctl::test::kCleanManifest;
using meshctl::test::parse_ok;
using meshctl::test::replaced;
using meshctl::test::rules_of;

namespace {

const standards::EffectiveRule& rule(const std::vector<standards::EffectiveRule>& rules, const std::string& id) {
  auto found = std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.id == id; });
  REQUIRE(found != rules.end());
  return *found;
}

std::string header(const char* extends = "default") {
  return std::string("apiVersion: meshctl/v1\nkind: Standards\nextends: ") + extends + "\n";
}

}  // namespace

TEST_CASE("extends default keeps every built-in rule; none starts empty", "[standards]") {
  const auto defaults = parse_ok(header());
  CHECK(defaults.extends() == "default");
  CHECK(defaults.source() == "standards.yaml");
  for (const auto& r : defaults.effective_rules(std::nullopt)) CHECK(r.enabled);
  const auto none = parse_ok(header("none") + "rules:\n  MESH-NAME-FORMAT: warning\n");
  for (const auto& r : none.effective_rules(std::nullopt)) CHECK(r.enabled == (r.id == "MESH-NAME-FORMAT"));
  const auto found = check_with(
      none, replaced(replaced(kCleanManifest, "name: orders\n", "name: Orders\n"), "version: 1.2.0", "version: v1"));
  REQUIRE(rules_of(found) == "MESH-NAME-FORMAT");
  CHECK(found[0].severity == Severity::warning);
  // Without `extends`, the default is extended.
  CHECK(parse_ok("apiVersion: meshctl/v1\nkind: Standards\n").extends() == "default");
}

TEST_CASE("rules turn built-in rules off, change their severity and their params", "[standards]") {
  const auto standards = parse_ok(header() + R"(rules:
  MESH-TITLE: off
  MESH-VERSION-SEMVER: warning
  MESH-DESCRIPTION: { severity: info, params: { minLength: 80 } }
  MESH-DOMAIN-FORMAT: { params: { allowed: [finance] } }
)");
  const auto rules = standards.effective_rules(std::nullopt);
  CHECK_FALSE(rule(rules, "MESH-TITLE").enabled);
  CHECK(rule(rules, "MESH-VERSION-SEMVER").severity == Severity::warning);
  CHECK(rule(rules, "MESH-DESCRIPTION").severity == Severity::info);
  CHECK(rule(rules, "MESH-DESCRIPTION").params["minLength"] == 80);
  CHECK(rule(rules, "MESH-DOMAIN-FORMAT").severity == Severity::error);
  const auto text =
      replaced(replaced(kCleanManifest, "  title: Confirmed orders\n", ""), "version: 1.2.0", "version: v1");
  const auto found = check_with(standards, text);
  CHECK(rules_of(found) == "MESH-DOMAIN-FORMAT MESH-VERSION-SEMVER MESH-DESCRIPTION");
  CHECK(found[0].message.find("'finance'") != std::string::npos);
  CHECK(found[1].severity == Severity::warning);
  CHECK(found[2].severity == Severity::info);
}

TEST_CASE("custom rules: the design's cost center example, reported where labels would be", "[standards]") {
  const auto standards = parse_ok(header() + R"(custom:
  - id: ACME-COST-CENTER
    severity: error
    message: every data product names the cost center that pays for it
    given: metadata.labels
    check: { field: cost-center, required: true }
)");
  auto found = check_with(standards, kCleanManifest);
  REQUIRE(rules_of(found) == "ACME-COST-CENTER");
  CHECK(found[0].position.line == 11);  // at `labels:`
  CHECK(found[0].position.column == 3);
  CHECK(found[0].path == "metadata.labels.cost-center");
  CHECK(found[0].message.starts_with("every data product names the cost center that pays for it"));
  found =
      check_with(standards, replaced(kCleanManifest, "  labels: { tier: gold, team.io/cost-center: cc-1234 }\n", ""));
  REQUIRE(rules_of(found) == "ACME-COST-CENTER");
  CHECK(found[0].position.line == 3);  // at `metadata:`
  CHECK(check_with(standards, replaced(kCleanManifest, "tier: gold", "cost-center: cc-1")).empty());
}

TEST_CASE("each custom check fails and passes", "[standards]") {
  struct Case {
    const char* given;
    const char* check;
    const char* fails_on;  // replacement in kCleanManifest that makes it fail ("" = fails as is)
    const char* fails_with;
  };
  const Case cases[] = {
      {"metadata.owner", "{ field: phone, required: true }", "", ""},
      {"metadata", "{ field: tags, forbidden: true }", "", ""},
      {"metadata.name", "{ pattern: \"^ord\" }", "name: orders\n", "name: sales\n"},
      {"metadata.domain", "{ enum: [sales, finance] }", "domain: sales", "domain: hr"},
      {"metadata.tags", "{ minLength: 2 }", "tags: [orders, revenue]", "tags: [orders]"},
      {"metadata.description", "{ maxLength: 70 }", "description: One row",
       "description: Quite a long text here. One row"},
      {"spec.outputPorts[*].schema.fields[*].name", "{ casing: camel }", "", ""},
      {"spec.inputPorts[*].name", "{ casing: pascal }", "", ""},
      {"metadata.labels[*]", "{ casing: upper-snake }", "", ""},
      {"metadata.tags[*]", "{ casing: kebab }", "[orders, revenue]", "[orders, re_venue]"},
      {"spec.outputPorts[0].schema.fields[2].fields[*].name", "{ casing: snake }", "name: city", "name: City"},
  };
  for (const auto& c : cases) {
    INFO(c.given << " " << c.check);
    const auto standards = parse_ok(header("none") + "custom:\n  - id: X-RULE\n    message: m\n    given: " + c.given +
                                    "\n    check: " + c.check + "\n");
    if (std::string(c.fails_on).empty()) {
      CHECK(rules_of(check_with(standards, kCleanManifest)).starts_with("X-RULE"));
    } else {
      CHECK(check_with(standards, kCleanManifest).empty());
      CHECK(rules_of(check_with(standards, replaced(kCleanManifest, c.fails_on, c.fails_with))) == "X-RULE");
    }
  }
}

TEST_CASE("patterns run in linear time, on values of any length", "[standards][pattern]") {
  const std::string description = "One row per confirmed order line, updated hourly from the shop.";
  SECTION("nested repetition that a backtracking matcher takes exponential time over") {
    const auto standards = parse_ok(header("none") + R"(custom:
  - { id: X-LABEL, message: labels are kebab-case, given: metadata.name, check: { pattern: "^([a-z0-9]+-?)+$" } }
)");
    const auto found =
        check_with(standards, replaced(kCleanManifest, "name: orders\n", "name: " + std::string(40, 'a') + "!\n"));
    CHECK(rules_of(found) == "X-LABEL");
  }
  SECTION("a value of a megabyte is matched, not refused or skipped") {
    // libstdc++'s matcher recursed per character: 300,000 of them overflowed the stack.
    const auto standards = parse_ok(header("none") + R"(custom:
  - { id: X-PLAIN, message: plain text, given: metadata.description, check: { pattern: "^([a-z ]|x)*$" } }
)");
    const std::string long_value(1'000'000, 'a');
    CHECK(check_with(standards, replaced(kCleanManifest, description, long_value)).empty());
    const auto found = check_with(standards, replaced(kCleanManifest, description, long_value + "!"));
    REQUIRE(rules_of(found) == "X-PLAIN");
    CHECK_THAT(found[0].message, Catch::Contains("does not match"));
  }
}

TEST_CASE("a pattern RE2 cannot compile is refused at the pattern, with RE2's reason", "[standards][pattern]") {
  const struct {
    const char* pattern;
    const char* reason;
  } cases[] = {
      {R"((a)\\1)", "invalid escape sequence"},  // backreference
      {"(?=x)", "invalid perl operator"},        // lookahead
      {"(", "missing )"},
  };
  for (const auto& c : cases) {
    INFO(c.pattern);
    const auto loaded = standards::parse_standards(
        header("none") + "custom:\n  - { id: A, message: m, given: metadata, check: { pattern: \"" + c.pattern +
            "\" } }\n",
        "standards.yaml");
    CHECK_FALSE(loaded.standards);
    REQUIRE(rules_of(loaded.diagnostics) == "MESH-STANDARDS-PATTERN");
    CHECK(loaded.diagnostics[0].position.line == 5);
    CHECK(loaded.diagnostics[0].position.column == 61);
    CHECK_THAT(loaded.diagnostics[0].message, Catch::Contains(c.reason) && Catch::Contains("RE2"));
  }
}

TEST_CASE("a wildcard over an absent or empty list checks nothing", "[standards]") {
  const auto standards = parse_ok(header("none") + R"(custom:
  - { id: X-PORT-DESC, message: ports are described, given: "spec.inputPorts[*]", check: { field: description, required: true } }
)");
  CHECK(rules_of(check_with(standards, kCleanManifest)) == "X-PORT-DESC");
  CHECK(check_with(standards, replaced(kCleanManifest, "  inputPorts:\n", "  inputPorts: []\n  x:\n")).empty());
  CHECK(check_with(standards, "spec: {}\n").empty());
}

TEST_CASE("overrides change rules per domain, custom rules included", "[standards]") {
  const auto standards = parse_ok(header() + R"(custom:
  - id: ACME-COST-CENTER
    message: cost center
    given: metadata.labels
    check: { field: cost-center, required: true }
overrides:
  - domains: [finance, sales]
    rules: { ACME-COST-CENTER: { severity: warning }, MESH-TITLE: off }
  - domains: [sales]
    rules: { MESH-NAME-FORMAT: info }
)");
  CHECK(standards.override_domains() == std::vector<std::string>{"finance", "sales"});
  CHECK(rule(standards.effective_rules(std::nullopt), "ACME-COST-CENTER").severity == Severity::error);
  const auto sales = standards.effective_rules("sales");
  CHECK(rule(sales, "ACME-COST-CENTER").severity == Severity::warning);
  CHECK_FALSE(rule(sales, "MESH-TITLE").enabled);
  CHECK(rule(sales, "MESH-NAME-FORMAT").severity == Severity::info);
  CHECK(rule(standards.effective_rules("finance"), "MESH-NAME-FORMAT").severity == Severity::error);
  auto found = check_with(standards, replaced(kCleanManifest, "name: orders\n", "name: Orders\n"));
  REQUIRE(rules_of(found) == "MESH-NAME-FORMAT ACME-COST-CENTER");
  CHECK(found[0].severity == Severity::info);
  CHECK(found[1].severity == Severity::warning);
  found = check_with(standards, replaced(kCleanManifest, "domain: sales", "domain: hr"));
  REQUIRE(rules_of(found) == "ACME-COST-CENTER");
  CHECK(found[0].severity == Severity::error);
}

namespace {

struct BrokenCase {
  const char* text;
  const char* rule;
  std::uint32_t line;
  std::uint32_t column;
  const char* message_part;
};

}  // namespace

TEST_CASE("a broken standards file gets positioned diagnostics and no standards", "[standards]") {
  const BrokenCase cases[] = {
      {"apiVersion: meshctl/v1\nkind: [\n", "MESH-YAML-SYNTAX", 0, 0, ""},
      {"apiVersion: meshctl/v2\nkind: Standards\n", "MESH-STANDARDS-KIND", 1, 13, "meshctl/v1"},
      {"apiVersion: meshctl/v1\nkind: DataProduct\n", "MESH-STANDARDS-KIND", 2, 7, "Standards"},
      {"kind: Standards\n", "MESH-STANDARDS-REQUIRED", 1, 1, "apiVersion"},
      {"apiVersion: meshctl/v1\nkind: Standards\nextend: none\n", "MESH-STANDARDS-UNKNOWN-KEY", 3, 1,
       "did you mean 'extends'"},
      {"apiVersion: meshctl/v1\nkind: Standards\nextends: all\n", "MESH-STANDARDS-EXTENDS", 3, 10, "'all'"},
      {"apiVersion: meshctl/v1\nkind: Standards\nrules:\n  MESH-NAME-FORMT: off\n", "MESH-STANDARDS-RULE", 4, 3,
       "did you mean 'MESH-NAME-FORMAT'"},
      {"apiVersion: meshctl/v1\nkind: Standards\nrules:\n  MESH-NAME-FORMAT: loud\n", "MESH-STANDARDS-SEVERITY", 4, 21,
       "'loud'"},
      {"apiVersion: meshctl/v1\nkind: Standards\nrules:\n  MESH-NAME-FORMAT: { params: { maxLen: 3 } }\n",
       "MESH-STANDARDS-PARAM", 4, 33, "no param 'maxLen'"},
      {"apiVersion: meshctl/v1\nkind: Standards\nrules:\n  MESH-NAME-FORMAT: { params: { maxLength: long } }\n",
       "MESH-STANDARDS-TYPE", 4, 44, "whole number"},
      {"apiVersion: meshctl/v1\nkind: Standards\nrules: [a]\n", "MESH-STANDARDS-TYPE", 3, 8, "must be a mapping"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, message: m, given: metadata, check: { pattern: "
       "\"(\" } }\n",
       "MESH-STANDARDS-PATTERN", 4, 61, "not a valid regular expression"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, message: m, given: metadata, check: { requird: "
       "true } }\n",
       "MESH-STANDARDS-CHECK", 4, 52, "did you mean 'required'"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, message: m, given: metadata, check: { casing: "
       "shouty } }\n",
       "MESH-STANDARDS-CHECK", 4, 60, "'shouty'"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, message: m, given: \"a[x]\", check: { required: "
       "true } }\n",
       "MESH-STANDARDS-PATH", 4, 33, "[x]"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: MESH-TITLE, message: m, given: a, check: { "
       "required: true } }\n",
       "MESH-STANDARDS-DUPLICATE", 4, 11, "already used"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, given: a, check: { required: true } }\n",
       "MESH-STANDARDS-REQUIRED", 4, 5, "message"},
      {"apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, message: m, given: a, check: { field: b } }\n",
       "MESH-STANDARDS-CHECK", 4, 43, "checks nothing"},
      {"apiVersion: meshctl/v1\nkind: Standards\noverrides:\n  - { domains: finance, rules: {} }\n",
       "MESH-STANDARDS-TYPE", 4, 16, "must be a list"},
      {"apiVersion: meshctl/v1\nkind: Standards\noverrides:\n  - domains: [finance]\n    rules: { MESH-TITEL: off }\n",
       "MESH-STANDARDS-RULE", 5, 14, "did you mean 'MESH-TITLE'"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto loaded = standards::parse_standards(c.text, "standards.yaml");
    CHECK_FALSE(loaded.standards);
    REQUIRE(rules_of(loaded.diagnostics) == c.rule);
    const auto& d = loaded.diagnostics[0];
    CHECK(d.file == "standards.yaml");
    CHECK(d.severity == Severity::error);
    if (c.line != 0) {
      CHECK(d.position.line == c.line);
      CHECK(d.position.column == c.column);
    }
    CHECK(d.message.find(c.message_part) != std::string::npos);
  }
}

TEST_CASE("find_standards_file finds the nearest .meshctl/standards.yaml at or above the manifest", "[standards]") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "meshctl-standards-find-test";
  fs::remove_all(root);
  fs::create_directories(root / "a" / "b" / ".meshctl");
  fs::create_directories(root / ".meshctl");
  std::ofstream(root / ".meshctl" / "standards.yaml") << "x: 1\n";
  std::ofstream(root / "a" / "b" / ".meshctl" / "standards.yaml") << "x: 1\n";
  CHECK(standards::find_standards_file(root / "a" / "b" / "orders.yaml") ==
        root / "a" / "b" / ".meshctl" / "standards.yaml");
  CHECK(standards::find_standards_file(root / "a" / "orders.yaml") == root / ".meshctl" / "standards.yaml");
  fs::remove_all(root);
}

TEST_CASE("the bench standards file parses and the design's example parses", "[standards]") {
  std::ifstream in(std::string(MESHCTL_SOURCE_DIR) + "/bench/standards.yaml");
  std::stringstream text;
  text << in.rdbuf();
  parse_ok(text.str());
  parse_ok(header() + R"(rules:
  MESH-SLO-FRESHNESS: off
  MESH-DESCRIPTION: { severity: warning, params: { minLength: 40 } }
custom:
  - id: ACME-COST-CENTER
    severity: error
    message: every data product names the cost center that pays for it
    given: metadata.labels
    check: { field: cost-center, required: true }
  - id: ACME-FIELD-SNAKE-CASE
    severity: warning
    message: field names are snake_case
    given: spec.outputPorts[*].schema.fields[*].name
    check: { casing: snake }
overrides:
  - domains: [finance]
    rules: { ACME-COST-CENTER: { severity: warning } }
)");
}

// Found by fuzz_standards (tests/fuzz/crashes/fuzz_standards/huge-length-param): a length of 10^94 was
// converted to std::size_t, which is undefined behaviour.
TEST_CASE("a length too large for any value is refused at the number", "[standards]") {
  std::string text = header("none") + "custom:\n  - { id: A, message: m, given: metadata.name, check: { maxLength: ";
  text.append(95, '4').append(" } }\n");  // appended: GCC 12 misreads "..." + std::string(n, c) at -O3
  const auto loaded = standards::parse_standards(text, "standards.yaml");
  CHECK_FALSE(loaded.standards);
  REQUIRE(rules_of(loaded.diagnostics) == "MESH-STANDARDS-TYPE");
  CHECK_THAT(loaded.diagnostics[0].message, Catch::Contains("too large: at most 4294967295"));
  CHECK(loaded.diagnostics[0].position.line == 5);
}

TEST_CASE("MESH-DUPLICATE's threshold is a number from 0 to 1, integer or not, per domain too", "[standards]") {
  const auto defaults = parse_ok(header());
  CHECK(rule(defaults.effective_rules(std::nullopt), "MESH-DUPLICATE").params["threshold"] == 0.8);
  CHECK(rule(defaults.effective_rules(std::nullopt), "MESH-DUPLICATE").severity == Severity::warning);
  const auto set = parse_ok(header() +
                            "rules:\n  MESH-DUPLICATE: { severity: error, params: { threshold: 0.95 } }\n"
                            "overrides:\n  - domains: [sandbox]\n    rules: { MESH-DUPLICATE: { params: { threshold: 1 } } }\n"
                            "  - domains: [lab]\n    rules: { MESH-DUPLICATE: off }\n");
  // A copy: the rules effective_rules answers are a temporary.
  const auto everywhere = rule(set.effective_rules(std::string("sales")), "MESH-DUPLICATE");
  CHECK(everywhere.severity == Severity::error);
  CHECK(everywhere.params["threshold"] == 0.95);
  CHECK(rule(set.effective_rules(std::string("sandbox")), "MESH-DUPLICATE").params["threshold"] == 1.0);
  CHECK_FALSE(rule(set.effective_rules(std::string("lab")), "MESH-DUPLICATE").enabled);
  CHECK(parse_ok(header() + "rules:\n  MESH-DUPLICATE: { params: { threshold: 0 } }\n").extends() == "default");
  // Never reported on a document alone, whatever its severity: the registry checks it.
  CHECK(check_with(set, kCleanManifest).empty());

  for (const auto* bad : {"1.5", "-0.1", "high", "[0.8]", "true"}) {
    INFO(bad);
    const auto loaded = standards::parse_standards(
        header() + "rules:\n  MESH-DUPLICATE: { params: { threshold: " + bad + " } }\n", "standards.yaml");
    CHECK_FALSE(loaded.standards);
    REQUIRE(rules_of(loaded.diagnostics) == "MESH-STANDARDS-TYPE");
    CHECK(loaded.diagnostics[0].position.line == 5);
    CHECK(loaded.diagnostics[0].message.find("from 0 to 1") != std::string::npos);
  }
}
