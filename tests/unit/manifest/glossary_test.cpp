#include "meshctl/manifest/glossary.h"

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/loader.h"

using meshctl::Diagnostic;
using meshctl::Severity;

namespace {

const std::string kGlossaryText = R"(apiVersion: meshctl/v1
kind: Glossary
metadata:
  name: customer-terms
  domain: sales
  version: 1.0.0
  owner: { team: sales-data, email: sales-data@example.com }
terms:
  - name: customer-email
    definition: The address a customer gave us to reach them; personal data.
    synonyms: [buyer-email, contact-email]
    status: active
    related: [customer-id]
    authoritativeDefinitions:
      - { type: businessDefinition, url: https://wiki.example.com/customer-email }
  - name: customer-id
    definition: The shop's key of a customer.
)";

std::vector<Diagnostic> check_glossary_text(const std::string& text) {
  auto loaded = meshctl::yaml::parse_yaml(text, "terms.yaml");
  REQUIRE(loaded.documents.size() == 1);
  std::vector<Diagnostic> out = loaded.diagnostics;
  meshctl::manifest::check_glossary(loaded.documents[0].root, "terms.yaml", out);
  return out;
}

meshctl::manifest::Glossary glossary_of(const std::string& text) {
  auto loaded = meshctl::yaml::parse_yaml(text, "terms.yaml");
  REQUIRE(loaded.documents.size() == 1);
  return meshctl::manifest::decode_glossary(loaded.documents[0].root);
}

std::string glossary_with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a glossary document is recognized by its kind, checked and decoded", "[manifest][glossary]") {
  CHECK(check_glossary_text(kGlossaryText).empty());
  const auto glossary = glossary_of(kGlossaryText);
  CHECK(glossary.id() == "sales/customer-terms");
  CHECK(glossary.metadata.version == "1.0.0");
  REQUIRE(glossary.terms.size() == 2);
  CHECK(glossary.terms[0].synonyms == std::vector<std::string>{"buyer-email", "contact-email"});
  CHECK(glossary.terms[0].related == std::vector<std::string>{"customer-id"});
  REQUIRE(glossary.terms[0].authoritative_definitions.size() == 1);
  CHECK(glossary.terms[0].authoritative_definitions[0].type == "businessDefinition");
  CHECK(glossary.terms[1].status == "active");  // the default
  auto loaded = meshctl::yaml::parse_yaml(kGlossaryText, "terms.yaml");
  CHECK(meshctl::manifest::document_kind(loaded.documents[0].root) == "Glossary");
}

TEST_CASE("canonical JSON of a glossary reads back as the same glossary", "[manifest][glossary]") {
  const auto glossary = glossary_of(kGlossaryText);
  const auto document = meshctl::manifest::to_json(glossary);
  CHECK(document["terms"][1]["status"] == "active");
  CHECK_FALSE(document["terms"][1].contains("synonyms"));
  auto back = meshctl::manifest::glossary_from_json(document);
  REQUIRE(back.ok());
  CHECK(*back == glossary);
  CHECK(meshctl::manifest::canonical_text(*back) == meshctl::manifest::canonical_text(glossary));
  auto unknown = document;
  unknown["terms"][0]["colour"] = "blue";
  CHECK_FALSE(meshctl::manifest::glossary_from_json(unknown).ok());
  auto product = document;
  product["kind"] = "DataProduct";
  CHECK_FALSE(meshctl::manifest::glossary_from_json(product).ok());
}

