// The registry contract, continued: the business glossary (issue 18). Glossaries are versioned like
// products; a product's field terms must name a term (or a synonym of one); describe_term finds every
// field bound to a term across the mesh.

#include <algorithm>

#include <catch2/catch.hpp>

#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

manifest::GlossaryTerm term(const std::string& name, const std::string& status = "active",
                            std::vector<std::string> synonyms = {}) {
  manifest::GlossaryTerm result;
  result.name = name;
  result.definition = "What " + name + " means, in a sentence.";
  result.status = status;
  result.synonyms = std::move(synonyms);
  return result;
}

// A product whose first output port has a field `field_name` bound to `term_name`.
manifest::DataProduct bound(const std::string& domain, const std::string& name, const std::string& field_name,
                            const std::string& term_name, const std::string& version = "1.0.0") {
  auto product = make_manifest(domain, name, version);
  manifest::Field field;
  field.name = field_name;
  field.type = "string";
  field.description = "A field bound to a term.";
  field.term = term_name;
  product.spec.output_ports[0].schema->fields.push_back(field);
  return product;
}

std::vector<std::string> names(const std::vector<TermRecord>& terms) {
  std::vector<std::string> result;
  for (const auto& record : terms) result.push_back(record.term.name);
  return result;
}

}  // namespace

manifest::Glossary make_glossary(const std::string& domain, const std::string& name, const std::string& version) {
  manifest::Glossary glossary;
  glossary.metadata.name = name;
  glossary.metadata.domain = domain;
  glossary.metadata.version = version;
  glossary.metadata.owner = manifest::Owner{domain + "-data", domain + "-data@example.com"};
  glossary.terms = {term("customer-email", "active", {"buyer-email"}), term("customer-id")};
  glossary.terms[0].related = {"customer-id"};
  glossary.terms[0].authoritative_definitions = {{"businessDefinition", "https://wiki.example.com/customer-email"}};
  return glossary;
}

