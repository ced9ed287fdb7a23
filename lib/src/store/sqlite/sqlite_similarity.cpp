#include "store/sqlite/sqlite_similarity.h"

#include <set>

#include <fmt/format.h>

#include "store/sqlite/sqlite_glossary.h"

namespace meshctl::registry::sqlite_similarity {
namespace {

constexpr const char* kIndexingWhat = "indexing a product's schemas";

Status finish_write(SqliteStore::Connection& connection, Statement& statement, std::string_view what) {
  if (statement.step() != SQLITE_DONE) return connection.error(sqlite3_extended_errcode(connection.db), what);
  return ok_status();
}

// The products of `hits_sql` (which selects the product id and a count, and binds `values` in order) that are
// not retired and not `exclude`, with their latest manifest, most counted first, then by (domain, name). The
// ranking reads only the products' keys; the manifests are read for the products kept (a crowded band holds
// hundreds of products of which a few are kept).
Result<std::vector<SimilarityCandidate>> read_candidates(SqliteStore::Connection& connection,
                                                         const std::string& hits_sql,
                                                         const std::vector<std::int64_t>& values,
                                                         const SimilarityProbe& probe, bool location_hits) {
  std::vector<std::pair<std::int64_t, std::int64_t>> ranked;  // (product id, count)
  {
    auto statement = connection.prepare(fmt::format(
        "SELECT h.product_id, h.n FROM ({}) h JOIN products p ON p.id = h.product_id "
        "WHERE p.status <> 'retired' AND NOT (p.domain = ? AND p.name = ?) ORDER BY h.n DESC, p.domain, p.name "
        "LIMIT ?",
        hits_sql));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    int index = 1;
    for (const auto value : values) row.bind(index++, value);
    row.bind(index++, probe.exclude ? probe.exclude->domain : std::string());
    row.bind(index++, probe.exclude ? probe.exclude->name : std::string());
    row.bind(index, static_cast<std::int64_t>(probe.limit));
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) ranked.emplace_back(row.integer(0), row.integer(1));
    if (code != SQLITE_DONE) return connection.error(code, "looking up similar products");
  }
  const auto sql = fmt::format(
      "SELECT {}, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version WHERE p.id = ?",
      sqlite_product_columns());
  std::vector<SimilarityCandidate> found;
  constexpr int kManifestColumn = 12;  // after sqlite_product_columns()
  for (const auto& [id, hits] : ranked) {
    auto statement = connection.prepare(sql);
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, id);
    const int code = row.step();
    if (code == SQLITE_DONE) continue;  // not possible in one transaction; nothing to list
    if (code != SQLITE_ROW) return connection.error(code, "looking up similar products");
    found.push_back({read_sqlite_product(row), row.text(kManifestColumn),
                     location_hits ? 0 : static_cast<std::size_t>(hits), location_hits});
  }
  return found;
}

}  // namespace

Status replace_entry(SqliteStore::Connection& connection, std::int64_t product_id, const SimilarityEntry& entry) {
  // The rows of the old entry are found from its text, so the index needs no second key by product.
  SimilarityEntry old;
  {
    auto statement = connection.prepare("SELECT entry FROM similarity_entries WHERE product_id = ?");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, product_id);
    const int code = row.step();
    if (code == SQLITE_ROW) {
      old = entry_from_text(row.text(0));
    } else if (code != SQLITE_DONE) {
      return connection.error(code, kIndexingWhat);
    }
  }
  if (old == entry) return ok_status();
  for (std::size_t band = 0; band < old.bands.size(); ++band) {
    auto statement = connection.prepare("DELETE FROM similarity_bands WHERE band = ? AND hash = ? AND product_id = ?");
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, static_cast<std::int64_t>(band)).bind(2, old.bands[band]).bind(3, product_id);
    if (auto status = finish_write(connection, **statement, kIndexingWhat); !status.ok()) return status;
  }
  for (const auto hash : old.locations) {
    auto statement = connection.prepare("DELETE FROM similarity_locations WHERE hash = ? AND product_id = ?");
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, hash).bind(2, product_id);
    if (auto status = finish_write(connection, **statement, kIndexingWhat); !status.ok()) return status;
  }
  {
    auto statement = connection.prepare("DELETE FROM similarity_entries WHERE product_id = ?");
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, product_id);
    if (auto status = finish_write(connection, **statement, kIndexingWhat); !status.ok()) return status;
  }
  if (entry.empty()) return ok_status();
  {
    auto statement = connection.prepare("INSERT INTO similarity_entries (product_id, entry) VALUES (?, ?)");
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, product_id).bind(2, entry_text(entry));
    if (auto status = finish_write(connection, **statement, kIndexingWhat); !status.ok()) return status;
  }
  for (std::size_t band = 0; band < entry.bands.size(); ++band) {
    auto statement = connection.prepare(
        "INSERT OR IGNORE INTO similarity_bands (band, hash, product_id) VALUES (?, ?, ?)");
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, static_cast<std::int64_t>(band)).bind(2, entry.bands[band]).bind(3, product_id);
    if (auto status = finish_write(connection, **statement, kIndexingWhat); !status.ok()) return status;
  }
  for (const auto hash : entry.locations) {
    auto statement =
        connection.prepare("INSERT OR IGNORE INTO similarity_locations (hash, product_id) VALUES (?, ?)");
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, hash).bind(2, product_id);
    if (auto status = finish_write(connection, **statement, kIndexingWhat); !status.ok()) return status;
  }
  return ok_status();
}

