// The registry contract, continued: full-text search over the mesh and the product filters it shares with
// list_products (issue 18). Every backend indexes the words catalog/search.h makes and ranks by its levels
// (kSearchLevels), so they agree on what matches and in what order: equal levels in registration order.

#include <algorithm>

#include <catch2/catch.hpp>

#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

manifest::Field field(const std::string& name, const std::string& description) {
  manifest::Field result;
  result.name = name;
  result.type = "string";
  result.description = description;
  return result;
}

// sales/customers: tagged gdpr, a PII field customer_email bound to the term customer-email.
manifest::DataProduct customers() {
  auto product = make_manifest("sales", "customers", "1.0.0", {}, "Everyone who bought something, once a day.");
  product.metadata.tags = {"gdpr", "crm"};
  auto email = field("customer_email", "Where the customer is reached.");
  email.pii = true;
  email.classification = "confidential";
  email.term = "customer-email";
  product.spec.output_ports[0].schema->fields.push_back(email);
  return product;
}

// sales/orders: email only in its description, a field order_id.
manifest::DataProduct orders(const std::string& version = "1.0.0") {
  auto product = make_manifest("sales", "orders", version, {},
                               "Confirmed orders; a receipt goes to the customer by email before invoices are sent.");
  product.metadata.tags = {"orders"};
  product.spec.output_ports[0].schema->fields.push_back(field("order_id", "The order's key."));
  return product;
}

// finance/invoices: "invoices" in its name and title; owned by finance-data.
manifest::DataProduct invoices() {
  auto product = make_manifest("finance", "invoices", "1.0.0", {}, "What was billed, per order line.");
  product.metadata.tags = {"billing"};
  return product;
}

std::vector<std::string> found(const SearchResult& result) {
  std::vector<std::string> refs;
  for (const auto& hit : result.hits) refs.push_back(hit.product.ref.text());
  return refs;
}

std::vector<std::string> search(Registry& registry, const std::string& text, ProductFilter filter = {}) {
  return found(expect_ok(registry.search({text, std::move(filter), 20})));
}

std::vector<std::string> listed(Registry& registry, const ProductFilter& filter) {
  std::vector<std::string> refs;
  for (const auto& product : expect_ok(registry.list_products({filter, {}, 100})).products) {
    refs.push_back(product.ref.text());
  }
  return refs;
}

using Refs = std::vector<std::string>;

}  // namespace