void check_glossary(Registry& registry, const RegistryContract& contract) {
  SECTION("a glossary is created, then unchanged; a dry run writes nothing") {
    const auto glossary = make_glossary("sales", "customer-terms", "1.0.0");
    const auto planned = expect_ok(registry.publish_glossary(glossary, true));
    CHECK(planned.action == ChangeAction::created);
    CHECK(planned.terms == 2);
    CHECK(expect_ok(registry.list_terms(std::nullopt)).empty());
    const auto created = expect_ok(registry.publish_glossary(glossary, false));
    CHECK(created.action == ChangeAction::created);
    CHECK(created.revision == 1);
    CHECK(expect_ok(registry.publish_glossary(glossary, false)).action == ChangeAction::unchanged);

    const auto terms = expect_ok(registry.list_terms(std::nullopt));
    CHECK(names(terms) == std::vector<std::string>{"customer-email", "customer-id"});
    CHECK(terms[0].domain == "sales");
    CHECK(terms[0].glossary == "customer-terms");
    CHECK(terms[0].version == "1.0.0");
    CHECK(terms[0].owner.team == "sales-data");
    CHECK(terms[0].term == glossary.terms[0]);
    CHECK(expect_ok(registry.list_terms(std::string("finance"))).empty());
    CHECK(expect_ok(registry.list_terms(std::string("sales"))).size() == 2);

    AuditQuery query;
    query.action = "glossary-create";
    const auto page = expect_ok(registry.audit(query));
    REQUIRE(page.events.size() == 1);
    CHECK(page.events[0].ref.domain == "sales");
    CHECK(says(page.events[0].summary, "customer-terms"));
  }

  SECTION("versions: a published one never changes, new ones go up, a removed term needs a major step") {
    auto glossary = make_glossary("sales", "customer-terms", "1.0.0");
    expect_ok(registry.publish_glossary(glossary, false));
    glossary.terms[1].definition = "Something else.";
    CHECK(says(expect_error(registry.publish_glossary(glossary, false), ErrorKind::conflict).message, "bump"));
    glossary.metadata.version = "0.9.0";
    expect_error(registry.publish_glossary(glossary, false), ErrorKind::conflict);
    glossary.metadata.version = "1.1.0";
    const auto evolved = expect_ok(registry.publish_glossary(glossary, false));
    CHECK(evolved.action == ChangeAction::evolved);
    CHECK(evolved.from_version == "1.0.0");
    CHECK(evolved.revision == 2);
    CHECK(expect_ok(registry.describe_term("customer-id")).term.term.definition == "Something else.");

    glossary.terms.pop_back();
    glossary.metadata.version = "1.2.0";
    const auto removed = expect_error(registry.publish_glossary(glossary, false), ErrorKind::conflict);
    CHECK(says(removed.message, "customer-id"));
    CHECK(says(removed.message, "2.0.0"));
    glossary.metadata.version = "2.0.0";
    expect_ok(registry.publish_glossary(glossary, false));
    CHECK(names(expect_ok(registry.list_terms(std::nullopt))) == std::vector<std::string>{"customer-email"});
    expect_error(registry.describe_term("customer-id"), ErrorKind::not_found);
  }

  SECTION("term names are unique across the mesh") {
    expect_ok(registry.publish_glossary(make_glossary("sales", "customer-terms", "1.0.0"), false));
    auto other = make_glossary("finance", "billing-terms", "1.0.0");
    other.terms = {term("customer-id"), term("invoice-id")};
    const auto refused = expect_error(registry.publish_glossary(other, false), ErrorKind::conflict);
    CHECK(says(refused.message, "sales/customer-terms"));
    other.terms = {term("invoice-id")};
    expect_ok(registry.publish_glossary(other, false));
    CHECK(expect_ok(registry.list_terms(std::nullopt)).size() == 3);
  }

  SECTION("a field names a term or a synonym of one; any other name is refused with the closest term") {
    expect_ok(registry.publish_glossary(make_glossary("sales", "customer-terms", "1.0.0"), false));
    const auto refused =
        expect_error(registry.publish(bound("sales", "orders", "email", "customer-emial"), PublishMode::apply),
                     ErrorKind::conflict);
    CHECK(says(refused.message, "did you mean 'customer-email'?"));
    REQUIRE(refused.details.contains("unknownTerms"));
    CHECK(refused.details["unknownTerms"][0]["term"] == "customer-emial");
    CHECK(refused.details["unknownTerms"][0]["field"] == "email");
    expect_error(registry.get_product(ref("sales/orders")), ErrorKind::not_found);
    // The same rule holds for a plan's execution.
    auto plan = expect_ok(registry.plan({bound("sales", "orders", "email", "nothing-like-it")}, PublishMode::apply));
    expect_error(registry.execute(plan), ErrorKind::conflict);

    expect_ok(registry.publish(bound("sales", "orders", "customer_email", "customer-email"), PublishMode::apply));
    expect_ok(registry.publish(bound("sales", "customers", "email", "buyer-email"), PublishMode::apply));
    expect_ok(registry.publish(bound("finance", "invoices", "customer", "customer-id"), PublishMode::apply));

    const auto details = expect_ok(registry.describe_term("customer-email"));
    CHECK(details.term.term.synonyms == std::vector<std::string>{"buyer-email"});
    REQUIRE(details.fields.size() == 2);
    CHECK(details.fields[0].product == ref("sales/customers"));
    CHECK(details.fields[0].field == "email");
    CHECK(details.fields[0].named == "buyer-email");
    CHECK(details.fields[1].product == ref("sales/orders"));
    CHECK(details.fields[1].port == "orders-table");
    CHECK(details.fields[1].field == "customer_email");
    CHECK(details.fields[1].version == "1.0.0");
    CHECK(details.fields[1].named == "customer-email");

    const auto typo = expect_error(registry.describe_term("customer-emial"), ErrorKind::not_found);
    CHECK(says(typo.message, "did you mean 'customer-email'?"));
    CHECK(says(expect_error(registry.describe_term("buyer-email"), ErrorKind::not_found).message,
               "synonym of term 'customer-email'"));
  }

  SECTION("only owners of the glossary's domain (and admins) publish it; a refusal is audited") {
    // The domains exist (on a server, only an admin creates one).
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("finance", "revenue", "1.0.0"), PublishMode::apply));
    const auto owner =
        contract.as_holder_of(expect_ok(registry.create_token({"sales-ci", Role::owner, {"sales"}})).secret);
    const auto stranger =
        contract.as_holder_of(expect_ok(registry.create_token({"finance-ci", Role::owner, {"finance"}})).secret);
    const auto reader = contract.as_holder_of(expect_ok(registry.create_token({"viewer", Role::reader, {}})).secret);
    const auto glossary = make_glossary("sales", "customer-terms", "1.0.0");
    CHECK(says(expect_error(stranger->publish_glossary(glossary, false), ErrorKind::forbidden).message, "sales"));
    expect_error(stranger->publish_glossary(glossary, true), ErrorKind::forbidden);
    expect_error(reader->publish_glossary(glossary, false), ErrorKind::forbidden);
    CHECK(expect_ok(owner->publish_glossary(glossary, false)).action == ChangeAction::created);
    // Everyone reads the terms.
    CHECK(expect_ok(reader->list_terms(std::nullopt)).size() == 2);
    CHECK(expect_ok(stranger->describe_term("customer-id")).term.domain == "sales");
    AuditQuery refusals;
    refusals.action = "forbidden";
    CHECK(expect_ok(registry.audit(refusals)).events.size() == 3);
  }
}

}  // namespace meshctl::registry::testing
