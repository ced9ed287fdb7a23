#include "store/postgres/postgres_search.h"

#include <fmt/format.h>

#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {
namespace postgres_search {
namespace {

// The columns of the document: names (weight A), schema (B), text (C).
constexpr std::string_view kAllColumns = "ABC";

// to_tsquery's syntax for `query` found in the columns of `weights`: groups joined by &. A one-word group is
// the word, kept to those columns (`'w':AB`); a phrase is one alternative per column (`('a':A <-> 'b':A) |
// ('a':B <-> 'b':B)`), since the columns are one tsvector whose positions run on from one column to the next
// and a phrase must not join the end of one to the start of the next (FTS5 phrases stay in their column).
// The words are letters and digits only (search_words) and each is quoted, so nothing in them is syntax.
std::string tsquery_text(const SearchQuery& query, std::string_view weights = kAllColumns) {
  const auto quoted = [](const std::string& word, std::string_view weight) {
    std::string text = "'";
    for (const char c : word) text += c == '\'' ? std::string("''") : c == '\\' ? "\\\\" : std::string(1, c);
    text += '\'';
    if (weight != kAllColumns) text += fmt::format(":{}", weight);
    return text;
  };
  std::string text;
  for (const auto& group : query.groups) {
    if (!text.empty()) text += " & ";
    if (group.size() == 1) {
      text += quoted(group[0], weights);
      continue;
    }
    text += '(';
    for (std::size_t column = 0; column < weights.size(); ++column) {
      if (column > 0) text += " | ";
      text += '(';
      for (std::size_t i = 0; i < group.size(); ++i) {
        if (i > 0) text += " <-> ";
        text += quoted(group[i], weights.substr(column, 1));
      }
      text += ')';
    }
    text += ')';
  }
  return text;
}

std::string next(Parameters& parameters, std::string value) {
  parameters.emplace_back(std::move(value));
  return fmt::format("${}", parameters.size());
}

}  // namespace

void index_product(pqxx::transaction_base& transaction, std::int64_t product_id, const std::string& manifest_json) {
  const auto document = search_document(manifest_json);
  const auto id = std::to_string(product_id);
  transaction.exec_params(
      "INSERT INTO product_search (product_id, document) VALUES ($1::bigint, "
      "setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B') || "
      "setweight(to_tsvector('simple', $4), 'C')) "
      "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document",
      id, document.names, document.schema, document.text);
  transaction.exec_params("DELETE FROM product_facets WHERE product_id = $1::bigint", id);
  for (const auto& [kind, value] : document.facets) {
    transaction.exec_params("INSERT INTO product_facets (product_id, kind, value) VALUES ($1::bigint, $2, $3)", id,
                            kind, value);
  }
}

void index_every_product(pqxx::transaction_base& transaction) {
  const auto rows = transaction.exec(
      "SELECT p.id, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version");
  for (const auto& row : rows) index_product(transaction, row[0].as<std::int64_t>(), row[1].c_str());
}

std::string filter_conditions(const ProductFilter& filter, Parameters& parameters) {
  std::string sql;
  if (filter.owner) sql += " AND p.owner_team = " + next(parameters, *filter.owner);
  const auto facet = [&](const char* kind, const std::optional<std::string>& value) {
    if (!value) return;
    sql += fmt::format(
        " AND EXISTS (SELECT 1 FROM product_facets f WHERE f.product_id = p.id AND f.kind = '{}' AND f.value = {})",
        kind, next(parameters, *value));
  };
  facet("tag", filter.tag);
  facet("term", filter.term);
  facet("field", filter.field);
  if (filter.pii) facet("pii", std::string());
  return sql;
}

}  // namespace postgres_search

Result<std::vector<SearchCandidate>> PostgresTransaction::search_products(const SearchSelection& selection) {
  using Candidates = std::vector<SearchCandidate>;
  return guarded(connection_, "searching products", [&]() -> Result<Candidates> {
    // The SQL text depends only on which filters are present, so the prepared statements are a handful.
    Parameters parameters;
    const bool ranked = !selection.query.empty();
    std::string order = " ORDER BY p.domain, p.name";
    std::string sql = fmt::format("SELECT {}, v.manifest FROM ", postgres_product_columns());
    sql += ranked ? "product_search s JOIN products p ON p.id = s.product_id " : "products p ";
    sql += "JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version WHERE ";
    if (ranked) {
      sql += fmt::format("s.document @@ to_tsquery('simple', {})",
                         postgres_search::next(parameters, postgres_search::tsquery_text(selection.query)));
      // The level of a hit (catalog/search.h, kSearchLevels): every group in names (A), in names or schema
      // (A, B), anywhere.
      const auto names = postgres_search::next(parameters, postgres_search::tsquery_text(selection.query, "A"));
      const auto schema = postgres_search::next(parameters, postgres_search::tsquery_text(selection.query, "AB"));
      order = fmt::format(
          " ORDER BY CASE WHEN s.document @@ to_tsquery('simple', {}) THEN 0 WHEN s.document @@ to_tsquery('simple', "
          "{}) THEN 1 ELSE 2 END, p.id",
          names, schema);
    } else {
      sql += "TRUE";
    }
    if (selection.filter.domain)
      sql += " AND p.domain = " + postgres_search::next(parameters, *selection.filter.domain);
    if (selection.filter.status) {
      sql += " AND p.status = " + postgres_search::next(parameters, to_string(*selection.filter.status));
    } else {
      sql += " AND p.status <> 'retired'";
    }
    for (const auto& [key, value] : selection.filter.labels) {
      const auto key_parameter = postgres_search::next(parameters, key);
      sql += fmt::format(
          " AND EXISTS (SELECT 1 FROM product_labels l WHERE l.product_id = p.id AND l.key = {} AND l.value = {})",
          key_parameter, postgres_search::next(parameters, value));
    }
    sql += postgres_search::filter_conditions(selection.filter, parameters);
    sql += order;
    sql += " LIMIT " + postgres_search::next(parameters, std::to_string(selection.limit)) + "::bigint";
    Candidates found;
    constexpr int kManifestColumn = 12;  // after postgres_product_columns()
    for (const auto& row : execute(sql, parameters)) {
      found.push_back({read_postgres_product(row), row[kManifestColumn].c_str()});
    }
    return found;
  });
}

}  // namespace meshctl::registry
