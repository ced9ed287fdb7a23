#pragma once

// The PostgreSQL registry's schema, as ordered migrations that mirror the
// SQLite ones (sqlite_schema.cpp) version for version. Private to lib.
//
// Rules for changing it: never edit a migration that has shipped; append one.
// Migration N brings a database from schema version N-1 to N and runs in the
// transaction that records N in `schema_version`, under the migration lock.

#include <span>
#include <string_view>

#include <pqxx/pqxx>

namespace meshctl::registry::postgres_schema {

struct Migration {
  int version;           // the schema version after this migration
  std::string_view sql;  // one or more statements
  // Rows SQL cannot compute, written after `sql` in the same transaction (nullptr: none). Throws what
  // libpqxx throws.
  void (*backfill)(pqxx::transaction_base& transaction) = nullptr;
};

// Ascending by version, starting at 1, as SQLite's: 9 is unused (the similarity index, first numbered 9, is 12).
std::span<const Migration> migrations();

}  // namespace meshctl::registry::postgres_schema
