// The registry contract, continued: the platform's standards kept by the registry, and every
// publication checked against them (issue 15).

#include <catch2/catch.hpp>

#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

// Descriptions of 400 characters or more, for finance only (a per-domain override).
constexpr const char* kStrictForFinance = R"(apiVersion: meshctl/v1
kind: Standards
extends: default
overrides:
  - domains: [finance]
    rules:
      MESH-DESCRIPTION:
        severity: error
        params:
          minLength: 400
)";

// Every built-in rule off.
constexpr const char* kLax = R"(apiVersion: meshctl/v1
kind: Standards
extends: none
)";

manifest::DataProduct with_owner_email(manifest::DataProduct product, const std::string& email) {
  product.metadata.owner->email = email;
  return product;
}

// The rules of the error findings in `error.details`, product by product.
std::vector<std::string> refused_rules(const Error& error) {
  std::vector<std::string> rules;
  for (const auto& manifest : error.details.at("manifests")) {
    for (const auto& finding : manifest.at("findings")) {
      rules.push_back(manifest.at("product").get<std::string>() + " " + finding.at("rule").get<std::string>());
    }
  }
  return rules;
}

}  // namespace

void check_standards(Registry& registry) {
  SECTION("without published standards the built-in ones refuse a manifest that breaks them, and nothing is written") {
    CHECK_FALSE(expect_ok(registry.standards()).has_value());
    const auto bad = with_owner_email(make_manifest("sales", "orders", "1.0.0"), "not-an-email");
    const auto error = expect_error(registry.publish(bad, PublishMode::apply), ErrorKind::findings);
    CHECK(refused_rules(error) == std::vector<std::string>{"sales/orders MESH-OWNER-EMAIL"});
    CHECK(error.message.find("built-in") != std::string::npos);
    expect_error(registry.get_product(ref("sales/orders")), ErrorKind::not_found);
    expect_error(registry.plan({bad}, PublishMode::apply), ErrorKind::findings);
  }

  SECTION("published standards are versioned; the same text again is unchanged") {
    const auto first = expect_ok(registry.publish_standards(kStrictForFinance));
    CHECK_FALSE(first.unchanged);
    CHECK(first.record.version == 1);
    CHECK(first.record.text == kStrictForFinance);
    CHECK(first.record.content_hash == content_hash(kStrictForFinance));
    CHECK_FALSE(first.record.published_at.empty());
    CHECK_FALSE(first.record.published_by.empty());
    const auto again = expect_ok(registry.publish_standards(kStrictForFinance));
    CHECK(again.unchanged);
    CHECK(again.record.version == 1);
    const auto second = expect_ok(registry.publish_standards(kLax));
    CHECK(second.record.version == 2);
    const auto kept = expect_ok(registry.standards());
    REQUIRE(kept.has_value());
    CHECK(kept->version == 2);
    CHECK(kept->text == kLax);
  }

  SECTION("a broken standards file is refused with positioned findings and changes nothing") {
    expect_ok(registry.publish_standards(kLax));
    const auto error = expect_error(registry.publish_standards("apiVersion: meshctl/v1\nkind: Standards\nrules: [\n"),
                                    ErrorKind::findings);
    REQUIRE(error.details.contains("findings"));
    REQUIRE_FALSE(error.details["findings"].empty());
    CHECK(error.details["findings"][0]["line"].get<int>() >= 1);
    CHECK(expect_ok(registry.standards())->version == 1);
  }

  SECTION("every publication is checked against the latest standards, per domain as the file says") {
    expect_ok(registry.publish_standards(kStrictForFinance));
    // sales is not overridden: the default minimum of 20 characters holds.
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    const auto refused = registry.publish(make_manifest("finance", "revenue", "1.0.0"), PublishMode::apply);
    CHECK(refused_rules(expect_error(refused, ErrorKind::findings)) ==
          std::vector<std::string>{"finance/revenue MESH-DESCRIPTION"});
    // A plan and its execution are checked too, and one refused manifest refuses the whole apply.
    const auto batch =
        std::vector{make_manifest("sales", "customers", "1.0.0"), make_manifest("finance", "revenue", "1.0.0")};
    expect_error(registry.plan(batch, PublishMode::apply), ErrorKind::findings);
    expect_error(registry.get_product(ref("sales/customers")), ErrorKind::not_found);
    // Standards published between a plan and its execution apply to the execution.
    expect_ok(registry.publish_standards(kLax));
    const auto plan = expect_ok(registry.plan(batch, PublishMode::apply));
    expect_ok(registry.publish_standards(kStrictForFinance));
    expect_error(registry.execute(plan), ErrorKind::findings);
    expect_error(registry.get_product(ref("finance/revenue")), ErrorKind::not_found);
    // Turned off by the registry's own (lax) standards, the rule no longer refuses.
    expect_ok(registry.publish_standards(kLax));
    expect_ok(registry.execute(expect_ok(registry.plan(batch, PublishMode::apply))));
    const auto evolved = with_owner_email(make_manifest("sales", "orders", "1.0.1"), "not-an-email");
    CHECK(expect_ok(registry.publish(evolved, PublishMode::evolve)).action == ChangeAction::evolved);
  }
}

}  // namespace meshctl::registry::testing
