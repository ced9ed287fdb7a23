#pragma once

// The SQLite store's read of what the catalog's "needs attention" list is judged from, as a free function
// over the transaction's connection, so SqliteTransaction only forwards. Contract: store.h
// (StoreTransaction::attention_inputs).

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_attention {

Result<AttentionInputs> attention_inputs(SqliteStore::Connection& connection);

}  // namespace meshctl::registry::sqlite_attention
