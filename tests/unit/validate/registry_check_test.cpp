#include "meshctl/validate/registry_check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "meshctl/validate/validator.h"

using meshctl::Diagnostic;
using meshctl::ErrorKind;
using meshctl::Position;
using meshctl::Severity;
using meshctl::validate::ProductLookup;
using meshctl::validate::ProductStatus;
using meshctl::validate::RegisteredProduct;
using meshctl::validate::Report;
using meshctl::validate::Source;

namespace {

Source text_source(std::string name, std::string text) {
  return Source{std::move(name), std::move(text)};
}

std::string manifest_text(const std::string& domain, const std::string& name, const std::string& inputs) {
  return "apiVersion: meshctl/v1\nkind: DataProduct\nmetadata:\n  name: " + name + "\n  domain: " + domain +
         "\n  version: 1.0.0\nspec:\n  inputPorts:\n" + inputs;
}

// A registry of fixed answers; counts how often each product is asked for.
struct FakeRegistry {
  std::map<std::string, RegisteredProduct> products;
  std::map<std::string, int> asked;

  ProductLookup lookup() {
    return [this](std::string_view domain, std::string_view name) -> meshctl::Result<std::optional<RegisteredProduct>> {
      const auto key = std::string(domain) + "/" + std::string(name);
      ++asked[key];
      auto found = products.find(key);
      if (found == products.end()) return std::optional<RegisteredProduct>{};
      return std::optional<RegisteredProduct>{found->second};
    };
  }
};

// What validate notes of `sources` for the registry check: the documents are loaded once, by
// validate_sources itself. `report`'s diagnostics (errors mark files to skip) are kept.
Report noted(const std::vector<Source>& sources, Report report = {}) {
  meshctl::validate::Options options;
  options.collect_input_ports = true;
  auto validated = meshctl::validate::validate_sources(sources, options);
  REQUIRE(validated);
  report.inputs = std::move(validated->inputs);
  return report;
}

}  // namespace

TEST_CASE("input ports are checked against the registry at the position of their product") {
  FakeRegistry registry;
  registry.products["sales/orders"] = {ProductStatus::active, "", "", {{"1.0.0", false, std::nullopt}}};
  registry.products["sales/returns"] = {
      ProductStatus::deprecated, "2027-03-01", "move to sales/order-lines", {{"1.0.0", false, "2027-03-01"}}};
  registry.products["sales/refunds"] = {ProductStatus::retired, "", "", {}};
  const std::vector<Source> sources{text_source("reader.yaml", manifest_text("finance", "revenue",
                                                                             "    - product: sales/orders\n"
                                                                             "    - product: sales/returns\n"
                                                                             "    - product: sales/refunds\n"
                                                                             "    - product: sales/ordrs\n"))};

  auto findings = meshctl::validate::check_input_products(noted(sources), registry.lookup());
  REQUIRE(findings);
  REQUIRE(findings->size() == 3);

  const Diagnostic& deprecated = (*findings)[0];
  CHECK(deprecated.rule == "MESH-INPUT-DEPRECATED");
  CHECK(deprecated.severity == Severity::warning);
  CHECK(deprecated.position == Position{10, 16});
  CHECK(deprecated.path == "spec.inputPorts[1].product");
  CHECK(deprecated.message == "reads sales/returns, deprecated (sunset 2027-03-01): move to sales/order-lines");

  // The registry refuses new versions that read a retired product: an error, as apply would refuse it.
  CHECK((*findings)[1].rule == "MESH-INPUT-RETIRED");
  CHECK((*findings)[1].severity == Severity::error);
  CHECK((*findings)[1].message ==
        "reads sales/refunds, retired; the registry refuses new versions that read it: read its replacement");

  const Diagnostic& unknown = (*findings)[2];
  CHECK(unknown.rule == "MESH-INPUT-UNKNOWN");
  CHECK(unknown.severity == Severity::error);
  CHECK(unknown.file == "reader.yaml");
  CHECK(unknown.position == Position{12, 16});
  CHECK(unknown.message == "reads sales/ordrs, which is not registered: apply it first, or fix the name");
}