void check_search(Registry& registry) {
  expect_ok(registry.publish_glossary(make_glossary("sales", "customer-terms", "1.0.0"), false));
  expect_ok(registry.publish(customers(), PublishMode::apply));
  expect_ok(registry.publish(orders(), PublishMode::apply));
  expect_ok(registry.publish(invoices(), PublishMode::apply));

  SECTION("a field hit ranks above a description hit, and each hit says what matched") {
    const auto result = expect_ok(registry.search({"email", {}, 20}));
    CHECK(found(result) == Refs{"sales/customers", "sales/orders"});
    REQUIRE(result.hits.size() == 2);
    CHECK(result.hits[0].matched ==
          std::vector<std::string>{"field customer_email", "field customer_email term customer-email"});
    CHECK(result.hits[0].title == "The customers product");
    CHECK(result.hits[0].product.owner.team == "sales-data");
    CHECK(result.hits[1].matched == std::vector<std::string>{"description"});
    CHECK(result.hits[1].description.find("receipt") != std::string::npos);
  }

  SECTION("snake_case names are found by each part, and as written only where the parts are adjacent") {
    CHECK(search(registry, "customer") == Refs{"sales/customers", "sales/orders"});
    CHECK(search(registry, "customer_email") == Refs{"sales/customers"});
    CHECK(search(registry, "Customer-Email") == Refs{"sales/customers"});
    CHECK(search(registry, "customerEmail") == Refs{"sales/customers"});
    CHECK(search(registry, "email customer") == Refs{"sales/customers", "sales/orders"});
    CHECK(search(registry, "email nowhere").empty());
  }

  SECTION("a name or tag hit ranks above a description hit") {
    CHECK(search(registry, "invoices") == Refs{"finance/invoices", "sales/orders"});
    const auto result = expect_ok(registry.search({"gdpr", {}, 20}));
    REQUIRE(result.hits.size() == 1);
    CHECK(result.hits[0].matched == std::vector<std::string>{"tag gdpr"});
    // Equal levels in registration order, not by name.
    expect_ok(registry.publish(make_manifest("marketing", "bravo", "1.0.0", {}, "Zulu campaigns, run every week."),
                               PublishMode::apply));
    expect_ok(registry.publish(make_manifest("marketing", "alpha", "1.0.0", {}, "Zulu campaigns, run every week."),
                               PublishMode::apply));
    CHECK(search(registry, "zulu") == Refs{"marketing/bravo", "marketing/alpha"});
  }

  SECTION("levels: every word in names first, then every word in names or fields, then anywhere") {
    // Published from the lowest level to the highest, so only the levels can put them in order.
    expect_ok(registry.publish(make_manifest("marketing", "charlie", "1.0.0", {}, "Zulu yankee numbers, every week."),
                               PublishMode::apply));
    auto fielded = make_manifest("marketing", "delta", "1.0.0", {}, "Campaign results, every week.");
    fielded.spec.output_ports[0].schema->fields.push_back(field("zulu_yankee", "Campaign code."));
    expect_ok(registry.publish(fielded, PublishMode::apply));
    auto split = make_manifest("marketing", "echo", "1.0.0", {}, "Yankee campaigns, every week.");
    split.metadata.tags = {"zulu"};
    expect_ok(registry.publish(split, PublishMode::apply));
    expect_ok(registry.publish(make_manifest("marketing", "zulu-yankee", "1.0.0", {}, "Campaigns, every single week."),
                               PublishMode::apply));
    expect_ok(registry.publish(make_manifest("marketing", "foxtrot", "1.0.0", {}, "Zulu yankee totals, every week."),
                               PublishMode::apply));

    CHECK(search(registry, "zulu yankee") ==
          Refs{"marketing/zulu-yankee", "marketing/delta", "marketing/charlie", "marketing/echo", "marketing/foxtrot"});
    CHECK(search(registry, "zulu") ==
          Refs{"marketing/echo", "marketing/zulu-yankee", "marketing/delta", "marketing/charlie", "marketing/foxtrot"});
    CHECK(search(registry, "zulu_yankee") ==
          Refs{"marketing/zulu-yankee", "marketing/delta", "marketing/charlie", "marketing/foxtrot"});
    // A page cut inside a level, and one that spans levels, without repeats.
    CHECK(found(expect_ok(registry.search({"zulu yankee", {}, 1}))) == Refs{"marketing/zulu-yankee"});
    CHECK(found(expect_ok(registry.search({"zulu yankee", {}, 3}))) ==
          Refs{"marketing/zulu-yankee", "marketing/delta", "marketing/charlie"});

    // Filters hold at every level; a domain whose products were registered apart keeps only its own.
    expect_ok(registry.publish(make_manifest("sales", "zulu-leads", "1.0.0", {}, "Leads, found every single week."),
                               PublishMode::apply));
    ProductFilter sales;
    sales.domain = "sales";
    CHECK(search(registry, "zulu", sales) == Refs{"sales/zulu-leads"});
    CHECK(search(registry, "customer", sales) == Refs{"sales/customers", "sales/orders"});
    ProductFilter marketing;
    marketing.domain = "marketing";
    CHECK(search(registry, "zulu yankee", marketing).size() == 5);
    expect_ok(registry.deprecate({ref("marketing/zulu-yankee"), std::nullopt, "2027-06-30", "merged", std::nullopt}));
    RetireRequest retire;
    retire.ref = ref("marketing/zulu-yankee");
    retire.force = true;
    expect_ok(registry.retire(retire));
    CHECK(search(registry, "zulu yankee", marketing) ==
          Refs{"marketing/delta", "marketing/charlie", "marketing/echo", "marketing/foxtrot"});
    ProductFilter retired;
    retired.status = LifecycleStatus::retired;
    CHECK(search(registry, "zulu yankee", retired) == Refs{"marketing/zulu-yankee"});

    // A phrase stays within one column: a product's last tag and its first label (tier) do not make one.
    auto tagged = make_manifest("marketing", "golf", "1.0.0", {}, "Golf campaigns, every single week.");
    tagged.metadata.tags = {"kilo"};
    expect_ok(registry.publish(tagged, PublishMode::apply));
    CHECK(search(registry, "kilo tier") == Refs{"marketing/golf"});
    CHECK(search(registry, "kilo_tier").empty());
    CHECK(search(registry, "tier_gold", marketing).size() == 5);
  }

  SECTION("filters narrow a search, or select alone, on search and on list_products alike") {
    ProductFilter sales;
    sales.domain = "sales";
    CHECK(search(registry, "product", sales) == Refs{"sales/customers", "sales/orders"});
    ProductFilter tag;
    tag.tag = "gdpr";
    CHECK(search(registry, "", tag) == Refs{"sales/customers"});
    CHECK(listed(registry, tag) == Refs{"sales/customers"});
    ProductFilter pii;
    pii.pii = true;
    CHECK(search(registry, "", pii) == Refs{"sales/customers"});
    CHECK(listed(registry, pii) == Refs{"sales/customers"});
    ProductFilter term;
    term.term = "customer-email";
    CHECK(search(registry, "", term) == Refs{"sales/customers"});
    CHECK(listed(registry, term) == Refs{"sales/customers"});
    ProductFilter field_filter;
    field_filter.field = "order_id";
    CHECK(search(registry, "", field_filter) == Refs{"sales/orders"});
    CHECK(listed(registry, field_filter) == Refs{"sales/orders"});
    ProductFilter owner;
    owner.owner = "finance-data";
    CHECK(search(registry, "", owner) == Refs{"finance/invoices"});
    CHECK(listed(registry, owner) == Refs{"finance/invoices"});
    ProductFilter two;
    two.owner = "sales-data";
    two.tag = "orders";
    CHECK(search(registry, "email", two) == Refs{"sales/orders"});
    CHECK(listed(registry, two) == Refs{"sales/orders"});
    ProductFilter none;
    none.tag = "gdpr";
    none.field = "order_id";
    CHECK(search(registry, "", none).empty());
  }

  SECTION("the index follows the latest version; retired products only when asked for") {
    auto evolved = orders("1.1.0");
    evolved.metadata.tags = {"orders", "refunds"};
    evolved.metadata.description = "Confirmed orders, refunds included.";
    expect_ok(registry.publish(evolved, PublishMode::apply));
    CHECK(search(registry, "refunds") == Refs{"sales/orders"});
    CHECK(search(registry, "receipt").empty());
    ProductFilter old_tag;
    old_tag.tag = "refunds";
    CHECK(listed(registry, old_tag) == Refs{"sales/orders"});

    expect_ok(registry.deprecate({ref("sales/orders"), std::nullopt, "2027-06-30", "split up", std::nullopt}));
    CHECK(search(registry, "refunds") == Refs{"sales/orders"});
    RetireRequest retire;
    retire.ref = ref("sales/orders");
    retire.force = true;
    expect_ok(registry.retire(retire));
    CHECK(search(registry, "refunds").empty());
    ProductFilter retired;
    retired.status = LifecycleStatus::retired;
    CHECK(search(registry, "refunds", retired) == Refs{"sales/orders"});
    ProductFilter active;
    active.status = LifecycleStatus::active;
    CHECK(search(registry, "email", active) == Refs{"sales/customers"});
  }

  SECTION("a limit bounds the answer; hostile text is plain words or a usage error, never a storage error") {
    CHECK(expect_ok(registry.search({"product", {}, 2})).hits.size() == 2);
    expect_error(registry.search({"product", {}, 0}), ErrorKind::invalid);
    expect_error(registry.search({"product", {}, kMaxSearchLimit + 1}), ErrorKind::invalid);
    // Operators and quotes of FTS5 and tsquery are separators: what is left are plain words.
    CHECK(search(registry, "\"gdpr\" OR").empty());
    CHECK(search(registry, "gdpr*") == Refs{"sales/customers"});
    CHECK(search(registry, "(gdpr) & !x").empty());
    CHECK(search(registry, "NEAR(gdpr crm)").empty());
    CHECK(search(registry, "' OR 1=1 --").empty());
    CHECK(search(registry, "gdpr\\") == Refs{"sales/customers"});
    CHECK(search(registry, "gd'pr").empty());
    CHECK(search(registry, std::string("gdpr\0crm", 8)) == Refs{"sales/customers"});
    CHECK(search(registry, "ém@il ü").empty());
    expect_error(registry.search({"\"*\" && ||", {}, 20}), ErrorKind::invalid);
    expect_error(registry.search({std::string(5000, 'a'), {}, 20}), ErrorKind::invalid);
    expect_error(registry.search({"a b c d e f g h i j k l m n o p q", {}, 20}), ErrorKind::invalid);
    expect_error(registry.search({"gdpr \xff\xfe", {}, 20}), ErrorKind::invalid);
    expect_error(registry.search({"", {}, 20}), ErrorKind::invalid);
  }
}

}  // namespace meshctl::registry::testing
