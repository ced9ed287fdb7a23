#include "meshctl/manifest/starter.h"

#include <catch2/catch.hpp>

#include "meshctl/manifest/shape.h"
#include "meshctl/standards/standards.h"
#include "meshctl/yaml/loader.h"

namespace {

namespace manifest = meshctl::manifest;
using manifest::StarterField;
using manifest::StarterOptions;

StarterOptions orders() {
  return StarterOptions{"orders", "sales", "sales-data", "sales-data@example.com", {}, {}};
}

// Every finding on `text`: YAML, structure and the built-in standard (what `meshctl validate` reports).
std::vector<meshctl::Diagnostic> findings(const std::string& text) {
  auto file = meshctl::yaml::parse_yaml(text, "starter.yaml");
  std::vector<meshctl::Diagnostic> out = file.diagnostics;
  REQUIRE(file.documents.size() == 1);
  manifest::check_shape(file.documents[0].root, "starter.yaml", out);
  meshctl::standards::Standards::builtin().check(file.documents[0].root, "starter.yaml", out);
  return out;
}

std::string describe(const std::vector<meshctl::Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) text += d.rule + ": " + d.message + "\n";
  return text;
}

const meshctl::yaml::Node& at(const meshctl::yaml::Node& node, std::initializer_list<const char*> keys) {
  const meshctl::yaml::Node* current = &node;
  for (const char* key : keys) {
    current = current->find(key);
    REQUIRE(current != nullptr);
  }
  return *current;
}

}  // namespace

TEST_CASE("the starter manifest passes the built-in standard without a finding") {
  const auto text = manifest::starter_manifest(orders());
  INFO(text);
  const auto found = findings(text);
  INFO(describe(found));
  CHECK(found.empty());
}

TEST_CASE("the starter manifest carries the values given, quoting what YAML would misread") {
  auto options = orders();
  options.name = "order-lines";
  options.title = "Yes";
  options.description = "Order lines: one row per line, \"confirmed\" ones only # hourly";
  const auto text = manifest::starter_manifest(options);
  INFO(text);
  CHECK(findings(text).empty());
  auto file = meshctl::yaml::parse_yaml(text, "starter.yaml");
  const auto& root = file.documents.at(0).root;
  CHECK(at(root, {"metadata", "name"}).text == "order-lines");
  CHECK(at(root, {"metadata", "title"}).text == "Yes");
  CHECK(at(root, {"metadata", "title"}).is_string());
  CHECK(at(root, {"metadata", "description"}).text == *options.description);
  CHECK(at(root, {"metadata", "owner", "email"}).text == "sales-data@example.com");
}

TEST_CASE("every title the options accept reads back as written, as a string") {
  for (const char* title :
       {"Orders", "Yes", "null", "12", "0.1.0", "2027-01-31", "Orders:", "100 orders", "Rücksendungen – 返品",
        "#1 orders", "'quoted'", "a: b", "- dash", "@team", "x\xc2\x85y", "~", "---", "tab\tinside"}) {
    INFO(title);
    auto options = orders();
    options.title = title;
    if (manifest::check_starter_options(options)) continue;  // refused: nothing to write
    auto file = meshctl::yaml::parse_yaml(manifest::starter_manifest(options), "starter.yaml");
    INFO(describe(file.diagnostics));
    REQUIRE(file.documents.size() == 1);
    CHECK(at(file.documents[0].root, {"metadata", "title"}).text == title);
    CHECK(at(file.documents[0].root, {"metadata", "title"}).is_string());
  }
}

TEST_CASE("without a title the starter derives one from the name") {
  auto options = orders();
  options.name = "order-lines";
  auto file = meshctl::yaml::parse_yaml(manifest::starter_manifest(options), "starter.yaml");
  CHECK(at(file.documents.at(0).root, {"metadata", "title"}).text == "Order lines");
}

TEST_CASE("check_starter_options names the first value it cannot use") {
  CHECK_FALSE(manifest::check_starter_options(orders()).has_value());
  struct Case {
    StarterOptions options;
    StarterField field;
  };
  auto with = [](auto change) {
    auto options = orders();
    change(options);
    return options;
  };
  const std::vector<Case> cases = {
      {with([](auto& o) { o.name = "Orders"; }), StarterField::name},
      {with([](auto& o) { o.name = ""; }), StarterField::name},
      {with([](auto& o) { o.name = std::string(64, 'a'); }), StarterField::name},
      {with([](auto& o) { o.domain = "sales_eu"; }), StarterField::domain},
      {with([](auto& o) { o.owner_team = "Sales Data"; }), StarterField::owner_team},
      {with([](auto& o) { o.owner_email = "sales-data"; }), StarterField::owner_email},
      {with([](auto& o) { o.owner_email = "a@b.c"; }), StarterField::owner_email},
      {with([](auto& o) { o.title = "  "; }), StarterField::title},
      {with([](auto& o) { o.description = "two\nlines"; }), StarterField::description},
  };
  for (const auto& c : cases) {
    const auto problem = manifest::check_starter_options(c.options);
    REQUIRE(problem.has_value());
    CHECK(problem->field == c.field);
    CHECK_FALSE(problem->message.empty());
  }
}

TEST_CASE("the starter standards file parses without a finding and extends the default") {
  const auto loaded = meshctl::standards::parse_standards(manifest::starter_standards(), "standards.yaml");
  INFO(describe(loaded.diagnostics));
  CHECK(loaded.diagnostics.empty());
  REQUIRE(loaded.standards.has_value());
  CHECK(loaded.standards->extends() == "default");
}
