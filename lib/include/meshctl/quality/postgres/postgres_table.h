#pragma once

// PostgreSQL tables for `meshctl test`, in the network areas (meshctl/network/module.h): libpq and
// libpqxx stay out of meshctl, which hands a command that reads PostgreSQL over to meshctl-network.

#include <memory>
#include <string>

#include "meshctl/quality/sql_table.h"

namespace meshctl::quality {

// Connects to `uri` (a postgresql:// URI without its fragment; libpq takes the password from PGPASSWORD or
// ~/.pgpass when the URI has none) and reads `table` (SCHEMA.TABLE, or TABLE on the search path, as
// PostgreSQL's to_regclass reads it). Every query runs in a read-only transaction: the scan's in one
// repeatable-read snapshot, each sql rule in its own, rolled back. Fails with ErrorKind::unavailable, with
// libpq's reason (which never holds the password), when the database cannot be reached.
Result<std::unique_ptr<SqlTable>> open_postgres_table(const std::string& uri, const std::string& table);

}  // namespace meshctl::quality
