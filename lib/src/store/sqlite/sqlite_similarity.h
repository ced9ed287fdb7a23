#pragma once

// The SQLite store's similarity index (issue 18, catalog/similarity.h): similarity_entries keeps each product's
// entry (its band and location hashes, as text), similarity_bands and similarity_locations the same hashes as
// rows keyed by (band, hash) and (hash), which the look-up reads. Free functions over the transaction's
// connection, so SqliteTransaction only forwards. Contract: store.h (replace_similarity_entry,
// similarity_candidates).

#include <vector>

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_similarity {

// Makes the entry of the product with row id `product_id` `entry` (empty: none).
Status replace_entry(SqliteStore::Connection& connection, std::int64_t product_id, const SimilarityEntry& entry);

// Indexes every product that is not retired from its latest version (without synonyms): migration 9's
// backfill of a registry written before it.
Status index_every_product(SqliteStore::Connection& connection);

Result<std::vector<SimilarityCandidate>> candidates(SqliteStore::Connection& connection,
                                                    const SimilarityProbe& probe);

}  // namespace meshctl::registry::sqlite_similarity
