#pragma once

// The PostgreSQL store's full-text index (issue 18), the SQLite one's (sqlite_search.h) in PostgreSQL's
// spelling: product_search holds a weighted tsvector per product (GIN-indexed), product_facets what the
// filters select on. The search itself is PostgresTransaction::search_products (postgres_search.cpp).

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "meshctl/store/store.h"
#include "store/postgres/postgres_connection.h"

namespace meshctl::registry::postgres_search {

// Makes the index entry and facets of the product with id `product_id` those of `manifest_json`. Throws
// what libpqxx throws.
void index_product(pqxx::transaction_base& transaction, std::int64_t product_id, const std::string& manifest_json);

// Indexes every product's latest version: migration 7's backfill. Throws what libpqxx throws.
void index_every_product(pqxx::transaction_base& transaction);

// The conditions (" AND ...", on products `p`) of filter's owner, tag, term, field and pii, each value
// added to `parameters` (numbered after those already there).
std::string filter_conditions(const ProductFilter& filter, Parameters& parameters);

}  // namespace meshctl::registry::postgres_search
