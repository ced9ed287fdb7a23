#include "store/sqlite/sqlite_search.h"

#include <functional>
#include <unordered_set>

#include <fmt/format.h>

namespace meshctl::registry::sqlite_search {
namespace {

Status run(SqliteStore::Connection& connection, const std::string& sql, std::string_view what,
           const std::function<void(Statement&)>& bind) {
  auto statement = connection.prepare(sql);
  if (!statement.ok()) return statement.error();
  bind(**statement);
  if ((*statement)->step() != SQLITE_DONE) return connection.error(sqlite3_extended_errcode(connection.db), what);
  return ok_status();
}

// FTS5's query syntax for `query`: each group a quoted phrase, all of them required. The words of a group
// are letters and digits only (search_words), so nothing in them is syntax; quotes are doubled anyway.
std::string match_expression(const SearchQuery& query) {
  std::string expression;
  for (const auto& group : query.groups) {
    if (!expression.empty()) expression += ' ';
    expression += '"';
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (i > 0) expression += ' ';
      for (const char c : group[i]) expression += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    expression += '"';
  }
  return expression;
}

// The index entries of one product: product_search, product_facets and, unless the registry is being
// migrated to a version before 14 (migration 7's backfill), product_names.
Status index_product_in(SqliteStore::Connection& connection, std::int64_t product_id, const std::string& manifest_json,
                        bool with_names) {
  const auto document = search_document(manifest_json);
  const auto what = "indexing a product for search";
  auto status = run(connection, "DELETE FROM product_search WHERE rowid = ?", what,
                    [&](Statement& row) { row.bind(1, product_id); });
  if (status.ok()) {
    status = run(connection, "INSERT INTO product_search (rowid, names, schema, text) VALUES (?, ?, ?, ?)", what,
                 [&](Statement& row) {
                   row.bind(1, product_id).bind(2, document.names).bind(3, document.schema).bind(4, document.text);
                 });
  }
  if (status.ok() && with_names) {
    status = run(connection, "DELETE FROM product_names WHERE rowid = ?", what,
                 [&](Statement& row) { row.bind(1, product_id); });
    if (status.ok()) {
      status = run(connection, "INSERT INTO product_names (rowid, names) VALUES (?, ?)", what,
                   [&](Statement& row) { row.bind(1, product_id).bind(2, document.names); });
    }
  }
  if (status.ok()) {
    status = run(connection, "DELETE FROM product_facets WHERE product_id = ?", what,
                 [&](Statement& row) { row.bind(1, product_id); });
  }
  for (const auto& [kind, value] : document.facets) {
    if (!status.ok()) break;
    status = run(
        connection, "INSERT INTO product_facets (product_id, kind, value) VALUES (?, ?, ?)", what,
        [&, &kind = kind, &value = value](Statement& row) { row.bind(1, product_id).bind(2, kind).bind(3, value); });
  }
  return status;
}

}  // namespace

Status index_product(SqliteStore::Connection& connection, std::int64_t product_id, const std::string& manifest_json) {
  return index_product_in(connection, product_id, manifest_json, true);
}

Status backfill_version_7(SqliteStore::Connection& connection) {
  auto statement = connection.prepare(
      "SELECT p.id, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  int code = 0;
  while ((code = row.step()) == SQLITE_ROW) {
    if (auto status = index_product_in(connection, row.integer(0), row.text(1), false); !status.ok()) return status;
  }
  if (code != SQLITE_DONE) return connection.error(code, "indexing the registry's products for search");
  return ok_status();
}

namespace {

// Calls `add(kind, value)` for each facet filter given: product_facets rows a product must have.
template <typename Add>
void for_each_facet(const ProductFilter& filter, Add add) {
  if (filter.tag) add("tag", *filter.tag);
  if (filter.term) add("term", *filter.term);
  if (filter.field) add("field", *filter.field);
  if (filter.pii) add("pii", std::string());
}

// The filters of a ranked search on `table` (product_names or product_search), as sets of product ids the
// hit's rowid must (not) be in. Each set is read once through an index; `+` keeps the rowid from being handed
// to FTS5 as a constraint, which would look each id up in the full-text index instead of reading the matches
// once. A domain also bounds the rowids to its own first and last, which FTS5 seeks to.
std::string ranked_filter_conditions(std::string_view table, const ProductFilter& filter,
                                     std::vector<std::string>& values) {
  const auto hit = fmt::format(" AND +{}.rowid", table);
  std::string sql;
  if (filter.domain) {
    sql += fmt::format(
        " AND {0}.rowid >= (SELECT min(id) FROM products WHERE domain = ?) AND {0}.rowid <= (SELECT max(id) FROM "
        "products WHERE domain = ?){1} IN (SELECT id FROM products WHERE domain = ?)",
        table, hit);
    values.insert(values.end(), 3, *filter.domain);
  }
  if (filter.status) {
    sql += fmt::format("{} IN (SELECT id FROM products WHERE status = ?)", hit);
    values.emplace_back(to_string(*filter.status));
  } else {
    sql += fmt::format("{} NOT IN (SELECT id FROM products WHERE status = 'retired')", hit);
  }
  if (filter.owner) {
    sql += fmt::format("{} IN (SELECT id FROM products WHERE owner_team = ?)", hit);
    values.push_back(*filter.owner);
  }
  for (const auto& [key, value] : filter.labels) {
    sql += fmt::format("{} IN (SELECT product_id FROM product_labels WHERE key = ? AND value = ?)", hit);
    values.push_back(key);
    values.push_back(value);
  }
  for_each_facet(filter, [&](const char* kind, const std::string& value) {
    sql += fmt::format("{} IN (SELECT product_id FROM product_facets WHERE kind = '{}' AND value = ?)", hit, kind);
    values.push_back(value);
  });
  return sql;
}

// The ids of the best `limit` hits, level by level (search.h, kSearchLevels): every group in names (the
// product_names table, which holds only those words), every group in names or schema, every group anywhere
// (product_search). FTS5 hands a query's rows out in rowid (registration) order without reading them all
// first, so a level stops at the hit that fills the page: a word most products have costs a few rows, not
// a score of every match. A level's rows include the levels above it, whose rows were all read (else the
// page was full): those are skipped.
Result<std::vector<std::int64_t>> ranked_ids(SqliteStore::Connection& connection, const SearchSelection& selection) {
  const auto words = match_expression(selection.query);
  const std::string_view tables[kSearchLevels] = {"product_names", "product_search", "product_search"};
  const std::string expressions[kSearchLevels] = {words, fmt::format("{{names schema}} : ({})", words), words};
  std::vector<std::int64_t> ids;
  std::unordered_set<std::int64_t> seen;
  for (int level = 0; level < kSearchLevels && ids.size() < selection.limit; ++level) {
    std::vector<std::string> values{expressions[level]};
    const auto filters = ranked_filter_conditions(tables[level], selection.filter, values);
    auto statement = connection.prepare(
        fmt::format("SELECT rowid FROM {0} WHERE {0} MATCH ?{1} ORDER BY rowid", tables[level], filters));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    int index = 1;
    for (const auto& value : values) row.bind(index++, value);
    int code = SQLITE_DONE;
    while (ids.size() < selection.limit && (code = row.step()) == SQLITE_ROW) {
      if (seen.insert(row.integer(0)).second) ids.push_back(row.integer(0));
    }
    if (code != SQLITE_ROW && code != SQLITE_DONE) return connection.error(code, "searching products");
  }
  return ids;
}

std::string listed_sql(const SearchSelection& selection, std::vector<std::string>& values) {
  std::string sql = fmt::format(
      "SELECT {}, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version WHERE 1 = 1",
      sqlite_product_columns());
  if (selection.filter.domain) {
    sql += " AND p.domain = ?";
    values.push_back(*selection.filter.domain);
  }
  if (selection.filter.status) {
    sql += " AND p.status = ?";
    values.emplace_back(to_string(*selection.filter.status));
  } else {
    sql += " AND p.status <> 'retired'";
  }
  for (const auto& [key, value] : selection.filter.labels) {
    sql += " AND EXISTS (SELECT 1 FROM product_labels l WHERE l.product_id = p.id AND l.key = ? AND l.value = ?)";
    values.push_back(key);
    values.push_back(value);
  }
  sql += filter_conditions(selection.filter, values);
  return sql + " ORDER BY p.domain, p.name LIMIT ?";
}

}  // namespace

std::string filter_conditions(const ProductFilter& filter, std::vector<std::string>& values) {
  std::string sql;
  if (filter.owner) {
    sql += " AND p.owner_team = ?";
    values.push_back(*filter.owner);
  }
  for_each_facet(filter, [&](const char* kind, const std::string& value) {
    sql += fmt::format(
        " AND EXISTS (SELECT 1 FROM product_facets f WHERE f.product_id = p.id AND f.kind = '{}' AND f.value = ?)",
        kind);
    values.push_back(value);
  });
  return sql;
}

Result<std::vector<SearchCandidate>> search_products(SqliteStore::Connection& connection,
                                                     const SearchSelection& selection) {
  constexpr int kManifestColumn = 12;  // after sqlite_product_columns()
  std::vector<SearchCandidate> found;
  if (selection.query.empty()) {
    // The SQL text depends only on which filters are present, so the statement cache holds a handful of variants.
    std::vector<std::string> values;
    auto statement = connection.prepare(listed_sql(selection, values));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    int index = 1;
    for (const auto& value : values) row.bind(index++, value);
    row.bind(index, static_cast<std::int64_t>(selection.limit));
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) found.push_back({read_sqlite_product(row), row.text(kManifestColumn)});
    if (code != SQLITE_DONE) return connection.error(code, "searching products");
    return found;
  }
  auto ids = ranked_ids(connection, selection);
  if (!ids.ok()) return ids.error();
  auto statement = connection.prepare(
      fmt::format("SELECT {}, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
                  "p.latest_version WHERE p.id = ?",
                  sqlite_product_columns()));
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  for (const auto id : *ids) {
    row.bind(1, id);
    const int code = row.step();
    if (code == SQLITE_ROW) found.push_back({read_sqlite_product(row), row.text(kManifestColumn)});
    if (code != SQLITE_ROW && code != SQLITE_DONE) return connection.error(code, "searching products");
    row.reset();
  }
  return found;
}

}  // namespace meshctl::registry::sqlite_search
