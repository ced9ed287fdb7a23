#include "store/sqlite/sqlite_search.h"

#include <functional>

#include <fmt/format.h>

namespace meshctl::registry::sqlite_search {
namespace {

// bm25 weights of the columns names, schema, text: a name or tag hit outranks a field hit, which outranks a
// description hit.
constexpr const char* kRank = "bm25(product_search, 10.0, 4.0, 1.0)";

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

}  // namespace

Status index_product(SqliteStore::Connection& connection, std::int64_t product_id, const std::string& manifest_json) {
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

Status index_every_product(SqliteStore::Connection& connection) {
  auto statement = connection.prepare(
      "SELECT p.id, v.manifest FROM products p JOIN versions v ON v.product_id = p.id AND v.version = "
      "p.latest_version");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  int code = 0;
  while ((code = row.step()) == SQLITE_ROW) {
    if (auto status = index_product(connection, row.integer(0), row.text(1)); !status.ok()) return status;
  }
  if (code != SQLITE_DONE) return connection.error(code, "indexing the registry's products for search");
  return ok_status();
}

std::string filter_conditions(const ProductFilter& filter, std::vector<std::string>& values) {
  std::string sql;
  if (filter.owner) {
    sql += " AND p.owner_team = ?";
    values.push_back(*filter.owner);
  }
  const auto facet = [&](const char* kind, const std::optional<std::string>& value) {
    if (!value) return;
    sql += fmt::format(
        " AND EXISTS (SELECT 1 FROM product_facets f WHERE f.product_id = p.id AND f.kind = '{}' AND f.value = ?)",
        kind);
    values.push_back(*value);
  };
  facet("tag", filter.tag);
  facet("term", filter.term);
  facet("field", filter.field);
  if (filter.pii) facet("pii", std::string());
  return sql;
}

Result<std::vector<SearchCandidate>> search_products(SqliteStore::Connection& connection,
                                                     const SearchSelection& selection) {
  // The SQL text depends only on which filters are present, so the statement cache holds a handful of variants.
  std::vector<std::string> values;
  const bool ranked = !selection.query.empty();
  std::string sql = fmt::format("SELECT {}, v.manifest FROM ", sqlite_product_columns());
  sql += ranked ? "product_search JOIN products p ON p.id = product_search.rowid " : "products p ";
  sql += "JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version WHERE ";
  if (ranked) {
    sql += "product_search MATCH ?";
    values.push_back(match_expression(selection.query));
  } else {
    sql += "1 = 1";
  }
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
  sql += ranked ? fmt::format(" ORDER BY {}, p.domain, p.name LIMIT ?", kRank) : " ORDER BY p.domain, p.name LIMIT ?";
  auto statement = connection.prepare(sql);
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  int index = 1;
  for (const auto& value : values) row.bind(index++, value);
  row.bind(index, static_cast<std::int64_t>(selection.limit));
  std::vector<SearchCandidate> found;
  int code = 0;
  constexpr int kManifestColumn = 12;  // after sqlite_product_columns()
  while ((code = row.step()) == SQLITE_ROW) found.push_back({read_sqlite_product(row), row.text(kManifestColumn)});
  if (code != SQLITE_DONE) return connection.error(code, "searching products");
  return found;
}

}  // namespace meshctl::registry::sqlite_search