TEST_CASE("an input port's constraint must meet a version that is not retired; deprecated ones are a warning") {
  FakeRegistry registry;
  registry.products["sales/orders"] = {ProductStatus::active,
                                       "",
                                       "",
                                       {{"1.0.0", false, "2027-01-31"},
                                        {"1.1.0", false, "2027-02-28"},
                                        {"2.0.0", false, std::nullopt},
                                        {"3.0.0-rc.1", false, std::nullopt}}};
  registry.products["sales/returns"] = {
      ProductStatus::deprecated, "2027-03-01", "use sales/refunds", {{"1.0.0", false, "2027-03-01"}}};
  const std::vector<Source> sources{text_source("reader.yaml", manifest_text("finance", "revenue",
                                                                             "    - product: sales/orders\n"
                                                                             "      version: \"^1\"\n"
                                                                             "    - product: sales/orders\n"
                                                                             "      version: \"^2\"\n"
                                                                             "    - product: sales/orders\n"
                                                                             "      version: \"^3\"\n"
                                                                             "    - product: sales/orders\n"
                                                                             "    - product: sales/returns\n"
                                                                             "      version: \"^4\"\n"))};

  auto findings = meshctl::validate::check_input_products(noted(sources), registry.lookup());
  REQUIRE(findings);
  REQUIRE(findings->size() == 4);

  const Diagnostic& deprecated = (*findings)[0];
  CHECK(deprecated.rule == "MESH-INPUT-DEPRECATED");
  CHECK(deprecated.severity == Severity::warning);
  CHECK(deprecated.position == Position{9, 16});
  CHECK(deprecated.message ==
        "reads sales/orders ^1, which resolves only to deprecated versions (1.0.0, 1.1.0; sunset 2027-02-28): move "
        "to a version that is not deprecated before then");

  // ^3: only a pre-release, which no constraint selects. Found at the constraint.
  const Diagnostic& unmatched = (*findings)[1];
  CHECK(unmatched.rule == "MESH-INPUT-UNMATCHED");
  CHECK(unmatched.severity == Severity::error);
  CHECK(unmatched.position == Position{14, 16});
  CHECK(unmatched.path == "spec.inputPorts[2].version");
  CHECK(unmatched.message.find("1.0.0, 1.1.0, 2.0.0, 3.0.0-rc.1") != std::string::npos);

  // A deprecated product: the constraint that meets nothing, and the product's deprecation.
  CHECK((*findings)[2].rule == "MESH-INPUT-UNMATCHED");
  CHECK((*findings)[2].path == "spec.inputPorts[4].version");
  CHECK((*findings)[3].rule == "MESH-INPUT-DEPRECATED");
  CHECK((*findings)[3].message == "reads sales/returns, deprecated (sunset 2027-03-01): use sales/refunds");
}

TEST_CASE("a port reading a product of the same run is left to apply, whatever its constraint") {
  FakeRegistry registry;
  registry.products["sales/orders"] = {ProductStatus::active, "", "", {{"1.0.0", false, std::nullopt}}};
  const std::vector<Source> sources{
      text_source("a.yaml",
                  manifest_text("finance", "revenue", "    - product: sales/orders\n      version: \"^2\"\n")),
      text_source("b.yaml", manifest_text("sales", "orders", ""))};
  auto findings = meshctl::validate::check_input_products(noted(sources), registry.lookup());
  REQUIRE(findings);
  CHECK(findings->empty());
}

TEST_CASE("a product defined in the same run is known, and each product is looked up once") {
  FakeRegistry registry;
  const std::vector<Source> sources{
      text_source("a.yaml",
                  manifest_text("finance", "revenue", "    - product: sales/orders\n    - product: sales/orders\n")),
      text_source("b.yaml", manifest_text("sales", "orders", "    - product: sales/events\n"))};

  auto findings = meshctl::validate::check_input_products(noted(sources), registry.lookup());
  REQUIRE(findings);
  REQUIRE(findings->size() == 1);
  CHECK((*findings)[0].file == "b.yaml");
  CHECK((*findings)[0].message.find("sales/events") != std::string::npos);
  CHECK(registry.asked["sales/orders"] == 1);
}

TEST_CASE("files with error findings are skipped, and neither check nor define products") {
  FakeRegistry registry;
  const std::vector<Source> sources{
      text_source("broken.yaml", manifest_text("sales", "orders", "    - product: sales/nowhere\n")),
      text_source("reader.yaml", manifest_text("finance", "revenue", "    - product: sales/orders\n"))};
  Report report;
  report.diagnostics.push_back(Diagnostic{"broken.yaml", {1, 1}, Severity::error, "MESH-NAME-FORMAT", "", "bad"});

  auto findings = meshctl::validate::check_input_products(noted(sources, report), registry.lookup());
  REQUIRE(findings);
  REQUIRE(findings->size() == 1);
  CHECK((*findings)[0].file == "reader.yaml");
  CHECK((*findings)[0].rule == "MESH-INPUT-UNKNOWN");
}

