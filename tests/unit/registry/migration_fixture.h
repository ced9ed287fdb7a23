#pragma once

// Rows of a registry written at an older schema version, as that version's
// meshctl would have written them, for the migration tests of both stores;
// and what a migrated registry must still answer.

#include <string>

#include <catch2/catch.hpp>

#include "meshctl/catalog/types.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/registry.h"
#include "registry/registry_contract.h"

namespace meshctl::registry::testing {

inline std::string sql_quoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

// sales/orders 1.0.0 and finance/revenue 1.0.0 (reading sales/orders), their
// audit events, and what the tables of `version` add: labels (2), an owner
// team and a token scoped to sales (3). Products are found by name, so the
// SQL works with SQLite's rowids and PostgreSQL's identity columns alike.
inline std::string rows_at_schema_version(int version) {
  const std::string when = "'2025-01-01T00:00:00Z'";
  const auto orders = manifest::canonical_text(make_manifest("sales", "orders", "1.0.0"));
  const auto revenue = manifest::canonical_text(make_manifest("finance", "revenue", "1.0.0", {"sales/orders"}));
  const auto product_id = [](const std::string& name) {
    return "(SELECT id FROM products WHERE name = '" + name + "')";
  };
  std::string sql =
      "INSERT INTO schema_version VALUES (" + std::to_string(version) +
      ");"
      "INSERT INTO domains (name, created_at) VALUES ('sales', " +
      when + "), ('finance', " + when +
      ");"
      "INSERT INTO products (domain, name, status, revision, latest_version, owner_team, owner_email, created_at, "
      "updated_at) VALUES ('sales', 'orders', 'active', 1, '1.0.0', 'sales-data', 'sales@example.com', " +
      when + ", " + when + "), ('finance', 'revenue', 'active', 1, '1.0.0', 'finance-data', 'finance@example.com', " +
      when + ", " + when + ");";
  for (const auto& [name, text] :
       {std::pair{std::string("orders"), orders}, std::pair{std::string("revenue"), revenue}}) {
    sql +=
        "INSERT INTO versions (product_id, version, status, manifest, content_hash, published_at, published_by) "
        "VALUES (" +
        product_id(name) + ", '1.0.0', 'active', " + sql_quoted(text) + ", '" + content_hash(text) + "', " + when +
        ", 'old-meshctl');";
  }
  sql +=
      "INSERT INTO dependencies (product_id, ordinal, port, provider_domain, provider_name, version_constraint) "
      "VALUES (" +
      product_id("revenue") +
      ", 0, 'from-orders', 'sales', 'orders', '^1');"
      "INSERT INTO audit_events (time, actor, action, domain, name, version, summary) VALUES "
      "(" +
      when +
      ", 'old-meshctl', 'create', 'sales', 'orders', '1.0.0', 'created'), "
      "(" +
      when + ", 'old-meshctl', 'create', 'finance', 'revenue', '1.0.0', 'created');";
  if (version >= 2) {
    sql += "INSERT INTO product_labels (product_id, key, value) VALUES (" + product_id("orders") +
           ", 'tier', 'gold'), "
           "(" +
           product_id("revenue") + ", 'tier', 'gold');";
  }
  if (version >= 3) {
    sql +=
        "UPDATE domains SET owner_team = 'sales-data' WHERE name = 'sales';"
        "INSERT INTO principals (name, role, token_id, secret_hash, created_at, created_by) VALUES "
        "('ci-sales', 'owner', 'tokenid0001', '" +
        std::string(64, 'a') + "', " + when +
        ", 'admin');"
        "INSERT INTO principal_domains (principal, domain) VALUES ('ci-sales', 'sales');";
  }
  return sql;
}

// What rows_at_schema_version(version) put in, read back through today's registry.
inline void check_rows_survived(Registry& registry, int version) {
  const auto orders = registry.get_version({"sales", "orders"}, "1.0.0");
  REQUIRE(orders.ok());
  CHECK(orders->published_by == "old-meshctl");
  CHECK(orders->manifest_json == manifest::canonical_text(make_manifest("sales", "orders", "1.0.0")));
  const auto dependents = registry.dependents({"sales", "orders"});
  REQUIRE(dependents.ok());
  REQUIRE(dependents->size() == 1);
  CHECK(dependents->front().consumer.text() == "finance/revenue");
  const auto history = registry.history({"sales", "orders"}, {});
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().actor == "old-meshctl");
  // Labels: migrated from the manifests (version 1) or kept (2 and later).
  const auto gold = registry.list_products({product_filter(std::nullopt, std::nullopt, {{"tier", "gold"}}), {}, 10});
  REQUIRE(gold.ok());
  CHECK(gold->products.size() == 2);
  const auto domains = registry.list_domains();
  REQUIRE(domains.ok());
  REQUIRE(domains->size() == 2);
  CHECK(domains->back().owner_team == (version >= 3 ? "sales-data" : ""));
  if (version >= 3) {
    const auto tokens = registry.list_tokens();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->size() == 1);
    CHECK(tokens->front().domains == std::vector<std::string>{"sales"});
  }
  // Search (7): every product indexed from its latest manifest by the migration. A registry written at 7 or
  // later kept its own index rows, which the raw rows above do not hold: nothing to check there.
  if (version < 7) {
    const auto found = registry.search({"orders", {}, 10});
    REQUIRE(found.ok());
    REQUIRE(found->hits.size() == 2);  // sales/orders by name; finance/revenue by its input port from-orders
    CHECK(found->hits[0].product.ref.text() == "sales/orders");
    CHECK(found->hits[0].matched.front() == "name");
    CHECK(found->hits[1].matched == std::vector<std::string>{"port from-orders"});
    ProductFilter with_id;
    with_id.field = "id";
    const auto listed = registry.list_products({with_id, {}, 10});
    REQUIRE(listed.ok());
    CHECK(listed->products.size() == 2);
  }
  // Glossary (8): the tables exist; a migrated registry has no terms yet.
  const auto terms = registry.list_terms(std::nullopt);
  REQUIRE(terms.ok());
  CHECK(terms->empty());
  // Similarity (12): every product that is not retired indexed from its latest manifest by the migration; the
  // two products have the same one field. A registry written at 12 or later kept its own index rows.
  if (version < 12) {
    SimilarRequest request;
    request.product = ProductRef{"sales", "orders"};
    const auto similar = registry.similar(request);
    REQUIRE(similar.ok());
    REQUIRE(similar->similar.size() == 1);
    CHECK(similar->similar[0].product.ref.text() == "finance/revenue");
    CHECK(similar->similar[0].score == 1.0);
  }
  // Writes of every later version work on the migrated registry.
  REQUIRE(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply).ok());
  REQUIRE(registry.create_token({"ci-finance-" + std::to_string(version), Role::owner, {"finance"}}).ok());
}

}  // namespace meshctl::registry::testing