Status index_every_product(SqliteStore::Connection& connection) {
  auto terms = sqlite_glossary::list_terms(connection, std::nullopt);
  if (!terms.ok()) return terms.error();
  const NameNormalizer normalize(glossary_synonyms(*terms));
  auto statement = connection.prepare(
      "SELECT p.id, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version WHERE p.status <> 'retired'");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  int code = 0;
  while ((code = row.step()) == SQLITE_ROW) {
    if (auto status = replace_entry(connection, row.integer(0), entry_of_manifest(row.text(1), normalize));
        !status.ok()) {
      return status;
    }
  }
  if (code != SQLITE_DONE) return connection.error(code, "indexing the registry's products' schemas");
  return ok_status();
}

Result<std::vector<SimilarityCandidate>> candidates(SqliteStore::Connection& connection,
                                                    const SimilarityProbe& probe) {
  std::vector<SimilarityCandidate> found;
  std::set<ProductRef> listed;
  if (!probe.entry.locations.empty()) {
    // One indexed look-up per location hash, each bounded.
    std::string hits = "SELECT product_id, 1 AS n FROM (";
    std::vector<std::int64_t> values;
    for (std::size_t i = 0; i < probe.entry.locations.size(); ++i) {
      if (i > 0) hits += " UNION ALL ";
      hits += "SELECT * FROM (SELECT product_id FROM similarity_locations WHERE hash = ? ORDER BY product_id LIMIT ?)";
      values.push_back(probe.entry.locations[i]);
      values.push_back(static_cast<std::int64_t>(probe.bucket_limit));
    }
    hits += ") GROUP BY product_id";
    auto located = read_candidates(connection, hits, values, probe, true);
    if (!located.ok()) return located.error();
    for (auto& candidate : *located) {
      listed.insert(candidate.product.ref);
      found.push_back(std::move(candidate));
    }
  }
  if (!probe.entry.bands.empty()) {
    // One indexed look-up per band, each bounded; a product counted once per band it shares.
    std::string hits = "SELECT product_id, count(*) AS n FROM (";
    std::vector<std::int64_t> values;
    for (std::size_t band = 0; band < probe.entry.bands.size(); ++band) {
      if (band > 0) hits += " UNION ALL ";
      hits +=
          "SELECT * FROM (SELECT product_id FROM similarity_bands WHERE band = ? AND hash = ? ORDER BY product_id "
          "LIMIT ?)";
      values.push_back(static_cast<std::int64_t>(band));
      values.push_back(probe.entry.bands[band]);
      values.push_back(static_cast<std::int64_t>(probe.bucket_limit));
    }
    hits += ") GROUP BY product_id";
    auto banded = read_candidates(connection, hits, values, probe, false);
    if (!banded.ok()) return banded.error();
    for (auto& candidate : *banded) {
      if (listed.count(candidate.product.ref) > 0) {
        for (auto& earlier : found) {
          if (earlier.product.ref == candidate.product.ref) earlier.band_hits = candidate.band_hits;
        }
        continue;
      }
      found.push_back(std::move(candidate));
    }
  }
  return found;
}

}  // namespace meshctl::registry::sqlite_similarity