TEST_CASE("a registry that cannot answer fails the check instead of producing findings") {
  const std::vector<Source> sources{
      text_source("reader.yaml", manifest_text("finance", "revenue", "    - product: sales/orders\n"))};
  ProductLookup unavailable = [](std::string_view,
                                 std::string_view) -> meshctl::Result<std::optional<RegisteredProduct>> {
    return meshctl::make_error(ErrorKind::unavailable, "cannot reach the registry");
  };

  auto findings = meshctl::validate::check_input_products(noted(sources), unavailable);
  REQUIRE_FALSE(findings);
  CHECK(findings.error().kind == ErrorKind::unavailable);
}

TEST_CASE("the registry check reads no file again: it uses what validate noted while loading") {
  const auto folder = std::filesystem::temp_directory_path() / "meshctl-registry-check-once";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const auto path = folder / "reader.yaml";
  {
    std::ofstream file(path);
    file << manifest_text("finance", "revenue", "    - product: sales/nowhere\n");
  }
  const auto report = noted({Source{path.string(), std::nullopt}});
  std::filesystem::remove_all(folder);  // gone before the check runs

  FakeRegistry registry;
  auto findings = meshctl::validate::check_input_products(report, registry.lookup());
  REQUIRE(findings);
  REQUIRE(findings->size() == 1);
  CHECK((*findings)[0].rule == "MESH-INPUT-UNKNOWN");
  CHECK((*findings)[0].position.line == 9);
}

namespace {

std::string product_with_terms(const std::string& terms) {
  return "apiVersion: meshctl/v1\nkind: DataProduct\nmetadata:\n  name: orders\n  domain: sales\n"
         "  version: 1.0.0\nspec:\n  outputPorts:\n    - name: orders-table\n      schema:\n        fields:\n" +
         terms;
}

}  // namespace

TEST_CASE("field terms are checked against the registry's glossary and the run's", "[validate][glossary]") {
  const std::vector<meshctl::validate::DefinedTerm> registered = {
      {"customer-email", "active", {"buyer-email"}}, {"customer-id", "deprecated", {}}, {"order-line", "draft", {}}};
  const std::vector<Source> sources{
      text_source("orders.yaml", product_with_terms("          - { name: a, term: customer-email }\n"
                                                    "          - { name: b, term: customer-emial }\n"
                                                    "          - { name: c, term: customer-id }\n"
                                                    "          - { name: d, term: buyer-email }\n"
                                                    "          - { name: e, term: order-line }\n"
                                                    "          - name: f\n"
                                                    "            fields:\n"
                                                    "              - { name: g, term: invoice-id }\n"
                                                    "          - { name: h, term: nothing-like-this-at-all }\n")),
      text_source("billing.yaml", "apiVersion: meshctl/v1\nkind: Glossary\nmetadata:\n  name: billing\n"
                                  "  domain: finance\n  version: 1.0.0\nterms:\n"
                                  "  - { name: invoice-id, definition: The key of an invoice. }\n")};
  auto findings = meshctl::validate::check_field_terms(noted(sources), registered);
  std::stable_sort(findings.begin(), findings.end(), meshctl::diagnostic_less);
  REQUIRE(findings.size() == 4);
  CHECK(findings[0].rule == "MESH-TERM-UNKNOWN");
  CHECK(findings[0].severity == Severity::error);
  CHECK(findings[0].position == Position{13, 30});
  CHECK(findings[0].path == "spec.outputPorts[0].schema.fields[1].term");
  CHECK(findings[0].message == "term 'customer-emial' is not in the glossary: did you mean 'customer-email'?");
  CHECK(findings[1].rule == "MESH-TERM-DEPRECATED");
  CHECK(findings[1].severity == Severity::warning);
  CHECK(findings[2].rule == "MESH-TERM-SYNONYM");
  CHECK(findings[2].message == "'buyer-email' is a synonym of term 'customer-email': name the term itself");
  // invoice-id is defined by the run's own glossary; nested fields are checked too.
  CHECK(findings[3].rule == "MESH-TERM-UNKNOWN");
  CHECK(findings[3].message.find("define it in a kind: Glossary document") != std::string::npos);
}

TEST_CASE("a glossary passes validate without the standards, and a broken one fails", "[validate][glossary]") {
  const std::vector<Source> sources{
      text_source("terms.yaml", "apiVersion: meshctl/v1\nkind: Glossary\nmetadata:\n  name: billing\n"
                                "  domain: finance\n  version: 1.0.0\nterms:\n"
                                "  - { name: invoice-id, definition: The key of an invoice, status: retired }\n")};
  auto report = meshctl::validate::validate_sources(sources, {});
  REQUIRE(report);
  REQUIRE(report->diagnostics.size() == 1);
  CHECK(report->diagnostics[0].rule == "MESH-GLOSSARY-FORMAT");
  CHECK(report->diagnostics[0].position == Position{8, 68});
}
