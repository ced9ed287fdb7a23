// PostgresTransaction: the similarity index (catalog/similarity.h; contract in store.h).

#include "store/postgres/postgres_similarity.h"

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {
namespace postgres_similarity {
namespace {

// Replaces the entry of the product with id `product_id`; `run` executes one statement with its parameters.
template <typename Run>
void replace_entry(Run run, const std::string& product_id, const SimilarityEntry& entry) {
  const auto stored = run("SELECT entry FROM similarity_entries WHERE product_id = $1::bigint", {product_id});
  const SimilarityEntry old = stored.empty() ? SimilarityEntry{} : entry_from_text(stored[0][0].c_str());
  if (!stored.empty() && old == entry) return;
  for (std::size_t band = 0; band < old.bands.size(); ++band) {
    run("DELETE FROM similarity_bands WHERE band = $1::integer AND hash = $2::bigint AND product_id = $3::bigint",
        {std::to_string(band), std::to_string(old.bands[band]), product_id});
  }
  for (const auto hash : old.locations) {
    run("DELETE FROM similarity_locations WHERE hash = $1::bigint AND product_id = $2::bigint",
        {std::to_string(hash), product_id});
  }
  run("DELETE FROM similarity_entries WHERE product_id = $1::bigint", {product_id});
  if (entry.empty()) return;
  run("INSERT INTO similarity_entries (product_id, entry) VALUES ($1::bigint, $2)", {product_id, entry_text(entry)});
  for (std::size_t band = 0; band < entry.bands.size(); ++band) {
    run("INSERT INTO similarity_bands (band, hash, product_id) VALUES ($1::integer, $2::bigint, $3::bigint) "
        "ON CONFLICT DO NOTHING",
        {std::to_string(band), std::to_string(entry.bands[band]), product_id});
  }
  for (const auto hash : entry.locations) {
    run("INSERT INTO similarity_locations (hash, product_id) VALUES ($1::bigint, $2::bigint) ON CONFLICT DO NOTHING",
        {std::to_string(hash), product_id});
  }
}

}  // namespace

void index_every_product(pqxx::transaction_base& transaction) {
  std::vector<TermRecord> terms;
  for (const auto& row : transaction.exec("SELECT name, document FROM glossary_terms ORDER BY name")) {
    auto term = manifest::glossary_term_from_json(nlohmann::json::parse(row[1].c_str(), nullptr, false));
    if (!term) {
      throw std::runtime_error(
          fmt::format("the stored term {} does not decode: {}", row[0].c_str(), term.error().message));
    }
    terms.push_back({std::move(*term), "", "", "", {}});
  }
  const NameNormalizer normalize(glossary_synonyms(terms));
  const auto rows = transaction.exec(
      "SELECT p.id, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version WHERE p.status <> 'retired'");
  const auto run = [&](const std::string& sql, const std::vector<std::string>& values) {
    std::vector<const char*> parameters;
    for (const auto& value : values) parameters.push_back(value.c_str());
    return transaction.exec_params(sql, pqxx::prepare::make_dynamic_params(parameters));
  };
  for (const auto& row : rows) replace_entry(run, row[0].c_str(), entry_of_manifest(row[1].c_str(), normalize));
}

}  // namespace postgres_similarity

Status PostgresTransaction::replace_similarity_entry(const ProductRef& ref, const SimilarityEntry& entry) {
  const auto what = fmt::format("indexing the schemas of {}", ref.text());
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const auto product = execute("SELECT id FROM products WHERE domain = $1 AND name = $2", {ref.domain, ref.name});
    if (product.empty()) return make_error(ErrorKind::not_found, fmt::format("no product {}", ref.text()));
    const auto run = [&](const std::string& sql, const std::vector<std::string>& values) {
      Parameters parameters(values.begin(), values.end());
      return execute(sql, parameters);
    };
    postgres_similarity::replace_entry(run, text(product[0], 0), entry);
    return ok_status();
  });
}

Result<std::vector<SimilarityCandidate>> PostgresTransaction::similarity_candidates(const SimilarityProbe& probe) {
  using Candidates = std::vector<SimilarityCandidate>;
  return guarded(connection_, "looking up similar products", [&]() -> Result<Candidates> {
    // The products of `hits` (product_id, n), not retired, not the excluded one, most counted first.
    const auto read = [&](const std::string& hits, Parameters parameters, bool location_hits) {
      const auto base = parameters.size();
      parameters.emplace_back(probe.exclude ? probe.exclude->domain : std::string());
      parameters.emplace_back(probe.exclude ? probe.exclude->name : std::string());
      parameters.emplace_back(std::to_string(probe.limit));
      const auto sql = fmt::format(
          "SELECT {}, v.manifest, h.n FROM ({}) h JOIN products p ON p.id = h.product_id "
          "JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version "
          "WHERE p.status <> 'retired' AND NOT (p.domain = ${} AND p.name = ${}) "
          "ORDER BY h.n DESC, p.domain, p.name LIMIT ${}::bigint",
          postgres_product_columns(), hits, base + 1, base + 2, base + 3);
      Candidates found;
      constexpr int kManifestColumn = 12;  // after postgres_product_columns()
      for (const auto& row : execute(sql, parameters)) {
        SimilarityCandidate candidate{read_postgres_product(row), row[kManifestColumn].c_str(), 0, location_hits};
        if (!location_hits) candidate.band_hits = static_cast<std::size_t>(integer(row, kManifestColumn + 1));
        found.push_back(std::move(candidate));
      }
      return found;
    };
    Candidates found;
    std::set<ProductRef> listed;
    if (!probe.entry.locations.empty()) {
      Parameters parameters;
      // One indexed look-up per location hash, each bounded.
      std::string hits = "SELECT product_id, 1 AS n FROM (";
      for (const auto hash : probe.entry.locations) {
        if (!parameters.empty()) hits += " UNION ALL ";
        parameters.emplace_back(std::to_string(hash));
        parameters.emplace_back(std::to_string(probe.bucket_limit));
        hits += fmt::format("(SELECT product_id FROM similarity_locations WHERE hash = ${}::bigint "
                            "ORDER BY product_id LIMIT ${}::bigint)",
                            parameters.size() - 1, parameters.size());
      }
      hits += ") l GROUP BY product_id";
      for (auto& candidate : read(hits, std::move(parameters), true)) {
        listed.insert(candidate.product.ref);
        found.push_back(std::move(candidate));
      }
    }
    if (!probe.entry.bands.empty()) {
      // One indexed look-up per band, each bounded; a product counted once per band it shares.
      Parameters parameters;
      std::string hits = "SELECT product_id, count(*) AS n FROM (";
      for (std::size_t band = 0; band < probe.entry.bands.size(); ++band) {
        if (band > 0) hits += " UNION ALL ";
        parameters.emplace_back(std::to_string(band));
        parameters.emplace_back(std::to_string(probe.entry.bands[band]));
        parameters.emplace_back(std::to_string(probe.bucket_limit));
        hits += fmt::format("(SELECT product_id FROM similarity_bands WHERE band = ${}::integer AND hash = ${}::bigint "
                            "ORDER BY product_id LIMIT ${}::bigint)",
                            parameters.size() - 2, parameters.size() - 1, parameters.size());
      }
      hits += ") b GROUP BY product_id";
      for (auto& candidate : read(hits, std::move(parameters), false)) {
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
  });
}

}  // namespace meshctl::registry
