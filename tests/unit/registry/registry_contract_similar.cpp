// The registry contract, continued: products whose output schemas overlap (`meshctl similar`) and the
// MESH-DUPLICATE check of every publication (issue 18). Every backend keeps the same index entries
// (catalog/similarity.h) and the service scores the candidates, so they agree on what is found and in what order.

#include <algorithm>
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

using Refs = std::vector<std::string>;
using Names = std::vector<std::string>;

struct Column {
  std::string name;
  std::string type = "string";
};

// domain/name@version with exactly these output fields (each described, so the built-in standards pass) at
// `location` (default: s3://DOMAIN/NAME/, its own).
manifest::DataProduct with_fields(const std::string& domain, const std::string& name, const std::string& version,
                                  const std::vector<Column>& columns, const std::string& location = "",
                                  const std::vector<std::string>& inputs = {}) {
  auto product = make_manifest(domain, name, version, inputs);
  auto& port = product.spec.output_ports.at(0);
  if (!location.empty()) port.location = location;
  port.schema->fields.clear();
  for (const auto& column : columns) {
    manifest::Field field;
    field.name = column.name;
    field.type = column.type;
    field.description = "The " + column.name + " of the row.";
    port.schema->fields.push_back(field);
  }
  return product;
}

const std::vector<Column> kOrderColumns = {{"order_id"}, {"customer_id"}, {"customer_email"},
                                           {"amount", "decimal"}, {"currency"}, {"ordered_on", "date"}};

// The same six fields in another order: a copy under a new name.
const std::vector<Column> kCopiedColumns = {{"ordered_on", "date"}, {"order_id"}, {"amount", "decimal"},
                                            {"currency"}, {"customer_email"}, {"customer_id"}};

// The same six, spelled as another team would (the built-in standards refuse camelCase, so this one is only
// ever compared as a manifest, never registered).
const std::vector<Column> kCamelColumns = {{"orderId"}, {"CustomerId"}, {"customer-email"},
                                           {"Amount", "decimal"}, {"currency"}, {"orderedOn", "date"}};

// Five of the six (no currency) and one of its own, with one type that differs: 5 pairs over 7 fields,
// one at 0.75, so (4 + 0.75) / 7 = 0.679.
const std::vector<Column> kOverlappingColumns = {{"order_id"}, {"customer_id"}, {"customer_email"},
                                                 {"amount", "double"}, {"ordered_on", "date"}, {"channel"}};

const std::vector<Column> kCampaignColumns = {{"campaign_id"}, {"title"}, {"budget", "decimal"}, {"starts_on", "date"}};

SimilarRequest to_product(const std::string& text, std::optional<std::string> version = std::nullopt) {
  SimilarRequest request;
  request.product = ref(text);
  request.version = std::move(version);
  return request;
}

SimilarRequest to_manifest(manifest::DataProduct manifest) {
  SimilarRequest request;
  request.manifest = std::move(manifest);
  return request;
}

Refs found(const SimilarResult& result) {
  Refs refs;
  for (const auto& similar : result.similar) refs.push_back(similar.product.ref.text());
  return refs;
}

Refs similar_to(Registry& registry, SimilarRequest request) {
  return found(expect_ok(registry.similar(request)));
}

constexpr const char* kDuplicatesAreErrors = R"(apiVersion: meshctl/v1
kind: Standards
extends: default
rules:
  MESH-DUPLICATE: error
)";

// An error at 0.9 everywhere; finance's products are not checked at all.
constexpr const char* kStrictButFinance = R"(apiVersion: meshctl/v1
kind: Standards
extends: default
rules:
  MESH-DUPLICATE: { severity: error, params: { threshold: 0.9 } }
overrides:
  - domains: [finance]
    rules: { MESH-DUPLICATE: off }
)";

constexpr const char* kErrorsFromHalf = R"(apiVersion: meshctl/v1
kind: Standards
extends: default
rules:
  MESH-DUPLICATE: { severity: error, params: { threshold: 0.5 } }
)";

// The products of the duplicates an error lists (details.duplicates), each as "PRODUCT ~ SIMILAR".
Refs refused_duplicates(const Error& error) {
  Refs refs;
  REQUIRE(error.details.contains("duplicates"));
  for (const auto& duplicate : error.details.at("duplicates")) {
    CHECK(duplicate.at("rule") == "MESH-DUPLICATE");
    CHECK(duplicate.at("severity") == "error");
    refs.push_back(duplicate.at("product").get<std::string>() + " ~ " +
                   duplicate.at("similar").at("domain").get<std::string>() + "/" +
                   duplicate.at("similar").at("name").get<std::string>());
  }
  return refs;
}

