#pragma once

// The SQLite store's registry-wide read of the audit log (`meshctl audit`),
// as a free function over the transaction's connection, so SqliteTransaction
// only forwards. Contract: store.h (StoreTransaction::audit_events).

#include <vector>

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_audit {

Result<std::vector<AuditEvent>> audit_events(SqliteStore::Connection& connection, const AuditSelection& selection);

}  // namespace meshctl::registry::sqlite_audit
