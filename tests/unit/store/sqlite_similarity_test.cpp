// The SQLite store's similarity index (store/sqlite/sqlite_similarity.cpp) row by row: what publishing,
// evolving and retiring leave in its three tables, and the look-up's contract (store.h) asked directly.

#include <catch2/catch.hpp>

#include "meshctl/catalog/similarity.h"
#include "meshctl/registry/local_registry.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "registry/raw_sqlite.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

using testing::make_manifest;
using testing::query_raw_text;
using testing::TemporaryFolder;

std::size_t rows(const std::filesystem::path& path, const std::string& table, const std::string& product) {
  return std::stoul(query_raw_text(path, "SELECT count(*) FROM " + table +
                                             " WHERE product_id = (SELECT id FROM products WHERE name = '" + product +
                                             "')")
                        .at(0));
}

std::string entry_text_of(const std::filesystem::path& path, const std::string& product) {
  const auto found = query_raw_text(
      path, "SELECT entry FROM similarity_entries WHERE product_id = (SELECT id FROM products WHERE name = '" +
                product + "')");
  return found.empty() ? "" : found.front();
}

// make_manifest's product with `names` as its fields instead of `id`.
manifest::DataProduct with_fields(const std::string& domain, const std::string& name, const std::string& version,
                                  const std::vector<std::string>& names) {
  auto product = make_manifest(domain, name, version);
  auto& fields = product.spec.output_ports.at(0).schema->fields;
  fields.clear();
  for (const auto& field_name : names) {
    manifest::Field field;
    field.name = field_name;
    field.type = "string";
    field.description = "The " + field_name + ".";
    fields.push_back(field);
  }
  return product;
}

std::unique_ptr<LocalRegistry> open_registry(const std::filesystem::path& path) {
  auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
  if (!registry.ok()) FAIL(registry.error().message);
  return std::move(*registry);
}

TEST_CASE("SQLite keeps one similarity entry per product, its latest version's, until it is retired",
          "[registry][sqlite][similarity]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  auto registry = open_registry(path);
  const auto first = with_fields("sales", "orders", "1.0.0", {"order_id", "amount", "currency"});
  REQUIRE(registry->publish(first, PublishMode::apply).ok());

  const auto expected = schema_fingerprint(first, NameNormalizer()).entry();
  CHECK(entry_text_of(path, "orders") == entry_text(expected));
  CHECK(rows(path, "similarity_bands", "orders") == kSimilarityBands);
  CHECK(rows(path, "similarity_locations", "orders") == 1);
  CHECK(query_raw_text(path, "SELECT hash FROM similarity_locations") ==
        std::vector<std::string>{std::to_string(static_cast<std::int64_t>(stable_hash("s3://sales/orders")))});

  // A new version with other fields replaces the rows; the same fields again leave them as they are.
  const auto second = with_fields("sales", "orders", "2.0.0", {"order_id", "total"});
  REQUIRE(registry->publish(second, PublishMode::evolve).ok());
  CHECK(entry_text_of(path, "orders") == entry_text(schema_fingerprint(second, NameNormalizer()).entry()));
  CHECK(rows(path, "similarity_bands", "orders") == kSimilarityBands);
  CHECK(rows(path, "similarity_locations", "orders") == 1);
  const auto bands_before = query_raw_text(path, "SELECT band || ':' || hash FROM similarity_bands ORDER BY 1");
  REQUIRE(registry->publish(with_fields("sales", "orders", "2.0.1", {"total", "order_id"}), PublishMode::evolve).ok());
  CHECK(query_raw_text(path, "SELECT band || ':' || hash FROM similarity_bands ORDER BY 1") == bands_before);

  // Retired: no row of it remains.
  REQUIRE(registry->retire({{"sales", "orders"}, true, "gone", std::nullopt}).ok());
  CHECK(entry_text_of(path, "orders").empty());
  CHECK(rows(path, "similarity_bands", "orders") == 0);
  CHECK(rows(path, "similarity_locations", "orders") == 0);
}

TEST_CASE("SQLite's similarity look-up: band hits counted, exclusions, limits per answer and per hash",
          "[registry][sqlite][similarity]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  {
    auto registry = open_registry(path);
    for (const auto* name : {"a", "b", "c", "d"}) {
      REQUIRE(registry->publish(with_fields("sales", name, "1.0.0", {"order_id", "amount", "currency"}),
                                PublishMode::apply)
                  .ok());
    }
    REQUIRE(registry->publish(with_fields("sales", "other", "1.0.0", {"campaign_id", "budget"}), PublishMode::apply)
                .ok());
    REQUIRE(registry->retire({{"sales", "d"}, true, "", std::nullopt}).ok());
  }
  auto store = SqliteStore::open(path);
  REQUIRE(store.ok());
  auto transaction = (*store)->begin(TransactionMode::read);
  REQUIRE(transaction.ok());
  auto& read = **transaction;
  const auto probe_entry =
      schema_fingerprint(with_fields("x", "y", "1.0.0", {"order_id", "amount", "currency"}), NameNormalizer()).entry();
  const auto names = [](const std::vector<SimilarityCandidate>& found) {
    std::vector<std::string> refs;
    for (const auto& candidate : found) refs.push_back(candidate.product.ref.text());
    return refs;
  };

  auto all = read.similarity_candidates({probe_entry, ProductRef{"sales", "a"}, 10});
  REQUIRE(all.ok());
  CHECK(names(*all) == std::vector<std::string>{"sales/b", "sales/c"});  // not a (excluded), not d (retired)
  for (const auto& candidate : *all) {
    CHECK(candidate.band_hits == kSimilarityBands);
    CHECK_FALSE(candidate.location_hit);
    CHECK(candidate.manifest_json.find("\"order_id\"") != std::string::npos);
  }
  auto one = read.similarity_candidates({probe_entry, std::nullopt, 1});
  REQUIRE(one.ok());
  CHECK(names(*one) == std::vector<std::string>{"sales/a"});
  // One row read per band hash: the first product by row id stands for the crowd.
  SimilarityProbe crowded{probe_entry, std::nullopt, 10};
  crowded.bucket_limit = 1;
  auto bounded = read.similarity_candidates(crowded);
  REQUIRE(bounded.ok());
  CHECK(names(*bounded) == std::vector<std::string>{"sales/a"});

  // A location hit comes first, counted with its bands too.
  auto located = probe_entry;
  located.locations = {static_cast<std::int64_t>(stable_hash("s3://sales/other"))};
  auto with_location = read.similarity_candidates({located, ProductRef{"sales", "a"}, 10});
  REQUIRE(with_location.ok());
  CHECK(names(*with_location) == std::vector<std::string>{"sales/other", "sales/b", "sales/c"});
  CHECK((*with_location)[0].location_hit);
  CHECK((*with_location)[0].band_hits == 0);

  auto nothing = read.similarity_candidates({SimilarityEntry{}, std::nullopt, 10});
  REQUIRE(nothing.ok());
  CHECK(nothing->empty());
}

TEST_CASE("SQLite refuses a similarity entry for a product it does not have", "[registry][sqlite][similarity]") {
  TemporaryFolder folder;
  auto store = SqliteStore::open(folder.path() / "registry.db");
  REQUIRE(store.ok());
  auto transaction = (*store)->begin(TransactionMode::write);
  REQUIRE(transaction.ok());
  const auto status = (*transaction)->replace_similarity_entry({"sales", "nothing"}, SimilarityEntry{{1}, {2}});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == ErrorKind::not_found);
}

}  // namespace
}  // namespace meshctl::registry
