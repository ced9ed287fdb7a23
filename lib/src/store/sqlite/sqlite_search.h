#pragma once

// The SQLite store's full-text search (issue 18): the FTS5 table product_search (one row per product, rowid =
// products.id, the three columns of catalog/search.h), product_names (its names column alone, for the first
// level of a ranked search) and product_facets (tags, fields, terms, PII), kept by
// insert_version and read by search and by list_products' filters. Free functions over the transaction's
// connection, so SqliteTransaction only forwards. Contract: store.h (StoreTransaction::search_products).

#include <string>
#include <vector>

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_search {

// Makes the index entry and facets of the product with row id `product_id` those of `manifest_json`.
Status index_product(SqliteStore::Connection& connection, std::int64_t product_id, const std::string& manifest_json);

// Indexes every product's latest version in product_search and product_facets: migration 7's backfill of a
// registry written before it (product_names comes with version 14, which copies it from product_search).
Status backfill_version_7(SqliteStore::Connection& connection);

// The conditions (" AND ...", on products `p`) of filter's owner, tag, term, field and pii (list_products'); their
// values are appended to `values`, to bind in order.
std::string filter_conditions(const ProductFilter& filter, std::vector<std::string>& values);

Result<std::vector<SearchCandidate>> search_products(SqliteStore::Connection& connection,
                                                     const SearchSelection& selection);

}  // namespace meshctl::registry::sqlite_search
