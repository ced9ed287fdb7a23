#pragma once

// The PostgreSQL store's similarity index (issue 18), the SQLite one's (sqlite_similarity.h) in PostgreSQL's
// spelling: similarity_entries, similarity_bands keyed by (band, hash), similarity_locations by hash. The
// reads and writes are PostgresTransaction's (postgres_similarity.cpp).

#include <pqxx/pqxx>

namespace meshctl::registry::postgres_similarity {

// Indexes every product that is not retired from its latest version (without synonyms): migration 9's
// backfill. Throws what libpqxx throws.
void index_every_product(pqxx::transaction_base& transaction);

}  // namespace meshctl::registry::postgres_similarity
