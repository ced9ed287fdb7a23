#pragma once

// The SQLite store's quality runs (`meshctl test --publish`), as free functions over the transaction's
// connection, so SqliteTransaction only forwards. Contract: store.h (StoreTransaction::insert_quality_run,
// quality_runs).

#include <vector>

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_quality {

Result<std::int64_t> insert_quality_run(SqliteStore::Connection& connection, TransactionMode mode,
                                        const QualityRun& run);
Result<std::vector<QualityRun>> quality_runs(SqliteStore::Connection& connection, const ProductRef& ref,
                                             const QualitySelection& selection);

}  // namespace meshctl::registry::sqlite_quality