Refs duplicates_of(const ApplyPlan& plan) {
  Refs refs;
  for (const auto& duplicate : plan.duplicates) {
    refs.push_back(duplicate.product.text() + " ~ " + duplicate.similar.product.ref.text());
  }
  return refs;
}

}  // namespace

void check_similar(Registry& registry, const RegistryContract& contract) {
  expect_ok(registry.publish(with_fields("sales", "orders", "1.0.0", kOrderColumns), PublishMode::apply));
  expect_ok(registry.publish(with_fields("marketing", "campaigns", "1.0.0", kCampaignColumns), PublishMode::apply));

  SECTION("similar lists the overlapping products, closest first, with what they share; never the product itself") {
    expect_ok(registry.publish(with_fields("finance", "order-lines", "1.0.0", kCopiedColumns), PublishMode::apply));
    expect_ok(
        registry.publish(with_fields("finance", "order-facts", "1.0.0", kOverlappingColumns), PublishMode::apply));
    const auto result = expect_ok(registry.similar(to_product("sales/orders")));
    CHECK(result.product.text() == "sales/orders");
    CHECK(result.version == "1.0.0");
    CHECK(result.fields == 6);
    CHECK(found(result) == Refs{"finance/order-lines", "finance/order-facts"});
    REQUIRE(result.similar.size() == 2);
    const auto& copy = result.similar[0];
    CHECK(copy.score == 1.0);
    CHECK(copy.fields == 6);
    CHECK(copy.product.latest_version == "1.0.0");
    CHECK(copy.product.owner.team == "finance-data");
    CHECK(copy.shared_fields == Names{"amount", "currency", "customer_email", "customer_id", "order_id", "ordered_on"});
    CHECK(copy.different_types.empty());
    CHECK(copy.same_locations.empty());
    const auto& overlapping = result.similar[1];
    CHECK(overlapping.score == Approx(4.75 / 7.0).margin(0.0005));  // 3 decimals over HTTP
    CHECK(overlapping.fields == 6);
    CHECK(overlapping.shared_fields == Names{"amount", "customer_email", "customer_id", "order_id", "ordered_on"});
    CHECK(overlapping.different_types == Names{"amount"});

    // --min-score and --limit.
    auto closest = to_product("sales/orders");
    closest.min_score = 0.7;
    CHECK(similar_to(registry, closest) == Refs{"finance/order-lines"});
    auto one = to_product("sales/orders");
    one.limit = 1;
    CHECK(similar_to(registry, one) == Refs{"finance/order-lines"});
    // From the copy's side, the same pair with the copy's names.
    const auto back = expect_ok(registry.similar(to_product("finance/order-lines")));
    CHECK(found(back) == Refs{"sales/orders", "finance/order-facts"});
  }

  SECTION("a manifest compares without being registered; one named as a registered product never lists it") {
    const auto result = expect_ok(registry.similar(to_manifest(with_fields("finance", "draft", "0.1.0", kCamelColumns))));
    CHECK(result.product.text() == "finance/draft");
    CHECK(result.version == "0.1.0");
    CHECK(found(result) == Refs{"sales/orders"});
    REQUIRE(result.similar.size() == 1);
    CHECK(result.similar[0].score == 1.0);  // names compare normalised, shared as the manifest spells them
    CHECK(result.similar[0].shared_fields ==
          Names{"Amount", "currency", "customer-email", "CustomerId", "orderId", "orderedOn"});
    expect_error(registry.get_product(ref("finance/draft")), ErrorKind::not_found);
    CHECK(similar_to(registry, to_manifest(with_fields("sales", "orders", "2.0.0", kOrderColumns))).empty());
  }

  SECTION("a product at the same output location is listed first, whatever its score") {
    expect_ok(registry.publish(with_fields("finance", "order-lines", "1.0.0", kCopiedColumns), PublishMode::apply));
    expect_ok(registry.publish(with_fields("marketing", "spend", "1.0.0", {{"spend_id"}, {"cost", "decimal"}},
                                           "s3://sales/orders//"),
                               PublishMode::apply));
    const auto result = expect_ok(registry.similar(to_product("sales/orders")));
    CHECK(found(result) == Refs{"marketing/spend", "finance/order-lines"});
    CHECK(result.similar[0].score == 0.0);
    CHECK(result.similar[0].shared_fields.empty());
    CHECK(result.similar[0].same_locations == Names{"s3://sales/orders"});
  }

  SECTION("the index follows each product's latest version; a retired product leaves it") {
    expect_ok(registry.publish(with_fields("finance", "order-lines", "1.0.0", kCopiedColumns), PublishMode::apply));
    // A new version with other fields: the product no longer overlaps; its earlier version still compares.
    expect_ok(registry.publish(with_fields("finance", "order-lines", "2.0.0", kCampaignColumns), PublishMode::evolve));
    CHECK(similar_to(registry, to_product("sales/orders")).empty());
    CHECK(similar_to(registry, to_product("finance/order-lines", "1.0.0")) == Refs{"sales/orders"});
    CHECK(similar_to(registry, to_product("finance/order-lines")) == Refs{"marketing/campaigns"});
    // Back to the copied fields.
    expect_ok(registry.publish(with_fields("finance", "order-lines", "3.0.0", kCopiedColumns), PublishMode::evolve));
    CHECK(similar_to(registry, to_product("sales/orders")) == Refs{"finance/order-lines"});
    // Retired: gone from every answer, though its versions still compare with the others.
    expect_ok(registry.retire({ref("finance/order-lines"), true, "a copy", std::nullopt}));
    CHECK(similar_to(registry, to_product("sales/orders")).empty());
    CHECK(similar_to(registry, to_product("finance/order-lines")) == Refs{"sales/orders"});
  }

  SECTION("the glossary's synonyms are their term's name; the index follows a glossary that changes them") {
    // Every field a synonym: without the glossary these schemas share nothing, not even an index band.
    const std::vector<Column> synonyms = {{"buyer_email"}, {"client_id"}, {"ordered_on", "date"}};
    const std::vector<Column> terms = {{"customer_email"}, {"customer_id"}, {"ordered_on", "date"}};
    expect_ok(registry.publish(with_fields("finance", "buyers", "1.0.0", synonyms), PublishMode::apply));
    const auto probe = with_fields("marketing", "contacts", "1.0.0", terms);
    const auto lists_buyers = [&] {
      const auto refs = similar_to(registry, to_manifest(probe));
      return std::find(refs.begin(), refs.end(), "finance/buyers") != refs.end();
    };
    CHECK_FALSE(lists_buyers());

    auto glossary = make_glossary("sales", "customer-terms", "1.0.0");  // buyer-email -> customer-email
    glossary.terms[1].synonyms = {"client-id"};
    expect_ok(registry.publish_glossary(glossary, false));
    // Indexed before the glossary existed, finance/buyers is found: its entry was made again.
    const auto result = expect_ok(registry.similar(to_manifest(probe)));
    REQUIRE_FALSE(result.similar.empty());
    CHECK(found(result)[0] == "finance/buyers");
    CHECK(result.similar[0].score == 1.0);
    CHECK(result.similar[0].shared_fields == Names{"customer_email", "customer_id", "ordered_on"});
    // A product published now is compared through the synonyms too.
    const auto plan = expect_ok(registry.plan({probe}, PublishMode::apply));
    CHECK(duplicates_of(plan) == Refs{"marketing/contacts ~ finance/buyers"});

    // The next version drops the synonyms: finance/buyers no longer matches, its entry follows.
    glossary.metadata.version = "1.1.0";
    glossary.terms[0].synonyms.clear();
    glossary.terms[1].synonyms.clear();
    expect_ok(registry.publish_glossary(glossary, false));
    CHECK_FALSE(lists_buyers());
  }

  SECTION("what cannot be answered is invalid; a missing product or version is not_found") {
    SimilarRequest both = to_product("sales/orders");
    both.manifest = with_fields("sales", "x", "1.0.0", kOrderColumns);
    expect_error(registry.similar(both), ErrorKind::invalid);
    expect_error(registry.similar(SimilarRequest{}), ErrorKind::invalid);
    auto versioned_manifest = to_manifest(with_fields("sales", "x", "1.0.0", kOrderColumns));
    versioned_manifest.version = "1.0.0";
    expect_error(registry.similar(versioned_manifest), ErrorKind::invalid);
    for (const std::size_t limit : {std::size_t{0}, kMaxSimilarLimit + 1}) {
      auto request = to_product("sales/orders");
      request.limit = limit;
      expect_error(registry.similar(request), ErrorKind::invalid);
    }
    for (const double score : {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
      auto request = to_product("sales/orders");
      request.min_score = score;
      expect_error(registry.similar(request), ErrorKind::invalid);
    }
    auto edges = to_product("sales/orders");
    edges.limit = kMaxSimilarLimit;
    edges.min_score = 1.0;
    expect_ok(registry.similar(edges));
    expect_error(registry.similar(to_product("sales/nothing")), ErrorKind::not_found);
    expect_error(registry.similar(to_product("sales/orders", "9.9.9")), ErrorKind::not_found);
  }

  SECTION("MESH-DUPLICATE is a warning by default: the plan carries it and the apply goes ahead") {
    const auto copy = with_fields("finance", "order-lines", "1.0.0", kCopiedColumns);
    const auto plan = expect_ok(registry.plan({copy}, PublishMode::apply));
    REQUIRE(plan.duplicates.size() == 1);
    const auto& finding = plan.duplicates[0];
    CHECK(finding.product.text() == "finance/order-lines");
    CHECK(finding.version == "1.0.0");
    CHECK(finding.severity == "warning");
    CHECK(finding.threshold == 0.8);
    CHECK(finding.similar.product.ref.text() == "sales/orders");
    CHECK(finding.similar.score == 1.0);
    CHECK(says(finding.message, "finance/order-lines is 1.00 similar to sales/orders"));
    CHECK(says(finding.message, "share 6 of its 6 fields"));
    expect_ok(registry.execute(plan));
    CHECK(expect_ok(registry.get_product(ref("finance/order-lines"))).latest_version == "1.0.0");
    // publish has no place for warnings: it goes ahead.
    expect_ok(registry.publish(with_fields("finance", "order-copy", "1.0.0", kOrderColumns), PublishMode::apply));
    // Below the threshold (0.68 < 0.8): nothing to say.
    CHECK(expect_ok(registry.plan({with_fields("marketing", "facts", "1.0.0", kOverlappingColumns)}, PublishMode::apply))
              .duplicates.empty());
  }

  SECTION("a product is never its own duplicate, nor one of its earlier versions'; an unchanged one is not checked") {
    expect_ok(registry.publish_standards(kDuplicatesAreErrors));
    // The same fields again in a new version: the registered product is itself.
    const auto evolved = with_fields("sales", "orders", "1.1.0", kOrderColumns);
    CHECK(expect_ok(registry.plan({evolved}, PublishMode::apply)).duplicates.empty());
    expect_ok(registry.publish(evolved, PublishMode::evolve));
    CHECK(expect_ok(registry.publish(evolved, PublishMode::apply)).action == ChangeAction::unchanged);
    expect_ok(registry.publish(with_fields("sales", "orders", "1.2.0", kCopiedColumns), PublishMode::evolve));
  }

  SECTION("at severity error, plan, publish and execute refuse with the findings, and nothing is written") {
    const auto copy = with_fields("finance", "order-lines", "1.0.0", kCopiedColumns);
    const auto earlier_plan = expect_ok(registry.plan({copy}, PublishMode::apply));
    expect_ok(registry.publish_standards(kDuplicatesAreErrors));
    const auto refused = expect_error(registry.plan({copy}, PublishMode::apply), ErrorKind::findings);
    CHECK(refused_duplicates(refused) == Refs{"finance/order-lines ~ sales/orders"});
    CHECK(says(refused.message, "[MESH-DUPLICATE]"));
    CHECK(says(refused.message, "nothing was written"));
    const auto published = expect_error(registry.publish(copy, PublishMode::apply), ErrorKind::findings);
    CHECK(refused_duplicates(published) == Refs{"finance/order-lines ~ sales/orders"});
    // A plan made while it was a warning is checked again when it runs.
    CHECK(refused_duplicates(expect_error(registry.execute(earlier_plan), ErrorKind::findings)) ==
          Refs{"finance/order-lines ~ sales/orders"});
    expect_error(registry.get_product(ref("finance/order-lines")), ErrorKind::not_found);
    // One refused manifest refuses the whole apply.
    const auto batch = std::vector{with_fields("marketing", "audiences", "1.0.0", {{"audience_id"}, {"size"}}), copy};
    expect_error(registry.plan(batch, PublishMode::apply), ErrorKind::findings);
    expect_error(registry.get_product(ref("marketing/audiences")), ErrorKind::not_found);
  }

  SECTION("the threshold param decides what is a duplicate; a shared location is one whatever the score") {
    expect_ok(registry.publish_standards(kErrorsFromHalf));
    const auto facts = with_fields("marketing", "order-facts", "1.0.0", kOverlappingColumns);  // 0.68
    CHECK(refused_duplicates(expect_error(registry.plan({facts}, PublishMode::apply), ErrorKind::findings)) ==
          Refs{"marketing/order-facts ~ sales/orders"});
    expect_ok(registry.publish_standards(kStrictButFinance));  // 0.9 outside finance
    expect_ok(registry.publish(facts, PublishMode::apply));
    const auto located = with_fields("marketing", "spend", "1.0.0", {{"spend_id"}}, "s3://sales/orders");
    const auto refused = expect_error(registry.publish(located, PublishMode::apply), ErrorKind::findings);
    CHECK(refused_duplicates(refused) == Refs{"marketing/spend ~ sales/orders"});
    CHECK(says(refused.message, "writes to s3://sales/orders, the output location of sales/orders"));
  }

  SECTION("standards set it per domain: off for one domain, an error elsewhere; other domains' products count") {
    expect_ok(registry.publish_standards(kStrictButFinance));
    expect_ok(registry.publish(with_fields("finance", "order-lines", "1.0.0", kCopiedColumns), PublishMode::apply));
    // A copy in marketing is refused: sales/orders and finance/order-lines are both its duplicates.
    const auto refused = expect_error(
        registry.publish(with_fields("marketing", "orders", "1.0.0", kOrderColumns), PublishMode::apply),
        ErrorKind::findings);
    CHECK(refused_duplicates(refused) ==
          Refs{"marketing/orders ~ finance/order-lines", "marketing/orders ~ sales/orders"});
  }

  SECTION("a product that reads another through an input port is not its duplicate, unless they share a location") {
    expect_ok(registry.publish_standards(kDuplicatesAreErrors));
    // Derived from sales/orders with the same fields (a filtered view): the reuse the rule asks for.
    const auto derived = with_fields("finance", "eu-orders", "1.0.0", kOrderColumns, "", {"sales/orders"});
    const auto plan = expect_ok(registry.plan({derived}, PublishMode::apply));
    CHECK(plan.duplicates.empty());
    expect_ok(registry.execute(plan));
    // It does not excuse a copy of another product it does not read.
    expect_ok(registry.publish_standards(R"(apiVersion: meshctl/v1
kind: Standards
extends: default
)"));
    expect_ok(registry.publish(with_fields("sales", "orders-copy", "1.0.0", kOrderColumns), PublishMode::apply));
    expect_ok(registry.publish_standards(kDuplicatesAreErrors));
    const auto reads_one = with_fields("finance", "eu-orders", "1.1.0", kOrderColumns, "", {"sales/orders"});
    CHECK(refused_duplicates(expect_error(registry.publish(reads_one, PublishMode::evolve), ErrorKind::findings)) ==
          Refs{"finance/eu-orders ~ sales/orders-copy"});
    // Writing over what it reads is reported all the same.
    const auto overwrites =
        with_fields("marketing", "orders-view", "1.0.0", {{"view_id"}}, "s3://sales/orders/", {"sales/orders"});
    CHECK(refused_duplicates(expect_error(registry.publish(overwrites, PublishMode::apply), ErrorKind::findings)) ==
          Refs{"marketing/orders-view ~ sales/orders"});
  }

  SECTION("a reader compares products and manifests, in every domain, and writes nothing") {
    const auto reader = expect_ok(registry.create_token({"similar-reader", Role::reader, {}}));
    const auto as_reader = contract.as_holder_of(reader.secret);
    expect_ok(registry.publish(with_fields("finance", "order-lines", "1.0.0", kCopiedColumns), PublishMode::apply));
    CHECK(similar_to(*as_reader, to_product("sales/orders")) == Refs{"finance/order-lines"});
    CHECK(similar_to(*as_reader, to_manifest(with_fields("marketing", "x", "1.0.0", kOrderColumns))) ==
          Refs{"finance/order-lines", "sales/orders"});
    expect_error(as_reader->plan({with_fields("marketing", "x", "1.0.0", kOrderColumns)}, PublishMode::apply),
                 ErrorKind::forbidden);
    // An owner of sales reads finance's products too, and is refused a write to finance before any check.
    const auto owner = expect_ok(registry.create_token({"similar-sales", Role::owner, {"sales"}}));
    const auto as_owner = contract.as_holder_of(owner.secret);
    CHECK(similar_to(*as_owner, to_product("finance/order-lines")) == Refs{"sales/orders"});
    expect_error(as_owner->plan({with_fields("finance", "y", "1.0.0", kOrderColumns)}, PublishMode::apply),
                 ErrorKind::forbidden);
    // Within its own domain, the duplicate it would publish is reported to it like to anyone.
    const auto own = expect_ok(as_owner->plan({with_fields("sales", "orders-2", "1.0.0", kOrderColumns)}, PublishMode::apply));
    CHECK(duplicates_of(own) == Refs{"sales/orders-2 ~ finance/order-lines", "sales/orders-2 ~ sales/orders"});
  }
}

}  // namespace meshctl::registry::testing