TEST_CASE("the structure of a glossary: positions, required keys, unknown keys", "[manifest][glossary]") {
  SECTION("a term without a definition") {
    const auto out = check_glossary_text(glossary_with(kGlossaryText, "    definition: The shop's key of a customer.\n", ""));
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "MESH-SCHEMA-REQUIRED");
    CHECK(out[0].position.line == 16);
    CHECK(out[0].message == "'terms[1]' has no 'definition': add it");
  }
  SECTION("a misspelt key, with a did-you-mean") {
    const auto out = check_glossary_text(glossary_with(kGlossaryText, "    synonyms:", "    synonym:"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "MESH-SCHEMA-UNKNOWN-KEY");
    CHECK(out[0].severity == Severity::warning);
    CHECK(out[0].message == "unknown key 'synonym' in 'terms[0]': did you mean 'synonyms'?");
    CHECK(out[0].position.line == 11);
    CHECK(out[0].position.column == 5);
  }
  SECTION("synonyms that are not a list") {
    const auto out = check_glossary_text(glossary_with(kGlossaryText, "[buyer-email, contact-email]", "buyer-email"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "MESH-SCHEMA-TYPE");
    CHECK(out[0].path == "terms[0].synonyms");
  }
  SECTION("no terms") {
    const auto out = check_glossary_text(kGlossaryText.substr(0, kGlossaryText.find("terms:")));
    REQUIRE(out.size() == 1);
    CHECK(out[0].message == "the manifest has no 'terms': add it");
  }
}

TEST_CASE("the format's own rules: status, names, versions, duplicates", "[manifest][glossary]") {
  SECTION("an unknown status, with a did-you-mean") {
    const auto out = check_glossary_text(glossary_with(kGlossaryText, "status: active", "status: activ"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "MESH-GLOSSARY-FORMAT");
    CHECK(out[0].severity == Severity::error);
    CHECK(out[0].message == "status 'activ' is not one of 'draft', 'active' and 'deprecated': did you mean 'active'?");
    CHECK(out[0].position.line == 12);
    CHECK(out[0].position.column == 13);
  }
  SECTION("a term defined twice") {
    const auto out = check_glossary_text(glossary_with(kGlossaryText, "name: customer-id", "name: customer-email"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].message == "term 'customer-email' is defined twice (first at line 9): keep one");
    CHECK(out[0].path == "terms[1].name");
  }
  SECTION("names that are not kebab-case, a version that is not semantic, an empty definition") {
    auto text = glossary_with(kGlossaryText, "name: customer-id", "name: Customer ID");
    text = glossary_with(text, "version: 1.0.0", "version: \"1.0\"");
    text = glossary_with(text, "definition: The shop's key of a customer.", "definition: \" \"");
    const auto out = check_glossary_text(text);
    REQUIRE(out.size() == 3);
    for (const auto& d : out) CHECK(d.rule == "MESH-GLOSSARY-FORMAT");
  }
  SECTION("a term related to itself") {
    const auto out = check_glossary_text(glossary_with(kGlossaryText, "related: [customer-id]", "related: [customer-email]"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].path == "terms[0].related[0]");
  }
}

TEST_CASE("the fields of a product bound to terms, nested ones by their path", "[manifest][glossary]") {
  meshctl::manifest::DataProduct product;
  meshctl::manifest::OutputPort port;
  port.name = "orders-table";
  meshctl::manifest::Field email;
  email.name = "customer_email";
  email.term = "customer-email";
  meshctl::manifest::Field customer;
  customer.name = "customer";
  meshctl::manifest::Field id;
  id.name = "id";
  id.term = "customer-id";
  customer.fields.push_back(id);
  port.schema = meshctl::manifest::Schema{{email, customer}};
  product.spec.output_ports.push_back(port);
  const auto terms = meshctl::manifest::field_terms(product);
  REQUIRE(terms.size() == 2);
  CHECK(terms[0] == meshctl::manifest::FieldTerm{"orders-table", "customer_email", "customer-email"});
  CHECK(terms[1] == meshctl::manifest::FieldTerm{"orders-table", "customer.id", "customer-id"});
}

TEST_CASE("the JSON Schema takes a glossary as well as a product", "[manifest][glossary]") {
  const auto schema = meshctl::manifest::manifest_json_schema();
  CHECK(schema["properties"]["kind"]["enum"] == nlohmann::json({"DataProduct", "Glossary"}));
  CHECK(schema["then"]["required"] == nlohmann::json({"terms"}));
  CHECK(schema["else"]["required"] == nlohmann::json({"spec"}));
  CHECK(schema["properties"]["terms"]["items"]["required"] == nlohmann::json({"name", "definition"}));
}
